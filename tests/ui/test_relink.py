"""A photo whose file moved is marked, and relinking finds its folder-mates too (one undo step)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QApplication

from photostory.core.storyfile import save_story
from photostory.ui.story_model import Role
from ui_support import story_with_photos


def test_relink_a_moved_folder(window, qtbot, tmp_path: Path, scripted) -> None:
    story = story_with_photos(tmp_path / "card", 4)
    story_path = tmp_path / "story.photostory"
    save_story(story, story_path)
    shutil.move(tmp_path / "card", tmp_path / "moved")  # the photographer renamed the folder

    assert window.files.open_story(story_path)
    model = window.model
    assert all(model.index(r, 0).data(Role.MISSING_FILE) for r in range(4))
    assert "4 photo files are missing" in window.status.message.text()
    qtbot.waitUntil(lambda: "4 files missing" in window.status.summary.text())
    qtbot.waitUntil(window.act_relink.isEnabled)

    first = window.document.story.photos[0]
    window.tray.select_ids([first.id])
    assert window.inspector.relink.isVisibleTo(window.inspector)
    assert window.inspector.file.full_text().startswith("Missing: ")
    scripted.files.append(tmp_path / "moved" / first.file_name)
    window.act_relink.trigger()  # Photos ▸ Relink… (the file dialog answered by the script)

    photos = window.document.story.photos
    assert all(p.path.parent == tmp_path / "moved" for p in photos)
    assert not any(model.index(r, 0).data(Role.MISSING_FILE) for r in range(4))
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Relink 4 photos"
    assert "Relinked 4 photos." in window.status.message.text()
    assert not window.inspector.relink.isVisibleTo(window.inspector)
    qtbot.waitUntil(lambda: window.thumbnails.is_loaded(photos[0]))
    assert not window.thumbnails.error(photos[0])

    window.act_undo.trigger()
    assert all(model.index(r, 0).data(Role.MISSING_FILE) for r in range(4))
    QApplication.processEvents()


def test_relink_only_takes_files_that_exist(window, tmp_path: Path, scripted) -> None:
    story = story_with_photos(tmp_path / "card", 3)
    window.document.set_story(story, None)
    (tmp_path / "elsewhere").mkdir()
    moved = tmp_path / "elsewhere" / story.photos[0].file_name
    shutil.move(story.photos[0].path, moved)
    story.photos[1].path.unlink()  # gone for good
    window.model.refresh_missing()
    assert window.story_actions.relink(story.photos[0].id, moved) == 1  # photo 1 is not in the new folder
    assert story.photos[0].path == moved
    assert window.model.is_missing(story.photos[1].id)
    assert "1 photo still missing" in window.status.message.text()
