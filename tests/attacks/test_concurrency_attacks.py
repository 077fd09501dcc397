"""Two desks at once: captions imported into one story by two commands at the same time.

Before, the second command said "Updated" while the first one's captions were silently
lost. Each import now holds the story's save lock from reading to saving, so both land."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from cli_support import HANG_GUARD_SECONDS

ROUNDS = 4
PHOTOS = 3000  # a big story: reading, matching and saving it take long enough to overlap


def _big_story(story_dir: Path) -> Path:
    """story_dir's story with PHOTOS photos (captions import reads no photo file)."""
    story = story_dir / "story.photostory"
    doc = json.loads(story.read_text(encoding="utf-8"))
    template = doc["photos"][0]
    doc["photos"] = [{**template, "id": f"p{i}", "path": f"photos/photo-{i}.jpg", "caption": ""}
                     for i in range(PHOTOS)]
    doc["body"] = [block for block in doc["body"] if block.get("type") == "paragraph"]
    story.write_text(json.dumps(doc), encoding="utf-8")
    return story


def _sheet(path: Path, photos: range, text: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "caption"])
        for i in photos:
            writer.writerow([f"photo-{i}.jpg", f"{text} {i}"])
    return path


def _start_import(story: Path, sheet: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "photostory", "captions", str(story),
                             "--import", str(sheet)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_two_imports_at_once_both_land(story_dir: Path) -> None:
    story = _big_story(story_dir)
    half = PHOTOS // 2
    lost = 0
    for round_ in range(ROUNDS):
        sheets = [_sheet(story_dir / "desk1.csv", range(half), f"Desk 1 round {round_}"),
                  _sheet(story_dir / "desk2.csv", range(half, PHOTOS), f"Desk 2 round {round_}")]
        running = [_start_import(story, sheet) for sheet in sheets]
        for proc in running:
            _, err = proc.communicate(timeout=HANG_GUARD_SECONDS)
            assert proc.returncode == 0, err
            assert "Traceback" not in err
        captions = [p["caption"] for p in json.loads(story.read_text(encoding="utf-8"))["photos"]]
        expected = [f"Desk {1 if i < half else 2} round {round_} {i}" for i in range(PHOTOS)]
        lost += sum(1 for got, want in zip(captions, expected) if got != want)
    assert lost == 0, f"{lost} captions were silently lost"
