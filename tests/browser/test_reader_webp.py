"""The optional WebP renditions: off by default; when on, offered through <picture> before
the JPEGs, used by the browser, listed in story.json, and carried over by re-exports."""

from __future__ import annotations

import json

from htmlcheck import Page
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.storyfile import load_story
from photostory.resources import sample_story
from reader_support import SCROLL_TO_BOTTOM, SHOWN_IMAGES


def test_webp_is_off_by_default(site):
    assert ExportOptions().webp is False
    assert ExportOptions().rendition_settings() == "w=480,960,1600;q=82;v=1"  # old exports stay valid
    folder = site.exports["sample"].folder
    assert not list((folder / "images").glob("*.webp"))
    page = Page((folder / "index.html").read_text(encoding="utf-8"))
    assert not page.find("picture") and not page.find("source")


def test_webp_renditions_go_in_picture_before_the_jpegs(site):
    folder = site.exports["webp"].folder
    page = Page((folder / "index.html").read_text(encoding="utf-8"))
    pictures, images = page.find("picture"), page.find("img")
    assert len(pictures) == len(images) == len(page.find("source"))
    for source, img in zip(page.find("source"), images):
        assert source.attrs["type"] == "image/webp"
        assert source.attrs["sizes"] == img.attrs["sizes"]
        assert [u.rsplit("-", 1)[1].split(".")[0] for u in source.attrs["srcset"].split(", ")] == \
               [u.rsplit("-", 1)[1].split(".")[0] for u in img.attrs["srcset"].split(", ")]
        for candidate in source.attrs["srcset"].split(", "):
            url = candidate.split(" ")[0]
            assert url.endswith(".webp") and (folder / url).read_bytes()[8:12] == b"WEBP"
        assert img.attrs["src"].endswith(".jpg")  # the fallback stays JPEG
    manifest = json.loads((folder / "story.json").read_text(encoding="utf-8"))
    types = {r["type"] for p in manifest["photos"] for r in p["renditions"]}
    assert types == {"image/jpeg", "image/webp"}


def test_the_browser_uses_the_webp_renditions(open_page, site, server):
    page, watch = open_page(site.exports["webp"].url(server.base), "mobile")
    page.evaluate(SCROLL_TO_BOTTOM)
    shown = page.evaluate(SHOWN_IMAGES)
    assert shown and all(img["src"].endswith(".webp") for img in shown)
    assert all(img["natural"] <= 2 * img["shown"] * img["dpr"] for img in shown)
    page.locator(".ps-open").first.tap()
    page.wait_for_function("(() => { const i = document.querySelector('.ps-lb-stage img');"
                           " return i && i.complete && i.naturalWidth > 0; })()")
    assert page.evaluate("document.querySelector('.ps-lb-stage img').currentSrc").endswith(".webp")
    watch.assert_clean()


def test_reexport_adds_then_reuses_webp_renditions(tmp_path):
    story = load_story(sample_story())
    out = tmp_path / "out"
    export_story(story, out, ExportOptions(workers=1))
    report = export_story(story, out, ExportOptions(workers=1, webp=True))
    assert report.rendered == len(story.photos)  # a new setting: rendered again
    webps = sorted(p.name for p in (out / "images").glob("*.webp"))
    assert webps and len(webps) == len(list((out / "images").glob("*.jpg")))
    report = export_story(story, out, ExportOptions(workers=1, webp=True))
    assert report.reused == len(story.photos) and report.rendered == 0
    assert sorted(p.name for p in (out / "images").glob("*.webp")) == webps
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('type="image/webp"') == html.count("<img ")
    report = export_story(story, out, ExportOptions(workers=1))
    assert not list((out / "images").glob("*.webp"))
