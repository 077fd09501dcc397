"""Screenshots of the sample story for the README and for a person's eye: desktop, phone,
and the lightbox open (256-colour PNGs, so the repository stays small).

Every run takes them; they replace docs/screenshots/ only with PHOTOSTORY_UPDATE_SCREENSHOTS=1,
so a test run never leaves the checkout modified (fonts differ between machines)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from reader_support import SCROLL_TO_BOTTOM
from support import PROJECT_ROOT, photo_shown_in

SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
VIEWER_READY = ("(() => { const i = document.querySelector('.ps-lb-stage img');"
                " return i && i.complete && i.naturalWidth > 0; })()")
# Loaded is not yet painted: decoded, then two frames drawn, before the screenshot.
VIEWER_PAINTED = ("document.querySelector('.ps-lb-stage img').decode().then(() => new Promise("
                  "r => requestAnimationFrame(() => requestAnimationFrame(r))))")


def save_screenshot(png: bytes, path: Path) -> None:
    """Write a screenshot as an optimised 256-colour PNG (a third of the size)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(io.BytesIO(png)) as image:
        paletted = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT,
                                                 dither=Image.Dither.FLOYDSTEINBERG)
        paletted.save(path, "PNG", optimize=True)


def photo_box(page, selector: str) -> tuple[int, int, int, int]:
    """The drawn box of the first element matching ``selector``, in CSS pixels of the
    page (scrolled to the top), inset by a pixel against anti-aliased edges."""
    box = page.locator(selector).first.bounding_box()
    assert box and box["width"] > 40 and box["height"] > 40, (selector, box)
    return (int(box["x"]) + 1, int(box["y"]) + 1,
            int(box["x"] + box["width"]) - 1, int(box["y"] + box["height"]) - 1)


def shows_photo(png: bytes, box: tuple[int, int, int, int]) -> str:
    with Image.open(io.BytesIO(png)) as image:
        return photo_shown_in(image, box)


def settle(page) -> None:
    page.evaluate(SCROLL_TO_BOTTOM)  # every lazy image loaded
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")


def test_screenshots_desktop_mobile_and_lightbox(open_page, site, server, tmp_path):
    url = site.exports["sample"].url(server.base)
    shots = []

    # Each page is checked before its capture: a full-page capture resizes the view, which
    # may cancel image requests that the page itself would have completed.
    # Each capture must show a photo where the page draws one (the story's first photo,
    # or the viewer's): a blank or unpainted capture is caught.
    page, watch = open_page(url, "desktop")
    settle(page)
    watch.assert_clean()
    shots.append(("reader-desktop.png", page.screenshot(full_page=True),
                  photo_box(page, ".ps-body img")))

    page, watch = open_page(url, "mobile")
    settle(page)
    watch.assert_clean()
    # One image pixel per CSS pixel: the layout a 390 px phone shows, at a sane file size.
    shots.append(("reader-mobile.png", page.screenshot(full_page=True, scale="css"),
                  photo_box(page, ".ps-body img")))

    page, watch = open_page(url + "#photo-2", "desktop")
    page.wait_for_function(VIEWER_READY)
    page.evaluate(VIEWER_PAINTED)
    watch.assert_clean()
    shots.append(("reader-lightbox.png", page.screenshot(), photo_box(page, ".ps-lb-stage img")))

    page, watch = open_page(url + "#photo-2", "mobile")
    page.wait_for_function(VIEWER_READY)
    page.evaluate(VIEWER_PAINTED)
    watch.assert_clean()
    shots.append(("reader-lightbox-mobile.png", page.screenshot(scale="css"),
                  photo_box(page, ".ps-lb-stage img")))

    folder = SCREENSHOTS if os.environ.get("PHOTOSTORY_UPDATE_SCREENSHOTS") else tmp_path
    for name, png, box in shots:
        assert shows_photo(png, box) == "", name
        save_screenshot(png, folder / name)
        assert (folder / name).stat().st_size > 10_000


def test_a_blank_capture_fails_the_screenshot_check(open_page, site, server):
    """The check above, proven: the same box of the same page with its images hidden."""
    page, _ = open_page(site.exports["sample"].url(server.base), "desktop")
    settle(page)
    box = photo_box(page, ".ps-body img")
    page.add_style_tag(content=".photostory img { visibility: hidden }")
    assert "no photo there" in shows_photo(page.screenshot(full_page=True), box)
