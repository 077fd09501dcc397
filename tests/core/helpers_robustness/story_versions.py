"""Deterministic story versions for the crash tests (shared by the test and its child).

``version(n)`` is the n-th state an editor saves: its title names ``n`` and its size
grows and shrinks with ``n`` (20-59 photos, long Kazakh and Russian captions), so a
half-written file could never pass for a whole one.
"""

from __future__ import annotations

import json
from pathlib import Path

from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.core.storyfile import story_to_dict

CAPTION = ("Мемлекет басшысы Сарандағы автобус зауытында жұмысшылармен кездесті. "
           "Президент посетил завод в Сарани — «Qazaq Bus». ")


def version(n: int, folder: Path) -> Story:
    story = Story(title=f"Сарандағы зауыт, version {n}", byline="Staff", language="kk",
                  dateline="САРАН", default_credit="akorda.kz", tags=["industry", f"v{n}"])
    count = 20 + n % 40
    for i in range(count):
        story.photos.append(Photo(path=folder / "photos" / f"Президент зауытта {i + 1}.jpg",
                                  id=f"p{i:04d}", caption=f"{n}/{i}: " + CAPTION * (1 + i % 3),
                                  alt=f"Alt {i} v{n}", width=6000, height=4000))
    ids = [p.id for p in story.photos]
    story.body = [Paragraph(f"Paragraph {n}.", id="t0001"), PhotoGroup(ids[:3], id="g0001"),
                  Paragraph("Екінші абзац.", id="t0002"), PhotoGroup(ids[3:], id="g0002")]
    return story


def version_bytes(n: int, story_path: Path) -> bytes:
    """Exactly what save_story writes for version ``n`` at ``story_path``."""
    data = story_to_dict(version(n, story_path.parent), story_path.parent)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def version_number(title: str) -> int:
    return int(title.rsplit(" ", 1)[1])
