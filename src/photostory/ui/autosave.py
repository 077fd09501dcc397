"""Autosave to a recovery file, so a crash or a kill loses at most half a minute of work.

Rules:

* 30 s after the first change since the last autosave (not after the last change, so
  steady typing is saved too), and whenever the application loses focus, the story
  is written to its recovery file (:func:`photostory.core.recovery.recovery_path`:
  ``.<name>.photostory-recovery`` beside the story; for a story never saved,
  ``untitled-<session>.photostory-recovery`` in the per-user data folder's
  ``recovery/``). The story file itself is never written by an autosave.
* The write runs off the GUI thread on a snapshot, atomically (temporary file, fsync,
  rename), so a kill mid-write leaves the previous recovery file.
* Saving, undoing back to the saved state, or closing without saving removes the
  recovery file(s) this window wrote.
* An untitled session holds a lock file beside its recovery file; a recovery file
  whose lock is free belongs to an editor that died, and is offered at the next start.
"""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from photostory.core.i18n import _
from photostory.core.recovery import RECOVERY_SUFFIX, recovery_path, remove_recovery, write_recovery
from photostory.core.story import Story
from photostory.errors import Cancelled
from photostory.ui.document import StoryDocument
from photostory.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

AUTOSAVE_MS = 30_000
UNTITLED_PREFIX = "untitled-"


def default_recovery_dir() -> Path | None:
    """``<AppDataLocation>/recovery`` (None if the platform gives no such folder)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / "recovery" if folder else None


def _lock_path(recovery: Path) -> Path:
    return recovery.with_name(recovery.name[: -len(RECOVERY_SUFFIX)] + ".lock")


def _new_lock(recovery: Path) -> QLockFile:
    lock = QLockFile(str(_lock_path(recovery)))
    lock.setStaleLockTime(0)  # stale only when its editor is gone, never by age
    return lock


def orphaned_untitled(folder: Path | None) -> list[tuple[Path, QLockFile]]:
    """Recovery files of untitled stories whose editor died, newest first, each with
    its lock now held by the caller (release it, or keep it while the story is open)."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    candidates = sorted(folder.glob(f"{UNTITLED_PREFIX}*{RECOVERY_SUFFIX}"),
                        key=lambda p: p.stat().st_mtime if p.exists() else 0, reverse=True)
    for path in candidates:
        lock = _new_lock(path)
        if lock.tryLock(0):
            found.append((path, lock))
    return found


class Autosaver(QObject):
    """Writes the document's unsaved changes to its recovery file."""

    written = Signal(object)  # the recovery file's Path, after a successful autosave
    failed = Signal(str)

    def __init__(self, document: StoryDocument, interval_ms: int = AUTOSAVE_MS,
                 untitled_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.untitled_dir = untitled_dir if untitled_dir is not None else default_recovery_dir()
        self._untitled = (self.untitled_dir / f"{UNTITLED_PREFIX}{uuid.uuid4().hex[:12]}{RECOVERY_SUFFIX}"
                          if self.untitled_dir is not None else None)
        self._untitled_lock: QLockFile | None = None
        self._lock = threading.Lock()  # one write or removal at a time
        self._generation = 0  # bumped by discard(): queued writes become no-ops
        self._dirty = False  # changed since the last autosave
        self._written: set[Path] = set()  # recovery files this window wrote or adopted
        self.last_error = ""
        self._tasks = TaskRunner(self, threads=1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.autosave_now)
        document.undo_stack.indexChanged.connect(self._changed)
        document.undo_stack.cleanChanged.connect(self._clean_changed)
        document.story_reset.connect(self._reset)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)

    # -- when ------------------------------------------------------------------------------
    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @interval_ms.setter
    def interval_ms(self, value: int) -> None:
        active = self._timer.isActive()
        self._timer.setInterval(int(value))
        if active:
            self._timer.start()

    @property
    def pending(self) -> bool:
        """Changes not yet in a recovery file (the timer is running)."""
        return self._dirty

    def _modified(self) -> bool | None:
        """Whether the document has unsaved changes; None while the window is being
        destroyed (the undo stack then clears itself, which is no save)."""
        try:
            return self.document.is_modified
        except RuntimeError:
            return None

    def _changed(self, _index: int = 0) -> None:
        if not self._modified():
            return
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def _clean_changed(self, clean: bool) -> None:
        if clean and self._modified() is False:  # saved, or undone back to what the file holds
            self.discard()

    def _reset(self) -> None:
        # Another story in the window: the caller saved or discarded the previous one.
        self._timer.stop()
        self._dirty = False

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave_now()

    # -- where -----------------------------------------------------------------------------
    def target(self) -> Path | None:
        """The recovery file for the document as it is now."""
        if self.document.path is not None:
            return recovery_path(self.document.path)
        return self._untitled

    # -- doing it --------------------------------------------------------------------------
    def autosave_now(self) -> bool:
        """Write the unsaved changes now (in the background); False if there are none."""
        self._timer.stop()
        if not self._dirty or not self.document.is_modified:
            return False
        target = self.target()
        if target is None:
            return False
        if self.document.path is None and not self._hold_untitled_lock():
            return False
        self._dirty = False
        with self._lock:
            self._written.add(target)
            generation = self._generation
        story = self.document.story.snapshot()
        (self._tasks.run(_("Autosave to {target}").format(target=target),
                         lambda _progress, _cancel: self._write(story, target, generation),
                         explain_bug=lambda exc: _("{name}: could not be written "
                                                 "({problem}).")
                                                 .format(name=target.name, problem=type(exc).__name__))
         .on_success(self.written)
         .on_failure(self._on_failed))
        return True

    def _write(self, story: Story, path: Path, generation: int) -> Path:
        """In the worker: write the recovery file, unless it became obsolete."""
        with self._lock:
            if generation != self._generation:
                raise Cancelled()  # saved or discarded meanwhile: this autosave is obsolete
            path.parent.mkdir(parents=True, exist_ok=True)
            write_recovery(story, path)
        return path

    def _hold_untitled_lock(self) -> bool:
        if self._untitled_lock is None and self._untitled is not None:
            try:
                self._untitled.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self._on_failed(_("The recovery folder {parent} cannot be created "
                                "({reason}).")
                                .format(parent=self._untitled.parent, reason=exc.strerror or exc))
                return False
            lock = _new_lock(self._untitled)
            if not lock.tryLock(0):
                return False
            self._untitled_lock = lock
        return self._untitled_lock is not None

    def adopt(self, path: Path, lock: QLockFile | None = None) -> None:
        """Take over a recovery file whose changes were restored into the document: later
        autosaves go on writing to it, and saving or discarding removes it."""
        with self._lock:
            self._written.add(Path(path))
        if self.document.path is None:
            self._untitled = Path(path)
            if self._untitled_lock is not None:
                self._untitled_lock.unlock()
            self._untitled_lock = lock

    def discard(self) -> None:
        """Remove the recovery files of the document (it was saved, or its changes are
        being thrown away); autosaves not yet written are dropped."""
        self._timer.stop()
        self._dirty = False
        with self._lock:
            self._generation += 1
            paths = set(self._written)
            target = self.target()
            if target is not None:
                paths.add(target)
            self._written.clear()
            for path in paths:
                try:
                    remove_recovery(path)
                except OSError as exc:
                    log.warning("could not remove the recovery file %s: %s", path, exc)

    def wait(self) -> None:
        """Let a write in progress finish (closing the window, tests)."""
        self._tasks.wait()

    def shutdown(self) -> None:
        self._timer.stop()
        self._tasks.wait()
        if self._untitled_lock is not None and self._untitled not in self._existing():
            self._untitled_lock.unlock()
            self._untitled_lock = None

    def _existing(self) -> set[Path]:
        return {p for p in self._written if p.exists()}

    def _on_failed(self, message: str) -> None:
        self.last_error = message
        log.warning("autosave failed: %s", message)
        self.failed.emit(message)
