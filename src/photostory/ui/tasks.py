"""Background work for the editor: run a function off the GUI thread and hear back on it.

``runner.run(label, work)`` starts ``work(progress, cancel)``, a plain function over the
core, on the runner's private QThreadPool and returns a :class:`Task`. Its progress,
early results and outcome reach the GUI thread as queued signals (the Picard/Vorta
"to main" pattern), so callbacks may touch widgets freely. Callbacks chain, as with
Anki's ``QueryOp``::

    runner.run("Importing photos", work).on_success(add_photos).on_cancel(say_so)

A failure goes to the task's ``on_failure`` callbacks, or, when it has none, to the
runner's one default path (the editor shows it in a dialog). A bug's traceback goes to
the log and the user reads a sentence. Import and export, thumbnails, autosave and
preflight each have a runner of their own (their own threads, their own default).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, SignalInstance

from photostory.core.i18n import _
from photostory.core.progress import CancelToken
from photostory.errors import Cancelled, PhotostoryError

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10
ShowError = Callable[[str], object]  # the runner's default for a failure nobody handles
ExplainBug = Callable[[Exception], str]  # an unexpected exception -> the user's sentence

# How a task ended (what the worker sends to the GUI thread).
_SUCCEEDED, _FAILED, _CANCELLED = "succeeded", "failed", "cancelled"
# Where a task is: only a queued one can be dropped, only a queued one can start.
_QUEUED, _RUNNING, _DROPPED = range(3)

_background = threading.local()


def _lower_thread_priority() -> None:
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


def unexpected_problem(label: str, exc: Exception) -> str:
    """What the user reads when ``label`` hit a bug (the traceback is in the log)."""
    return (_("{label} stopped because of an unexpected problem ({problem}: {reason}). "
            "Nothing was changed; try again, and report the problem if it persists.")
            .format(label=label, problem=type(exc).__name__, reason=exc))


class Task(QObject):
    """One piece of background work. Attach callbacks (or connect to the signals) right
    after starting it: nothing it reports is delivered before the GUI thread is idle."""

    progress = Signal(int, int, str)  # done, total, message
    partial = Signal(object)  # an early result before the final one (a quick preview)
    succeeded = Signal(object)  # the work's result
    failed = Signal(str)  # a sentence for the user
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    def __init__(self, label: str, show_error: ShowError) -> None:
        super().__init__()
        self.label = label
        self.token = CancelToken()
        self.last_progress: tuple[int, int, str] = (0, 0, "")
        self._show_error: ShowError | None = show_error  # None once on_failure takes over
        self._state = _QUEUED
        self._state_lock = threading.Lock()

    # -- callbacks, chained ------------------------------------------------------------
    def on_success(self, callback: Callable[[Any], object]) -> Task:
        self.succeeded.connect(callback)
        return self

    def on_failure(self, callback: Callable[[str], object]) -> Task:
        """Handle the failure here instead of the runner's default path."""
        self._show_error = None
        self.failed.connect(callback)
        return self

    def on_cancel(self, callback: Callable[[], object]) -> Task:
        self.cancelled.connect(callback)
        return self

    def on_progress(self, callback: Callable[[int, int, str], object]) -> Task:
        self.progress.connect(callback)
        return self

    def on_partial(self, callback: Callable[[Any], object]) -> Task:
        self.partial.connect(callback)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next check (from any thread)."""
        self.token.cancel()

    # -- the worker's side ---------------------------------------------------------------
    def _begin(self) -> bool:
        """Claim the task for a worker; False when it was dropped while queued."""
        with self._state_lock:
            if self._state == _DROPPED:
                return False
            self._state = _RUNNING
            return True

    def _drop(self) -> bool:
        """Take back a task no worker has begun; False when one has."""
        with self._state_lock:
            if self._state != _QUEUED:
                return False
            self._state = _DROPPED
            return True

    # -- the GUI thread's side ---------------------------------------------------------------
    def _progressed(self, done: int, total: int, message: str) -> None:
        self.last_progress = (done, total, message)
        self.progress.emit(done, total, message)

    def _end(self, outcome: str, value: Any) -> None:
        if outcome == _SUCCEEDED:
            self.succeeded.emit(value)
        elif outcome == _FAILED:
            self.failed.emit(value)
            if self._show_error is not None:
                self._show_error(value)
        else:
            self.cancelled.emit()
        self.finished.emit()


def _tell(signal: SignalInstance, *args: object) -> bool:
    """Emit one of the runner's worker signals; False when the runner is gone (deleted
    with its window while the work ran), so nobody is left to hear the work."""
    try:
        signal.emit(*args)
    except RuntimeError:  # PySide's "Signal source has been deleted"
        return False
    return True


class Reporter:
    """Given to the work as its ``progress`` callback (a core ``Progress``); ``partial``
    sends an early result. Both may be called from the worker thread."""

    __slots__ = ("_runner", "_task")

    def __init__(self, runner: TaskRunner, task: Task) -> None:
        self._runner = runner
        self._task = task

    def __call__(self, done: int, total: int, message: str) -> None:
        if not _tell(self._runner._worker_progress, self._task, done, total, message):
            raise Cancelled()  # the window that wanted this work is gone

    def partial(self, value: object) -> None:
        if not _tell(self._runner._worker_partial, self._task, value):
            raise Cancelled()


Work = Callable[[Reporter, CancelToken], Any]


class _NextJob(QRunnable):
    """What the pool runs: the most urgent job waiting when a thread takes it up."""

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.runner = runner

    def run(self) -> None:
        job = self.runner._next_job()
        if job is not None:
            job.run()


class _Job:
    def __init__(self, runner: TaskRunner, task: Task, work: Work,
                 explain_bug: ExplainBug | None) -> None:
        self.runner, self.task, self.work, self.explain_bug = runner, task, work, explain_bug

    def run(self) -> None:
        task, ended = self.task, self.runner._worker_ended
        if not task._begin():
            return
        _lower_thread_priority()
        try:
            result = self.work(Reporter(self.runner, task), task.token)
        except Cancelled:
            _tell(ended, task, _CANCELLED, None)
        except PhotostoryError as exc:
            _tell(ended, task, _FAILED, str(exc))
        except Exception as exc:  # a bug: the traceback goes to the log, a sentence to the user
            log.exception("%s failed", task.label)
            explain = self.explain_bug or (lambda e: unexpected_problem(task.label, e))
            _tell(ended, task, _FAILED, explain(exc))
        else:
            _tell(ended, task, _SUCCEEDED, result)


class TaskRunner(QObject):
    """Runs work on its own thread pool and keeps each task alive until it ends."""

    task_started = Signal(object)  # Task

    # Emitted by workers; delivered on the GUI thread, where the runner lives.
    _worker_progress = Signal(object, int, int, str)
    _worker_partial = Signal(object, object)
    _worker_ended = Signal(object, str, object)

    def __init__(self, parent: QObject | None = None, threads: int = 2,
                 show_error: ShowError | None = None) -> None:
        """``show_error`` receives the failures no ``on_failure`` handles (else they are
        logged)."""
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._show_error = show_error or (lambda message: log.warning("background work failed: %s",
                                                                      message))
        self._tasks: set[Task] = set()
        # The runner orders the jobs itself: QThreadPool orders a job it hands to a sleeping
        # thread apart from those queued while the thread wakes, so on a busy machine the
        # first thumbnail on screen could come last, or a prefetch before a visible one.
        self._waiting: list[tuple[int, int, _Job]] = []  # heap of (-priority, arrival, job)
        self._waiting_lock = threading.Lock()
        self._arrivals = itertools.count()
        self._worker_progress.connect(self._on_progress)
        self._worker_partial.connect(self._on_partial)
        self._worker_ended.connect(self._on_ended)

    def run(self, label: str, work: Work, *, priority: int = 0,
            explain_bug: ExplainBug | None = None) -> Task:
        """Start ``work(progress, cancel)``; higher ``priority`` runs first. ``label``
        names it to the user ("Importing photos") and in the log."""
        task = Task(label, self._show_error)
        self._tasks.add(task)
        with self._waiting_lock:
            heapq.heappush(self._waiting, (-priority, next(self._arrivals),
                                           _Job(self, task, work, explain_bug)))
        self._pool.start(_NextJob(self))
        self.task_started.emit(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def clear(self) -> None:
        """Drop the work not begun yet: it ends as cancelled without running."""
        with self._waiting_lock:
            self._waiting.clear()
        self._pool.clear()
        for task in list(self._tasks):
            if task._drop():
                self._tasks.discard(task)
                task._end(_CANCELLED, None)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the running work (what it reports arrives with the next events)."""
        return self._pool.waitForDone(msecs)

    def _next_job(self) -> _Job | None:
        """Called by workers: the most urgent job, first come first served within a
        priority (None after clear() took them all back)."""
        with self._waiting_lock:
            return heapq.heappop(self._waiting)[2] if self._waiting else None

    def _on_progress(self, task: Task, done: int, total: int, message: str) -> None:
        task._progressed(done, total, message)

    def _on_partial(self, task: Task, value: object) -> None:
        task.partial.emit(value)

    def _on_ended(self, task: Task, outcome: str, value: object) -> None:
        self._tasks.discard(task)
        task._end(outcome, value)
