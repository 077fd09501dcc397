"""Two real processes saving one story at once: no change is ever lost silently.

Every save either lands or is refused with StoryConflictError; a save that reports
success is in the file afterwards. A save lock beside the story closes the gap between
the check and the rename, and a process killed while holding it never blocks the next save.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from photostory.core.story import Photo, Story
from photostory.core.storyfile import load_story, read_story, save_story, story_save_lock
from photostory.errors import StoryConflictError, StoryFileError

HANG_GUARD_SECONDS = 120
ROUNDS = 40


def _story(folder: Path, photos: int = 2) -> Story:
    return Story(title="Plant visit",
                 photos=[Photo(path=folder / f"p{i}.jpg", id=f"p{i}") for i in range(photos)])


def _saver(path: str, me: int, rounds: int, barrier, results) -> None:
    """Each round: read the story, wait until the other process has read it too, then
    caption photo ``me`` and save against what was read."""
    for round_ in range(rounds):
        story, revision = read_story(Path(path))
        barrier.wait()
        story.photos[me].caption = f"round {round_} by {me}"
        try:
            save_story(story, Path(path), expected=revision)
            outcome = "saved"
        except StoryConflictError:
            outcome = "refused"
        barrier.wait()  # both saves are over before anyone reads the next round
        captions = [p.caption for p in load_story(Path(path)).photos]
        results.put((round_, me, outcome, captions))
        barrier.wait()  # both looked before the next round's saves


def test_two_processes_saving_what_they_read_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "story.photostory"
    save_story(_story(tmp_path), path)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2, timeout=HANG_GUARD_SECONDS)
    results = context.Queue()
    workers = [context.Process(target=_saver, args=(str(path), me, ROUNDS, barrier, results))
               for me in (0, 1)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=HANG_GUARD_SECONDS) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(HANG_GUARD_SECONDS)
        assert worker.exitcode == 0
    lost = 0
    for round_ in range(ROUNDS):
        this_round = [o for o in outcomes if o[0] == round_]
        saved = [me for _, me, outcome, _ in this_round if outcome == "saved"]
        after = this_round[0][3]
        lost += sum(1 for me in saved if after[me] != f"round {round_} by {me}")
        assert len(saved) == 1, this_round  # one lands, the other is told; never both
    assert lost == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.photostory"]  # no lock left


def test_two_captions_imports_at_once_both_land(tmp_path: Path) -> None:
    """Two `photostory captions --import` runs on one story: both said "Updated" and one
    sheet's captions were silently lost."""
    photos = 3000  # large enough that reading, matching and saving overlap (old code: every round lost)
    path = tmp_path / "story.photostory"
    save_story(_story(tmp_path, photos), path)
    sheets = []
    for me in (0, 1):
        sheet = tmp_path / f"sheet{me}.csv"
        rows = "".join(f"p{i}.jpg,sheet {me}\n" for i in range(me, photos, 2))
        sheet.write_text("file,caption\n" + rows, encoding="utf-8")
        sheets.append(sheet)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    lost = 0
    for _ in range(3):
        runs = [subprocess.Popen([sys.executable, "-m", "photostory", "captions", str(path),
                                  "--import", str(sheet)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env) for sheet in sheets]
        for run in runs:
            out, err = run.communicate(timeout=HANG_GUARD_SECONDS)
            assert run.returncode == 0 and out.startswith("Updated"), (out, err)
        captions = [p.caption for p in load_story(path).photos]
        lost += sum(1 for i, caption in enumerate(captions) if caption != f"sheet {i % 2}")
        save_story(_story(tmp_path, photos), path)  # start the next round from blank captions
    assert lost == 0


_HOLDER = """
import sys
from pathlib import Path
from photostory.core.storyfile import story_save_lock
with story_save_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def _hold_lock(path: Path) -> subprocess.Popen:
    """Another process holding the story's save lock (until its stdin closes)."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_save_lock_left_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "story.photostory"
    save_story(_story(tmp_path), path)
    story, revision = read_story(path)
    holder = _hold_lock(path)
    holder.send_signal(signal.SIGKILL)  # a crash in the middle of a save
    holder.wait(HANG_GUARD_SECONDS)
    assert any(p.name.endswith(".lock") for p in tmp_path.iterdir())  # the lock file stays
    story.title = "After the crash"
    save_story(story, path, expected=revision)
    assert load_story(path).title == "After the crash"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.photostory"]


@contextmanager
def _held_elsewhere(path: Path) -> Iterator[None]:
    """Another, live process holds the story's save lock for the ``with`` block."""
    holder = _hold_lock(path)
    try:
        yield
    finally:
        holder.communicate("", timeout=HANG_GUARD_SECONDS)  # closes its stdin: it lets go


def test_a_save_lock_held_by_a_live_process_is_named(tmp_path: Path) -> None:
    path = tmp_path / "story.photostory"
    save_story(_story(tmp_path), path)
    with _held_elsewhere(path):
        with pytest.raises(StoryFileError, match="story.photostory: is being saved by another "):
            with story_save_lock(path, wait=0):
                pass
    with story_save_lock(path, wait=0):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.photostory"]


def test_the_lock_of_a_linked_story_is_beside_its_target(tmp_path: Path) -> None:
    """Two people reaching one shared story through different links share one lock."""
    shared = tmp_path / "shared"
    shared.mkdir()
    path = shared / "story.photostory"
    save_story(_story(shared), path)
    link = tmp_path / "mine.photostory"
    link.symlink_to(path)
    with _held_elsewhere(path):
        with pytest.raises(StoryFileError, match="is being saved by another"):
            with story_save_lock(link, wait=0):
                pass
