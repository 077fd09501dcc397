"""The story file from the window: save, close, reopen; unsaved changes are never lost silently."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from photostory.core.edits import SetPhotoFields
from photostory.core.storyfile import load_story, save_story
from ui_support import story_with_photos


def test_save_close_and_reopen(window, qtbot, tmp_path: Path, scripted, settings) -> None:
    from photostory.ui.main_window import MainWindow

    window.document.set_story(story_with_photos(tmp_path / "photos", 4, paragraphs=2), None)
    story = window.document.story
    window.article.place([story.photos[1].id], 1)
    window.tray.select_ids([story.photos[0].id])
    qtbot.keyClicks(window.inspector.caption, "Saved caption")
    title = window.article.form.title  # shown from its start: End, then type, as a user would
    qtbot.keyClick(title, Qt.Key.Key_End)
    qtbot.keyClicks(title, " (final)")
    assert window.isWindowModified()
    assert window.windowTitle() == "Untitled[*] — Photostory"

    path = tmp_path / "stories" / "plant"
    path.parent.mkdir()
    scripted.files.append(path)  # Save As… answer, without the suffix
    window.act_save.trigger()  # an untitled story asks where to save it
    saved = path.with_name("plant.photostory")
    assert saved.is_file() and not window.isWindowModified()
    assert window.windowTitle() == "plant.photostory[*] — Photostory"
    assert settings.recent_files()[0] == saved.absolute()

    window.close()
    assert not window.isVisible() and not scripted.questions  # nothing unsaved: no question

    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.files.open_story(saved)
    reopened = again.document.story
    assert reopened.title == "Test story (final)"
    assert reopened.photos[0].caption == "Saved caption"
    assert [p.file_name for p in reopened.photos] == [p.file_name for p in story.photos]
    assert reopened.body[1].photo_ids == [reopened.photos[1].id]
    assert again.model.rowCount() == 4 and again.article.form.title.text() == "Test story (final)"
    assert not again.isWindowModified()
    again.thumbnails.shutdown()


def test_closing_with_unsaved_changes_asks(window, qtbot, tmp_path: Path, scripted) -> None:
    window.document.set_story(story_with_photos(tmp_path / "photos", 2), None)
    story = window.document.story
    window.document.apply_edit(SetPhotoFields.same(story, [story.photos[0].id], "caption", "x"))
    scripted.save_changes = "cancel"
    window.close()
    assert window.isVisible()  # Cancel keeps the window and the changes
    assert scripted.questions == ["save changes to Untitled"]
    assert story.photos[0].caption == "x"

    scripted.save_changes = "save"
    scripted.files.append(tmp_path / "kept.photostory")
    window.close()
    assert not window.isVisible()
    assert load_story(tmp_path / "kept.photostory").photos[0].caption == "x"


def test_new_story_asks_before_discarding(window, tmp_path: Path, scripted) -> None:
    window.document.set_story(story_with_photos(tmp_path / "photos", 2), None)
    story = window.document.story
    window.document.apply_edit(SetPhotoFields.same(story, [story.photos[0].id], "caption", "x"))
    scripted.save_changes = "discard"
    window.act_new.trigger()
    assert scripted.questions and window.document.story.photos == []
    assert window.windowTitle().startswith("Untitled")


def test_a_damaged_story_file_is_reported_and_the_current_story_stays(window, tmp_path: Path,
                                                                       scripted) -> None:
    bad = tmp_path / "bad.photostory"
    bad.write_text('{"format": "photostory", "version": 1, "photos": [', encoding="utf-8")
    window.document.set_story(story_with_photos(tmp_path / "photos", 2), None)
    assert not window.files.open_story(bad)
    assert len(window.document.story.photos) == 2
    assert scripted.errors and scripted.errors[0].startswith("bad.photostory: the file is damaged")


def test_open_recent_and_geometry_are_remembered(window, qtbot, tmp_path: Path, settings) -> None:
    from photostory.ui.main_window import MainWindow

    story_path = tmp_path / "s.photostory"
    save_story(story_with_photos(tmp_path / "photos", 1), story_path)
    window.files.open_story(story_path)
    window.resize(720, 520)  # within the offscreen screen (800x600); the minimum height may apply
    closed_size = (window.width(), window.height())
    window.close()

    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == closed_size != (1366, 768)
    again.recent_menu.aboutToShow.emit()
    names = [a.text() for a in again.recent_menu.actions()]
    assert names[0] == "s.photostory" and "Clear Menu" in names
    again.recent_menu.actions()[0].trigger()
    assert again.document.path == story_path.absolute()
    again.thumbnails.shutdown()
    QApplication.processEvents()


def test_dropping_a_story_file_opens_it(window, qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl

    story_path = tmp_path / "dropped.photostory"
    save_story(story_with_photos(tmp_path / "photos", 2), story_path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(story_path))])
    window.model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    qtbot.waitUntil(lambda: window.document.path == story_path.absolute())
