"""End-to-end attacks through the command line, as a user's shell would run them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import make_photo, photostory


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    """A folder with three photos, an article and ``story.photostory`` made by ``new``."""
    photos = tmp_path / "photos"
    for n, color in enumerate(("steelblue", "darkorange", "seagreen"), 1):
        make_photo(photos / f"photo{n}.jpg", color=color)
    article = tmp_path / "article.txt"
    article.write_text("Plant visit\n\nSARAN. First paragraph.\n\n[photo]\n\nSecond.\n\n"
                       "[photo]\n[photo]\n\nPhoto: akorda.kz\n", encoding="utf-8")
    done = photostory("new", tmp_path / "story.photostory", "--article", article,
                      "--photos", photos)
    assert done.returncode == 0, done.stderr
    return tmp_path
