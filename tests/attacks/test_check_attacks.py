"""Attacks on ``check`` and ``export`` through the photos a story names: a hand-edited
story whose photo paths point at /dev/zero, /dev/urandom and a FIFO. Both commands
finish, name each such photo with the reason, and change nothing on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli_support import photostory, snapshot

REASON = "is not a regular file"


@pytest.fixture
def special_story(story_dir: Path) -> Path:
    """story_dir's story with its three photos pointing at two endless devices and a FIFO
    (all three have size 0, so the duplicate check would compare them). The FIFO is in a
    folder of its own: snapshot() reads every file it is given, and a FIFO never ends."""
    (story_dir / "special").mkdir()
    os.mkfifo(story_dir / "special" / "pipe.jpg")
    story = story_dir / "story.photostory"
    doc = json.loads(story.read_text(encoding="utf-8"))
    assert len(doc["photos"]) == 3
    for photo, target in zip(doc["photos"], ("/dev/zero", "/dev/urandom", "special/pipe.jpg")):
        photo["path"] = target
    story.write_text(json.dumps(doc), encoding="utf-8")
    return story


def _named_with_reason(text: str) -> None:
    for number, name, shown in ((1, "zero", "/dev/zero"), (2, "urandom", "/dev/urandom"),
                                (3, "pipe.jpg", "special/pipe.jpg")):
        lines = [line for line in text.splitlines() if line.startswith(f"error: Photo {number} ({name}):")]
        assert len(lines) == 1, text
        assert shown in lines[0] and REASON in lines[0], lines[0]


def _on_disk(story: Path) -> dict:
    return snapshot(story, story.parent / "photos", story.parent / "article.txt")


def test_check_finishes_and_names_each_special_photo(special_story: Path) -> None:
    before = _on_disk(special_story)
    result = photostory("check", special_story, cwd=special_story.parent)
    assert result.returncode == 1, (result.stdout, result.stderr)  # photos that cannot be used
    _named_with_reason(result.stdout)
    assert "3 errors" in result.stdout
    assert result.stderr == ""
    assert _on_disk(special_story) == before


def test_export_finishes_names_each_special_photo_and_writes_nothing(special_story: Path) -> None:
    folder = special_story.parent
    before = _on_disk(special_story)
    result = photostory("export", special_story, "-o", folder / "out", cwd=folder)
    assert result.returncode == 1, (result.stdout, result.stderr)
    _named_with_reason(result.stderr)
    assert result.error_lines[-1].startswith("error: Preflight found 3 errors; nothing was exported.")
    assert not (folder / "out").exists()
    assert _on_disk(special_story) == before


def test_export_anyway_renders_the_good_photo_and_names_the_special_ones(story_dir: Path) -> None:
    """With --ignore-errors the export goes on: the photo that is a real file is published,
    and the device and the FIFO are each a warning, never a read that blocks."""
    os.mkfifo(story_dir / "pipe.jpg")
    story = story_dir / "story.photostory"
    doc = json.loads(story.read_text(encoding="utf-8"))
    doc["photos"][1]["path"] = "/dev/zero"
    doc["photos"][2]["path"] = "pipe.jpg"
    story.write_text(json.dumps(doc), encoding="utf-8")
    out = story_dir / "out"
    result = photostory("export", story, "-o", out, "--ignore-errors", cwd=story_dir)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any("zero" in line and REASON in line for line in warnings), result.stderr
    assert any("pipe.jpg" in line and REASON in line for line in warnings), result.stderr
    assert len(list((out / "images").glob("photo1-*.jpg"))) >= 1
    assert not list((out / "images").glob("zero-*")) and not list((out / "images").glob("pipe-*"))
