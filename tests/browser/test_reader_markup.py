"""The reader's markup without a browser: the viewer's words in the story's language, the
embed's shape, the geometry behind ``sizes``, and every user text in its own bidi isolate
(with one check in Chromium that an override really stays in its element)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from htmlcheck import Page
from photostory.core.export.context import row_sizes
from photostory.core.layout import grid_rows
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.storyfile import load_story
from photostory.resources import sample_story

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: reverses everything after it up to its isolate's end

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
        "(max-width: 1008px) calc((100vw - 60px) * 0.5), 474px")
    # A narrowed group (portrait photos): fixed from the viewport where it reaches its width.
    assert row_sizes(1, 0, 480, stacks=False) == (
        "(max-width: 480px) calc(100vw - 32px), (max-width: 528px) calc(100vw - 48px), 480px")
    assert row_sizes(0.5, 12, 300, stacks=False) == (
        "(max-width: 332px) calc((100vw - 44px) * 0.5), 144px")


class _TextHolders(HTMLParser):
    """Each piece of text holding U+202E, with the element that holds it directly."""

    VOID = {"img", "link", "meta", "br", "hr", "input", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = [("#document", {})]
        self.holders: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while len(self.stack) > 1:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if RLO in data:
            self.holders.append((*self.stack[-1], data))


def _overridden_story():
    """The sample story with an override at the end of every text a reader sees."""
    story = load_story(sample_story())
    story.title += RLO
    story.byline += RLO
    story.dateline += RLO
    story.published = "5 Oct" + RLO  # not ISO: shown as typed
    for block in story.paragraphs():
        block.text += RLO
    for photo in story.photos:
        photo.caption += RLO
    return story


@pytest.mark.parametrize("credits", ["shared", "per photo"])
def test_every_user_text_is_isolated_in_its_own_element(tmp_path, credits):
    story = _overridden_story()
    story.default_credit = "akorda.kz" + RLO
    if credits == "per photo":
        story.photos[0].credit = "Reuters" + RLO
    export_story(story, tmp_path / "out", ExportOptions(workers=1, widths=(160,)))
    for name in ("index.html", "embed.html"):
        parser = _TextHolders()
        parser.feed((tmp_path / "out" / name).read_text(encoding="utf-8"))
        classes = {attrs.get("class") for _, attrs, _ in parser.holders}
        assert {"ps-byline", "ps-dateline", "ps-caption"} <= classes, classes
        assert ("ps-credit" if credits == "per photo" else None) in classes
        held = 0
        for tag, attrs, text in parser.holders:
            if tag == "title":  # the window's title: alone, nothing to leak into
                continue
            assert tag == "bdi" or attrs.get("dir") == "auto", (name, tag, attrs, text)
            held += 1
        # title, byline, time, dateline, each paragraph, each caption twice (article and
        # gallery), and the credits
        assert held >= 4 + len(list(story.paragraphs())) + len(story.photos), held


#: Where the first two letters of "delegation" in the first paragraph are drawn.
FIRST_LETTERS = """
() => {
  const text = document.querySelector('p.ps-text').lastChild;
  const node = text.nodeType === Node.TEXT_NODE ? text : text.firstChild;
  const box = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                       return r.getBoundingClientRect().left; };
  const at = node.textContent.indexOf('delegation');
  return [node.textContent.slice(at, at + 2), box(at), box(at + 1)];
}
"""


def test_an_override_at_the_end_of_the_dateline_leaves_the_paragraph_readable(browser, tmp_path):
    story = load_story(sample_story())
    story.dateline = "CALDERMOOR" + RLO
    export_story(story, tmp_path / "out", ExportOptions(workers=1, widths=(160,)))
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    try:
        page = context.new_page()
        page.goto((tmp_path / "out" / "index.html").as_uri())
        letters, first, second = page.evaluate(FIRST_LETTERS)
    finally:
        context.close()
    assert letters == "de"
    assert first < second, "the paragraph is drawn right to left: the override leaked"
