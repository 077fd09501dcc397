"""A story in three language versions (kk source, ru, en) in Chromium: the kk and ru pages
and the top page are valid and accessible, the language switcher and the viewer work by
keyboard, and the viewer speaks the page's language."""

from __future__ import annotations

import json
import subprocess

import pytest

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.story import Translation, copy_body
from photostory.core.storyfile import load_story
from photostory.resources import sample_story
from reader_support import DIALOG_STATE
from support import require_tool
from reader_support import AXE, VNU, node_module

ROOT = "document.querySelector('.photostory')"
VIEWER = {"kk": (["Жабу", "Алдыңғы фото", "Келесі фото"], "{n}-фото, барлығы {total}"),
          "ru": (["Закрыть", "Предыдущее фото", "Следующее фото"], "{n} из {total}")}
NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


@pytest.fixture(scope="module")
def versions(site):
    """The sample story as a Kazakh story with Russian and English versions, exported
    beside the other stories; its photo count."""
    story = load_story(sample_story())
    story.language, story.title = "kk", "Қала туралы фотоәңгіме"
    for n, photo in enumerate(story.photos, 1):
        photo.caption, photo.alt = f"Қала көшесі, {n}-сурет", f"Көше мен ғимараттар, {n}"
    for tag, title, caption, alt in (("ru", "Фоторассказ о городе", "Улица города, снимок {n}",
                                      "Улица и здания, {n}"),
                                     ("en", "A photo story of the city", "A city street, photo {n}",
                                      "A street and buildings, {n}")):
        story.translations.append(Translation(
            language=tag, title=title, body=copy_body(story.body),
            captions={p.id: caption.format(n=n) for n, p in enumerate(story.photos, 1)},
            alts={p.id: alt.format(n=n) for n, p in enumerate(story.photos, 1)}))
    export_story(story, site.root / "versions", ExportOptions(workers=1))
    return len(story.photos)


def url(server, path: str) -> str:
    return f"{server.base}/versions/{path}"


def test_nu_checker_finds_no_errors_on_version_pages_and_the_top_page(site, versions):
    java = require_tool("java")
    folder = site.root / "versions"
    pages = [str(folder / p) for p in ("index.html", "kk/index.html", "ru/index.html", "en/index.html")]
    run = subprocess.run([java, "-jar", str(node_module(VNU)), "--format", "json",
                          "--exit-zero-always", *pages], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert {m["url"].removeprefix("file:") for m in messages} <= set(pages)
    assert [m for m in messages if m.get("type") == "error"] == []


@pytest.mark.parametrize("path", ["kk/index.html", "ru/index.html", "index.html"])
def test_axe_finds_no_violations(open_page, server, versions, path):
    page, watch = open_page(url(server, path))
    page.add_script_tag(content=node_module(AXE).read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    assert [f"{v['id']}: {v['help']}" for v in found] == []
    if path != "index.html":
        page.locator(".ps-open").first.click()
        page.wait_for_function("document.querySelector('.ps-lightbox').open")
        found = page.evaluate("async () => (await axe.run(document)).violations")
        assert [f"{v['id']}: {v['help']}" for v in found] == []
    watch.assert_clean()


@pytest.mark.parametrize(("start", "target"), [("ru", "kk"), ("kk", "ru")])
def test_the_switcher_is_reached_by_tab_and_enter_opens_the_other_version(open_page, server,
                                                                       versions, start, target):
    page, watch = open_page(url(server, f"{start}/index.html"))
    assert page.evaluate("document.documentElement.lang") == start
    for _ in range(3):  # the switcher's links come first, in versions' order
        page.keyboard.press("Tab")
        focused = page.evaluate("""(() => { const a = document.activeElement;
            return {lang: a.lang, hreflang: a.hreflang, text: a.textContent,
                    current: a.getAttribute('aria-current')}; })()""")
        if focused["lang"] == target:
            break
    assert focused == {"lang": target, "hreflang": target, "text": NAMES[target], "current": None}
    # Leaving while photos still load aborts them, which the request watch would count.
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == url(server, f"{target}/index.html")
    assert page.evaluate("document.documentElement.lang") == target
    current = page.locator(".ps-languages [aria-current='page']")
    assert current.count() == 1 and current.get_attribute("lang") == target
    watch.assert_clean()


@pytest.mark.parametrize("tag", ["kk", "ru"])
def test_the_viewer_works_by_keyboard_with_labels_in_the_page_language(open_page, server,
                                                                      versions, tag):
    labels, counter = VIEWER[tag]
    page, watch = open_page(url(server, f"{tag}/index.html"))
    for _ in range(4):  # past the three versions' links to the first photo
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ps-open')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{ROOT}.querySelector('.ps-lightbox').open")
    state = page.evaluate(f"({DIALOG_STATE})({ROOT})")
    assert state["focusInside"] and state["counter"] == counter.format(n=1, total=versions)
    assert page.evaluate(f"""[...{ROOT}.querySelectorAll('.ps-lightbox button')]
                             .map(b => b.getAttribute('aria-label'))""") == labels
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"({DIALOG_STATE})({ROOT})")["counter"] == counter.format(n=2, total=versions)
    page.keyboard.press("Escape")
    page.wait_for_function(f"!{ROOT}.querySelector('.ps-lightbox').open")
    assert page.evaluate("document.activeElement.classList.contains('ps-open')")
    watch.assert_clean()
