"""Saving a story that changed on disk since the editor opened or last saved it.

A colleague (or a `photostory captions --import`) saves the shared story while it is
open here: Save must not silently replace their change. It asks, offering Reload (their
version, mine discarded), Save As…, Overwrite and Cancel. The editor's own saves and
autosaves never count as someone else's change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from photostory.core.edits import SetStoryFields
from photostory.core.recovery import recovery_path, write_recovery
from photostory.core.storyfile import load_story, save_story
from photostory.ui import dialogs
from ui_support import story_with_photos


class ConflictAnswers:
    """Stands in for the conflict question: records each one and answers from a script."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answers: list[str] = []

    def __call__(self, parent: object, name: str) -> str:
        self.asked.append(name)
        assert self.answers, "the conflict question came when the test did not expect it"
        return self.answers.pop(0)


@pytest.fixture
def conflict(monkeypatch: pytest.MonkeyPatch) -> ConflictAnswers:
    answers = ConflictAnswers()
    monkeypatch.setattr(dialogs, "ask_save_conflict", answers)
    return answers


@pytest.fixture
def opened(window, tmp_path: Path) -> Path:
    """trip.photostory, saved on disk and open in the window."""
    path = tmp_path / "stories" / "trip.photostory"
    path.parent.mkdir()
    save_story(story_with_photos(tmp_path / "photos", 3), path)
    assert window.files.open_story(path, ask=False)
    return path


def set_title(window, title: str) -> None:  # noqa: ANN001
    window.document.apply_edit(SetStoryFields(window.document.story, {"title": title}))


def saved_elsewhere(path: Path, caption: str) -> bytes:
    """A colleague's editor saves the story with another first caption."""
    theirs = load_story(path)
    theirs.photos[0].caption = caption
    save_story(theirs, path)
    return path.read_bytes()


def test_save_over_a_colleagues_change_asks_and_cancel_keeps_both(window, opened, conflict) -> None:
    theirs = saved_elsewhere(opened, "Their caption")
    set_title(window, "My title")
    conflict.answers.append("cancel")
    assert not window.files.save()
    assert conflict.asked == ["trip.photostory"]
    assert opened.read_bytes() == theirs  # their change is still there
    assert window.document.is_modified and window.document.story.title == "My title"


def test_reload_opens_their_version_and_drops_mine(window, opened, conflict) -> None:
    saved_elsewhere(opened, "Their caption")
    set_title(window, "My title")
    window.autosave.autosave_now()
    window.autosave.wait()
    conflict.answers.append("reload")
    assert window.files.save()
    story = window.document.story
    assert story.photos[0].caption == "Their caption" and story.title == "Test story"
    assert not window.document.is_modified
    assert not recovery_path(opened).exists()  # my autosave went with my changes
    set_title(window, "Now on their version")
    assert window.files.save() and conflict.asked == ["trip.photostory"]  # no second question
    assert load_story(opened).photos[0].caption == "Their caption"


def test_overwrite_replaces_their_version_and_later_saves_do_not_ask(window, opened,
                                                                     conflict) -> None:
    saved_elsewhere(opened, "Their caption")
    set_title(window, "My title")
    conflict.answers.append("overwrite")
    assert window.files.save()
    saved = load_story(opened)
    assert saved.title == "My title" and saved.photos[0].caption != "Their caption"
    assert not window.document.is_modified
    set_title(window, "My second title")
    assert window.files.save()
    assert conflict.asked == ["trip.photostory"]
    assert load_story(opened).title == "My second title"


def test_save_as_keeps_theirs_and_mine_in_two_files(window, opened, conflict, scripted,
                                                    tmp_path: Path) -> None:
    theirs = saved_elsewhere(opened, "Their caption")
    set_title(window, "My title")
    conflict.answers.append("save_as")
    mine = tmp_path / "stories" / "trip-mine.photostory"
    scripted.files.append(mine)
    assert window.files.save()
    assert opened.read_bytes() == theirs
    assert load_story(mine).title == "My title"
    assert window.document.path == mine.absolute() and not window.document.is_modified


def test_closing_with_changes_asks_about_the_conflict_and_cancel_keeps_the_window(
        window, opened, conflict, scripted) -> None:
    saved_elsewhere(opened, "Their caption")
    set_title(window, "My title")
    scripted.save_changes = "save"
    conflict.answers.append("cancel")
    window.close()
    assert window.isVisible() and window.document.story.title == "My title"
    conflict.answers.append("overwrite")
    window.close()
    assert not window.isVisible() and load_story(opened).title == "My title"


def test_own_saves_and_autosaves_are_no_conflict(window, opened, conflict) -> None:
    for title in ("One", "Two"):
        set_title(window, title)
        window.autosave.autosave_now()
        window.autosave.wait()
        assert recovery_path(opened).exists()
        assert window.files.save()
    assert conflict.asked == [] and load_story(opened).title == "Two"


def test_their_save_of_the_same_bytes_is_no_conflict(window, opened, conflict) -> None:
    same = opened.read_bytes()
    opened.unlink()
    opened.write_bytes(same)  # saved again by someone else, unchanged: new time, new inode
    os.utime(opened, (1, 1))
    set_title(window, "Mine")
    assert window.files.save() and conflict.asked == []
    assert load_story(opened).title == "Mine"


def test_restored_changes_save_over_the_file_they_were_restored_onto(window, tmp_path: Path,
                                                                   conflict, scripted) -> None:
    path = tmp_path / "trip.photostory"
    story = story_with_photos(tmp_path / "photos", 2)
    save_story(story, path)
    recovered = load_story(path)
    recovered.title = "Recovered title"
    write_recovery(recovered, recovery_path(path))
    later = path.stat().st_mtime + 60
    os.utime(recovery_path(path), (later, later))
    scripted.restore_answer = True
    assert window.files.open_story(path, ask=False) and window.document.is_modified
    assert window.files.save() and conflict.asked == []
    assert load_story(path).title == "Recovered title"


@pytest.mark.parametrize("button, answer", [("Reload Their Version", "reload"),
                                            ("Save As…", "save_as"), ("Overwrite", "overwrite"),
                                            ("Cancel", "cancel")])
def test_the_conflict_question_offers_four_answers(window, qtbot, button: str, answer: str) -> None:
    seen: list[tuple[str, list[str]]] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        buttons = {b.text(): b for b in box.buttons()}
        seen.append((box.text(), sorted(buttons)))
        buttons[button].click()

    QTimer.singleShot(0, click)
    assert dialogs.ask_save_conflict(window, "trip.photostory") == answer
    text, buttons = seen[0]
    assert "trip.photostory" in text and "changed" in text
    assert buttons == sorted(["Reload Their Version", "Save As…", "Overwrite", "Cancel"])
