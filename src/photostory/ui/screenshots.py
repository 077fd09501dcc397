"""Screenshots of the editor on the sample story, for the README and for review, in
English and in each language the editor speaks.

    QT_QPA_PLATFORM=offscreen python -m photostory.ui.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from photostory.core import captions_csv
from photostory.core.article import read_article
from photostory.core.article_to_version import article_change
from photostory.core.i18n import _, current_language, use_language
from photostory.resources import resource, sample_story
from photostory.ui.app import install_qt_translation, make_application, use_preferred_language
from photostory.ui.settings import Settings

if TYPE_CHECKING:
    from photostory.ui.main_window import MainWindow

SIZE = (1366, 768)
#: The sample's language versions besides its English source, in the order they are added.
SAMPLE_VERSIONS = ("kk", "ru")
#: The languages the editor speaks besides English, screenshot for the README.
EDITOR_LANGUAGES = ("ru", "kk")
#: Of the views :func:`language_views` shows, those the README links (the rest: for review).
LANGUAGE_SHOTS = ("editor-main", "export-dialog", "preferences")


def _settle(app: QApplication, done: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _turn in range(5):
        app.processEvents()


@contextmanager
def _sample_window(story_path: Path | None) -> Iterator[tuple[QApplication, "MainWindow"]]:
    """The editor at the screenshot size on the sample story, its thumbnails loaded."""
    from photostory.ui.main_window import MainWindow

    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(*SIZE)
        window.show()
        window.files.open_story(story_path or sample_story(), ask=False)
        story = window.document.story
        window.thumbnails.prefetch(story.photos)
        _settle(app, lambda: all(window.thumbnails.is_loaded(p) for p in story.photos))
        try:
            yield app, window
        finally:
            window.document.undo_stack.setClean()
            window.close()
            window.deleteLater()
            app.processEvents()


def _wait_for(app: QApplication, window: "MainWindow", selected: list[str]) -> None:
    """Until the selected photos' previews and the preflight are done."""
    story = window.document.story
    photos = [story.photo(pid) for pid in selected]
    _settle(app, lambda: window.inspector.ids == selected)
    _settle(app, lambda: all(window.thumbnails.is_loaded(p, 480) for p in photos[:4]))
    _settle(app, lambda: window.preflight.checked and window.preflight.current)


def _grab(app: QApplication, window: "MainWindow", selected: list[str], path: Path) -> Path:
    """Save the window once the selected photos' previews and the preflight are done."""
    _wait_for(app, window, selected)
    window.grab().save(str(path))
    return path


def take_screenshots(out_dir: Path, story_path: Path | None = None) -> list[Path]:
    """Save editor-main.png (one photo selected) and editor-mixed.png (several selected)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with _sample_window(story_path) as (app, window):
        story = window.document.story
        saved = []
        window.tray.select_ids([story.photos[1].id])
        saved.append(_grab(app, window, [story.photos[1].id], out_dir / "editor-main.png"))
        mixed = [p.id for p in story.photos[2:6]]
        window.tray.select_ids(mixed)
        groups = window.article.group_ids()
        if groups:  # show the last photo group (the sample's grid of four) in the article
            strip = window.article.block_widget(groups[-1])
            window.article.scroll.ensureWidgetVisible(strip, 0, 40)
        saved.append(_grab(app, window, mixed, out_dir / "editor-mixed.png"))
    return saved


def add_sample_versions(window: "MainWindow") -> None:
    """The sample story's Kazakh and Russian versions, from the article files and the
    captions sheet beside it, through the same core functions as the editor's commands
    (the last photo's Russian caption is left to write)."""
    document = window.document
    story = document.story
    for tag in SAMPLE_VERSIONS:
        path = resource("sample", f"article-{tag}.txt")
        change = article_change(story, tag, read_article(path), path.name)
        assert change.edit is not None and not change.notes, change.notes
        document.apply_edit(change.edit)
    sheet = resource("sample", "captions-versions.csv")
    match = captions_csv.match_sheet(story, captions_csv.read_sheet(sheet), document.story_dir)
    name = _("Import captions sheet {file}").format(file=sheet.name)  # as File ▸ Import names it
    document.apply_edit(captions_csv.sheet_edit(story, match, name))


def translator_view(window: "MainWindow") -> str:
    """The sample in three versions, Russian shown with Kazakh as the reference, its second
    photo selected; returns that photo's id."""
    add_sample_versions(window)
    window.document.show_version("ru")
    photo_id = window.document.story.photos[1].id
    window.tray.select_ids([photo_id])
    reference = window.inspector.reference
    reference.combo.setCurrentIndex(reference.combo.findData("kk"))
    return photo_id


def take_translator_screenshot(out_dir: Path, story_path: Path | None = None) -> Path:
    """Save editor-translator-view.png: the translator's view of the sample's ru version."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with _sample_window(story_path) as (app, window):
        photo_id = translator_view(window)
        return _grab(app, window, [photo_id], out_dir / "editor-translator-view.png")


@contextmanager
def editor_language(language: str) -> Iterator[QApplication]:
    """The editor's messages and Qt's own in ``language``, chosen as at start-up (Preferences
    ▸ Editor language); the language before comes back afterwards."""
    app = make_application()
    before = current_language()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        settings.language = language
        use_preferred_language(app, settings)
    try:
        yield app
    finally:
        use_language(before)
        install_qt_translation(app, before)


def _shown(app: QApplication, widget: QWidget) -> QWidget:
    widget.show()
    _settle(app, widget.isVisible)
    return widget


def language_views(language: str) -> Iterator[tuple[str, QWidget]]:
    """The sample story in the editor speaking ``language``, each view shown in turn as
    (name, widget): the window with one photo selected and with four, each menu open, the
    export, preferences, publish and Add Language Version dialogs, the translator's view,
    and a new story with nothing in it yet."""
    from photostory.ui.export_dialog import ExportDialog, default_export_folder
    from photostory.ui.preferences import PreferencesDialog
    from photostory.ui.publish_dialog import PublishDialog
    from photostory.ui.version_actions import NewVersionDialog

    with editor_language(language), _sample_window(None) as (app, window):
        story, settings = window.document.story, window.settings
        selected = [story.photos[1].id]
        window.tray.select_ids(selected)
        _wait_for(app, window, selected)
        yield "editor-main", window
        selected = [photo.id for photo in story.photos[2:6]]
        window.tray.select_ids(selected)
        _wait_for(app, window, selected)
        yield "editor-mixed", window
        bar = window.menuBar()
        for number, action in enumerate(bar.actions(), 1):
            menu = action.menu()
            menu.popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
            yield f"menu-{number}", _shown(app, menu)
            menu.hide()
        dialogs: list[tuple[str, QDialog]] = [
            ("export-dialog", ExportDialog(default_export_folder(story, window.document.path),
                                           settings.export_widths, settings.jpeg_quality, window)),
            ("preferences", PreferencesDialog(settings, window)),
            ("publish-dialog", PublishDialog("", "", Path("exports") / "story", window)),
            ("add-version", NewVersionDialog(story, window))]
        for name, dialog in dialogs:
            yield name, _shown(app, dialog)
            dialog.close()
            dialog.deleteLater()
        selected = [translator_view(window)]
        _wait_for(app, window, selected)
        yield "editor-translator-view", window
        window.document.undo_stack.setClean()  # nothing to ask about: a new, empty story
        window.files.new_story()
        _settle(app, lambda: not window.document.story.photos)
        yield "editor-empty", window


def take_language_screenshots(out_dir: Path, language: str,
                              names: tuple[str, ...] = LANGUAGE_SHOTS) -> list[Path]:
    """Save ``<view>-<language>.png`` for the views ``names`` lists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, widget in language_views(language):
        if name in names:
            path = out_dir / f"{name}-{language}.png"
            widget.grab().save(str(path))
            saved.append(path)
    return saved


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    shots = [*take_screenshots(target), take_translator_screenshot(target)]
    for code in EDITOR_LANGUAGES:
        shots += take_language_screenshots(target, code)
    for saved_path in shots:
        print(saved_path)
