"""What exported renditions carry: the desk's caption and credit, and nothing private."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.importing import import_photos
from photostory.core.privacy import sensitive_metadata
from photostory.core.story import Story
from support import corpus_path, require_tool

CAPTIONS = [
    ("en", "The President tours the assembly line <with> \"quotes\" & more 📷",
     "Workers fit a windscreen to an electric bus"),
    ("ru", "Президент осмотрел сборочную линию завода в Сарани 🚌",
     "Рабочие устанавливают лобовое стекло на электробус"),
    ("kk", "Мемлекет басшысы Сарандағы зауыттың құрастыру желісін аралады 🇰🇿",
     "Жұмысшылар электробусқа әйнек орнатуда"),
]
# Sources with GPS, serial numbers, owner names and maker notes.
SOURCES = ["DSCN0010.jpg", "GoPro.jpg", "canon-ixus.jpg", "exiv2-bug876.jpg", "87_OSError.jpg",
           "FurnaceCreekInn.jpg"]
PRIVATE_TAGS = ("GPS", "SerialNumber", "OwnerName", "MakerNote", "ThumbnailImage", "Serial")


def exiftool_json(exiftool: str, files: list[Path], *args: str) -> list[dict]:
    out = subprocess.run([exiftool, "-j", "-a", "-G1", *args, *map(str, files)],
                         capture_output=True, check=True, timeout=120)
    return json.loads(out.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    exiftool = require_tool("exiftool")
    tmp = tmp_path_factory.mktemp("meta")
    for name in SOURCES:
        shutil.copy(corpus_path("real", name), tmp / name)
    story = Story(title="Завод", default_credit="akorda.kz")
    story.photos = import_photos([tmp / n for n in SOURCES], workers=1).photos
    for i, photo in enumerate(story.photos):
        _, caption, alt = CAPTIONS[i % 3]
        photo.caption, photo.alt = caption, alt
        photo.creator = "Айдар Қасымов"
        photo.copyright = "© 2022 Ақорда"
    story.photos[1].credit = "Reuters / Иван Петров"
    report = export_story(story, tmp / "out", ExportOptions(workers=1))
    return exiftool, story, tmp / "out", report


def test_every_rendition_carries_the_final_text(exported):
    exiftool, story, out, _ = exported
    manifest = json.loads((out / "story.json").read_text(encoding="utf-8"))
    checked = 0
    for photo, entry in zip(story.photos, manifest["photos"]):
        files = [out / r["url"] for r in entry["renditions"]]
        for tags in exiftool_json(exiftool, files, "-XMP:all", "-EXIF:all", "-GPS:all"):
            assert tags["XMP-dc:Description"] == photo.caption
            assert tags["XMP-photoshop:Credit"] == story.effective_credit(photo)
            assert tags["XMP-dc:Creator"] == photo.creator
            assert tags["XMP-dc:Rights"] == photo.copyright
            assert tags["XMP-iptcCore:AltTextAccessibility"] == photo.alt
            checked += 1
    assert checked >= len(SOURCES) * 2


def test_no_location_serial_owner_or_maker_notes_by_default(exported):
    exiftool, _, out, report = exported
    for tags in exiftool_json(exiftool, sorted((out / "images").iterdir()), "-EXIF:all", "-GPS:all",
                              "-MakerNotes:all", "-XMP:all"):
        leaked = [key for key in tags if any(p.lower() in key.lower() for p in PRIVATE_TAGS)]
        assert leaked == [], f"{tags['SourceFile']} leaks {leaked}"
    assert report.removed == ["location (GPS) from 4 photos", "camera serial number from 2 photos",
                              "maker notes from 5 photos", "embedded original thumbnail from 5 photos"]


# exiftool groups (-G1) a rendition may carry: the file's own structure, our XMP, and
# what exiftool derives from them. Anything else (IFD0 Make/Model, ExifIFD serials,
# IFD1 thumbnails, maker-note groups such as Nikon or Canon) came from the source.
OWN_GROUPS = ("SourceFile", "ExifTool:", "System:", "File:", "JFIF:", "XMP-", "Composite:")


def source_tags(tags: dict) -> list[str]:
    """The tags of an exiftool -G1 record that a rendition only has if copied from its source."""
    return [key for key in tags if not key.startswith(OWN_GROUPS)]


def test_web_copies_carry_no_exif_of_their_source_by_default(exported):
    exiftool, _, out, _ = exported
    for tags in exiftool_json(exiftool, sorted((out / "images").iterdir())):
        assert source_tags(tags) == [], tags["SourceFile"]


@pytest.fixture(scope="module")
def kept_location(tmp_path_factory):
    """Sources with GPS, serial numbers, maker notes and thumbnails, exported by a desk
    that keeps the location."""
    exiftool = require_tool("exiftool")
    tmp = tmp_path_factory.mktemp("keep-location")
    names = ["DSCN0010.jpg", "GoPro.jpg", "87_OSError.jpg"]
    for name in names:
        shutil.copy(corpus_path("real", name), tmp / name)
    story = Story(title="Map", keep_location=True, default_credit="x")
    story.photos = import_photos([tmp / n for n in names], workers=1).photos
    report = export_story(story, tmp / "out", ExportOptions(workers=1))
    return exiftool, story, tmp / "out", report


def test_story_option_keeps_location(kept_location):
    exiftool, _, out, report = kept_location
    assert not any("GPS" in r for r in report.removed)
    latitudes = {}
    for tags in exiftool_json(exiftool, sorted((out / "images").iterdir()), "-n"):
        latitudes[Path(tags["SourceFile"]).stem.rsplit("-", 1)[0]] = round(tags["GPS:GPSLatitude"], 3)
    assert latitudes == {"dscn0010": 43.467, "gopro": 40.658, "87-oserror": 43.786}


def test_keeping_the_location_keeps_nothing_else(kept_location):
    """The location travels alone: no camera make or model, no serial number, no maker
    notes, no embedded thumbnail of the original."""
    exiftool, _, out, _ = kept_location
    for tags in exiftool_json(exiftool, sorted((out / "images").iterdir())):
        extra = [key for key in source_tags(tags) if not key.startswith("GPS:")]
        assert extra == [], f"{tags['SourceFile']} carries {extra} besides the location"


def test_what_the_report_says_was_removed_is_gone(kept_location):
    """Each kind the export report lists as removed is in the sources and in no rendition."""
    _, story, out, report = kept_location
    assert report.removed == ["camera serial number from 2 photos", "maker notes from 3 photos",
                              "embedded original thumbnail from 3 photos"]
    in_sources = set().union(*(sensitive_metadata(photo.path) for photo in story.photos))
    in_renditions = {path.name: sensitive_metadata(path) for path in (out / "images").iterdir()}
    for line in report.removed:
        kind = line.rsplit(" from ", 1)[0]
        assert kind in in_sources
        assert [name for name, kinds in in_renditions.items() if kind in kinds] == [], kind
    assert all(kinds == {"location (GPS)"} for kinds in in_renditions.values()), in_renditions


def test_cli_export_says_what_was_removed(tmp_path):
    import sys
    shutil.copy(corpus_path("real", "DSCN0010.jpg"), tmp_path)
    run = lambda *a: subprocess.run([sys.executable, "-m", "photostory", *map(str, a)],
                                    capture_output=True, text=True, timeout=300)
    assert run("new", tmp_path / "s.photostory", "--photos", tmp_path, "--credit", "x").returncode == 0
    result = run("export", tmp_path / "s.photostory", "-o", tmp_path / "out")
    assert "Removed from web copies: location (GPS) from 1 photo." in result.stdout


def test_the_privacy_scan_finds_a_location_after_a_png_s_pixels_without_decoding_them(tmp_path):
    """A PNG may carry its EXIF after the image data; Pillow reaches it only by decoding
    every pixel, which the scan of each photo at export once did."""
    import io
    import struct
    import zlib

    from PIL import Image

    from support import counting_decodes

    exif = Image.Exif()
    exif[0x8825] = {0: b"\x02\x03\x00\x00", 1: "N", 2: (43.0, 28.0, 0.0)}
    data = exif.tobytes()[6:]  # the eXIf chunk holds the TIFF block without "Exif\0\0"
    chunk = struct.pack(">I", len(data)) + b"eXIf" + data + struct.pack(">I", zlib.crc32(b"eXIf" + data))
    png = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 30)).save(png, "PNG")
    iend = png.getvalue().rindex(b"IEND") - 4
    path = tmp_path / "late-exif.png"
    path.write_bytes(png.getvalue()[:iend] + chunk + png.getvalue()[iend:])
    with counting_decodes() as decodes:
        assert sensitive_metadata(path) == {"location (GPS)"}
    assert decodes.count == 0
