"""Hostile captions stay text; the embed survives a careless host stylesheet; two embedded
stories on one page work independently."""

from __future__ import annotations

import pytest

from reader_support import (DEVICES, DIALOG_STATE, HOSTILE_CAPTIONS, OVERFLOW, SCROLL_TO_BOTTOM,
                            screenshot_difference)
from test_reader_screenshots import save_screenshot

#: What the page shows of each photo, by photo number, from every figure that shows it.
TEXTS = """() => [...document.querySelectorAll('figure.ps-photo')].map(f => ({
    number: +f.dataset.photo,
    caption: f.querySelector('.ps-caption') ? f.querySelector('.ps-caption').textContent : '',
    captionElements: f.querySelector('figcaption') ? f.querySelector('figcaption').querySelectorAll('*').length : 0,
    credit: f.querySelector('.ps-credit') ? f.querySelector('.ps-credit').textContent : '',
    alt: f.querySelector('img').getAttribute('alt'),
    label: f.querySelector('a').getAttribute('aria-label'),
    captionWidth: f.querySelector('figcaption') ? f.querySelector('figcaption').scrollWidth : 0,
    figureWidth: f.getBoundingClientRect().width,
}))"""

#: Is the text of ``selector`` laid out left to right (its first character left of its last)?
LEFT_TO_RIGHT = """(selector) => {
    const node = document.querySelector(selector).firstChild;
    const range = document.createRange();
    const box = (i) => { range.setStart(node, i); range.setEnd(node, i + 1); return range.getBoundingClientRect(); };
    return box(0).left < box(node.length - 1).left;
}"""


@pytest.mark.parametrize("page_name", ["index.html", "host-plain.html"])
@pytest.mark.parametrize("device", DEVICES)
def test_hostile_captions_are_literal_text_and_run_nothing(open_page, site, server, device, page_name):
    export = site.exports["hostile"]
    story = export.story
    page, watch = open_page(export.url(server.base, page_name), device)
    page.evaluate(SCROLL_TO_BOTTOM)
    shown = page.evaluate(TEXTS)
    assert {f["number"] for f in shown} == set(range(1, len(story.photos) + 1))
    for figure in shown:
        photo = story.photos[figure["number"] - 1]
        assert figure["caption"] == photo.caption.strip()
        assert figure["captionElements"] == 2  # the caption and credit spans, nothing else
        assert figure["credit"] == story.credit_line(story.effective_credit(photo))
        assert figure["alt"] == photo.alt.strip()
        assert figure["captionWidth"] <= figure["figureWidth"] + 0.5  # long words wrap
        if not photo.alt:  # an empty alt: the link still says what it does
            assert figure["label"] == f"{figure['number']}-фотоны ашу"
    assert page.locator(".ps-title").text_content() == story.title
    assert page.locator(".ps-byline").text_content() == story.byline
    # The right-to-left override in caption 3 does not reverse the credit after it.
    assert page.evaluate(LEFT_TO_RIGHT, f"#{export.key + '-' if 'host' in page_name else ''}photo-3 .ps-credit")
    overflow = page.evaluate(OVERFLOW)
    assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow

    # Every caption once more in the viewer, which copies them by script.
    page.locator(".ps-open").first.click()
    for number, caption in enumerate(HOSTILE_CAPTIONS, 1):
        page.wait_for_function(f"document.querySelector('.ps-lightbox').dataset.psPhoto === '{number}'")
        viewer = page.evaluate(f"({DIALOG_STATE})(document.querySelector('.photostory'))")
        assert viewer["caption"] == caption.strip()
        assert viewer["alt"] == story.photos[number - 1].alt.strip()
        assert page.evaluate("document.querySelector('.ps-lb-text').querySelectorAll('*').length") == 2
        info = page.evaluate("""() => { const i = document.querySelector('.ps-lb-info');
                                return {scroll: i.scrollWidth, client: i.clientWidth}; }""")
        assert info["scroll"] <= info["client"], info  # the 504-character word wraps here too
        overflow = page.evaluate(OVERFLOW)
        assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow
        page.keyboard.press("ArrowRight")
    assert page.evaluate("typeof window.__xss") == "undefined"
    watch.assert_clean()  # an <img src=x> that ran would have asked for /x


def test_the_xss_probe_does_detect_a_script(open_page, site, server):
    """Control for the test above: the same probe on a page whose markup does run it."""
    (site.root / "probe-control.html").write_text(
        "<!DOCTYPE html><title>probe</title><script>window.__xss = 1</script>", encoding="utf-8")
    page, _ = open_page(f"{server.base}/probe-control.html")
    assert page.evaluate("typeof window.__xss") == "number"


def test_the_cls_probe_does_detect_a_shift(open_page, site, server):
    """Control for the layout-shift test: a page that moves its text after loading."""
    (site.root / "shift-control.html").write_text(
        "<!DOCTYPE html><title>shift</title><div id=s></div><p>Some text that moves.</p>"
        "<script>setTimeout(() => { document.getElementById('s').style.height = '200px'; }, 200)"
        "</script>", encoding="utf-8")
    page, _ = open_page(f"{server.base}/shift-control.html")
    page.wait_for_timeout(600)
    assert page.evaluate("window.__cls") > 0.01


LAYOUT = """() => ({
    story: document.querySelector('.photostory').getBoundingClientRect().width,
    title: getComputedStyle(document.querySelector('.ps-title')).fontSize,
    text: getComputedStyle(document.querySelector('.ps-text')).fontSize,
    caption: getComputedStyle(document.querySelector('figcaption')).fontSize,
    images: [...document.querySelectorAll('.photostory img')].map(i => {
        const r = i.getBoundingClientRect();
        const s = getComputedStyle(i);
        return [Math.round(r.width), Math.round(r.height), s.borderTopWidth, s.boxSizing];
    }),
    figures: [...document.querySelectorAll('.photostory figure')].map(f => Math.round(f.getBoundingClientRect().width)),
})"""


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("story", ["sample", "hostile"])
def test_embed_in_a_hostile_host_page_lays_out_as_designed(open_page, site, server, story, device,
                                                           tmp_path):
    """Host CSS: img { border: 8px solid red; width: 50px } figure { margin: 0 }
    * { box-sizing: content-box; font-size: 30px }. The story must look as exported."""
    export = site.exports[story]
    plain, _ = open_page(export.url(server.base), device)
    designed = plain.evaluate(LAYOUT)
    hosted, watch = open_page(export.url(server.base, "host-hostile.html"), device)
    got = hosted.evaluate(LAYOUT)
    assert got == designed
    assert all(width > 100 for width, _, border, _ in got["images"] if border == "0px")
    assert {border for _, _, border, _ in got["images"]} == {"0px"}
    # And by eye, or rather pixel by pixel: the hosted story looks exactly as exported.
    for page in (plain, hosted):
        page.evaluate(SCROLL_TO_BOTTOM)
        page.evaluate("window.scrollTo(0, 0)")
    watch.assert_clean()  # (a full-page capture may cancel image requests: checked before)
    shots = [page.screenshot(full_page=True, scale="css") for page in (plain, hosted)]
    save_screenshot(shots[1], tmp_path / "hostile-host.png")
    share, where = screenshot_difference(*shots)
    if share:
        save_screenshot(shots[0], tmp_path / "plain.png")
    # Identical when the machine is quiet; a slow image decode may leave a few pixels behind.
    assert share <= 0.001, f"{share:.2%} of the page differs at {where}: see {tmp_path}"


def test_two_embedded_stories_work_independently(browser, server, site):
    sample, hostile = site.exports["sample"], site.exports["hostile"]
    context = browser.new_context(**DEVICES["desktop"])
    context.add_init_script("window.__before = new Set(Object.getOwnPropertyNames(window));")
    try:
        page = context.new_page()
        page.goto(f"{server.base}/two-stories.html", wait_until="load")
        roots = "document.querySelectorAll('.photostory')"
        first, second = f"{roots}[0]", f"{roots}[1]"
        # Both initialised once, although the script was loaded twice; one global.
        assert page.evaluate(f"[...{roots}].map(r => r.hasAttribute('data-ps-ready'))") == [True, True]
        added = page.evaluate("Object.getOwnPropertyNames(window).filter(n => !window.__before.has(n))")
        assert sorted(added) == ["Photostory", "__before"]
        ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
        assert len(ids) == len(set(ids))

        # A click in the second story opens the second story's viewer, in its language.
        page.locator(".photostory").nth(1).locator(".ps-open").nth(2).click()
        one = page.evaluate(f"({DIALOG_STATE})({first})")
        two = page.evaluate(f"({DIALOG_STATE})({second})")
        assert not one["open"] and two["open"] and two["focusInside"]
        assert two["counter"] == f"3-фото, барлығы {len(hostile.story.photos)}"
        assert two["hash"] == f"#{hostile.key}-photo-3"
        page.keyboard.press("ArrowRight")
        assert page.evaluate(f"({DIALOG_STATE})({second})")["counter"].startswith("4-фото")
        page.keyboard.press("Escape")
        page.wait_for_function(f"!{second}.querySelector('.ps-lightbox').hasAttribute('data-ps-photo')")
        assert page.evaluate("location.hash") == ""

        # #photo-N goes to the first story; the prefixed id to its own story.
        page.evaluate("location.hash = '#photo-2'")
        page.wait_for_function(f"{first}.querySelector('.ps-lightbox').open")
        assert page.evaluate(f"({DIALOG_STATE})({first})")["counter"] == f"2 of {len(sample.story.photos)}"
        assert not page.evaluate(f"({DIALOG_STATE})({second})")["open"]
        page.keyboard.press("Escape")
        page.wait_for_function(f"!{first}.querySelector('.ps-lightbox').hasAttribute('data-ps-photo')")
        page.evaluate(f"location.hash = '#{hostile.key}-photo-5'")
        page.wait_for_function(f"{second}.querySelector('.ps-lightbox').open")
        assert page.evaluate(f"({DIALOG_STATE})({second})")["counter"].startswith("5-фото")
        assert not page.evaluate(f"({DIALOG_STATE})({first})")["open"]
    finally:
        context.close()
