"""What the browser tests of the exported story share: the stories, the host pages, the
local web server and the measurements made in the page."""

from __future__ import annotations

import functools
import http.server
import io
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageChops, ImageDraw

from photostory.core.export.context import story_key
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.importing import import_photos
from photostory.core.story import Paragraph, PhotoGroup, Story
from photostory.core.storyfile import load_story
from photostory.resources import sample_story
from support import PROJECT_ROOT, unavailable

# The checkers from node_modules (npm ci): axe-core and the W3C Nu checker.
NODE_MODULES = PROJECT_ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def node_module(path: Path) -> Path:
    if not path.is_file():
        unavailable(f"{path.relative_to(PROJECT_ROOT)} is missing: run `npm ci` (make test does)")
    return path


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Belt and braces for "nothing but the local server": no name resolves.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

DEVICES = {
    "desktop": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
    # An iPhone 12-15's screen: 390x844 CSS px at 3 device pixels per px.
    "mobile": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
               "is_mobile": True, "has_touch": True},
}

#: The host page's CSS from the issue: what a careless site stylesheet does to a fragment.
HOSTILE_HOST_CSS = ("img { border: 8px solid red; width: 50px }\n"
                    "figure { margin: 0 }\n"
                    "* { box-sizing: content-box; font-size: 30px }\n")

LONG_WORD = "Электростанциясындағы" * 24  # one 504-character word, no break opportunity
HOSTILE_CAPTIONS = [
    "<script>window.__xss = 1</script>Президент завод цехтарын аралады 🏭",
    "\" onerror=\"window.__xss=1\" data-x=\" '><img src=x onerror=window.__xss=1>"
    " Шаршы алаң 🙂",
    "\u202eRTL override, never closed: gnp.exe — Фото с завода «Сарыарқа» 😀",
    ("Длинная подпись без единой возможности переноса в одном слове: " + LONG_WORD + " "
     + "Сөйлем жалғасады, ал бұл мәтін бір мың екі жүз таңбаға жетеді. " * 20)[:1200],
    "Қазақстан Республикасының Президенті зауытта 🇰🇿 — Президент Казахстана на заводе 👷‍♀️",
    "</figcaption></figure><script>window.__xss=1</script>{{ 7*7 }} javascript:window.__xss=1",
    "<img src=x onerror=\"window.__xss=1\"> Жұмысшылар автобус жинап жатыр 🚌",
    "<svg onload=window.__xss=1></svg> Цех по сборке автобусов, Сарань ✅",
]
HOSTILE_ALTS = [
    "Alt\" onerror=\"window.__xss=1", "Жұмысшылар 👷", "Ағаш 🌲 <b>bold</b>", "Панорама",
    "", "Автобус 🚌", "Цех", "Алаң",
]
HOSTILE_SIZES = [(2400, 1600), (1600, 2400), (1800, 1800), (2400, 1200),
                 (2400, 1600), (1200, 1600), (1600, 1067), (2000, 1500)]


def make_hostile_story(folder: Path) -> Story:
    """A Kazakh story whose texts try every way out of the template: markup, attribute
    breakouts, a right-to-left override, a 1,200-character caption with a 504-character
    word, Cyrillic with emoji; differing credits, so each figure carries its own."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (width, height) in enumerate(HOSTILE_SIZES):
        image = Image.new("RGB", (width, height), (30 + 25 * i, 90, 160 - 12 * i))
        draw = ImageDraw.Draw(image)
        for k in range(6):
            box = [width * k // 7, height * (k % 3) // 4, width * (k + 2) // 7, height * (k % 3 + 2) // 4]
            draw.ellipse(box, fill=((60 * k + 40 * i) % 255, (200 - 30 * k) % 255, (90 + 20 * i) % 255))
        path = folder / f"фото {i + 1}.jpg"
        image.save(path, quality=88)
        paths.append(path)
    photos = import_photos(paths, workers=1).photos
    story = Story(title="Тоқаев зауытқа барды 🚀 <script>window.__xss=1</script>",
                  byline="\"><img src=x onerror=window.__xss=1> Ақорда",
                  dateline="САРАН", published="2022-10-05", language="kk",
                  default_credit="akorda.kz")
    story.photos = photos
    for photo, caption, alt in zip(photos, HOSTILE_CAPTIONS, HOSTILE_ALTS):
        photo.caption, photo.alt = caption, alt
    photos[0].credit = "<b>Reuters</b> & \"AP\" \u202e"
    ids = [p.id for p in photos]
    story.body = [
        Paragraph("Мемлекет басшысы Сарань қаласындағы автобус зауытына барды <i>курсив</i> 😀."),
        PhotoGroup(ids[:1]),
        Paragraph("Глава государства посетил автобусный завод в Сарани. " * 4),
        PhotoGroup(ids[1:4]),
        Paragraph("Зауытта 400 адам жұмыс істейді. " * 6),
        PhotoGroup(ids[4:8]),
        Paragraph("Конец истории. Соңы."),
    ]
    return story


@dataclass
class Export:
    name: str
    folder: Path  # the export folder, served at /<name>/
    story: Story
    key: str

    def url(self, base: str, page: str = "index.html") -> str:
        return f"{base}/{self.name}/{page}"


@dataclass
class Site:
    root: Path
    exports: dict[str, Export] = field(default_factory=dict)


def host_page(embed: str, title: str, css: str = "", lang: str = "en", direction: str = "") -> str:
    """A minimal, valid host page around an embed fragment, as a CMS would write it
    (``direction="rtl"``: an Arabic or Hebrew site's page)."""
    style = f"<style>\n{css}</style>\n" if css else ""
    dir_attribute = f' dir="{direction}"' if direction else ""
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"{dir_attribute}>\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n{style}</head>\n<body>\n"
            "<main>\n" + embed + "\n</main>\n</body>\n</html>\n")


def rebase(embed: str, prefix: str) -> str:
    """The fragment's relative asset and image URLs, as seen from one folder up."""
    return re.sub(r'(?<=["\s])(images|assets)/', prefix + r"\1/", embed)


def build_site(root: Path, scratch: Path) -> Site:
    site = Site(root)
    stories = {
        "sample": (load_story(sample_story()), ExportOptions(workers=1)),
        "hostile": (make_hostile_story(scratch / "hostile-photos"), ExportOptions(workers=1)),
        "webp": (load_story(sample_story()), ExportOptions(workers=1, webp=True)),
    }
    for name, (story, options) in stories.items():
        folder = root / name
        export_story(story, folder, options)
        site.exports[name] = Export(name, folder, story, story_key(story))
        embed = (folder / "embed.html").read_text(encoding="utf-8")
        (folder / "host-plain.html").write_text(host_page(embed, "Host page"), encoding="utf-8")
        (folder / "host-hostile.html").write_text(
            host_page(embed, "Hostile host page", HOSTILE_HOST_CSS), encoding="utf-8")
        (folder / "host-rtl.html").write_text(
            host_page(embed, "صفحة مضيفة", lang="ar", direction="rtl"), encoding="utf-8")
    both = "\n".join(rebase((root / n / "embed.html").read_text(encoding="utf-8"), f"{n}/")
                     for n in ("sample", "hostile"))
    (root / "two-stories.html").write_text(host_page(both, "Two stories"), encoding="utf-8")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that drops a connection it no longer needs is not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalServer:
    """http.server on 127.0.0.1 (an OS-chosen port) in a thread."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def screenshot_difference(a: bytes, b: bytes) -> tuple[float, tuple | None]:
    """(share of pixels that differ, their bounding box) between two PNG screenshots."""
    with Image.open(io.BytesIO(a)) as first, Image.open(io.BytesIO(b)) as second:
        if first.size != second.size:
            return 1.0, (first.size, second.size)
        diff = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).convert("L")
        changed = sum(diff.point(lambda v: 255 if v > 16 else 0).histogram()[255:])
        return changed / (first.width * first.height), diff.getbbox()


class Watch:
    """What a page did: console errors, page errors, failed requests, requests elsewhere,
    and the images it downloaded."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.origin = urlsplit(base).netloc
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        self.images: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != self.origin:
            self.foreign.append(request.url)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")
        if response.request.resource_type == "image":
            self.images.append(response.url)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.failed == [], self.failed
        assert self.foreign == [], self.foreign


# -- scripts run in the page ------------------------------------------------------------

#: Installed before any page script: the layout shifts a reader would feel (CLS).
CLS_INIT = """
window.__cls = 0;
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.__cls += entry.value;
      window.__shifts.push({value: entry.value, at: entry.startTime,
        sources: (entry.sources || []).map(s => s.node ? (s.node.className || s.node.nodeName) : '?')});
    }
  }
}).observe({type: 'layout-shift', buffered: true});
"""

SCROLL_TO_BOTTOM = """
async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)));
  const step = Math.max(200, Math.floor(innerHeight * 0.8));
  for (let y = 0; y < document.scrollingElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await frame();
  }
  window.scrollTo(0, document.scrollingElement.scrollHeight);
  await frame();
  await Promise.all([...document.images].map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done, {once: true});
    img.addEventListener('error', done, {once: true});
  })));
  // decoding="async": loaded is not yet drawn; wait for the pixels too.
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await new Promise(r => setTimeout(r, 300));
}
"""

#: Every image element showing a picture: what it shows, at what size.
SHOWN_IMAGES = """
() => [...document.images].filter(img => img.currentSrc && img.complete).map(img => {
  const box = img.getBoundingClientRect();
  const style = getComputedStyle(img);
  const shown = box.width - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth)
    - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {src: img.currentSrc, natural: img.naturalWidth, shown: shown, dpr: devicePixelRatio,
          visible: box.width > 0 && style.visibility !== 'hidden'};
})
"""

TRANSFERRED = """
() => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  return entries.map(e => ({name: e.name, bytes: e.transferSize, type: e.initiatorType}));
}
"""

OVERFLOW = """
() => ({scrollWidth: document.scrollingElement.scrollWidth, innerWidth: innerWidth,
        bodyScrollWidth: document.body.scrollWidth})
"""

DIALOG_STATE = """
(root) => {
  const dialog = root.querySelector('.ps-lightbox');
  const img = dialog.querySelector('.ps-lb-stage img');
  const active = document.activeElement;
  return {
    open: dialog.open,
    counter: dialog.querySelector('.ps-lb-counter').textContent,
    caption: dialog.querySelector('.ps-lb-caption').textContent,
    credit: dialog.querySelector('.ps-lb-credit').textContent,
    alt: img ? img.alt : null,
    src: img ? img.currentSrc || img.src : null,
    focusInside: dialog.contains(active),
    hash: location.hash,
    historyLength: history.length,
  };
}
"""
