"""The screenshot script runs on the sample story and saves 1366x768 pictures."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from photostory.ui.screenshots import SIZE, take_screenshots


def test_screenshots_of_the_sample_story(qapp, tmp_path: Path) -> None:
    saved = take_screenshots(tmp_path)
    assert [p.name for p in saved] == ["editor-main.png", "editor-mixed.png"]
    for path in saved:
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE
