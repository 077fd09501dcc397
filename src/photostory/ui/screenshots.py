"""Screenshots of the editor on the sample story, for the README and for review.

    QT_QPA_PLATFORM=offscreen python -m photostory.ui.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
from collections.abc import Callable
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from photostory.resources import sample_story
from photostory.ui.app import make_application
from photostory.ui.settings import Settings

SIZE = (1366, 768)


def _settle(app: QApplication, done: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def take_screenshots(out_dir: Path, story_path: Path | None = None) -> list[Path]:
    """Save editor-main.png (one photo selected) and editor-mixed.png (several selected)."""
    from photostory.ui.main_window import MainWindow

    app = make_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(*SIZE)
        window.show()
        window.files.open_story(story_path or sample_story(), ask=False)
        story = window.document.story
        window.thumbnails.prefetch(story.photos)
        _settle(app, lambda: all(window.thumbnails.is_loaded(p) for p in story.photos))
        saved = []
        window.tray.select_ids([story.photos[1].id])
        _settle(app, lambda: window.inspector.ids == [story.photos[1].id])
        _settle(app, lambda: window.thumbnails.is_loaded(story.photos[1], 480))
        _settle(app, lambda: window.preflight.checked and window.preflight.current)
        path = out_dir / "editor-main.png"
        window.grab().save(str(path))
        saved.append(path)
        window.tray.select_ids([p.id for p in story.photos[2:6]])
        groups = window.article.group_ids()
        if groups:  # show the last photo group (the sample's grid of four) in the article
            strip = window.article.block_widget(groups[-1])
            window.article.scroll.ensureWidgetVisible(strip, 0, 40)
        _settle(app, lambda: all(window.thumbnails.is_loaded(p, 480) for p in story.photos[2:6]))
        path = out_dir / "editor-mixed.png"
        window.grab().save(str(path))
        saved.append(path)
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    return saved


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    for saved_path in take_screenshots(target):
        print(saved_path)
