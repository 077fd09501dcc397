"""The fragment pasted into a page on another origin: an export with a base URL, served
from one server (port A, at the base URL's path), included by a host page on a second
server (port B) with an aggressive global stylesheet. It must render as exported, its
lightbox must work, and nothing may fail or log an error. The same runs against what
``publish`` put in a ``file://`` destination, served over HTTP.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from reader_support import (DEVICES, DIALOG_STATE, SCROLL_TO_BOTTOM,
                            LocalServer, Watch, host_page, screenshot_difference)
from test_reader_embed import LAYOUT
from test_reader_screenshots import SCREENSHOTS, save_screenshot
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.publish import parse_destination, publish
from photostory.core.storyfile import load_story
from photostory.resources import sample_story

STORY_PATH = "stories/saran-2022/"
#: What a careless or hostile CMS stylesheet does to everything on its page.
AGGRESSIVE_CSS = """* { all: revert; box-sizing: content-box; font: italic 30px/3 "Comic Sans MS", cursive;
    color: #c00; letter-spacing: 3px; text-transform: uppercase; }
html, body { background: #ffe; }
img { width: 20px; height: 20px; border: 6px dashed red; padding: 4px; max-width: none;
      object-fit: fill; float: left; opacity: 0.5; }
figure { margin: 40px; padding: 20px; display: inline; }
figcaption, p, h1, h2 { display: inline; margin: 50px; }
a { display: inline-block; padding: 10px; }
div, article, section { display: inline; margin: 30px; padding: 30px; float: right; }
dialog { display: block; position: static; }
button { width: 10px; height: 10px; }
"""


class TwoOrigins(Watch):
    """Watch that allows the export's own origin besides the host page's."""

    def __init__(self, page, host: str, export: str) -> None:
        super().__init__(page, host)
        self.allowed = {urlsplit(host).netloc, urlsplit(export).netloc}

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc not in self.allowed:
            self.foreign.append(request.url)


@pytest.fixture(scope="module")
def origins(tmp_path_factory):
    """{"export": (server A, export folder), "published": (server A', published folder)},
    and server B with a host page per kind, including that kind's embed.html."""
    root = tmp_path_factory.mktemp("origins")
    servers = []
    made = {}
    for kind in ("export", "published"):
        served = root / kind
        served.mkdir()
        server = LocalServer(served)
        servers.append(server)
        story = load_story(sample_story())
        story.base_url = f"{server.base}/{STORY_PATH}"
        if kind == "export":
            folder = served / STORY_PATH
            export_story(story, folder, ExportOptions(workers=1))
        else:
            folder = served / STORY_PATH
            folder.mkdir(parents=True)
            staging = root / "export-for-publish"
            export_story(story, staging, ExportOptions(workers=1))
            publish(staging, parse_destination(folder.as_uri()),
                    public_url=story.base_url + "index.html")
        made[kind] = (server, folder)
    hosts = root / "host"
    hosts.mkdir()
    for kind, (server, folder) in made.items():
        embed = (folder / "embed.html").read_text(encoding="utf-8")
        # The CMS's own text around the fragment, so a screenshot shows whose page it is.
        port = server.base.rsplit(":", 1)[1]
        around = ("<h2>Newsroom CMS page</h2>\n<p>This page is on another origin; the story "
                  f"below comes from port {port}.</p>\n")
        (hosts / f"{kind}.html").write_text(
            host_page(around + embed, "Newsroom CMS page", AGGRESSIVE_CSS), encoding="utf-8")
    host = LocalServer(hosts)
    servers.append(host)
    yield made, host
    for server in servers:
        server.close()


def open_in(browser, url: str, host: str, export: str, device: str):
    context = browser.new_context(**DEVICES[device], service_workers="block")
    page = context.new_page()
    watch = TwoOrigins(page, host, export)
    page.goto(url, wait_until="load")
    return context, page, watch


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", ["export", "published"])
def test_fragment_on_another_origin_renders_as_designed_and_its_lightbox_works(
        browser, origins, kind, device, tmp_path):
    made, host = origins
    server, _ = made[kind]
    export_base = f"{server.base}/{STORY_PATH}"
    contexts = []
    try:
        context, plain, _ = open_in(browser, export_base + "index.html", server.base,
                                    server.base, device)
        contexts.append(context)
        context, hosted, watch = open_in(browser, f"{host.base}/{kind}.html", host.base,
                                         server.base, device)
        contexts.append(context)
        assert urlsplit(host.base).netloc != urlsplit(server.base).netloc  # another origin
        designed, got = plain.evaluate(LAYOUT), hosted.evaluate(LAYOUT)
        assert got == designed
        assert got["images"] and all(width > 100 and height > 50 and border == "0px"
                                     for width, height, border, _ in got["images"])
        # Every photo comes from the export's origin, under the base URL.
        hosted.evaluate(SCROLL_TO_BOTTOM)
        assert watch.images and all(url.startswith(export_base + "images/") for url in watch.images)
        shown = hosted.evaluate("[...document.querySelectorAll('.photostory img')]"
                                ".map(i => i.complete && i.naturalWidth > 0 && i.checkVisibility())")
        assert shown and all(shown)

        plain.evaluate(SCROLL_TO_BOTTOM)
        for page in (plain, hosted):
            page.evaluate("window.scrollTo(0, 0)")
        shots = [page.locator(".photostory").screenshot(scale="css") for page in (plain, hosted)]
        share, where = screenshot_difference(*shots)
        if share:
            for name, shot in zip(("plain", "hosted"), shots):
                save_screenshot(shot, tmp_path / f"{name}-{kind}-{device}.png")
        if device == "desktop" and kind == "published":
            folder = SCREENSHOTS if os.environ.get("PHOTOSTORY_UPDATE_SCREENSHOTS") else tmp_path
            hosted.evaluate("window.scrollTo(0, 0)")  # the host's own text, then the story
            save_screenshot(hosted.screenshot(clip={"x": 0, "y": 0, "width": 1366, "height": 1100},
                                              full_page=True), folder / "embed-other-origin.png")
        # Pixel by pixel, the story looks as on its own page (the host's page around it
        # aside), before the viewer has been opened (it moves focus and caches larger photos).
        assert share <= 0.001, f"{share:.2%} of the page differs at {where}"

        # The lightbox: opens on the first photo, moves on, closes again.
        hosted.evaluate("window.scrollTo(0, 0)")
        hosted.locator(".photostory .ps-open").first.click()
        hosted.wait_for_function("document.querySelector('.ps-lightbox').open && "
                                 "document.querySelector('.ps-lb-stage img') && "
                                 "document.querySelector('.ps-lb-stage img').complete && "
                                 "document.querySelector('.ps-lb-stage img').naturalWidth > 0")
        state = hosted.evaluate(f"({DIALOG_STATE})(document.querySelector('.photostory'))")
        assert state["open"] and state["focusInside"] and state["src"].startswith(export_base)
        box = hosted.locator(".ps-lb-stage img").bounding_box()
        viewport = DEVICES[device]["viewport"]
        assert box and box["width"] > viewport["width"] * 0.5  # the photo fills the viewer
        if device == "desktop" and kind == "published":
            save_screenshot(hosted.screenshot(), tmp_path / "lightbox.png")
        hosted.keyboard.press("ArrowRight")
        hosted.wait_for_function("document.querySelector('.ps-lightbox').dataset.psPhoto === '2'")
        hosted.keyboard.press("Escape")
        hosted.wait_for_function("!document.querySelector('.ps-lightbox').open")

        watch.assert_clean()  # 0 failed requests, 0 console errors, nothing elsewhere
    finally:
        for context in contexts:
            context.close()


def test_the_check_sees_a_fragment_without_a_base_url_break(browser, origins, tmp_path):
    """Control: the relative fragment (no base URL) on the other origin loses its
    stylesheet, script and photos, and the checks above notice."""
    made, _ = origins
    server, folder = made["export"]
    story = load_story(sample_story())
    relative = tmp_path / "relative"
    export_story(story, relative, ExportOptions(workers=1))
    embed = (relative / "embed.html").read_text(encoding="utf-8")
    page_file = folder.parent.parent / "relative-host.html"  # server A's top folder
    page_file.write_text(host_page(embed, "Broken", AGGRESSIVE_CSS), encoding="utf-8")
    context, page, watch = open_in(browser, f"{server.base}/relative-host.html", server.base,
                                   server.base, "desktop")
    try:
        page.evaluate(SCROLL_TO_BOTTOM)
        assert watch.failed  # assets/ and images/ are not at the host page's address
        widths = page.evaluate(LAYOUT)["images"]
        assert widths and all(width < 50 for width, *_ in widths)  # the host's img rule wins
    finally:
        context.close()


def test_pages_with_social_cards_and_json_ld_pass_the_nu_html_checker(origins):
    """The head a base URL adds (Open Graph's property attributes, the JSON-LD script)
    is valid HTML."""
    import json
    import subprocess

    from reader_support import VNU, node_module
    from support import require_tool

    java = require_tool("java")
    made, _ = origins
    pages = [str(folder / "index.html") for _, folder in made.values()]
    assert all('property="og:image"' in Path(p).read_text(encoding="utf-8") for p in pages)
    run = subprocess.run([java, "-jar", str(node_module(VNU)), "--format", "json",
                          "--exit-zero-always", *pages], capture_output=True, text=True,
                         timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []
