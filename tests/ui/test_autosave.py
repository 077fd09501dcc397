"""Autosave and recovery: unsaved changes go to a recovery file beside
the story every 30 s (injectable here) and on focus loss, never into the story file;
saving or discarding removes it; after a crash, opening the story offers to restore it.
The last test kills a real editor process with SIGKILL and recovers its edits."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtWidgets import QApplication

from photostory.core.edits import SetStoryFields
from photostory.core.recovery import recovery_path, write_recovery
from photostory.core.story import Story
from photostory.core.storyfile import load_story, save_story
from ui_support import story_with_photos

INTERVAL_MS = 150


@pytest.fixture
def saved(window, tmp_path: Path) -> tuple[Path, Story]:
    """A story saved to disk and open in the window, autosaving every 150 ms."""
    story = story_with_photos(tmp_path / "photos", 3)
    path = tmp_path / "stories" / "trip.photostory"
    path.parent.mkdir()
    save_story(story, path)
    assert window.files.open_story(path, ask=False)
    window.autosave.interval_ms = INTERVAL_MS
    return path, window.document.story


def set_title(window, title: str) -> None:  # noqa: ANN001
    story = window.document.story
    window.document.apply_edit(SetStoryFields(story, {"title": title}))


def test_autosave_comes_one_interval_after_the_first_unsaved_change(window, saved, qtbot) -> None:
    path, story = saved
    before = path.read_bytes()
    recovery = recovery_path(path)
    clock = QElapsedTimer()
    clock.start()
    set_title(window, "First change")
    assert window.autosave.pending and not recovery.exists()  # not at once: after the interval
    left = window.autosave._timer.remainingTime()
    set_title(window, "Second change")  # steady typing does not push the autosave back
    assert window.autosave._timer.remainingTime() <= left
    with qtbot.waitSignal(window.autosave.written, timeout=10000) as written:
        pass
    assert clock.elapsed() >= INTERVAL_MS * 0.95  # (a coarse QTimer may fire 5 % early)
    assert written.args == [recovery]
    assert load_story(recovery).title == "Second change"
    assert path.read_bytes() == before  # the user's own file is never written by an autosave
    assert not window.autosave.pending
    # Nothing new: no more autosaves.
    assert not window.autosave.autosave_now()


def test_losing_focus_autosaves_at_once(window, saved, qtbot) -> None:
    path, _ = saved
    window.autosave.interval_ms = 60_000
    set_title(window, "Typed, then switched to the browser")
    with qtbot.waitSignal(window.autosave.written, timeout=10000):
        QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert load_story(recovery_path(path)).title == "Typed, then switched to the browser"


def test_saving_removes_the_recovery_file(window, saved, qtbot) -> None:
    path, _ = saved
    with qtbot.waitSignal(window.autosave.written, timeout=10000):
        set_title(window, "Saved at last")
    assert recovery_path(path).exists()
    assert window.files.save()
    assert not recovery_path(path).exists()
    assert load_story(path).title == "Saved at last"


def test_closing_without_saving_removes_the_recovery_file(window, saved, qtbot, scripted) -> None:
    path, _ = saved
    before = path.read_bytes()
    with qtbot.waitSignal(window.autosave.written, timeout=10000):
        set_title(window, "Thrown away")
    scripted.save_changes = "discard"
    window.act_close.trigger()
    assert scripted.questions == ["save changes to trip.photostory"]
    assert not recovery_path(path).exists()
    assert path.read_bytes() == before


def test_undoing_back_to_the_saved_story_removes_the_recovery_file(window, saved, qtbot) -> None:
    path, _ = saved
    with qtbot.waitSignal(window.autosave.written, timeout=10000):
        set_title(window, "Changed my mind")
    window.act_undo.trigger()
    assert not window.document.is_modified
    assert not recovery_path(path).exists()


def test_opening_a_story_with_a_newer_recovery_offers_to_restore_it(window, tmp_path: Path,
                                                                    scripted) -> None:
    story = story_with_photos(tmp_path / "photos", 3)
    path = tmp_path / "trip.photostory"
    save_story(story, path)
    edited = story.snapshot()
    edited.title = "Recovered title"
    edited.photos[0].caption = "Recovered caption"
    recovery = recovery_path(path)
    write_recovery(edited, recovery)
    os.utime(recovery, (path.stat().st_mtime + 5, path.stat().st_mtime + 5))

    assert window.files.open_story(path)
    ((name, message),) = scripted.restore_offers
    assert name == "trip.photostory"
    assert re.fullmatch(r"Recovered changes from \d\d:\d\d: title, 1 caption", message), message
    story_now = window.document.story
    assert story_now.title == "Recovered title" and story_now.photos[0].caption == "Recovered caption"
    assert window.document.is_modified and window.isWindowModified()  # the title shows *
    assert window.windowTitle().startswith("trip.photostory[*]")
    assert window.document.path == path.absolute()
    assert load_story(path).title == "Test story"  # restored as unsaved changes only
    assert recovery.exists()  # still the only copy on disk until the story is saved
    assert window.files.save() and not recovery.exists()
    assert load_story(path).title == "Recovered title"


def test_discarding_the_recovered_changes_deletes_them(window, tmp_path: Path, scripted) -> None:
    story = story_with_photos(tmp_path / "photos", 2)
    path = tmp_path / "trip.photostory"
    save_story(story, path)
    edited = story.snapshot()
    edited.photos.pop()
    recovery = recovery_path(path)
    write_recovery(edited, recovery)
    os.utime(recovery, (path.stat().st_mtime + 5, path.stat().st_mtime + 5))
    scripted.restore_answer = False
    assert window.files.open_story(path)
    assert scripted.restore_offers[0][1].endswith(": 1 photo removed")
    assert len(window.document.story.photos) == 2 and not window.document.is_modified
    assert not recovery.exists()


def test_a_recovery_older_than_a_colleagues_save_is_still_offered(window, tmp_path: Path,
                                                                  scripted) -> None:
    """The editor died, then a colleague saved the story: the autosave is the only copy
    of the first editor's work, whatever its age."""
    story = story_with_photos(tmp_path / "photos", 2)
    path = tmp_path / "trip.photostory"
    save_story(story, path)
    recovery = recovery_path(path)
    edited = story.snapshot()
    edited.title = "Typed before the crash"
    write_recovery(edited, recovery)
    os.utime(recovery, (path.stat().st_mtime - 60, path.stat().st_mtime - 60))
    scripted.restore_answer = True
    assert window.files.open_story(path)
    assert len(scripted.restore_offers) == 1
    assert window.document.story.title == "Typed before the crash"


def test_identical_or_damaged_recoveries_are_not_offered(window, tmp_path: Path,
                                                        scripted) -> None:
    story = story_with_photos(tmp_path / "photos", 2)
    path = tmp_path / "trip.photostory"
    save_story(story, path)
    recovery = recovery_path(path)

    write_recovery(story, recovery)  # newer, but the same as the file
    os.utime(recovery, (path.stat().st_mtime + 5, path.stat().st_mtime + 5))
    assert window.files.open_story(path)
    assert scripted.restore_offers == [] and not recovery.exists()

    recovery.write_text('{"format": "photostory", "vers', encoding="utf-8")  # cut short
    os.utime(recovery, (path.stat().st_mtime + 5, path.stat().st_mtime + 5))
    assert window.files.open_story(path)
    (error,) = scripted.errors
    assert "cannot be read" in error and "damaged or incomplete" in error
    assert recovery.exists()  # left for the user
    assert window.document.story.title == "Test story"


def test_an_untitled_story_autosaves_to_the_recovery_folder_and_comes_back(window, qtbot, settings,
                                                                           tmp_path: Path,
                                                                           scripted) -> None:
    from photostory.ui.main_window import MainWindow

    window.autosave.interval_ms = INTERVAL_MS
    window.document.apply_edit(SetStoryFields(window.document.story, {"title": "Never saved"}))
    with qtbot.waitSignal(window.autosave.written, timeout=10000) as written:
        pass
    (recovery,) = written.args
    assert recovery.parent == tmp_path / "recovery"
    assert re.fullmatch(r"untitled-[0-9a-f]{12}\.photostory-recovery", recovery.name)

    other = MainWindow(settings, recovery_dir=tmp_path / "recovery")
    qtbot.addWidget(other)
    assert not other.files.offer_orphaned_recovery()  # its editor is still running: not an orphan
    # The first editor "dies": its lock goes, the recovery file stays.
    window.autosave._untitled_lock.unlock()
    assert other.files.offer_orphaned_recovery()
    ((name, message),) = scripted.restore_offers
    assert name == "Untitled" and message.endswith(": title")
    assert other.document.story.title == "Never saved" and other.document.is_modified
    assert other.document.path is None
    # Saving it (Save As) removes the recovery file.
    target = tmp_path / "never-saved.photostory"
    scripted.files.append(target)
    assert other.files.save()
    assert not recovery.exists() and load_story(target).title == "Never saved"
    other.shutdown_workers()


def test_when_the_recovery_cannot_be_written_the_status_bar_says_so(window, saved, qtbot,
                                                                    monkeypatch) -> None:
    from photostory.errors import StoryFileError
    from photostory.ui import autosave

    def full_disk(story: Story, path: Path) -> None:
        raise StoryFileError(f"{path.name}: could not be saved (No space left on device).")

    monkeypatch.setattr(autosave, "write_recovery", full_disk)
    with qtbot.waitSignal(window.autosave.failed, timeout=10000):
        set_title(window, "Disk full")
    assert "Autosave failed: .trip.photostory-recovery: could not be saved" in \
        window.status.message.text()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_edits_of_a_killed_editor_process_are_recovered(window, qtbot, tmp_path: Path,
                                                        scripted) -> None:
    story = story_with_photos(tmp_path / "photos", 3)
    path = tmp_path / "desk" / "trip.photostory"
    path.parent.mkdir()
    save_story(story, path)
    before = path.read_bytes()
    script = tmp_path / "edit.py"
    script.write_text(textwrap.dedent("""
        # Runs inside the editor (PHOTOSTORY_TEST_SCRIPT): edits, as a user would make them.
        from photostory.core.edits import SetStoryFields
        story = window.document.story
        window.autosave.interval_ms = 200
        window.document.apply_edit(SetStoryFields(story, {"title": "Edited before the crash"}))
        window.tray.select_ids([story.photos[1].id])
        window.inspector.caption.setPlainText("Typed before the crash")
    """), encoding="utf-8")
    home = tmp_path / "home"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PHOTOSTORY_TEST_SCRIPT=str(script),
               HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    env.pop("PYTEST_CURRENT_TEST", None)
    recovery = recovery_path(path)

    def recovered() -> bool:
        try:
            saved = load_story(recovery)
        except Exception:
            return False
        return (saved.title == "Edited before the crash"
                and saved.photos[1].caption == "Typed before the crash")

    with open(tmp_path / "editor.log", "wb") as log:
        editor = subprocess.Popen([sys.executable, "-m", "photostory", "open", str(path)],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            qtbot.waitUntil(lambda: editor.poll() is not None or recovered(), timeout=60000)
            assert editor.poll() is None, (tmp_path / "editor.log").read_text(errors="replace")
        finally:
            editor.send_signal(signal.SIGKILL)
            editor.wait(timeout=30)
    assert editor.returncode == -signal.SIGKILL
    assert path.read_bytes() == before  # the story file was never written

    assert window.files.open_story(path)  # a new editor window, in this process
    ((name, message),) = scripted.restore_offers
    assert name == "trip.photostory"
    assert re.fullmatch(r"Recovered changes from \d\d:\d\d: title, 1 caption", message), message
    story_now = window.document.story
    assert story_now.title == "Edited before the crash"
    assert story_now.photos[1].caption == "Typed before the crash"
    assert window.isWindowModified()
    window.tray.select_ids([story_now.photos[1].id])
    assert window.inspector.caption.toPlainText() == "Typed before the crash"
