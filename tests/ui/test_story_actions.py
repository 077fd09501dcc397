"""The story's commands without a main window: StoryActions given a document, a task
runner, a status bar, the settings and a parent widget."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from photostory.core.export.options import ExportOptions
from photostory.ui import dialogs
from photostory.ui.caption_shortcuts import ShortcutStore
from photostory.ui.document import StoryDocument
from photostory.ui.preflight import PreflightChecker
from photostory.ui.status import StatusBar
from photostory.ui.story_actions import StoryActions
from photostory.ui.tasks import TaskRunner
from ui_support import make_photos, story_with_photos

FAST = ExportOptions(widths=(240,), quality=70, workers=1)


@pytest.fixture
def actions(qtbot, settings, tmp_path: Path):  # noqa: ANN201
    parent = QWidget()
    qtbot.addWidget(parent)
    document = StoryDocument(parent)
    document.set_story(story_with_photos(tmp_path / "photos", 3), None)
    tasks = TaskRunner(parent, show_error=lambda message: dialogs.error(parent, message))
    status = StatusBar(parent)
    status.follow(tasks)
    parent.show()
    preflight = PreflightChecker(document, settings.preflight, parent=parent)
    made = StoryActions(document, tasks, status, settings, parent, preflight=preflight,
                        shortcuts=ShortcutStore(lambda: settings.shortcuts_file))
    yield made
    tasks.cancel_all()
    tasks.wait()
    preflight.shutdown()


def test_import_captions_sheet(actions: StoryActions, tmp_path: Path, scripted) -> None:
    sheet = tmp_path / "captions.csv"
    sheet.write_text("file,caption,credit\nphoto-001.jpg,Workers at the plant,AP\nnope.jpg,x,y\n",
                     encoding="utf-8")
    scripted.files.append(sheet)
    actions.import_captions_dialog()

    photo = actions.document.story.photos[1]
    assert (photo.caption, photo.credit) == ("Workers at the plant", "AP")
    assert actions.document.undo_stack.count() == 1
    assert actions.status.message.text().strip() == "Updated 1 photo from captions.csv."
    assert scripted.reports == [("Updated 1 photo from captions.csv.",
                                 ["Line 3: no photo named “nope.jpg” in the story."])]


def test_export_runs_in_the_background_with_progress_in_the_status_bar(actions: StoryActions, qtbot,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "exports" / "story"
    task = actions.start_export(out, FAST)
    assert task is not None and actions.status.task is task and actions.status.cancel.isVisible()
    assert actions.start_export(tmp_path / "other", FAST) is None  # one long job at a time
    assert "Wait for the current work" in actions.status.message.text()
    with qtbot.waitSignal(task.succeeded, timeout=60000):
        pass
    assert (out / "index.html").is_file()
    assert actions.last_export is not None and actions.last_export.out_dir == out
    assert "Exported 3 photos" in actions.status.message.text()
    assert not actions.status.cancel.isVisible()

    actions.document.set_story(story_with_photos(tmp_path / "other-photos", 1), None)
    assert actions.last_export is None  # another story: not its export


def test_a_failed_export_is_shown_once(actions: StoryActions, qtbot, tmp_path: Path, scripted) -> None:
    blocked = tmp_path / "not-ours"
    blocked.mkdir()
    (blocked / "notes.txt").write_text("keep me")
    with qtbot.waitSignal(actions.start_export(blocked, FAST).finished, timeout=60000):
        pass
    (error,) = scripted.errors
    assert "not a Photostory export" in error
    assert actions.last_export is None


def test_imported_photos_are_added_once_and_announced(actions: StoryActions, qtbot,
                                                      tmp_path: Path) -> None:
    make_photos(tmp_path / "card", 2, prefix="new")
    added: list[list[str]] = []
    actions.photos_added.connect(lambda photos: added.append([p.file_name for p in photos]))
    for _ in range(2):
        with qtbot.waitSignal(actions.start_import([tmp_path / "card"]).finished, timeout=30000):
            pass
    assert added == [["new-000.jpg", "new-001.jpg"]]  # the second import found them already there
    assert len(actions.document.story.photos) == 5
    assert "2 photos already in the story" in actions.status.message.text()
