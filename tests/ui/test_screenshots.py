"""The screenshot script runs on the sample story and saves 1366x768 pictures of the
editor with its photos painted (a blank or half-drawn window is caught)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from photostory.ui.screenshots import SIZE, take_screenshots
from support import photo_shown_in


def tray_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where the photo tray's first two rows of thumbnails are, at the screenshot size."""
    width, height = size
    return 0, int(0.07 * height), int(0.29 * width), int(0.45 * height)


def inspector_preview_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The inspector's preview of the selected photo (one photo selected)."""
    width, height = size
    return int(0.78 * width), int(0.07 * height), int(0.92 * width), int(0.31 * height)


def test_screenshots_of_the_sample_story(qapp, tmp_path: Path) -> None:
    saved = take_screenshots(tmp_path)
    assert [p.name for p in saved] == ["editor-main.png", "editor-mixed.png"]
    for path in saved:
        with Image.open(path) as image:
            assert image.size == SIZE
            assert photo_shown_in(image, tray_box(SIZE)) == "", path.name
    with Image.open(saved[0]) as image:
        assert photo_shown_in(image, inspector_preview_box(SIZE)) == ""


def test_a_window_without_photos_fails_the_screenshot_check(window, tmp_path: Path) -> None:
    """The check above, proven on the editor with no story open (nothing in the tray)."""
    window.resize(*SIZE)
    path = tmp_path / "empty.png"
    window.grab().save(str(path))
    with Image.open(path) as image:
        assert image.size == SIZE
        assert "no photo there" in photo_shown_in(image, tray_box(SIZE))
        assert "no photo there" in photo_shown_in(image, inspector_preview_box(SIZE))
