"""Captions and alt texts in every language version as XMP language alternatives: written
into the renditions (read back by exiftool), shortened to fit a JPEG, and read on import
into the versions of the same language."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from PIL import Image

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.edits import InsertPhotos
from photostory.core.importing import import_photos, photo_from_file
from photostory.core.metadata.reading import read_metadata
from photostory.core.metadata.xmp import MAX_XMP_PACKET, build_xmp, field_languages, fit_xmp, parse_xmp
from photostory.core.story import PhotoGroup, Story, Translation
from support import require_tool
from test_export_versions import make_story

CAPTIONS = {"kk": "Ақорда, Астана", "ru": "Акорда, Астана", "en": "Akorda, Astana"}


def exiftool_tags(path: Path, *tags: str) -> dict:
    exiftool = require_tool("exiftool")
    out = subprocess.run([exiftool, "-j", "-charset", "UTF8", *tags, str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)[0]


def test_a_language_alternative_writes_each_language_and_the_first_as_x_default(tmp_path):
    packet = build_xmp({"caption": CAPTIONS, "alt_text": {"kk": "", "ru": "Здание"}})
    props = parse_xmp(packet)
    assert props["{http://purl.org/dc/elements/1.1/}description"] == CAPTIONS["kk"]  # x-default
    assert field_languages(props, "caption") == CAPTIONS
    # No x-default when the default language has no text: another language is not the default.
    assert b'xml:lang="x-default">\xd0\x97' not in packet
    assert field_languages(props, "alt_text") == {"ru": "Здание"}


def test_fitting_cuts_each_language_and_keeps_x_default_equal_to_the_first():
    captions = {"kk": "Қ" * 30000, "ru": "Ж" * 30000, "en": "Short."}
    packet, shortened, dropped = fit_xmp({"caption": captions, "credit": "akorda.kz"})
    assert len(packet) <= MAX_XMP_PACKET and shortened == ["caption"] and dropped == []
    props = parse_xmp(packet)
    texts = field_languages(props, "caption")
    assert texts["en"] == "Short." and texts["kk"].endswith("…") and texts["ru"].endswith("…")
    assert props["{http://purl.org/dc/elements/1.1/}description"] == texts["kk"]
    assert "akorda.kz" in packet.decode()


def test_renditions_carry_every_version_caption_and_alt_for_exiftool(tmp_path):
    story = make_story(tmp_path / "photos", count=1)
    export_story(story, tmp_path / "out", ExportOptions(widths=(160,), workers=1))
    tags = exiftool_tags(tmp_path / "out" / "images" / "photo1-160.jpg",
                         "-XMP-dc:Description", "-XMP-dc:Description-kk", "-XMP-dc:Description-ru",
                         "-XMP-dc:Description-en", "-XMP-iptcCore:AltTextAccessibility-ru",
                         "-XMP-iptcCore:AltTextAccessibility")
    assert tags["Description"] == tags["Description-kk"] == "Қазақша жазу 1"
    assert tags["Description-ru"] == "Подпись 1" and tags["Description-en"] == "Caption 1"
    assert tags["AltTextAccessibility-ru"] == "Подпись alt 1"
    assert tags["AltTextAccessibility"] == "Қазақша сипаттама 1"


def test_a_photo_with_captions_in_several_languages_is_read_with_all_of_them(tmp_path):
    path = tmp_path / "tagged.jpg"
    Image.new("RGB", (64, 48), "gray").save(path, xmp=build_xmp(
        {"caption": CAPTIONS, "alt_text": {"kk": "Ғимарат", "en": "Building"}}))
    metadata = read_metadata(path)
    assert metadata.caption == CAPTIONS["kk"]
    assert dict(metadata.captions) == CAPTIONS
    assert dict(metadata.alt_texts) == {"kk": "Ғимарат", "en": "Building"}
    photo, _ = photo_from_file(path)
    assert photo.caption == CAPTIONS["kk"] and photo.alt == "Ғимарат"


def tagged_photo(path: Path, captions: dict[str, str], alts: dict[str, str]) -> Path:
    Image.new("RGB", (64, 48), "gray").save(path, xmp=build_xmp({"caption": captions, "alt_text": alts}))
    return path


def test_photos_imported_into_a_story_with_versions_fill_the_matching_ones(tmp_path):
    story = Story(language="kk", translations=[Translation("ru"), Translation("en"), Translation("kk-Latn")])
    path = tagged_photo(tmp_path / "a.jpg", {"kk": "Ақорда", "ru-RU": "Акорда", "de": "Akorda (de)"},
                        {"kk": "Ғимарат", "en": "Building"})
    report = import_photos([path], workers=1)
    (photo,) = report.photos
    edit = InsertPhotos(report.photos, texts=report.texts)
    edit.apply(story)
    assert photo.caption == "Ақорда" and photo.alt == "Ғимарат"  # x-default: the source version
    assert story.translation("ru").captions == {photo.id: "Акорда"}  # ru-RU is the ru version's
    assert story.translation("en").alts == {photo.id: "Building"} and story.translation("en").captions == {}
    assert story.translation("kk-Latn").captions == {}  # Cyrillic kk is not Latin-script kk
    edit.revert(story)
    assert story.photos == [] and all(not t.captions and not t.alts for t in story.translations)


def test_a_version_added_from_an_article_takes_the_files_captions_in_its_language(tmp_path):
    from photostory.core.article import read_article
    from photostory.core.article_versions import version_from_article

    paths = [tagged_photo(tmp_path / f"{n}.jpg", {"kk": f"Сурет {n}", "ru": f"Снимок {n}"},
                          {"ru": f"Здание {n}"}) for n in (1, 2)]
    story = Story(language="kk", photos=import_photos(paths, workers=1).photos)
    story.body = [PhotoGroup([p.id for p in story.photos])]
    (tmp_path / "ru.txt").write_text("Заголовок\n\nТекст.\n\nphoto\nphoto\n", encoding="utf-8")
    ru = version_from_article(story, read_article(tmp_path / "ru.txt"), "ru").translation
    assert [ru.captions[p.id] for p in story.photos] == ["Снимок 1", "Снимок 2"]
    assert [ru.alts[p.id] for p in story.photos] == ["Здание 1", "Здание 2"]
    en = version_from_article(story, read_article(tmp_path / "ru.txt"), "en").translation
    assert en.captions == {} and en.alts == {}


def test_inspect_shows_a_files_captions_by_language(tmp_path):
    from cli_support import photostory

    path = tagged_photo(tmp_path / "a.jpg", CAPTIONS, {"ru": "Здание"})
    result = photostory("inspect", path, "--json")
    assert result.returncode == 0, result.stderr
    (metadata,) = json.loads(result.stdout)
    assert metadata["captions"] == CAPTIONS and metadata["alt_texts"] == {"ru": "Здание"}
