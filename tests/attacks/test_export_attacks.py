"""Attacks on `photostory export` through the command line: the user's own files in the
export folder, links, folders named like the export's leftovers, metadata too long for
a JPEG, photos that are not regular files, a poisoned state file, and direction marks
in the story's texts."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from PIL import Image

from cli_support import assert_refused, photostory, snapshot
from htmlcheck import Page

STATE_FILE = ".photostory-export.json"


def export(story_dir: Path, out: Path, *extra: object):
    return photostory("export", story_dir / "story.photostory", "-o", out, "--workers", "1",
                      "--widths", "160,320", "--ignore-errors", *extra)


def edit_story(story_dir: Path, change) -> None:
    path = story_dir / "story.photostory"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


# -- the user's files in the export folder --------------------------------------------------


def test_reexport_over_the_users_files_is_refused_and_changes_nothing(story_dir):
    out = story_dir / "out"
    assert export(story_dir, out).returncode == 0
    (out / "notes.txt").write_text("interview notes", encoding="utf-8")
    (out / "originals").mkdir()
    (out / "originals" / "IMG_0001.jpg").write_bytes(b"original")
    before = snapshot(story_dir)
    result = export(story_dir, out)
    assert_refused(result, str(out), "notes.txt", "originals/", "did not make")
    assert snapshot(story_dir) == before


def test_an_export_folder_holding_the_story_file_is_refused(story_dir):
    """Exporting into the story's own folder would make the story file part of the export."""
    before = snapshot(story_dir)
    result = photostory("export", story_dir / "story.photostory", "-o", story_dir)
    assert_refused(result, "story.photostory")
    assert snapshot(story_dir) == before


def test_a_users_folder_named_like_a_leftover_survives(story_dir):
    out = story_dir / "out"
    assert export(story_dir, out).returncode == 0
    mine = story_dir / ".out.old-1"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    (mine / STATE_FILE).write_text('{"photos": {}}', encoding="utf-8")
    before = snapshot(mine)
    assert export(story_dir, out).returncode == 0
    assert snapshot(mine) == before


# -- links --------------------------------------------------------------------------------------


def test_exporting_to_a_link_writes_at_its_target(story_dir):
    target = story_dir / "published" / "visit"
    target.parent.mkdir()
    link = story_dir / "latest"
    link.symlink_to(target, target_is_directory=True)
    for _ in range(2):
        result = export(story_dir, link)
        assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert (target / "index.html").is_file()
    assert not [p.name for p in story_dir.iterdir() if p.name.startswith(".")]
    assert sorted(p.name for p in target.parent.iterdir()) == ["visit"]


# -- metadata too long for a JPEG ------------------------------------------------------------------


def test_a_70000_character_credit_from_a_sheet_exports_with_a_warning(story_dir):
    sheet = story_dir / "captions.csv"
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "caption", "credit", "alt"])
        writer.writerow(["photo1.jpg", "Caption", "Агентство & партнёры " * 3500, "Alt"])
    done = photostory("captions", story_dir / "story.photostory", "--import", sheet)
    assert done.returncode == 0, done.stderr
    out = story_dir / "out"
    result = export(story_dir, out)
    assert result.returncode == 0, result.stderr
    assert "1 warning" in result.stdout, result.stdout
    assert any(line.startswith("warning:") and "photo1.jpg" in line
               for line in result.stderr.splitlines()), result.stderr
    with Image.open(out / "images" / "photo1-320.jpg") as im:
        packet = im.info["xmp"]
    assert len(packet) <= 65502 and "Агентство".encode() in packet


# -- photos that are not regular files -------------------------------------------------------------


def _photo_path(story_dir: Path, path: str) -> None:
    def change(doc):
        doc["photos"][0]["path"] = path
    edit_story(story_dir, change)


def test_photos_that_are_not_regular_files_fail_alone(story_dir, tmp_path_factory):
    special = tmp_path_factory.mktemp("special")
    os.mkfifo(special / "pipe.jpg")
    (special / "folder.jpg").mkdir()
    for path, name, reason in ((special / "pipe.jpg", "pipe.jpg", "named pipe"),
                               (Path("/dev/zero"), "zero", "device"),
                               (Path("/dev/urandom"), "urandom", "device"),
                               (special / "folder.jpg", "folder.jpg", "folder")):
        _photo_path(story_dir, str(path))
        out = story_dir / f"out-{name}"
        result = export(story_dir, out)
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")
                    and name in line]
        assert warnings and reason in warnings[0], result.stderr
        assert (out / "index.html").is_file()
        assert len(list((out / "images").iterdir())) == 4  # the two other photos, two sizes


# -- a poisoned state file ---------------------------------------------------------------------------


def test_a_poisoned_state_file_brings_no_outside_file_into_the_export(story_dir, tmp_path_factory):
    out = story_dir / "out"
    assert export(story_dir, out).returncode == 0
    secret = tmp_path_factory.mktemp("private") / "secret.jpg"
    Image.new("RGB", (320, 240), "red").save(secret)
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    for entry in state["photos"].values():
        for rendition in entry["renditions"]:
            rendition["url"] = os.path.relpath(secret, out)
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    result = export(story_dir, out)
    assert result.returncode == 0, result.stderr
    inode = (secret.stat().st_dev, secret.stat().st_ino)
    assert all((p.stat().st_dev, p.stat().st_ino) != inode for p in (out / "images").iterdir())
    assert all(p.read_bytes() != secret.read_bytes() for p in (out / "images").iterdir())


# -- direction marks ------------------------------------------------------------------------------------


def test_a_direction_override_at_the_end_of_the_dateline_stays_in_it(story_dir):
    def change(doc):
        doc["story"]["dateline"] = "SARAN\u202e"
        doc["story"]["byline"] = "Staff\u202e"
    edit_story(story_dir, change)
    out = story_dir / "out"
    assert export(story_dir, out).returncode == 0
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    (dateline,) = page.find("span", "ps-dateline")
    (byline,) = page.find("span", "ps-byline")
    assert dateline.text == "SARAN\u202e." and dateline.attrs.get("dir") == "auto"
    assert byline.text == "Staff\u202e" and byline.attrs.get("dir") == "auto"
    paragraphs = [b.text for b in page.find("bdi") if "ps-text" in b.parents[-1]]
    assert paragraphs[0] == "First paragraph."  # its own isolate, after the dateline's
