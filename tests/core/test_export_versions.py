"""Exporting a story with several language versions: one folder per version over shared
renditions, pages that name each other, and re-exports that replace exactly what they made."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.importing import import_photos
from photostory.core.story import Paragraph, PhotoGroup, Story, Translation
from photostory.errors import ExportError
from support import counting_decodes

OPTIONS = ExportOptions(widths=(160, 320), workers=1)
TAGS = ["kk", "ru", "en"]


def make_story(folder: Path, count: int = 3) -> Story:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        Image.effect_noise((400, 300), 40 + 10 * i).convert("RGB").save(folder / f"photo{i + 1}.jpg")
    story = Story(title="Ақорда кездесуі", language="kk", default_credit="akorda.kz")
    story.photos = import_photos(sorted(folder.glob("*.jpg")), workers=1).photos
    ids = [p.id for p in story.photos]
    story.body = [Paragraph("Астанада кездесу өтті."), PhotoGroup(ids)]
    for n, photo in enumerate(story.photos, 1):
        photo.caption, photo.alt = f"Қазақша жазу {n}", f"Қазақша сипаттама {n}"
    for tag, title, word in (("ru", "Встреча в Акорде", "Подпись"), ("en", "Akorda meeting", "Caption")):
        story.translations.append(Translation(
            language=tag, title=title, body=[PhotoGroup(ids[:1]), Paragraph(f"{title}."), PhotoGroup(ids[1:])],
            captions={p.id: f"{word} {n}" for n, p in enumerate(story.photos, 1)},
            alts={p.id: f"{word} alt {n}" for n, p in enumerate(story.photos, 1)}))
    return story


class Page(HTMLParser):
    """What a page says about its language versions, read by an HTML parser."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switcher: list[dict[str, str]] = []
        self.images: list[str] = []
        self.captions: list[str] = []
        self.credit = ""
        self._in: str | None = None
        self._nav = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "nav" and "ps-languages" in a.get("class", ""):
            self._nav = True
        elif tag == "a" and self._nav:
            self.switcher.append(a)
        elif tag == "img" and a.get("alt") is not None and "data-photo" not in a:
            self.images.append(a["alt"])
        elif tag == "span" and a.get("class") in ("ps-caption",):
            self._in = "caption"
        elif tag == "p" and a.get("class") == "ps-credit-line":
            self._in = "credit"

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav = False
        if tag in ("span", "p"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self.captions.append(data)
        elif self._in == "credit":
            self.credit += data


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_the_report_names_the_versions_written(tmp_path: Path):
    story = make_story(tmp_path / "photos")
    report = export_story(story, tmp_path / "out", OPTIONS)
    assert report.summary() == f"Exported 3 photos in 3 language versions (kk, ru, en) to {tmp_path / 'out'}."
    assert export_story(story.version("ru"), tmp_path / "ru", OPTIONS).summary() == \
        f"Exported 3 photos to {tmp_path / 'ru'}."


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Story, Path]:
    story = make_story(tmp_path / "photos")
    out = tmp_path / "out"
    export_story(story, out, OPTIONS)
    return story, out


def test_every_version_gets_its_folder_over_shared_images_and_assets(exported):
    story, out = exported
    for tag in TAGS:
        for page in ("index.html", "embed.html", "story.json"):
            assert (out / tag / page).is_file(), f"{tag}/{page}"
    tops = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert tops == {"index.html", "images", "assets", *TAGS}
    assert len(list((out / "images").iterdir())) == 2 * len(story.photos)  # one set, not three


def test_one_version_story_keeps_the_single_layout(tmp_path: Path):
    story = make_story(tmp_path / "photos")
    story.translations = []
    export_story(story, tmp_path / "out", OPTIONS)
    tops = {p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")}
    assert tops == {"index.html", "embed.html", "story.json", "images", "assets"}
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="assets/photostory.css"' in page and 'src="images/' in page
    assert "hreflang" not in page and "ps-languages" not in page


def test_each_page_has_its_lang_and_lists_every_version_reciprocally(exported):
    _, out = exported
    pages = {tag: Page((out / tag / "index.html").read_text(encoding="utf-8")) for tag in TAGS}
    for tag, page in pages.items():
        assert page.lang == tag
        assert set(page.alternates) == {*TAGS, "x-default"}
        for other in TAGS:  # each link resolves to that version's own page
            target = (out / tag / page.alternates[other]).resolve()
            assert target == (out / other / "index.html").resolve()
            assert pages[other].alternates[tag] == f"../{tag}/index.html"  # reciprocal
        assert (out / tag / page.alternates["x-default"]).resolve() == (out / "index.html").resolve()
    fragment = (out / "ru" / "embed.html").read_text(encoding="utf-8")
    assert 'lang="ru"' in fragment and 'href="../assets/photostory.css"' in fragment


def test_the_switcher_names_each_version_in_its_own_language(exported):
    _, out = exported
    page = Page((out / "ru" / "index.html").read_text(encoding="utf-8"))
    names = [(a["lang"], a["hreflang"], a.get("aria-current", "")) for a in page.switcher]
    assert names == [("kk", "kk", ""), ("ru", "ru", "page"), ("en", "en", "")]
    text = (out / "ru" / "index.html").read_text(encoding="utf-8")
    for name in ("Қазақша", "Русский", "English"):
        assert name in text


def test_the_top_page_links_every_version_and_is_the_x_default(exported):
    story, out = exported
    text = (out / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.lang == "kk"
    assert page.alternates == {"kk": "kk/index.html", "ru": "ru/index.html",
                               "en": "en/index.html", "x-default": "index.html"}
    for title in ("Ақорда кездесуі", "Встреча в Акорде", "Akorda meeting"):
        assert title in text


def test_captions_alt_texts_credit_and_viewer_words_per_version(exported):
    story, out = exported
    expected = {"kk": ("Қазақша жазу", "Қазақша сипаттама", "Фото: akorda.kz", "Жабу"),
                "ru": ("Подпись", "Подпись alt", "Фото: akorda.kz", "Закрыть"),
                "en": ("Caption", "Caption alt", "Photo: akorda.kz", "Close")}
    for tag, (caption, alt, credit, close) in expected.items():
        text = (out / tag / "index.html").read_text(encoding="utf-8")
        page = Page(text)
        assert page.captions[:3] == [f"{caption} {n}" for n in (1, 2, 3)]
        assert page.images[:3] == [f"{alt} {n}" for n in (1, 2, 3)]
        assert page.credit == credit
        assert f'aria-label="{close}"' in text
        data = json.loads((out / tag / "story.json").read_text(encoding="utf-8"))
        assert data["language"] == tag
        assert [p["caption"] for p in data["photos"]] == [f"{caption} {n}" for n in (1, 2, 3)]
        for photo in data["photos"]:  # URLs relative to story.json itself
            assert all((out / tag / r["url"]).is_file() for r in photo["renditions"])
        assert [v["language"] for v in data["versions"]] == TAGS


def test_a_version_credit_prefix_set_by_hand_is_printed(tmp_path: Path):
    story = make_story(tmp_path / "photos")
    story.translation("en").credit_prefix = "Photograph by"
    export_story(story, tmp_path / "out", OPTIONS)
    assert Page((tmp_path / "out" / "en" / "index.html").read_text(encoding="utf-8")).credit == \
        "Photograph by akorda.kz"


def test_renditions_are_decoded_once_per_photo_whatever_the_versions(tmp_path: Path):
    story = make_story(tmp_path / "photos")
    with counting_decodes() as decodes:
        export_story(story, tmp_path / "three", OPTIONS)
    three = decodes.take().count
    with counting_decodes() as decodes:
        export_story(story.version("kk"), tmp_path / "one", OPTIONS)
    assert three == decodes.take().count == len(story.photos)


def test_a_caption_change_in_one_version_splices_that_photos_xmp_only(exported):
    story, out = exported
    before = {p.name: os.stat(p).st_ino for p in (out / "images").iterdir()}
    first = story.photos[0]
    story.translation("ru").captions[first.id] = "Новая подпись"
    with counting_decodes() as decodes:
        report = export_story(story, out, OPTIONS)
    assert decodes.count == 0
    assert report.rendered == 0 and report.metadata_updated == 1
    after = {p.name: os.stat(p).st_ino for p in (out / "images").iterdir()}
    changed = {name for name in after if after[name] != before[name]}
    assert changed and all(name.startswith("photo1-") for name in changed)
    assert "Новая подпись" in (out / "ru" / "index.html").read_text(encoding="utf-8")
    assert "Новая подпись" in (out / "images" / "photo1-320.jpg").read_bytes().decode("utf-8", "replace")


def test_a_removed_version_folder_goes_away_and_re_export_replaces_the_others(exported):
    story, out = exported
    story.translations = [t for t in story.translations if t.language != "en"]
    story.translation("ru").title = "Новый заголовок"
    export_story(story, out, OPTIONS)
    assert not (out / "en").exists()
    assert "Новый заголовок" in (out / "ru" / "index.html").read_text(encoding="utf-8")
    assert "en/index.html" not in (out / "index.html").read_text(encoding="utf-8")


def test_back_to_one_version_the_version_folders_go(exported):
    story, out = exported
    story.translations = []
    export_story(story, out, OPTIONS)
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {
        "index.html", "embed.html", "story.json", "images", "assets"}


@pytest.mark.parametrize("foreign", ["ru/notes.txt", "de/index.html", "ru/sub/index.html"])
def test_files_the_export_did_not_make_in_version_folders_are_refused(exported, foreign):
    story, out = exported
    (out / foreign).parent.mkdir(parents=True, exist_ok=True)
    (out / foreign).write_text("mine", encoding="utf-8")
    listing = files_in(out)
    with pytest.raises(ExportError, match="did not make"):
        export_story(story, out, OPTIONS)
    assert files_in(out) == listing and (out / foreign).read_text(encoding="utf-8") == "mine"


def test_an_export_from_before_the_listing_does_not_claim_version_folders(exported):
    story, out = exported
    state_file = out / ".photostory-export.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    del state["files"]
    state_file.write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(ExportError, match="did not make"):
        export_story(story, out, OPTIONS)


@pytest.mark.parametrize(("tags", "named"), [
    (("../evil", "ru"), "'../evil' cannot be exported"), (("kk", "assets"), "'assets' cannot be exported"),
    (("kk", "KK"), "'KK' cannot be exported"), (("kk", "kk"), "the kk version more than once")])
def test_version_tags_that_cannot_name_a_folder_are_refused_before_anything_is_written(tmp_path, tags,
                                                                                       named):
    """A story file edited by hand: the source version's tag is not checked on reading."""
    story = make_story(tmp_path / "photos")
    story.language, story.translations[0].language = tags
    with pytest.raises(ExportError, match=named) as refused:
        export_story(story, tmp_path / "sub" / "out", OPTIONS)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "sub").exists() and not (tmp_path / "evil").exists()


def test_hostile_version_texts_stay_text_on_every_page(tmp_path: Path):
    story = make_story(tmp_path / "photos")
    ru = story.translation("ru")
    ru.title = '</title><script>alert(1)</script>"'
    ru.captions[story.photos[0].id] = "<img src=x onerror=alert(2)>\x07"
    export_story(story, tmp_path / "out", OPTIONS)
    for page in ("index.html", "ru/index.html", "en/index.html", "ru/embed.html"):
        text = (tmp_path / "out" / page).read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "\x07" not in text
    assert "&lt;/title&gt;&lt;script&gt;" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
