"""The background-task helper: work off the GUI thread, its outcome and progress back on it,
failures shown once, Cancel, and the status bar following the work."""

from __future__ import annotations

import os
import threading
import time

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from photostory.errors import Cancelled, ExportError
from photostory.ui.status import StatusBar
from photostory.ui.tasks import TaskRunner


@pytest.fixture
def shown() -> list[str]:
    return []


@pytest.fixture
def runner(qtbot, shown: list[str]):  # noqa: ANN201
    tasks = TaskRunner(threads=1, show_error=shown.append)
    yield tasks
    tasks.cancel_all()
    tasks.wait()


def test_success_reaches_its_callback_on_the_gui_thread(runner: TaskRunner, qtbot, shown) -> None:
    gui = threading.get_ident()
    worker: list[int] = []
    results: list[tuple[int, int]] = []

    def work(progress, cancel) -> int:  # noqa: ANN001
        worker.append(threading.get_ident())
        return 6 * 7

    task = runner.run("Counting", work).on_success(
        lambda value: results.append((value, threading.get_ident())))
    assert runner.busy
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert results == [(42, gui)] and worker and worker[0] != gui
    assert not runner.busy and shown == []


def test_a_failure_nobody_handles_is_shown_once_through_the_default_path(runner: TaskRunner, qtbot,
                                                                          shown) -> None:
    def work(progress, cancel) -> None:  # noqa: ANN001
        raise ExportError("out: the folder holds files Photostory did not make.")

    task = runner.run("Exporting", work)
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert shown == ["out: the folder holds files Photostory did not make."]

    handled: list[str] = []
    task = runner.run("Exporting", work).on_failure(handled.append)
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert handled == ["out: the folder holds files Photostory did not make."]
    assert len(shown) == 1  # handled by the caller: not shown a second time


def test_a_bug_becomes_a_sentence_and_its_traceback_goes_to_the_log(runner: TaskRunner, qtbot, shown,
                                                                     caplog) -> None:
    def work(progress, cancel) -> None:  # noqa: ANN001
        raise KeyError("width")

    with qtbot.waitSignal(runner.run("Importing photos", work).finished, timeout=30000):
        pass
    (message,) = shown
    assert message.startswith("Importing photos stopped because of an unexpected problem (KeyError")
    assert "Traceback" not in message and "Traceback" in caplog.text


def test_cancel_stops_the_work_and_nothing_is_shown(runner: TaskRunner, qtbot, shown) -> None:
    started = threading.Event()
    outcomes: list[str] = []

    def work(progress, cancel) -> None:  # noqa: ANN001
        started.set()
        while True:
            cancel.check()  # raises Cancelled once Cancel was clicked
            time.sleep(0.005)

    task = (runner.run("Exporting", work)
            .on_success(lambda _value: outcomes.append("succeeded"))
            .on_cancel(lambda: outcomes.append("cancelled")))
    qtbot.waitUntil(started.is_set)
    with qtbot.waitSignal(task.finished, timeout=30000):
        task.cancel()
    assert outcomes == ["cancelled"] and shown == [] and not runner.busy


def test_queued_work_is_dropped_by_clear_without_running(runner: TaskRunner, qtbot) -> None:
    gate, started = threading.Event(), threading.Event()
    ran: list[str] = []

    def blocking(progress, cancel) -> None:  # noqa: ANN001
        started.set()
        gate.wait(30)
        ran.append("first")

    first = runner.run("First", blocking)
    second = runner.run("Second", lambda progress, cancel: ran.append("second"))
    cancelled: list[str] = []
    second.on_cancel(lambda: cancelled.append("second"))
    qtbot.waitUntil(started.is_set)  # (one thread: the second waits in the queue)
    runner.clear()  # the second has not begun: it ends now, as cancelled
    assert cancelled == ["second"]
    gate.set()
    with qtbot.waitSignal(first.finished, timeout=30000):
        pass
    runner.wait()
    assert ran == ["first"] and not runner.busy


def test_progress_reaches_the_status_bar_and_its_cancel_button(runner: TaskRunner, qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    status = StatusBar(parent)
    status.follow(runner)
    step = threading.Event()

    def work(progress, cancel) -> str:  # noqa: ANN001
        progress(1, 3, "photo-1.jpg")
        step.wait(30)
        progress(3, 3, "photo-3.jpg")
        return "done"

    parent.show()
    task = runner.run("Exporting", work)
    assert status.task is task and status.cancel.isVisible()
    assert status.work_label.text() == "Exporting…"
    qtbot.waitUntil(lambda: status.progress.maximum() == 3 and status.progress.value() == 1)
    with qtbot.waitSignal(task.succeeded, timeout=30000):
        step.set()
    assert task.last_progress == (3, 3, "photo-3.jpg")
    assert not status.cancel.isVisible() and status.task is None  # gone when the work ends


def test_work_queued_while_an_idle_thread_wakes_runs_by_priority_then_arrival(qtbot) -> None:
    """The thumbnails on screen are asked for in a burst while the pool's thread sleeps;
    however late that thread wakes, the first asked for is the first made."""
    if not hasattr(os, "sched_setaffinity") or not hasattr(os, "SCHED_IDLE"):
        pytest.skip("needs Linux's scheduling calls to make the pool's thread wake late")
    affinity = os.sched_getaffinity(0)
    # The GUI thread and the pool's thread (started now, so it inherits this) share one
    # core, where the pool's thread runs only while the GUI thread does not want it.
    os.sched_setaffinity(0, {min(affinity)})
    runner = TaskRunner(threads=1)
    try:
        idle = runner.run("Idle", lambda progress, cancel: os.sched_setscheduler(
            0, os.SCHED_IDLE, os.sched_param(0)))
        with qtbot.waitSignal(idle.finished, timeout=30000):
            pass
        runner.wait()  # the thread now waits for work
        order: list[str] = []
        for name, priority in (("visible 1", 1), ("visible 2", 1), ("prefetch", 0),
                               ("visible 3", 1), ("scrolled to", 2)):
            runner.run(name, lambda progress, cancel, name=name: order.append(name),
                       priority=priority)
        runner.wait()
    finally:
        os.sched_setaffinity(0, affinity)
    assert order == ["scrolled to", "visible 1", "visible 2", "visible 3", "prefetch"]


def test_work_that_outlives_its_runner_is_told_to_stop_and_ends_quietly(qtbot) -> None:
    """A window closed while its work runs is deleted with its runner: the work learns it
    at its next progress report, and nothing is raised on the way out."""
    gate, started = threading.Event(), threading.Event()
    heard: list[str] = []

    def work(progress, cancel) -> None:  # noqa: ANN001
        started.set()
        gate.wait(30)
        try:
            progress(1, 2, "halfway")
        except Cancelled:
            heard.append("stop")
            raise

    runner = TaskRunner(threads=1)
    runner.destroyed.connect(gate.set)  # the work goes on while the runner is being deleted
    runner.run("Outliving", work)
    runner.run("Queued behind it", lambda progress, cancel: heard.append("queued ran"))
    qtbot.waitUntil(started.is_set)
    shiboken6.delete(runner)  # (waits for the work: the pool is the runner's child)
    assert heard == ["stop", "queued ran"]
