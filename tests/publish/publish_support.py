"""Stories to publish and checks of what a site holds, shared by the publish tests."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from support import noisy_story

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.story import Story

PAGES = {"index.html", "embed.html", "story.json"}
OPTIONS = ExportOptions(widths=(480, 960), workers=1)


def exported_story(tmp_path: Path, count: int = 4) -> tuple[Story, Path]:
    """A captioned story of ``count`` small photos, exported to ``tmp_path/export``."""
    story = noisy_story(tmp_path / "photos", count, size=(1000, 750))
    export_dir = tmp_path / "export"
    export_story(story, export_dir, OPTIONS)
    return story, export_dir


def change_caption(story: Story, export_dir: Path, index: int = 1) -> set[str]:
    """Change photo ``index``'s caption, export again; the names of that photo's renditions."""
    story.photos[index].caption = "A corrected caption"
    export_story(story, export_dir, OPTIONS)
    return renditions_of(export_dir, index)


def renditions_of(export_dir: Path, index: int) -> set[str]:
    photo = json.loads((export_dir / "story.json").read_text(encoding="utf-8"))["photos"][index]
    return {r["url"] for r in photo["renditions"]}


def export_files(export_dir: Path) -> dict[str, bytes]:
    """What a site must hold: every file of the export but the hidden state file."""
    return {p.relative_to(export_dir).as_posix(): p.read_bytes()
            for p in export_dir.rglob("*") if p.is_file() and not p.name.startswith(".")}


def folder_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the publish manifest."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file() and p.name != ".photostory-publish.json"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in ("src", "href"):
                self.urls.add(value)
            elif name == "srcset":
                self.urls.update(part.split()[0] for part in value.split(","))


def missing_files(site: dict[str, bytes]) -> list[str]:
    """Files a page on the site points at that the site does not hold."""
    missing = []
    for page in ("index.html", "embed.html"):
        if page not in site:
            continue
        parser = _Links()
        parser.feed(site[page].decode("utf-8"))
        for url in parser.urls:
            if url.startswith(("images/", "assets/")) and url not in site:
                missing.append(f"{page} -> {url}")
    return sorted(missing)
