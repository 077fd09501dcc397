"""Kazakh and Russian folder and file names, with spaces, end to end.

A story in "Сарандағы зауыт" with photos "Президент зауытта 1.jpg"... imports, saves,
reopens and exports with ASCII rendition names, in the core and through the
``photostory`` command run in a plain C locale. Also: file names as macOS writes them
(NFD) against a captions sheet typed in NFC, file names that are not UTF-8 at all
(CP1251 bytes from a Windows archive), and names near the 255-byte limit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from htmlcheck import Page
from photostory.core.captions_csv import match_sheet, parse_sheet, read_sheet, write_sheet
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.importing import import_photos
from photostory.core.story import Paragraph, PhotoGroup, Story
from photostory.core.storyfile import load_story, save_story, story_to_dict

TINY = ExportOptions(workers=1, widths=(32, 64))
FOLDER = "Сарандағы зауыт"
NAMES = ["Президент зауытта 1.jpg", "Президент зауытта 2.jpg", "Жұмысшылар және автобус.jpg",
         "Ёлка  й  (копия).JPG"]
SLUGS = ["prezident-zauytta-1", "prezident-zauytta-2", "zhumysshylar-zhane-avtobus", "elka-i-kopiia"]


def _photos(folder: Path, names=NAMES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, name in enumerate(names):
        path = folder / name
        Image.new("RGB", (96, 64), (50 * i, 100, 150)).save(path, "JPEG")
        paths.append(path)
    return paths


def _story(paths: list[Path]) -> Story:
    report = import_photos(paths, workers=1)
    assert not report.skipped, report.skipped
    story = Story(title="Президент Сарандағы зауытта", language="kk", default_credit="akorda.kz")
    story.photos = report.photos
    for i, photo in enumerate(story.photos):
        photo.caption = f"Қазақстан: сурет {i + 1}"
        photo.alt = "Автобус"
    story.body = [Paragraph("Мемлекет басшысы."), PhotoGroup([p.id for p in story.photos])]
    return story


def test_kazakh_folder_and_cyrillic_names_import_save_reopen_and_export(tmp_path):
    root = tmp_path / FOLDER
    story = _story(_photos(root / "Суреттер"))
    assert sorted(p.file_name for p in story.photos) == sorted(NAMES)
    path = root / "Сапар Сарандағы.photostory"
    save_story(story, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(p["path"] for p in data["photos"]) == sorted(f"Суреттер/{n}" for n in NAMES)
    warnings: list[str] = []
    reopened = load_story(path, warnings)
    assert warnings == [] and story_to_dict(reopened, root) == story_to_dict(story, root)
    assert all(p.path.is_file() for p in reopened.photos)

    out = root / "Экспорт"
    report = export_story(reopened, out, TINY)
    assert report.photos == len(NAMES) and not report.failed
    images = sorted(p.name for p in (out / "images").iterdir())
    assert images == sorted(f"{slug}-{w}.jpg" for slug in SLUGS for w in (32, 64))
    assert all(name.isascii() for name in images)
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    assert {img.attrs["src"] for img in page.find("img")} <= {f"images/{n}" for n in images}
    manifest = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert sorted(p["file"] for p in manifest["photos"]) == sorted(NAMES)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The command as cron or a bare terminal runs it: C locale, no PYTHONIOENCODING."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8")) and k != "LANG"}
    env["LC_ALL"] = "C"
    return subprocess.run([sys.executable, "-m", "photostory", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def test_cli_end_to_end_in_a_kazakh_folder(tmp_path):
    root = tmp_path / FOLDER
    _photos(root / "Суреттер")
    (root / "captions.csv").write_text(
        "file,caption,credit,alt\n"
        "Президент зауытта 1.jpg,Мемлекет басшысы «Qazaq Bus» зауытында,,Автобус\n"
        "Суреттер/Жұмысшылар және автобус.jpg,Жұмысшылар,Reuters,Адамдар\n", encoding="utf-8")
    story = f"{FOLDER}/Сапар.photostory"
    new = _run(["new", story, "--photos", f"{FOLDER}/Суреттер", "--title", "Президент Сарандағы зауытта",
                "--credit", "akorda.kz", "--language", "kk"], tmp_path)
    assert new.returncode == 0, new.stderr.decode()
    captions = _run(["captions", story, "--import", f"{FOLDER}/captions.csv"], tmp_path)
    assert captions.returncode == 0, captions.stderr.decode()
    assert b"not matched" not in captions.stdout
    check = _run(["check", story], tmp_path)
    assert b"missing" not in check.stdout.lower() or b"file is missing" not in check.stdout
    for args, out in ((["export", story], tmp_path / "exports" / "prezident-sarandagy-zauytta"),
                      (["export", story, "-o", f"{FOLDER}/Экспорт"], root / "Экспорт")):
        result = _run([*args, "--workers", "1", "--widths", "32,64", "--ignore-errors"], tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        assert str(out / "index.html").encode() in result.stdout
        images = sorted(p.name for p in (out / "images").iterdir())
        assert images == sorted(f"{slug}-{w}.jpg" for slug in SLUGS for w in (32, 64))
        page = Page((out / "index.html").read_text(encoding="utf-8"))
        assert "Мемлекет басшысы «Qazaq Bus» зауытында" in page.texts("ps-caption")
        assert "Фото: Reuters" in page.texts("ps-credit")
    loaded = load_story(root / "Сапар.photostory")
    assert {p.file_name: p.caption for p in loaded.photos}["Жұмысшылар және автобус.jpg"] == "Жұмысшылар"


def test_long_cyrillic_story_name_saves(tmp_path):
    """A 247-byte name is valid; the temporary file beside it used to be too long."""
    stem = "Президент Сарандағы зауытта болды " * 5
    while len(os.fsencode(stem + ".photostory")) > 247:
        stem = stem[:-1]
    path = tmp_path / (stem + ".photostory")
    assert len(os.fsencode(path.name)) > 240
    save_story(Story(title="Long"), path)
    assert load_story(path).title == "Long"
    write_sheet(Story(title="Long"), path.with_suffix(".csv"), tmp_path)


def test_export_to_a_folder_with_a_long_kazakh_name(tmp_path):
    story = _story(_photos(tmp_path / "photos", NAMES[:1]))
    out = tmp_path / ("Экспорт " + "қ" * 115)
    assert len(os.fsencode(out.name)) < 255
    export_story(story, out, TINY)
    assert (out / "index.html").is_file()


def test_captions_sheet_in_nfc_matches_nfd_file_names(tmp_path):
    """macOS (and files copied from it) store "й" and "ё" decomposed (NFD); a sheet typed
    on Windows has them composed (NFC). They are the same names to a person."""
    names = [unicodedata.normalize("NFD", n) for n in NAMES]
    assert names[3] != NAMES[3]
    story = _story(_photos(tmp_path / "photos", names))
    sheet = parse_sheet("file,caption\n" + "".join(f"{n},Caption {i}\n" for i, n in enumerate(NAMES)))
    match = match_sheet(story, sheet, tmp_path)
    assert match.unknown == [] and match.matched_rows == len(NAMES)


# -- file names that are not UTF-8 ----------------------------------------------------

CP1251_NAME = "Президент 1.jpg".encode("cp1251")


@pytest.fixture
def non_utf8_story(tmp_path) -> tuple[Story, Path]:
    if sys.platform == "darwin" or os.name == "nt":
        pytest.skip("the file system insists on Unicode names")
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.new("RGB", (96, 64), (10, 20, 30)).save(os.path.join(os.fsencode(folder), CP1251_NAME), "JPEG")
    Image.new("RGB", (96, 64), (10, 20, 30)).save(folder / "Сурет 2.jpg", "JPEG")
    story = _story([folder])
    return story, tmp_path


def test_non_utf8_file_names_import_save_and_reopen(non_utf8_story):
    """A CP1251 name from a Windows archive imported fine, and then saving the story
    failed with UnicodeEncodeError: an hour of captioning could not be saved."""
    story, root = non_utf8_story
    path = root / "story.photostory"
    save_story(story, path)
    path.read_bytes().decode("utf-8")  # still UTF-8 JSON
    reopened = load_story(path)
    assert [os.fsencode(p.path.name) for p in reopened.photos] == [os.fsencode(p.path.name) for p in story.photos]
    assert all(p.path.is_file() for p in reopened.photos)
    assert reopened.photos[0].caption == story.photos[0].caption


def test_non_utf8_file_names_in_a_captions_sheet(non_utf8_story):
    """Writing the sheet used to raise UnicodeEncodeError; the name is shown with U+FFFD
    for what cannot be read, and the row still finds its photo on import."""
    story, root = non_utf8_story
    sheet = root / "captions.csv"
    write_sheet(story, sheet, root)
    text = sheet.read_text(encoding="utf-8-sig")
    assert "photos/\ufffd" in text
    rows = read_sheet(sheet)
    for row in rows:
        row.values["caption"] = "New " + row.file
    match = match_sheet(story, rows, root)
    assert match.unknown == [] and match.ambiguous == [] and len(match.changes) == 2


def test_non_utf8_file_names_export(non_utf8_story):
    story, root = non_utf8_story
    report = export_story(story, root / "out", TINY)
    assert report.photos == 2
    names = sorted(p.name for p in (root / "out" / "images").iterdir())
    assert all(re.fullmatch(r"[a-z0-9-]+\.jpg", n) for n in names)
