"""Text from outside is carried exactly and never becomes code or a path.

Hypothesis generates titles, bylines, datelines, paragraphs, captions, credits, alt
texts and photo file names full of markup, template syntax, quotes, RTL overrides,
very long words and Kazakh/Russian/emoji, exports them (workers=1, tiny images) and
checks that:

* the exported index.html and embed.html, parsed, hold each as a text node or an
  attribute value exactly as the editor shows it (trimmed of surrounding whitespace,
  as the export does), with no script but our own;
* the rendition's XMP parses and carries the caption;
* story.json (export) and the .photostory file round-trip every text exactly;
* nothing outside the output folder is written, and every file the export writes has
  an ASCII slug name under it, whatever the photo file names or story-file paths say.

The rule for characters HTML cannot carry (``html_rule`` below): the export drops C0
controls except TAB and LF, DEL and C1 controls, and turns CR and CRLF into LF, as a
browser would on reading; everything else, including U+202E and noncharacters, is
carried. The export applies that rule to the pages (test_control_characters_follow_the_html_rule).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from htmlcheck import Page, only_own_scripts
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.importing import import_photos
from photostory.core.slug import slugify
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.core.storyfile import load_story, save_story, story_to_dict

TINY = ExportOptions(workers=1, widths=(32,))
EXAMPLES = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

NASTY = [
    "<", ">", "&", '"', "'", "`", "</script>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}", "{{", "}}", "{% if x %}", "{% endif %}", "{# c #}", "${x}", "<!--", "-->", "]]>",
    "&amp;", "&lt;", "&#x3C;", "&#0;", "&nbsp", "\\", "\u202e", "\u202d", "\u200f", "\u2066", "\u200b",
    "\ufeff", "\u2028", "\u00a0", "\t", "\n", "  ", "Сарандағы зауыт", "Президент посетил завод",
    "Қазақстан", "өңір", "😀", "👩‍👩‍👧", "🇰🇿", "x" * 3000, "ДлинноеСловоБезПробелов" * 40,
    "javascript:alert(1)", "data:text/html,<b>", "..", "../", "/etc/passwd", "C:\\Windows",
]
CONTROLS = [chr(c) for c in range(0x20) if c not in (9, 10)] + ["\x7f", "\x85", "\x9f", "\r\n"]

_plain = st.characters(blacklist_categories=("Cs", "Cc"))  # no surrogates, no controls
html_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(_plain, max_size=12)),
                     max_size=5).map("".join)
any_text = st.lists(st.one_of(st.sampled_from(NASTY + CONTROLS), st.text(max_size=12)),
                    max_size=6).map("".join)


def _file_stem(text: str) -> str:
    """A name the file system accepts: no slash or NUL, at most 200 bytes, not . or .."""
    stem = text.replace("/", "∕").replace("\x00", "")
    while len(stem.encode("utf-8", "surrogatepass")) > 200:
        stem = stem[:-1]
    return stem if stem not in ("", ".", "..") else "photo"


file_stems = st.lists(st.one_of(st.sampled_from(NASTY), st.text(_plain, max_size=10)),
                      min_size=1, max_size=4).map("".join).map(_file_stem)


def html_rule(text: str) -> str:
    """What a page can carry of ``text`` (the module docstring's rule)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text)


def _snapshot(root: Path, skip: Path) -> dict[str, tuple[int, str]]:
    return {str(p.relative_to(root)): (p.stat().st_mode, hashlib.sha256(p.read_bytes()).hexdigest()
                                       if p.is_file() else "")
            for p in root.rglob("*") if skip not in (p, *p.parents)}


def _tiny_photos(folder: Path, stems: list[str]) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for i, stem in enumerate(stems):
        path = folder / f"{stem}.jpg"
        if path.exists():
            path = folder / f"{stem} {i}.jpg"
        Image.new("RGB", (48, 36), (30 * i, 90, 160)).save(path, quality=80)
        paths.append(path)
    return paths


def build_story(work: Path, title, byline, dateline, paragraphs, photos_text, stems) -> Story:
    paths = _tiny_photos(work / "photos", stems)
    report = import_photos(paths, workers=1)
    assert not report.skipped, report.skipped
    story = Story(title=title, byline=byline, dateline=dateline, language="kk",
                  default_credit="Default credit")
    by_path = {p.path: p for p in report.photos}
    story.photos = [by_path[Path(os.path.abspath(p))] for p in paths]  # keep our order
    for photo, (caption, credit, alt) in zip(story.photos, photos_text):
        photo.caption, photo.credit, photo.alt = caption, credit, alt
    ids = [p.id for p in story.photos]
    story.body = [Paragraph(paragraphs[0]), PhotoGroup(ids[:1]), Paragraph(paragraphs[1]),
                  PhotoGroup(ids[1:])]
    return story


photo_texts = st.tuples(html_text, html_text, html_text)


@EXAMPLES
@given(title=html_text, byline=html_text, dateline=html_text,
       paragraphs=st.tuples(html_text, html_text),
       photos_text=st.lists(photo_texts, min_size=2, max_size=3),
       stems=st.lists(file_stems, min_size=3, max_size=3))
def test_exported_pages_carry_hostile_text_exactly(tmp_path_factory, title, byline, dateline,
                                                   paragraphs, photos_text, stems):
    work = tmp_path_factory.mktemp("hostile")
    story = build_story(work, title, byline, dateline, paragraphs, photos_text,
                        stems[:len(photos_text)])
    out = work / "out"
    before = _snapshot(work, out)
    report = export_story(story, out, TINY)
    assert report.photos == len(story.photos) and not report.failed
    assert _snapshot(work, out) == before, "the export wrote outside its folder"

    for name in ("index.html", "embed.html"):
        page = Page((out / name).read_text(encoding="utf-8"))
        assert only_own_scripts(page), name
        assert not [e for e in page.elements if any(k.startswith("on") for k in e.attrs)], name
        assert [e.text for e in page.find("h1")] == [title.strip()], name
        byline_nodes = page.texts("ps-byline")
        assert byline_nodes == ([byline.strip()] if byline.strip() else []), name
        texts = [e.text for e in page.find("p", "ps-text")]
        expected_paragraphs = [p.strip() for p in paragraphs if p.strip()]
        assert len(texts) == len(expected_paragraphs), name
        for text, paragraph in zip(texts, expected_paragraphs):
            assert text.endswith(paragraph), name
        if dateline.strip() and expected_paragraphs:
            assert page.texts("ps-dateline")[0].startswith(dateline.strip()), name
        captions = page.texts("ps-caption")
        credits = page.texts("ps-credit") + page.texts("ps-credit-line")
        alts = [img.attrs["alt"] for img in page.find("img")]
        for photo in story.photos:
            if photo.caption.strip():
                assert photo.caption.strip() in captions, name
            assert photo.alt.strip() in alts, name
            assert story.credit_line(story.effective_credit(photo)) in credits, name
        if name == "index.html":
            assert [e.text for e in page.find("title")] == [title.strip()]

    manifest = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert (manifest["title"], manifest["byline"], manifest["dateline"]) == (title, byline, dateline)
    assert [b["text"] for b in manifest["body"] if b["type"] == "paragraph"] == list(paragraphs)
    assert [(p["caption"], p["alt"], p["credit"], p["file"]) for p in manifest["photos"]] == [
        (p.caption, p.alt, story.effective_credit(p), p.file_name) for p in story.photos]

    images = sorted(p.name for p in (out / "images").iterdir())
    assert len(images) == len(story.photos)
    assert all(re.fullmatch(r"[a-z0-9-]+-\d+\.jpg", name) for name in images), images
    assert all(p.is_relative_to(out) for p in out.rglob("*"))
    for photo in story.photos:
        _check_xmp(out, manifest, photo)


def _check_xmp(out: Path, manifest: dict, photo) -> None:
    entry = next(p for p in manifest["photos"] if p["id"] == photo.id)
    with Image.open(out / entry["renditions"][0]["url"]) as im:
        packet = im.info.get("xmp")
    if not photo.caption.strip():
        return
    root = ET.fromstring(packet)  # well-formed whatever the caption holds
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    description = root.find(".//dc:description/rdf:Alt/rdf:li", ns)
    assert description is not None
    assert description.text == photo.caption.strip().replace("\ufffe", "").replace("\uffff", "")


@EXAMPLES
@given(texts=st.lists(any_text, min_size=12, max_size=12), stem=file_stems)
def test_story_file_round_trips_every_text_exactly(tmp_path_factory, texts, stem):
    """Control characters, RTL overrides, markup: the .photostory keeps all of it."""
    work = tmp_path_factory.mktemp("roundtrip")
    story = Story(title=texts[0], byline=texts[1], dateline=texts[2], default_credit=texts[3],
                  tags=[texts[4], texts[5]], credit_prefix=texts[6])
    story.photos = [Photo(path=work / "photos" / f"{stem}.jpg", id="p1", caption=texts[7],
                          credit=texts[8], alt=texts[9], keywords=(texts[10],))]
    story.body = [Paragraph(texts[11], id="t1"), PhotoGroup(["p1"], id="g1")]
    path = work / "story.photostory"
    save_story(story, path)
    warnings: list[str] = []
    loaded = load_story(path, warnings)
    assert warnings == []
    assert story_to_dict(loaded, work) == story_to_dict(story, work)
    assert loaded.photos[0].path == story.photos[0].path


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(caption=any_text, title=any_text, alt=any_text)
def test_control_characters_follow_the_html_rule(tmp_path_factory, caption, title, alt):
    assume(any(c in caption + title + alt for c in "".join(CONTROLS)))
    work = tmp_path_factory.mktemp("controls")
    story = build_story(work, title, "", "", ("Text.", ""), [(caption, "", alt)], ["photo"])
    export_story(story, work / "out", TINY)
    for name in ("index.html", "embed.html"):
        html = (work / "out" / name).read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\r]", html), f"{name} carries raw controls"
        page = Page(html)
        if html_rule(caption).strip():
            assert html_rule(caption).strip() in page.texts("ps-caption")
        assert html_rule(alt).strip() in [img.attrs["alt"] for img in page.find("img")]
        assert [e.text for e in page.find("h1")] == [html_rule(title).strip()]


# -- paths from outside ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_slugs_are_safe_file_names(text):
    slug = slugify(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 48


def test_story_file_paths_with_dotdot_and_absolute_cannot_move_the_output(tmp_path):
    """A story file from elsewhere names photos by ``..`` and absolute paths, and its photos
    and title are named like paths: the export reads them, and writes only in its folder."""
    elsewhere = tmp_path / "elsewhere" / "deep"
    elsewhere.mkdir(parents=True)
    for name in ("..jpg", "passwd.jpg", "..%2f..%2fevil.jpg", "evil name.jpg"):
        Image.new("RGB", (48, 36), (200, 10, 10)).save(elsewhere / name, "JPEG")
    story_dir = tmp_path / "stories" / "one"
    story_dir.mkdir(parents=True)
    photos = [{"id": "p1", "path": "../../elsewhere/deep/..jpg"},
              {"id": "p2", "path": str(elsewhere / "passwd.jpg")},
              {"id": "p3", "path": "../../elsewhere/deep/../deep/..%2f..%2fevil.jpg"},
              {"id": "p4", "path": "../../../../../../../../" + str(elsewhere / "evil name.jpg")},
              {"id": "p5", "path": "../../../../../../../../etc/passwd"}]
    doc = {"format": "photostory", "version": 1,
           "story": {"title": "../../../../tmp/owned", "default_credit": "x"},
           "photos": [{**p, "caption": "c", "alt": "a"} for p in photos],
           "body": [{"type": "photos", "id": "g1", "photos": [p["id"] for p in photos]}]}
    story_path = story_dir / "story.photostory"
    story_path.write_text(json.dumps(doc), encoding="utf-8")
    story = load_story(story_path)
    out = story_dir / "export"
    before = _snapshot(tmp_path, out)
    report = export_story(story, out, TINY)
    assert _snapshot(tmp_path, out) == before
    assert report.photos == 4 and [name for name, _ in report.failed] == ["passwd"]
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert all(re.fullmatch(r"[a-z0-9./-]+", name) for name in written), written
    assert sorted(p.name for p in (out / "images").iterdir()) == [
        "2f-2fevil-32.jpg", "evil-name-32.jpg", "passwd-32.jpg", "photo-32.jpg"]


def test_cli_default_output_folder_is_a_slug_of_the_title(tmp_path):
    from photostory.cli import main

    (tmp_path / "work").mkdir()
    Image.new("RGB", (48, 36)).save(tmp_path / "work" / "a.jpg")
    story = Story(title="../../../../tmp/owned\x00/<b>", default_credit="x")
    story.photos = import_photos([tmp_path / "work" / "a.jpg"], workers=1).photos
    save_story(story, tmp_path / "work" / "s.photostory")
    cwd = os.getcwd()
    os.chdir(tmp_path / "work")
    try:
        assert main(["export", "s.photostory", "--workers", "1", "--ignore-errors",
                     "--widths", "32"]) == 0
    finally:
        os.chdir(cwd)
    assert [p.name for p in (tmp_path / "work" / "exports").iterdir()] == ["tmp-owned-b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_a_caption_too_long_for_xmp_still_exports(tmp_path):
    story = build_story(tmp_path, "Title", "", "", ("Text.", ""),
                        [("Сөз " * 12000, "", "Alt"), ("Short", "", "Alt 2")], ["photo", "other"])
    report = export_story(story, tmp_path / "out", TINY)
    assert report.photos == 2 and not report.failed, report.failed
    page = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert page.texts("ps-caption")[0] == story.photos[0].caption.strip()
