"""SIGKILL at random moments never leaves a half-written story or export.

A warm fork server (helpers_robustness/forkserver.py) forks a child that saves in a
loop; this test kills the child with SIGKILL after a random 0-30 ms, hundreds of
times, and after every kill the story file must load and be byte-for-byte one of the
versions written: the one before the kill or a newer one, never older, never a mix.
The same for ``photostory captions STORY --import CSV``, and for ``photostory export``
run as a real subprocess: the previous export folder stays exactly as it was.

Set PHOTOSTORY_CRASH_SEED to replay a run; failures print the seed.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image

from helpers_robustness.story_versions import version, version_bytes, version_number
from photostory.cli import main as cli_main
from photostory.core.importing import import_photos
from photostory.core.story import Paragraph, PhotoGroup, Story
from photostory.core.storyfile import load_story, save_story

HELPERS = Path(__file__).parent / "helpers_robustness"
KILLS = 240  # per kill test: enough moments to land in every step of a save
# Where the kills land depends on how busy the machine is: a test goes on killing (up to
# this many times KILLS) until its kills have landed both between and inside saves.
MORE_KILLS = 4
MAX_DELAY = 0.030
SEED = int(os.environ.get("PHOTOSTORY_CRASH_SEED", random.SystemRandom().randrange(1 << 30)))

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")


class ForkServer:
    """Client side of forkserver.py."""

    def __init__(self, mode: str, story: Path, *extra: Path) -> None:
        self.log = story.parent / "child-errors.log"
        self.proc = subprocess.Popen(
            [sys.executable, str(HELPERS / "forkserver.py"), mode, str(story), *map(str, extra)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HELPERS)

    def _ask(self, line: str) -> int:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, f"fork server died (exit {self.proc.poll()}); {self.errors()}"
        return int(answer)

    def fork(self, start: int) -> int:
        return self._ask(f"fork {start}")

    def kill_after(self, start: int, delay: float) -> None:
        """Fork a saving child, SIGKILL it after ``delay`` s, and check that SIGKILL is
        what ended it (a child that died of an exception would prove nothing)."""
        pid = self.fork(start)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        status = self._ask(f"reap {pid}")
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            f"child ended with wait status {status}, not SIGKILL; {self.errors()}")

    def errors(self) -> str:
        return f"child stderr: {self.log.read_text()[-2000:]!r}" if self.log.exists() else ""

    def __enter__(self) -> "ForkServer":
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


# -- story files ----------------------------------------------------------------------


def _window(action) -> float:
    """Kills land within 0-30 ms; on a slow disk (one save taking over 7 ms) the window
    stretches to four saves, so that kills still fall between and inside saves."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return max(MAX_DELAY, 4 * sorted(times)[1])


def test_save_survives_sigkill_at_random_moments(tmp_path):
    rng = random.Random(SEED)
    story_path = tmp_path / "Сарандағы зауыт.photostory"
    window = _window(lambda: save_story(version(0, tmp_path), story_path))
    last, advanced, mid_write = 0, 0, 0
    with ForkServer("save", story_path) as server:
        for kill in range(MORE_KILLS * KILLS):
            if kill >= KILLS and advanced >= KILLS // 10 and mid_write >= 10:
                break
            server.kill_after(last + 1, rng.uniform(0, window))
            kills = kill + 1
            leftovers = _temp_files(tmp_path)
            if leftovers:  # killed between mkstemp and rename: the kill landed mid-save
                mid_write += 1
                for leftover in leftovers:
                    leftover.unlink()
            story = load_story(story_path)  # always loads ...
            n = version_number(story.title)
            # ... and is exactly one whole version: the last one or one written since.
            assert story_path.read_bytes() == version_bytes(n, story_path), (
                f"kill {kill}: file is not version {n} (seed {SEED})")
            assert n >= last, f"kill {kill}: went back from version {last} to {n} (seed {SEED})"
            advanced += n > last
            last = n
    print(f"\n{kills} kills within {window * 1000:.0f} ms (seed {SEED}): {advanced} after new versions were saved, "
          f"{mid_write} in the middle of a save (temporary file left behind); "
          f"{last} versions written")
    # The kills really landed between saves and inside them; fewer would mean the timing
    # no longer tests anything.
    assert advanced >= KILLS // 10 and mid_write >= 10


_KILL_AT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {helpers!r})
    from story_versions import version
    from photostory.core import atomic
    from photostory.core.storyfile import save_story

    step, story_path = {step!r}, Path({path!r})
    die = lambda: os.kill(os.getpid(), signal.SIGKILL)
    real_fsync, real_replace, real_fdopen = os.fsync, os.replace, os.fdopen
    fsyncs = []

    def fsync(fd):
        fsyncs.append(fd)
        if step == "data fsync" and len(fsyncs) == 1 or step == "folder fsync" and len(fsyncs) == 2:
            die()
        real_fsync(fd)

    def replace(src, dst):
        if step == "rename":
            die()
        real_replace(src, dst)

    class HalfWriter:
        def __init__(self, fh): self.fh = fh
        def __enter__(self): return self
        def __exit__(self, *exc): return self.fh.__exit__(*exc)
        def write(self, data):
            self.fh.write(data[: len(data) // 2]); self.fh.flush(); die()
        def __getattr__(self, name): return getattr(self.fh, name)

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        return HalfWriter(fh) if step == "half written" else fh

    os.fsync, os.replace, os.fdopen = fsync, replace, fdopen
    save_story(version(2, story_path.parent), story_path)
""")


@pytest.mark.parametrize("step, survivor", [
    ("half written", 1), ("data fsync", 1), ("rename", 1), ("folder fsync", 2)])
def test_save_killed_at_each_step_of_the_atomic_write(tmp_path, step, survivor):
    """The random kills above, pinned to each step of write_atomic."""
    story_path = tmp_path / "story.photostory"
    save_story(version(1, tmp_path), story_path)
    script = _KILL_AT.format(helpers=str(HELPERS), step=step, path=str(story_path))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert story_path.read_bytes() == version_bytes(survivor, story_path)
    load_story(story_path)


# -- captions sheet import ------------------------------------------------------------


def _sheet(story: Story, tag: str, repeat: int) -> str:
    rows = ["file,caption,credit,alt"]
    for i, photo in enumerate(story.photos):
        caption = f"{tag} {i}: «Сарандағы зауыт», \"quoted\" & <b>bold</b> " + "сөз " * repeat * (i % 4)
        rows.append(f'"{photo.file_name}","{caption.replace(chr(34), chr(34) * 2)}",'
                    f'{tag} credit,Alt {tag} {i}')
    return "\n".join(rows) + "\n"


def test_captions_import_survives_sigkill_at_random_moments(tmp_path):
    rng = random.Random(SEED + 1)
    story_path = tmp_path / "Сапар.photostory"
    story = version(0, tmp_path)
    save_story(story, story_path)
    sheet_a, sheet_b = tmp_path / "a.csv", tmp_path / "b.csv"
    sheet_a.write_text(_sheet(story, "A", 30), encoding="utf-8")
    sheet_b.write_text(_sheet(story, "B", 5), encoding="utf-8")
    # The versions that may be on disk: before any import, after A, after B.
    original = story_path.read_bytes()
    after: dict[str, bytes] = {}
    started = time.perf_counter()
    for name, sheet in (("A", sheet_a), ("B", sheet_b), ("A again", sheet_a)):
        assert cli_main(["captions", str(story_path), "--import", str(sheet)]) == 0
        after[name] = story_path.read_bytes()
    window = max(MAX_DELAY, 4 * (time.perf_counter() - started) / 3)
    assert after["A"] == after["A again"] != after["B"] != original  # each sheet sets everything
    story_path.write_bytes(original)
    seen = {"original": 0, "A": 0, "B": 0}
    mid_write = 0
    with ForkServer("captions", story_path, sheet_a, sheet_b) as server:
        for kill in range(MORE_KILLS * KILLS):
            if kill >= KILLS and seen["A"] and seen["B"] and mid_write >= 5:
                break
            server.kill_after(kill, rng.uniform(0, window))
            kills = kill + 1
            leftovers = _temp_files(tmp_path)
            mid_write += bool(leftovers)
            for leftover in leftovers:
                leftover.unlink()
            data = story_path.read_bytes()
            load_story(story_path)
            state = {original: "original", after["A"]: "A", after["B"]: "B"}.get(data)
            assert state, f"kill {kill}: the story file is none of the versions (seed {SEED})"
            seen[state] += 1
    print(f"\n{kills} kills of `photostory captions --import` (seed {SEED}): file found as "
          f"{seen}; {mid_write} kills in the middle of a save")
    assert seen["A"] and seen["B"] and mid_write >= 5


# -- export ---------------------------------------------------------------------------


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _export_cmd(story: Path, out: Path, workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "photostory", "export", str(story), "-o", str(out),
            "--workers", str(workers), "--ignore-errors"]


@pytest.fixture(scope="module")
def noisy_photos(tmp_path_factory) -> Path:
    """Four noisy 1600x1200 photos (noise makes encoding slow enough to kill mid-way)."""
    folder = tmp_path_factory.mktemp("noisy")
    for i in range(4):
        Image.effect_noise((1600, 1200), 50 + i).convert("RGB").save(
            folder / f"Фото {i + 1}.jpg", quality=90)
    return folder


@pytest.fixture
def export_story_file(tmp_path, noisy_photos) -> Path:
    """A story of the noisy photos: about a second to export on one core."""
    folder = tmp_path / "photos"
    shutil.copytree(noisy_photos, folder)
    story = Story(title="Killed export", default_credit="akorda.kz", language="ru")
    story.photos = import_photos(sorted(folder.iterdir()), workers=1).photos
    for i, photo in enumerate(story.photos):
        photo.caption, photo.alt = f"Caption {i}", f"Alt {i}"
    story.body = [Paragraph("Text."), PhotoGroup([p.id for p in story.photos])]
    path = tmp_path / "story.photostory"
    save_story(story, path)
    return path


def _set_captions(story_path: Path, text: str) -> None:
    story = load_story(story_path)
    for photo in story.photos:
        photo.caption = text
    save_story(story, story_path)


def test_killed_export_leaves_the_previous_export_intact(tmp_path, export_story_file):
    rng = random.Random(SEED + 2)
    out = tmp_path / "exports" / "killed"

    def timed_export() -> float:
        started = time.monotonic()
        subprocess.run(_export_cmd(export_story_file, out), check=True, capture_output=True)
        return time.monotonic() - started

    # Two kinds of export, timed: everything rendered again (new mtimes), and only
    # captions changed (renditions hard-linked from the previous export and their XMP
    # rewritten: a rewrite in place would corrupt the previous export through the
    # shared inode).
    full = timed_export()
    _set_captions(export_story_file, "Caption after attempt -2")
    captions_only = timed_export()
    before = _files(out)
    kills = finished = 0
    for attempt in range(8):
        if attempt % 2:
            for photo in (tmp_path / "photos").iterdir():
                os.utime(photo, ns=(attempt * 10**9, attempt * 10**9))
        else:
            _set_captions(export_story_file, f"Caption after attempt {attempt}")
        proc = subprocess.Popen(_export_cmd(export_story_file, out), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.0) * (full if attempt % 2 else captions_only))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        now = _files(out)
        caption = f"Caption after attempt {attempt - attempt % 2}"
        if code == 0:
            finished += 1
        else:
            kills += 1
            assert code == -signal.SIGKILL
        # The previous export exactly, or (finished, or killed after the swap) the new one whole.
        assert now == before or _complete(out, caption), (
            f"attempt {attempt}: neither the previous export nor a whole new one (seed {SEED})")
        before = now
    leftovers = sorted(p.name for p in out.parent.iterdir() if p.name != "killed")
    # A later export completes, and clears the hidden leftovers of the killed ones.
    _set_captions(export_story_file, "Final caption")
    subprocess.run(_export_cmd(export_story_file, out), check=True, capture_output=True)
    final = (out / "index.html").read_text(encoding="utf-8")
    assert final.count("Final caption") >= 4 and ".building-" not in final
    assert all(name.startswith(".killed.building-") for name in leftovers), leftovers
    assert sorted(p.name for p in out.parent.iterdir()) == ["killed"]
    print(f"\nexport took {full:.2f} s ({captions_only:.2f} s for captions only); {kills} "
          f"exports killed mid-way, {finished} finished "
          f"first; {len(leftovers)} hidden .killed.building-* folders left behind (cleared by "
          "the next export)")
    assert kills >= 4


def _complete(out: Path, caption: str) -> bool:
    """A whole export of the story with ``caption``: pages, manifest and every image they name."""
    try:
        html = (out / "index.html").read_text(encoding="utf-8")
        manifest = json.loads((out / "story.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    urls = [r["url"] for p in manifest["photos"] for r in p["renditions"]]
    for url in urls:
        try:
            with Image.open(out / url) as im:
                im.load()
        except OSError:
            return False
    return html.count(caption) >= 4 and len(manifest["photos"]) == 4 and all(u in html for u in urls)


_KILL_IN_SWAP = textwrap.dedent("""
    import os, signal
    from pathlib import Path
    from photostory.core.export import folder, pipeline
    from photostory.core.export.options import ExportOptions
    from photostory.core.storyfile import load_story

    moment, out = {moment!r}, Path({out!r})
    die = lambda: os.kill(os.getpid(), signal.SIGKILL)
    real_swap, real_rename = folder.Staging.swap_in, os.rename

    def rename(src, dst):
        real_rename(src, dst)
        if moment == "inside the swap":
            die()  # right after the first rename of the swap, whatever comes next

    def swap(staging):
        if moment == "before the swap":
            die()
        os.rename = rename
        real_swap(staging)
        die()  # after the swap (or inside it, when it is a single atomic step)

    folder.Staging.swap_in = swap
    pipeline.export_story(load_story(Path({story!r})), out, ExportOptions(workers=1))
""")


@pytest.mark.parametrize("moment", [
    "before the swap",
    "inside the swap",
    "after the swap",
])
def test_export_killed_during_the_swap(tmp_path, export_story_file, moment):
    out = tmp_path / "out"
    subprocess.run(_export_cmd(export_story_file, out), check=True, capture_output=True)
    before = (out / "index.html").read_bytes()
    _set_captions(export_story_file, "New caption")
    script = _KILL_IN_SWAP.format(moment=moment, out=str(out), story=str(export_story_file))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert (out / "index.html").is_file(), (
        f"no export folder after the kill; siblings: {sorted(p.name for p in tmp_path.iterdir())}")
    if moment == "before the swap":
        assert (out / "index.html").read_bytes() == before
    elif moment == "after the swap":
        assert _complete(out, "New caption")
    else:
        assert (out / "index.html").read_bytes() == before or _complete(out, "New caption")
    # Whatever the moment, the next export completes.
    subprocess.run(_export_cmd(export_story_file, out), check=True, capture_output=True)
    assert _complete(out, "New caption")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_killed_parallel_export_leaves_no_worker_running(tmp_path, export_story_file):
    """With worker processes, killing the export must not leave them running."""
    out = tmp_path / "out"
    proc = subprocess.Popen(_export_cmd(export_story_file, out, workers=2),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        # Kill once the workers are rendering: a rendition has reached the build folder.
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(".out.building-*/export/images/*.jpg")):
            assert time.monotonic() < deadline and proc.poll() is None, "no rendition appeared"
            time.sleep(0.01)
        proc.kill()
        proc.wait()
        killed = time.monotonic()
        # Workers look for their parent every 0.5 s; 30 s is a hang guard, not a target.
        while _group(proc.pid) and time.monotonic() < killed + 30:
            time.sleep(0.05)
        assert not _group(proc.pid), f"orphaned workers still running: {_group(proc.pid)}"
        assert not out.exists()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the orphans, if any
        except ProcessLookupError:
            pass


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes in process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                members.append(int(entry.name))
    return members
