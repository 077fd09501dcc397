"""The duplicate check's remembered file hashes are shared by two threads in the editor
(the background check and the check before an export, on the GUI thread): one thread
clearing them while another stores and reads must never make a check fail."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from PIL import Image

from photostory.core import preflight
from photostory.core.preflight import check_story
from photostory.core.story import Photo, Story

HANG_GUARD_S = 60  # each step takes milliseconds


def story_with_twins(tmp_path: Path) -> Story:
    Image.new("RGB", (64, 48), "white").save(tmp_path / "a.jpg")
    shutil.copy(tmp_path / "a.jpg", tmp_path / "b.jpg")
    return Story(default_credit="akorda.kz",
                 photos=[Photo(path=tmp_path / name, id=name, caption="c", alt="d")
                         for name in ("a.jpg", "b.jpg")])


def test_a_clear_between_storing_a_hash_and_using_it_loses_nothing(tmp_path: Path) -> None:
    """Thread A is paused right after it hashed a file, before it uses the result; the
    cache is cleared meanwhile (as another thread's check does when it is full)."""
    story = story_with_twins(tmp_path)
    preflight._HASHES.clear()
    paused, resume = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}
    module_file = preflight.__file__

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != module_file:
            return None
        return local

    hashed = [False]

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "return" and frame.f_code.co_name == "_hash_file":
            hashed[0] = True
        elif event == "line" and hashed[0] and not paused.is_set():
            paused.set()  # the first line run after a file was hashed
            resume.wait(HANG_GUARD_S)
        return local

    def thread_a() -> None:
        sys.settrace(tracer)
        try:
            outcome["findings"] = check_story(story)
        except Exception as exc:  # noqa: BLE001 - what the editor's checker would log
            outcome["error"] = exc
        finally:
            sys.settrace(None)

    a = threading.Thread(target=thread_a, daemon=True)
    a.start()
    assert paused.wait(HANG_GUARD_S), "thread A never hashed a file"
    clearer = threading.Thread(target=preflight._HASHES.clear, daemon=True)
    clearer.start()
    clearer.join(HANG_GUARD_S)
    assert not clearer.is_alive(), "clearing the cache waited for a check that was hashing"
    resume.set()
    a.join(HANG_GUARD_S)

    assert "error" not in outcome, f"the check failed: {outcome['error']!r}"
    assert [f.rule for f in outcome["findings"]] == ["duplicate"]


def test_checks_on_two_threads_at_once_agree(tmp_path: Path) -> None:
    """Both threads start hashing at the same moment, with one cache between them."""
    story = story_with_twins(tmp_path)
    preflight._HASHES.clear()
    barrier = threading.Barrier(2, timeout=HANG_GUARD_S)
    results: list[list[str]] = []

    def check() -> None:
        barrier.wait()
        results.append([f.rule for f in check_story(story)])

    threads = [threading.Thread(target=check, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD_S)
    assert results == [["duplicate"], ["duplicate"]]
