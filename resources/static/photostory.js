/* Photostory reader: the lightbox of an exported story. Plain JavaScript, no dependencies,
   nothing loaded but the story's own images.

   - Each story root (.photostory) gets its own viewer: its own <dialog class="ps-lightbox">,
     written by the export in the story's language. Several stories on one page are
     independent; the only global is window.Photostory (init), and loading this file twice
     (two embeds) initialises each story once.
   - Without JavaScript every photo stays a plain link to its large rendition.
   - Deep links: #photo-N (index.html), or the prefixed id an embed uses
     (#ps-<story>-photo-N), opens photo N; a plain #photo-N on a page of embeds opens it in
     the first story. The address follows the photo shown with history.replaceState (no
     history entry per photo) and is restored when the viewer closes.
   - Captions, credits and alt text are copied as text (textContent), never as markup. */
(function () {
  "use strict";

  if (window.Photostory && typeof window.Photostory.init === "function") {
    window.Photostory.init();
    return;
  }

  var viewers = [];
  var SWIPE_MIN = 40; // px of horizontal travel that turns a drag into next/previous

  function text(node) {
    return node ? node.textContent.trim() : "";
  }

  function Viewer(root) {
    this.root = root;
    this.prefix = root.getAttribute("data-ps-prefix") || "";
    this.counterText = root.getAttribute("data-ps-counter") || "{n} / {total}";
    this.dialog = root.querySelector(".ps-lightbox");
    this.stage = this.dialog.querySelector(".ps-lb-stage");
    this.info = this.dialog.querySelector(".ps-lb-info");
    this.counter = this.dialog.querySelector(".ps-lb-counter");
    this.caption = this.dialog.querySelector(".ps-lb-caption");
    this.credit = this.dialog.querySelector(".ps-lb-credit");
    this.closeButton = this.dialog.querySelector(".ps-lb-close");
    this.storyCredit = text(root.querySelector(".ps-credit-line"));
    this.photos = this.collect();
    this.index = -1;
    this.trigger = null;
    this.urlBefore = null;
    this.swipe = null;
    this.swiped = false;
    if (this.photos.length < 2) {
      this.dialog.classList.add("ps-lb-one");
    }
    this.listen();
  }

  /* One entry per photo number, from its first figure (article before gallery). */
  Viewer.prototype.collect = function () {
    var byNumber = {};
    var numbers = [];
    var figures = this.root.querySelectorAll("figure.ps-photo[data-photo]");
    for (var i = 0; i < figures.length; i++) {
      var figure = figures[i];
      var number = parseInt(figure.getAttribute("data-photo"), 10);
      var link = figure.querySelector("a.ps-open");
      var img = figure.querySelector("img");
      if (!link || !img || isNaN(number) || byNumber[number]) {
        continue;
      }
      var webp = figure.querySelector('source[type="image/webp"]');
      byNumber[number] = {
        number: number,
        link: link,
        href: link.getAttribute("href"),
        width: parseInt(link.getAttribute("data-width"), 10) || img.width || 1,
        height: parseInt(link.getAttribute("data-height"), 10) || img.height || 1,
        srcset: img.getAttribute("srcset") || "",
        webp: webp ? webp.getAttribute("srcset") : "",
        alt: img.getAttribute("alt") || "",
        caption: text(figure.querySelector(".ps-caption")),
        credit: text(figure.querySelector(".ps-credit"))
      };
      numbers.push(number);
    }
    numbers.sort(function (a, b) { return a - b; });
    return numbers.map(function (n) { return byNumber[n]; });
  };

  Viewer.prototype.listen = function () {
    var self = this;
    this.root.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a.ps-open") : null;
      if (!link || !self.root.contains(link) || self.dialog.contains(link)) {
        return;
      }
      // Let the browser handle "open in a new tab" and the like.
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
          event.shiftKey || event.altKey) {
        return;
      }
      var figure = link.closest("figure.ps-photo");
      var index = self.indexOf(parseInt(figure.getAttribute("data-photo"), 10));
      if (index < 0) {
        return;
      }
      event.preventDefault();
      self.open(index, link);
    });
    this.dialog.querySelector(".ps-lb-prev").addEventListener("click", function () { self.step(-1); });
    this.dialog.querySelector(".ps-lb-next").addEventListener("click", function () { self.step(1); });
    this.closeButton.addEventListener("click", function () { self.dialog.close(); });
    this.dialog.addEventListener("close", function () { self.closed(); });
    this.dialog.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var rtl = getComputedStyle(self.dialog).direction === "rtl";
      var key = event.key;
      if (key === "Tab") {
        self.wrapFocus(event);
        return;
      }
      if (key === "ArrowRight" || key === "ArrowLeft") {
        self.step((key === "ArrowRight") !== rtl ? 1 : -1);
      } else if (key === "Home") {
        self.show(0);
      } else if (key === "End") {
        self.show(self.photos.length - 1);
      } else {
        return;
      }
      event.preventDefault();
    });
    // A click on the dark area around the photo closes, as on most viewers.
    this.dialog.addEventListener("click", function (event) {
      if (self.swiped) {
        self.swiped = false;
        return;
      }
      if (event.target === self.dialog || event.target === self.stage) {
        self.dialog.close();
      }
    });
    this.stage.addEventListener("pointerdown", function (event) {
      if (event.isPrimary && event.button === 0) {
        self.swipe = { x: event.clientX, y: event.clientY };
        self.swiped = false;
      }
    });
    this.stage.addEventListener("pointercancel", function () { self.swipe = null; });
    this.stage.addEventListener("pointerup", function (event) {
      var start = self.swipe;
      self.swipe = null;
      if (!start || !event.isPrimary) {
        return;
      }
      var dx = event.clientX - start.x;
      var dy = event.clientY - start.y;
      if (Math.abs(dx) >= SWIPE_MIN && Math.abs(dx) > 1.5 * Math.abs(dy)) {
        self.swiped = true;
        self.step(dx < 0 ? 1 : -1);
      }
    });
    this.stage.addEventListener("dragstart", function (event) { event.preventDefault(); });
    window.addEventListener("resize", function () {
      if (self.dialog.open) {
        self.fit();
      }
    });
    // Printing: lazy images below the fold would otherwise print as empty boxes.
    window.addEventListener("beforeprint", function () {
      var lazy = self.root.querySelectorAll('img[loading="lazy"]');
      for (var i = 0; i < lazy.length; i++) {
        lazy[i].loading = "eager";
      }
    });
  };

  /* A modal dialog lets Tab leave for the browser's own controls; keep it in the viewer. */
  Viewer.prototype.wrapFocus = function (event) {
    var candidates = this.dialog.querySelectorAll("button, [tabindex]");
    var focusable = [];
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].tabIndex >= 0 && candidates[i].getClientRects().length) {
        focusable.push(candidates[i]);
      }
    }
    if (!focusable.length) {
      return;
    }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var active = document.activeElement;
    if (event.shiftKey && (active === first || !this.dialog.contains(active))) {
      last.focus();
      event.preventDefault();
    } else if (!event.shiftKey && (active === last || !this.dialog.contains(active))) {
      first.focus();
      event.preventDefault();
    }
  };

  Viewer.prototype.indexOf = function (number) {
    for (var i = 0; i < this.photos.length; i++) {
      if (this.photos[i].number === number) {
        return i;
      }
    }
    return -1;
  };

  Viewer.prototype.hashFor = function (photo) {
    return "#" + this.prefix + "photo-" + photo.number;
  };

  Viewer.prototype.open = function (index, trigger) {
    if (!this.dialog.open) {
      this.trigger = trigger || null;
      this.urlBefore = location.href;
      this.dialog.showModal();
    }
    this.show(index);
    this.closeButton.focus();
  };

  Viewer.prototype.step = function (delta) {
    var count = this.photos.length;
    this.show((this.index + delta + count) % count);
  };

  Viewer.prototype.show = function (index) {
    var photo = this.photos[index];
    if (!photo) {
      return;
    }
    this.index = index;
    var img = document.createElement("img");
    img.alt = photo.alt;
    img.width = photo.width;
    img.height = photo.height;
    img.decoding = "async";
    var node = img;
    if (photo.webp) {
      node = document.createElement("picture");
      var source = document.createElement("source");
      source.type = "image/webp";
      node.appendChild(source);
      node.appendChild(img);
    }
    // Text first: the caption's height decides how much room the photo has.
    this.caption.textContent = photo.caption;
    this.credit.textContent = photo.credit || this.storyCredit;
    this.info.hidden = !(photo.caption || photo.credit || this.storyCredit);
    this.info.scrollTop = 0;
    this.counter.textContent = this.counterText
      .replace("{n}", String(index + 1))
      .replace("{total}", String(this.photos.length));
    // A long caption scrolls; keyboard users can then focus it to scroll it.
    if (this.info.scrollHeight > this.info.clientHeight) {
      this.info.tabIndex = 0;
    } else {
      this.info.removeAttribute("tabindex");
    }
    this.stage.replaceChildren(node);
    this.image = img;
    this.fit();
    // sizes is set by fit(); only now may the browser choose among the renditions.
    if (photo.webp) {
      node.firstChild.srcset = photo.webp;
    }
    img.srcset = photo.srcset;
    img.src = photo.href;
    this.dialog.setAttribute("data-ps-photo", String(photo.number));
    try {
      history.replaceState(history.state, "", this.hashFor(photo));
    } catch (e) {
      /* a sandboxed frame may refuse; the viewer works without the address */
    }
  };

  /* Size the photo to the stage, no more than twice its largest rendition, and tell the
     browser that width (sizes) so it fetches no more pixels than it shows. */
  Viewer.prototype.fit = function () {
    var photo = this.photos[this.index];
    var img = this.image;
    if (!photo || !img) {
      return;
    }
    var boxWidth = this.stage.clientWidth;
    var boxHeight = this.stage.clientHeight;
    var ratio = photo.width / photo.height;
    var width = Math.min(boxWidth, boxHeight * ratio, photo.width * 2);
    width = Math.max(1, Math.floor(width));
    var height = Math.max(1, Math.floor(width / ratio));
    img.style.width = width + "px";
    img.style.height = height + "px";
    var sizes = width + "px";
    img.sizes = sizes;
    var source = img.parentNode && img.parentNode.querySelector("source");
    if (source) {
      source.sizes = sizes;
    }
  };

  Viewer.prototype.closed = function () {
    this.dialog.removeAttribute("data-ps-photo");
    this.stage.replaceChildren();
    this.image = null;
    var photo = this.photos[this.index];
    try {
      var before = this.urlBefore || location.href;
      var hash = before.indexOf("#") >= 0 ? before.slice(before.indexOf("#")) : "";
      if (viewerForHash(hash)) {
        // Opened from a deep link: closing leaves the page's address without it.
        before = before.slice(0, before.indexOf("#"));
      }
      history.replaceState(history.state, "", before);
    } catch (e) {
      /* see show() */
    }
    var back = this.trigger || (photo && photo.link);
    this.trigger = null;
    this.urlBefore = null;
    if (back && back.isConnected) {
      back.focus();
    }
  };

  /* The viewer and photo index a location hash names, or null. */
  function viewerForHash(hash) {
    var id;
    try {
      id = decodeURIComponent((hash || "").replace(/^#/, ""));
    } catch (e) {
      return null;
    }
    var match = /^(.*)photo-(\d+)$/.exec(id);
    if (!match) {
      return null;
    }
    var number = parseInt(match[2], 10);
    var candidates = viewers.filter(function (v) { return v.prefix === match[1]; });
    if (!candidates.length && match[1] === "" && viewers.length) {
      candidates = [viewers[0]]; // #photo-N on a page of embedded stories: the first one
    }
    for (var i = 0; i < candidates.length; i++) {
      var index = candidates[i].indexOf(number);
      if (index >= 0) {
        return { viewer: candidates[i], index: index };
      }
    }
    return null;
  }

  function openFromHash() {
    var target = viewerForHash(location.hash);
    if (!target) {
      return;
    }
    if (target.viewer.dialog.open) {
      if (target.viewer.index !== target.index) {
        target.viewer.show(target.index);
      }
      return;
    }
    for (var i = 0; i < viewers.length; i++) {
      if (viewers[i].dialog.open) {
        return; // another story's viewer is showing
      }
    }
    target.viewer.open(target.index, null);
    if (document.readyState !== "complete") {
      // On load the browser scrolls to the #photo-N figure and, doing so, moves focus
      // out of the viewer (to the page): bring it back.
      window.addEventListener("load", function () {
        setTimeout(function () {
          var dialog = target.viewer.dialog;
          if (dialog.open && !dialog.contains(document.activeElement)) {
            target.viewer.closeButton.focus();
          }
        }, 0);
      }, { once: true });
    }
  }

  function init() {
    var roots = document.querySelectorAll(".photostory");
    var added = false;
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.hasAttribute("data-ps-ready") || !root.querySelector(".ps-lightbox") ||
          typeof root.querySelector(".ps-lightbox").showModal !== "function") {
        continue; // already running, or a browser without <dialog>: plain links remain
      }
      root.setAttribute("data-ps-ready", "");
      viewers.push(new Viewer(root));
      added = true;
    }
    if (added) {
      openFromHash();
    }
  }

  window.Photostory = { init: init };
  window.addEventListener("hashchange", openFromHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
