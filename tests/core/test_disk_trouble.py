"""Read-only folders and full disks give a clear message and lose nothing.

Where the tests run as root and ``mount -t tmpfs`` works (CI containers, this dev box),
they use a real 2 MiB tmpfs: filled up for ENOSPC, remounted read-only for EROFS.
Elsewhere those tests skip (in CI they fail: support.unavailable), and the same checks
run with writes patched to raise ENOSPC. A folder without write permission is in
test_permissions.py.
"""

from __future__ import annotations

import errno
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from photostory.core import atomic
from photostory.core.captions_csv import write_sheet
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.story import Paragraph, Story
from photostory.core.storyfile import load_story, save_story
from photostory.errors import CaptionsSheetError, ExportError, StoryFileError
from support import noisy_story, unavailable

SMALL = ExportOptions(workers=1, widths=(160, 960))
# Other rendition settings: every photo is rendered again, whatever the sources' dates.
SMALL_AGAIN = ExportOptions(workers=1, widths=(160, 960), quality=SMALL.quality - 1)


# -- helpers --------------------------------------------------------------------------


class SmallDisk:
    """A tmpfs of ``size`` mounted at ``path``; ``fill`` leaves ``free`` bytes."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            unavailable(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}); "
                        "the patched-write tests cover part of this")

    def free(self) -> int:
        return shutil.disk_usage(self.path).free

    def fill(self, leave: int) -> None:
        with open(self.path / f"filler-{uuid.uuid4().hex}", "wb") as fh:
            try:
                fh.write(b"\0" * max(0, self.free() - leave))
            except OSError:
                pass

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0 or not shutil.which("mount"):
        unavailable("mounting a tmpfs needs root and mount(8); the patched-write tests cover "
                    "part of this")
    disks: list[SmallDisk] = []

    def make(size: str = "2m") -> SmallDisk:
        disk = SmallDisk(tmp_path / f"disk{len(disks)}", size)
        disks.append(disk)
        return disk

    yield make
    for disk in disks:
        disk.unmount()


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name and not p.name.startswith("filler"))


# -- export ---------------------------------------------------------------------------


def test_export_to_a_read_only_filesystem_keeps_the_previous_export(tmp_path, small_disk):
    disk = small_disk("4m")
    story = noisy_story(tmp_path / "photos", 2)
    out = disk.path / "Экспорт"
    export_story(story, out, SMALL)
    before = _files(out)
    disk.read_only()
    story.photos[0].caption = "Changed"
    with pytest.raises(ExportError) as err:
        export_story(story, out, SMALL)
    message = str(err.value)
    assert str(out) in message and "Read-only file system" in message and "\n" not in message
    assert _files(out) == before


def _per_photo(out: Path, photos: int) -> int:
    """Bytes one photo's renditions take in ``out`` (depends on the JPEG encoder)."""
    return sum(p.stat().st_size for p in (out / "images").iterdir()) // photos


def test_export_to_a_full_disk_keeps_the_previous_export(tmp_path, small_disk):
    disk = small_disk("1m")
    out = disk.path / "export"
    export_story(noisy_story(tmp_path / "photos", 2), out, SMALL)
    before = _files(out)
    bigger = noisy_story(tmp_path / "photos", 2 + disk.free() // _per_photo(out, 2) + 2)
    free_before = disk.free()
    with pytest.raises(ExportError) as err:
        export_story(bigger, out, SMALL)
    message = str(err.value)
    assert str(out) in message and "No space left on device" in message, message
    assert "previous export" in message and "\n" not in message
    assert _files(out) == before
    assert _siblings(out) == [], "the half-built export was left behind"
    assert disk.free() == free_before  # and its space given back


def test_export_when_the_disk_fills_up_mid_way(tmp_path, small_disk):
    """The disk is nearly full before we start: the building copy runs out part-way."""
    disk = small_disk("2m")
    out = disk.path / "export"
    story = noisy_story(tmp_path / "photos", 3)
    export_story(story, out, SMALL)
    before = _files(out)
    disk.fill(leave=_per_photo(out, 3) * 3 // 2)  # room for one photo and a half
    with pytest.raises(ExportError, match="No space left on device"):
        export_story(story, out, SMALL_AGAIN)
    assert _files(out) == before and _siblings(out) == []


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_export_pages_that_cannot_be_written_keep_the_previous_export(tmp_path, monkeypatch):
    """Patched writes: where no tmpfs can be mounted, and for a precise moment."""
    story = noisy_story(tmp_path / "photos", 2)
    out = tmp_path / "exports" / "export"
    export_story(story, out, SMALL)
    before = _files(out)
    story.photos[0].caption = "Changed"
    real = pathlib.Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == "embed.html":
            _enospc()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", write_text)
    with pytest.raises(ExportError, match="No space left on device") as err:
        export_story(story, out, SMALL)
    assert str(out) in str(err.value)
    assert _files(out) == before and _siblings(out) == []


def test_a_rendition_that_cannot_be_written_fails_the_whole_export(tmp_path, monkeypatch):
    story = noisy_story(tmp_path / "photos", 3)
    out = tmp_path / "export"
    export_story(story, out, SMALL)
    before = _files(out)
    real = pathlib.Path.write_bytes

    def write_bytes(self, data):
        if self.name.startswith("foto-3-"):
            real(self, data[: len(data) // 2])  # as far as the disk went
            _enospc()
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    try:
        report = export_story(story, out, SMALL_AGAIN)
    except ExportError as err:
        assert "No space left on device" in str(err)
    else:
        pytest.fail(f"the export went on without a photo: {report.failed}")
    assert _files(out) == before


# -- story files and captions sheets --------------------------------------------------


def _big_story(folder: Path, n: int) -> Story:
    story = Story(title=f"Version {n}")
    story.body = [Paragraph("Сарандағы зауыт. " * 20000)]  # about 600 KB of JSON
    return story


def test_save_story_on_a_full_disk(tmp_path, small_disk):
    disk = small_disk("2m")
    path = disk.path / "Сапар.photostory"
    save_story(_big_story(disk.path, 1), path)
    before = path.read_bytes()
    disk.fill(leave=100_000)
    with pytest.raises(StoryFileError) as err:
        save_story(_big_story(disk.path, 2), path)
    message = str(err.value)
    assert message.startswith("Сапар.photostory: could not be saved (No space left on device)")
    assert "previous version of the file is unchanged" in message and "\n" not in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in disk.path.iterdir() if not p.name.startswith("filler")) == [path.name]
    load_story(path)
    for filler in disk.path.glob("filler-*"):
        filler.unlink()
    save_story(_big_story(disk.path, 2), path)  # room again: saving works
    assert load_story(path).title == "Version 2"


def test_save_story_on_a_read_only_filesystem(tmp_path, small_disk):
    disk = small_disk("1m")
    path = disk.path / "story.photostory"
    save_story(Story(title="One"), path)
    before = path.read_bytes()
    disk.read_only()
    with pytest.raises(StoryFileError, match=r"^story.photostory: could not be saved \(Read-only file system\)"):
        save_story(Story(title="Two"), path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_save_story_when_writing_fails(tmp_path, monkeypatch, failing):
    """The same with patched writes (no tmpfs needed): ENOSPC from write() or fsync()."""
    path = tmp_path / "story.photostory"
    save_story(Story(title="One"), path)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

        def write(self, data):
            self.fh.write(data[:10])
            _enospc()

        def __getattr__(self, name):
            return getattr(self.fh, name)

    if failing == "write":
        monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: Failing(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(atomic.os, "fsync", _enospc)
    with pytest.raises(StoryFileError, match=r"could not be saved \(No space left on device\)"):
        save_story(Story(title="Two"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.photostory"]


def test_captions_sheet_on_a_full_disk(tmp_path, small_disk):
    disk = small_disk("1m")
    story = Story(title="t")
    sheet = disk.path / "captions.csv"
    write_sheet(story, sheet, None)
    before = sheet.read_bytes()
    story.photos = noisy_story(tmp_path / "photos", 1).photos * 1
    story.photos[0].caption = "Сөз " * 300_000
    disk.fill(leave=50_000)
    with pytest.raises(CaptionsSheetError, match=r"^captions.csv: could not be written \(No space left on device\)"):
        write_sheet(story, sheet, None, force=True)  # over the previous sheet
    assert sheet.read_bytes() == before


def test_cli_export_to_a_full_disk_is_one_line_and_exit_1(tmp_path, small_disk):
    disk = small_disk("1m")
    story = noisy_story(tmp_path / "photos", 12)  # about twice what the disk holds
    story_path = tmp_path / "s.photostory"
    save_story(story, story_path)
    result = subprocess.run([sys.executable, "-m", "photostory", "export", str(story_path), "-o",
                             str(disk.path / "out"), "--workers", "1", "--ignore-errors"],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors and "No space left on device" in errors[-1] and str(disk.path / "out") in errors[-1]
    assert "Traceback" not in result.stderr
    assert os.listdir(disk.path) == []
