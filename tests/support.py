"""Helpers shared by the tests: the shared corpus and external tools.

Outside CI a missing corpus or tool skips the test with the reason; in CI (``CI`` set)
it fails, so a broken CI machine cannot pass by skipping.
"""

from __future__ import annotations

import ctypes
import faulthandler
import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def unavailable(reason: str) -> None:
    """Fail in CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus; skips (fails in CI) when the corpus is absent."""
    if not CORPUS.is_dir():
        unavailable(f"the shared image corpus is not at {CORPUS}")
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        unavailable(f"{path} is missing from the shared image corpus")
    return path


def corpus_manifest() -> list[dict[str, str]]:
    """Rows of corpus/MANIFEST.tsv as dicts."""
    import csv

    with open(corpus_path("MANIFEST.tsv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def require_tool(name: str, *candidates: str) -> str:
    """Path of an external program; skips (fails in CI) when it is not installed."""
    for candidate in (name, *candidates):
        found = shutil.which(candidate)
        if found:
            return found
    unavailable(f"{name} is not installed")
    raise AssertionError("unreachable")


# -- running without root's privileges --------------------------------------------------

# linux/capability.h and linux/prctl.h: the capabilities with which root reads, writes
# and chmods files whatever their permissions say.
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3
_PR_CAPBSET_DROP = 24


def _drop_permission_overrides() -> None:
    """preexec_fn: remove root's permission-bypassing capabilities from the bounding set,
    so the program exec'd next runs as uid 0 but is refused what the file modes refuse."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {cap}) failed")


def run_unprivileged(code: str, *args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -c code *args`` in a subprocess for which file permissions count.

    As root (CI runs as root) the child keeps uid 0 but loses the capabilities that
    ignore file modes: it can still start this interpreter (which may live under a
    0700 /root, out of reach of a user like nobody) and gets EACCES from a chmod 555
    folder or a chmod 000 file exactly as their owner would. As any other user the
    code runs as it is. ``timeout`` is a hang guard.
    """
    preexec = None
    if os.geteuid() == 0:
        if not sys.platform.startswith("linux"):
            unavailable("dropping root's file capabilities needs Linux prctl()")
        preexec = _drop_permission_overrides
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def run_as_user(user: str, argv: Sequence[str | os.PathLike[str]],
                timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run ``argv`` (a system program: the interpreter may be out of ``user``'s reach) as
    ``user``: root switches to it, anyone else can only be themselves and skips."""
    if os.geteuid() != 0:
        unavailable(f"only root can run a program as {user}")
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        unavailable(f"there is no user {user!r} on this system")

    def switch() -> None:
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return subprocess.run(list(map(str, argv)), capture_output=True, timeout=timeout,
                          preexec_fn=switch, cwd="/")


def noisy_story(folder: Path, count: int, size: tuple[int, int] = (1200, 900)):  # noqa: ANN201
    """A captioned story of ``count`` noise photos in ``folder`` (made once; noise does not
    compress: at 1200x900 each photo's renditions take about 200 KB)."""
    from PIL import Image

    from photostory.core.importing import import_photos
    from photostory.core.story import Paragraph, PhotoGroup, Story

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"Фото {i + 1}.jpg"
        if not path.exists():
            Image.effect_noise(size, 40 + i).convert("RGB").save(path, quality=90)
        paths.append(path)
    story = Story(title="Noise", default_credit="akorda.kz")
    story.photos = import_photos(paths, workers=1).photos
    for photo in story.photos:
        photo.caption = "Caption"
    story.body = [Paragraph("Text."), PhotoGroup([p.id for p in story.photos])]
    return story


# -- bounded work instead of wall-clock limits ------------------------------------------

#: Seconds after which a test that should take well under a second is taken as hung.
HANG_GUARD = 120


@contextmanager
def hang_guard(config: pytest.Config, seconds: float = HANG_GUARD) -> Iterator[None]:
    """End the run with every thread's traceback if the block is still running after
    ``seconds``: a hang guard far above any normal time, never a speed check. (A hang
    in C code, a decoder's loop, can only be stopped this way.) The traceback goes to
    the terminal pytest's own faulthandler writes to, which output capture leaves alone."""
    from _pytest.faulthandler import fault_handler_stderr_fd_key

    terminal = config.stash.get(fault_handler_stderr_fd_key, None)
    faulthandler.dump_traceback_later(seconds, exit=True,
                                      file=sys.__stderr__ if terminal is None else terminal)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@dataclass
class Decodes:
    """Pixel decodes Pillow did, and the pixels they produced."""

    count: int = 0
    pixels: int = 0

    def take(self) -> "Decodes":
        """What was counted so far; the counter starts again from zero."""
        done = Decodes(self.count, self.pixels)
        self.count = self.pixels = 0
        return done


@contextmanager
def counting_decodes() -> Iterator[Decodes]:
    """Count every decode of pixels by Pillow inside the block (the decoding still runs).

    ``ImageFile.load`` decodes every format but compressed TIFF, which libtiff decodes
    from ``TiffImageFile._load_libtiff``; an image whose pixels are already there (no
    tiles left) costs nothing and is not counted.
    """
    from PIL import ImageFile, TiffImagePlugin

    decodes = Decodes()
    real_load = ImageFile.ImageFile.load
    real_libtiff = TiffImagePlugin.TiffImageFile._load_libtiff

    def counted(real):  # noqa: ANN001, ANN202
        def load(self, *args, **kwargs):  # noqa: ANN001, ANN202
            if self.tile:
                decodes.count += 1
                decodes.pixels += self.size[0] * self.size[1]
            return real(self, *args, **kwargs)
        return load

    ImageFile.ImageFile.load = counted(real_load)
    TiffImagePlugin.TiffImageFile._load_libtiff = counted(real_libtiff)
    try:
        yield decodes
    finally:
        ImageFile.ImageFile.load = real_load
        TiffImagePlugin.TiffImageFile._load_libtiff = real_libtiff


# -- screenshots ------------------------------------------------------------------------

#: A photo shown at thumbnail size or larger has thousands of colours and strong
#: contrast; a blank or unpainted area has a handful and almost none.
PHOTO_COLOURS = 1000
PHOTO_CONTRAST = 30  # standard deviation of a channel, 0-255


def photo_shown_in(image, box: tuple[int, int, int, int]) -> str:  # noqa: ANN001
    """"" when the ``box`` (left, top, right, bottom) of a PIL image shows a photo, else
    what it shows instead (for the assertion message)."""
    from PIL import ImageStat

    area = image.convert("RGB").crop(box)
    colours = len(area.getcolors(area.width * area.height) or [])
    contrast = max(ImageStat.Stat(area).stddev)
    if colours >= PHOTO_COLOURS and contrast >= PHOTO_CONTRAST:
        return ""
    return f"{box} has {colours} colours, contrast {contrast:.0f}: no photo there"
