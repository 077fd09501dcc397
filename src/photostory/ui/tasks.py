"""Long work (import, export) off the GUI thread, with progress and Cancel.

A task is a plain function ``fn(progress, cancel) -> result`` over the core. It runs on
a private QThreadPool; its progress and outcome reach the GUI thread as queued signals
(the Picard/Vorta "to main" pattern), so slots may touch widgets freely.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal

from photostory.core.progress import CancelToken, Progress
from photostory.errors import Cancelled, PhotostoryError

log = logging.getLogger(__name__)

Work = Callable[[Progress, CancelToken], Any]
BACKGROUND_NICE = 10


_background = threading.local()


def lower_thread_priority() -> None:
    """Let the GUI thread win the CPU over this worker (decoding and parsing can wait a
    few milliseconds; a frozen window can't). Threads this one starts inherit it."""
    if getattr(_background, "lowered", False):
        return
    _background.lowered = True
    try:
        if sys.platform.startswith("linux"):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
        else:
            QThread.currentThread().setPriority(QThread.Priority.LowPriority)
    except (OSError, AttributeError):  # not permitted or not supported: run at normal priority
        pass


class _Relay(QObject):
    """Created on the GUI thread; the worker emits on it, the Task's slots run on the GUI thread."""

    progress = Signal(int, int, str)
    done = Signal(object)
    error = Signal(str)
    cancelled = Signal()


class _Runner(QRunnable):
    def __init__(self, relay: _Relay, work: Work, token: CancelToken, label: str) -> None:
        super().__init__()
        self.relay = relay
        self.work = work
        self.token = token
        self.label = label

    def _progress(self, done: int, total: int, message: str) -> None:
        self.relay.progress.emit(done, total, message)

    def run(self) -> None:
        lower_thread_priority()
        try:
            result = self.work(self._progress, self.token)
        except Cancelled:
            self.relay.cancelled.emit()
        except PhotostoryError as exc:
            self.relay.error.emit(str(exc))
        except Exception as exc:  # a bug: the traceback goes to the log, a sentence to the user
            log.exception("%s failed", self.label)
            self.relay.error.emit(f"{self.label} stopped because of an unexpected problem "
                                  f"({type(exc).__name__}: {exc}). Nothing was changed; "
                                  "try again, and report the problem if it persists.")
        else:
            self.relay.done.emit(result)


class Task(QObject):
    """One piece of background work; connect to its signals before it can finish."""

    progress = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)  # the work's result
    failed = Signal(str)  # a sentence for the user
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    def __init__(self, label: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.token = CancelToken()
        self.running = True
        self.last_progress: tuple[int, int, str] = (0, 0, "")
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._relay.error.connect(self._on_error)
        self._relay.cancelled.connect(self._on_cancelled)

    def cancel(self) -> None:
        self.token.cancel()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.last_progress = (done, total, message)
        self.progress.emit(done, total, message)

    def _on_done(self, result: object) -> None:
        self.running = False
        self.succeeded.emit(result)
        self.finished.emit()

    def _on_error(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)
        self.finished.emit()

    def _on_cancelled(self) -> None:
        self.running = False
        self.cancelled.emit()
        self.finished.emit()


class TaskRunner(QObject):
    """Starts tasks on its own thread pool and keeps them alive until they finish."""

    task_started = Signal(object)  # Task

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._tasks: set[Task] = set()

    def start(self, label: str, work: Work) -> Task:
        task = Task(label, self)
        self._tasks.add(task)
        task.finished.connect(lambda: self._tasks.discard(task))
        self._pool.start(_Runner(task._relay, work, task.token, label))
        self.task_started.emit(task)
        return task

    @property
    def busy(self) -> bool:
        return any(task.running for task in self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)
