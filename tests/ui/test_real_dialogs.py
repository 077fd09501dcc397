"""The real questions of ui/dialogs.py, answered by clicking their buttons and pressing
keys as a person would (elsewhere the editor tests answer them from a script): each
button gives its answer, Enter takes the safe default, Escape never loses work."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from photostory.ui import dialogs
from ui_support import answering_message_box

pytestmark = pytest.mark.real_dialogs

SB = QMessageBox.StandardButton


@pytest.mark.parametrize(("action", "answer"), [
    (SB.Save, "save"), (SB.Discard, "discard"), (SB.Cancel, "cancel"),
    (Qt.Key.Key_Escape, "cancel"), (Qt.Key.Key_Return, "save"),
], ids=["Save", "Discard", "Cancel", "Escape", "Enter"])
def test_ask_save_changes(qapp, action, answer):
    with answering_message_box(action) as seen:
        assert dialogs.ask_save_changes(None, "Сапар.photostory") == answer
    assert seen.text == "Save the changes to “Сапар.photostory” before closing it?"
    assert "changes since the last save are lost" in seen.informative


@pytest.mark.parametrize(("action", "answer"), [
    ("Stop and Close", True), (SB.Cancel, False), (Qt.Key.Key_Escape, False),
    (Qt.Key.Key_Return, True),
], ids=["action", "Cancel", "Escape", "Enter"])
def test_confirm(qapp, action, answer):
    with answering_message_box(action) as seen:
        assert dialogs.confirm(None, "Work is still running. Stop it and close the window?",
                               "A cancelled export leaves the previous export as it was.",
                               "Stop and Close") is answer
    assert seen.default == "Stop and Close"


ERRORS = [f"Photo {n}: no caption." for n in range(1, 9)]


@pytest.mark.parametrize(("action", "answer"), [
    ("Export Anyway", True), (SB.Cancel, False), (Qt.Key.Key_Escape, False),
    (Qt.Key.Key_Return, False),
], ids=["Export Anyway", "Cancel", "Escape", "Enter"])
def test_confirm_export_problems_defaults_to_cancel(qapp, action, answer):
    with answering_message_box(action) as seen:
        assert dialogs.confirm_export_problems(None, ERRORS, "2 long captions") is answer
    assert seen.default == "Cancel"  # Enter, pressed out of habit, does not publish
    assert seen.text.startswith("Preflight found 8 problems")
    assert "• Photo 6: no caption." in seen.informative and "Photo 7" not in seen.informative
    assert "…and 2 more (Show Details…)." in seen.informative
    assert "Also to check: 2 long captions." in seen.informative
    assert seen.details.splitlines() == ERRORS


@pytest.mark.parametrize(("actions", "answer"), [
    (["Restore Changes"], True), (["Discard Them"], False), ([Qt.Key.Key_Return], True),
    ([Qt.Key.Key_Escape, "Restore Changes"], True),
], ids=["Restore", "Discard", "Enter", "Escape then Restore"])
def test_ask_restore(qapp, actions, answer):
    with answering_message_box(*actions) as seen:
        assert dialogs.ask_restore(None, "Сапар.photostory", "3 captions changed") is answer
    assert seen.default == "Restore Changes"
    assert seen.text.startswith("“Сапар.photostory” has changes that were never saved")
    assert seen.informative.startswith("3 captions changed.")
    if actions[0] == Qt.Key.Key_Escape:
        # Escape does not answer "discard them for good": the question stays until chosen.
        assert seen.still_open[0] is True


def test_error_and_report_show_their_text(qapp):
    with answering_message_box(SB.Ok) as seen:
        dialogs.error(None, "Сапар.photostory: could not be saved (disk full).", "Free some space.")
    assert (seen.text, seen.informative) == ("Сапар.photostory: could not be saved (disk full).",
                                            "Free some space.")
    lines = [f"photo {n}.jpg: not an image." for n in range(1, 10)]
    with answering_message_box(Qt.Key.Key_Return) as seen:
        dialogs.report(None, "Imported 3 photos; 9 files were skipped.", lines, "Nothing was changed.")
    assert seen.informative.splitlines()[:6] == [f"• {line}" for line in lines[:6]]
    assert "…and 3 more (Show Details…)." in seen.informative
    assert seen.informative.endswith("Nothing was changed.") and seen.details.splitlines() == lines


def test_closing_a_changed_story_and_cancelling_keeps_the_window(window, qtbot, photo_story):
    """Through the window: the real question, answered Cancel, keeps the window and the
    changes; answered Discard, lets it close."""
    window.document.set_story(photo_story, None)
    window.tray.select_ids([photo_story.photos[0].id])
    window.inspector.caption.setPlainText("Unsaved caption")
    qtbot.waitUntil(lambda: window.document.is_modified)
    with answering_message_box(SB.Cancel) as seen:
        window.close()
    assert seen.text.startswith("Save the changes to")
    assert window.isVisible() and window.document.is_modified
    with answering_message_box(SB.Discard):
        window.close()
    assert not window.isVisible()
