"""Acceptance, as a desk works: a Kazakh story of 12 photos, its Russian and English
versions from their own article files, one captions sheet for all three, one export; then
Latin-script Kazakh derived and exported with them."""

from __future__ import annotations

import csv
import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from cli_support import photostory
from support import require_tool

COUNT = 12
#: Four groups: 1, 2, 3 and 6 photos (a line "photo" is a slot; lines together, a group).
SLOTS = "\n\n".join("\n".join(["photo"] * n) for n in (1, 2, 3, 6))
#: Every letter Kazakh writes and Russian does not, and its 2021 Latin form.
KK_SENTENCE = "Әсем ғимарат қаңтарда өте ұзақ үнсіз һәм ілтипатты."
KK_SENTENCE_LATIN = "Äsem ğimarat qañtarda öte ūzaq ünsız häm ıltipatty."
ARTICLES = {
    "kk": ("Президент Ақордада шетел қонақтарын қабылдады",
           "АСТАНА. Мемлекет басшысы қонақтарды қабылдады.\n\n" + KK_SENTENCE, "Фото: akorda.kz"),
    "ru": ("Президент принял иностранных гостей в Акорде",
           "АСТАНА. Глава государства принял гостей.\n\nВстреча прошла в Акорде.", "Фото: akorda.kz"),
    "en": ("The President receives foreign guests at Akorda",
           "ASTANA. The Head of State received guests.\n\nThe meeting was held at Akorda.",
           "Photo: akorda.kz"),
}
CREDIT_LINES = {"kk": "Фото: akorda.kz", "ru": "Фото: akorda.kz", "en": "Photo: akorda.kz",
                "kk-Latn": "Foto: akorda.kz"}
CAPTION_WORDS = {"kk": ("Қонақтар", "Суретте"), "ru": ("Гости", "На снимке"),
                 "en": ("Guests", "The picture shows")}


def caption(tag: str, n: int) -> str:
    return f"{CAPTION_WORDS[tag][0]} {n}"


def alt(tag: str, n: int) -> str:
    return f"{CAPTION_WORDS[tag][1]} {n}"


class Page(HTMLParser):
    """A page's language, alternates, switcher, photos (in page order), captions, credit."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang, self.alternates, self.switcher = "", {}, []
        self.photos: list[tuple[str, str]] = []  # (image file, alt) of each gallery photo
        self.placed: list[str] = []  # image files of the photos the article's groups show
        self.captions: list[str] = []
        self.credit, self.text = "", ""
        self._in, self._nav, self._gallery = None, False, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        cls = a.get("class", "")
        if tag in ("html", "article") and "lang" in a:
            self.lang = self.lang or a["lang"]
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "nav":
            self._nav = True
        elif tag == "a" and self._nav:
            self.switcher.append((a["lang"], a["hreflang"], a["href"], a.get("aria-current", "")))
        elif tag == "section" and "ps-gallery" in cls:
            self._gallery = True
        elif tag == "img" and self._gallery:
            self.photos.append((Path(a["src"]).name, a["alt"]))
        elif tag == "img":
            self.placed.append(Path(a["src"]).name)
        elif tag == "span" and cls == "ps-caption" and self._gallery:
            self._in = "caption"
        elif tag == "p" and cls == "ps-credit-line":
            self._in = "credit"
        elif tag == "p" and cls == "ps-text":
            self._in = "text"

    def handle_endtag(self, tag):
        self._nav = self._nav and tag != "nav"
        self._gallery = self._gallery and tag != "section"
        if tag in ("span", "p"):
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.captions.append(data)
        elif self._in == "credit":
            self.credit += data
        elif self._in == "text":
            self.text += data


def run(*args: object) -> str:
    result = photostory(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    root = tmp_path_factory.mktemp("desk")
    photos = root / "photos"
    photos.mkdir()
    for n in range(1, COUNT + 1):
        image = Image.effect_noise((480, 320), 20 + n).convert("RGB")
        image.save(photos / f"akorda_{n:02d}.jpg", quality=88)
    for tag, (title, text, credit) in ARTICLES.items():
        (root / f"{tag}.txt").write_text(f"{title}\n\n{text}\n\n{SLOTS}\n\n{credit}\n", encoding="utf-8")
    with open(root / "captions.csv", "w", newline="", encoding="utf-8") as sheet:
        writer = csv.writer(sheet)
        writer.writerow(["file", "caption", "alt", "caption:ru", "alt:ru", "caption:en", "alt:en"])
        for n in range(1, COUNT + 1):
            writer.writerow([f"akorda_{n:02d}.jpg"] + [f(tag, n) for tag in ("kk", "ru", "en")
                                                       for f in (caption, alt)])
    story = root / "visit.photostory"
    run("new", story, "--article", root / "kk.txt", "--language", "kk", "--photos", photos,
        "--credit", "akorda.kz")
    for tag in ("ru", "en"):
        run("translate", story, "--language", tag, "--article", root / f"{tag}.txt")
    run("captions", story, "--import", root / "captions.csv")
    out = root / "out"
    run("export", story, "-o", out, "--widths", "160,320", "--workers", "2")
    return story, out


def test_three_pages_and_three_fragments(desk):
    _, out = desk
    for tag in ("kk", "ru", "en"):
        assert Page((out / tag / "index.html").read_text(encoding="utf-8")).lang == tag
        assert Page((out / tag / "embed.html").read_text(encoding="utf-8")).lang == tag
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["assets", "en", "images", "kk", "ru"]


def test_every_version_shows_the_same_photos_in_the_same_order(desk):
    _, out = desk
    lists = {tag: [name for name, _ in Page((out / tag / "index.html").read_text(encoding="utf-8")).photos]
             for tag in ("kk", "ru", "en")}
    assert len(lists["kk"]) == COUNT and lists["kk"] == lists["ru"] == lists["en"]
    assert [name.rsplit("-", 1)[0] for name in lists["kk"]] == [f"akorda-{n:02d}" for n in range(1, 13)]
    placed = {tag: Page((out / tag / "index.html").read_text(encoding="utf-8")).placed
              for tag in ("kk", "ru", "en")}
    assert placed["kk"] == placed["ru"] == placed["en"] == lists["kk"]  # the article's groups too
    orders = {tag: [p["file"] for p in json.loads((out / tag / "story.json").read_text("utf-8"))["photos"]]
              for tag in ("kk", "ru", "en")}
    assert orders["kk"] == orders["ru"] == orders["en"]


def test_hreflang_sets_are_complete_and_reciprocal(desk):
    _, out = desk
    tags = ("kk", "ru", "en")
    pages = {tag: Page((out / tag / "index.html").read_text(encoding="utf-8")) for tag in tags}
    top = Page((out / "index.html").read_text(encoding="utf-8"))
    for where, page in [*((out / t, pages[t]) for t in tags), (out, top)]:
        assert set(page.alternates) == {*tags, "x-default"}
        resolved = {lang: (where / href).resolve() for lang, href in page.alternates.items()}
        assert resolved == {**{t: (out / t / "index.html").resolve() for t in tags},
                            "x-default": (out / "index.html").resolve()}
    for tag, page in pages.items():  # the switcher: every version, this one marked
        assert [(lang, hreflang, current) for lang, hreflang, _, current in page.switcher] == [
            (t, t, "page" if t == tag else "") for t in tags]


def test_captions_and_alt_texts_per_version_on_the_page_and_in_xmp(desk):
    _, out = desk
    for tag in ("kk", "ru", "en"):
        page = Page((out / tag / "index.html").read_text(encoding="utf-8"))
        assert page.captions == [caption(tag, n) for n in range(1, COUNT + 1)]
        assert [a for _, a in page.photos] == [alt(tag, n) for n in range(1, COUNT + 1)]
    exiftool = require_tool("exiftool")
    files = sorted((out / "images").glob("*-320.jpg"))
    assert len(files) == COUNT
    tags = ["-XMP-dc:Description", "-XMP-iptcCore:AltTextAccessibility"]
    tags += [f"{t}-{lang}" for t in tags for lang in ("kk", "ru", "en")]
    read = json.loads(subprocess.run([exiftool, "-j", "-charset", "UTF8", *tags, *map(str, files)],
                                     check=True, capture_output=True, text=True).stdout)
    for n, found in enumerate(sorted(read, key=lambda r: r["SourceFile"]), 1):
        assert found["Description"] == found["Description-kk"] == caption("kk", n)  # x-default
        assert found["Description-ru"] == caption("ru", n) and found["Description-en"] == caption("en", n)
        assert found["AltTextAccessibility"] == alt("kk", n)
        assert found["AltTextAccessibility-ru"] == alt("ru", n)
        assert found["AltTextAccessibility-en"] == alt("en", n)


def test_the_credit_prefix_is_the_version_language(desk):
    _, out = desk
    for tag in ("kk", "ru", "en"):
        assert Page((out / tag / "index.html").read_text(encoding="utf-8")).credit == CREDIT_LINES[tag]


def test_latin_script_kazakh_derived_and_exported_with_the_others(desk):
    story, out = desk
    run("translate", story, "--language", "kk-Latn", "--from", "kk")
    run("export", story, "-o", out, "--widths", "160,320", "--workers", "2")
    page = Page((out / "kk-Latn" / "index.html").read_text(encoding="utf-8"))
    assert page.lang == "kk-Latn"
    assert KK_SENTENCE_LATIN in page.text
    assert page.captions[0] == "Qonaqtar 1" and page.credit == CREDIT_LINES["kk-Latn"]
    assert [lang for lang, *_ in page.switcher] == ["kk", "ru", "en", "kk-Latn"]
    for tag in ("kk", "ru", "en"):  # the other versions now name it too
        assert "kk-Latn" in Page((out / tag / "index.html").read_text(encoding="utf-8")).alternates
