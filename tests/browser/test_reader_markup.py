"""The reader's markup without a browser: the viewer's words in the story's language, the
embed's shape, and the geometry behind ``sizes``."""

from __future__ import annotations

import pytest

from htmlcheck import Page
from photostory.core.export.context import grid_rows, row_sizes
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.storyfile import load_story
from photostory.resources import sample_story

VIEWER_WORDS = {
    "en": ("Photo viewer", ["Close", "Previous photo", "Next photo"], "{n} of {total}"),
    "ru": ("Просмотр фотографий", ["Закрыть", "Предыдущее фото", "Следующее фото"], "{n} из {total}"),
    "kk": ("Фотосуреттерді қарау", ["Жабу", "Алдыңғы фото", "Келесі фото"], "{n}-фото, барлығы {total}"),
}


@pytest.mark.parametrize("language", VIEWER_WORDS)
def test_viewer_controls_are_labelled_in_the_story_language(tmp_path, language):
    story = load_story(sample_story())
    story.language = language
    story.photos[0].alt = ""  # its link is then labelled "open photo 1"
    export_story(story, tmp_path / "out", ExportOptions(workers=1))
    dialog_label, buttons, counter = VIEWER_WORDS[language]
    for name in ("index.html", "embed.html"):
        page = Page((tmp_path / "out" / name).read_text(encoding="utf-8"))
        (dialog,) = page.find("dialog", "ps-lightbox")
        assert dialog.attrs["aria-label"] == dialog_label
        assert [b.attrs["aria-label"] for b in page.find("button")] == buttons
        assert all(b.attrs["type"] == "button" for b in page.find("button"))
        (article,) = page.find("article", "photostory")
        assert article.attrs["data-ps-counter"] == counter
        # Only photo 1, whose alt is empty, needs a label on its links (article and gallery).
        labelled = {a.attrs["aria-label"] for a in page.find("a", "ps-open") if "aria-label" in a.attrs}
        assert labelled == {{"en": "Open photo 1", "ru": "Открыть фото 1",
                              "kk": "1-фотоны ашу"}[language]}


def test_embed_is_one_element_with_its_stylesheet_and_script_first(site):
    export = site.exports["sample"]
    page = Page((export.folder / "embed.html").read_text(encoding="utf-8"))
    top = [e for e in page.elements if not e.parents]
    assert [e.tag for e in top] == ["div"]
    children = [e for e in page.elements if len(e.parents) == 1]
    assert [(e.tag, e.attrs.get("href") or e.attrs.get("src")) for e in children[:2]] == [
        ("link", "assets/photostory.css"), ("script", "assets/photostory.js")]
    assert "defer" in children[1].attrs
    (article,) = page.find("article", "photostory")
    assert article.attrs["data-ps-prefix"] == export.key + "-"
    assert all(e.attrs["id"].startswith(export.key + "-photo-")
               for e in page.elements if "id" in e.attrs)
    index = Page((export.folder / "index.html").read_text(encoding="utf-8"))
    assert index.find("article", "photostory")[0].attrs["data-ps-prefix"] == ""
    assert [s.attrs["src"] for s in index.find("script")] == ["assets/photostory.js"]
    assert (export.folder / "assets" / "photostory.js").is_file()


def test_assets_are_small_and_load_nothing_else(site):
    assets = site.exports["sample"].folder / "assets"
    for name in ("photostory.css", "photostory.js"):
        text = (assets / name).read_text(encoding="utf-8")
        assert len(text.encode()) < 20_000
        for banned in ("http://", "https://", "//cdn", "@import", "url(", "fetch(", "XMLHttpRequest",
                       "innerHTML", "insertAdjacentHTML", "eval(", "document.write"):
            assert banned not in text, (name, banned)


def test_grid_rows_are_pairs_with_a_three_last_when_odd():
    assert grid_rows(4) == [2, 2]
    assert grid_rows(5) == [2, 3]
    assert grid_rows(8) == [2, 2, 2, 2]
    assert grid_rows(9) == [2, 2, 2, 3]


def test_row_sizes_follow_the_css_breakpoints():
    assert row_sizes(1, 0, 960, stacks=False) == (
        "(max-width: 480px) calc(100vw - 32px), (max-width: 1008px) calc(100vw - 48px), 960px")
    # Half of a two-photo row, stacked to full width on narrow screens.
    assert row_sizes(0.5, 12, 960, stacks=True) == (
        "(max-width: 480px) calc(100vw - 32px), (max-width: 607px) calc(100vw - 48px), "
        "(max-width: 1008px) calc((100vw - 60px) * 0.5000), 474px")
    # A narrowed group (portrait photos): fixed from the viewport where it reaches its width.
    assert row_sizes(1, 0, 480, stacks=False) == (
        "(max-width: 480px) calc(100vw - 32px), (max-width: 528px) calc(100vw - 48px), 480px")
    assert row_sizes(0.5, 12, 300, stacks=False) == (
        "(max-width: 332px) calc((100vw - 44px) * 0.5000), 144px")
