"""Atomic file replacement: readers see the old file or the new one, never a mix."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, follow_links: bool = True, *,
                 mode: int | None = None, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` (temp file in the same folder, fsync, rename).

    A symbolic link is followed and its target replaced: renaming over the link itself
    would turn it into a regular file and leave the shared file it points at as it was.
    ``follow_links=False`` replaces the link itself, for files only this program makes,
    where a link found in their place was put there by someone else.
    ``mode`` gives the new file these permission bits (a private cache entry); without
    it an existing file keeps its mode and a new one gets what the umask allows.
    ``durable=False`` skips the fsyncs, for a cache whose entry lost in a crash is only
    made again: readers still never see a half-written file.
    Raises OSError; the previous file is untouched when it does.
    """
    path = link_target(path) if follow_links else Path(path)
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{short_name(path.name)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask()
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(folder)


def link_target(path: Path) -> Path:
    """``path`` with every symbolic link resolved (itself when there is none); the
    target need not exist yet. OSError (ELOOP) for links that lead round in a circle."""
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath gives up on a loop and returns a link
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    return target


def short_name(name: str, limit: int = 100) -> str:
    """``name`` cut to at most ``limit`` bytes on disk, for temporary names beside it.

    Most file systems allow 255 bytes per name. A long Cyrillic or Kazakh story title
    (2 bytes a letter) makes a valid file name that the temporary file, which adds
    about 14 bytes, would exceed, and saving would fail with "File name too long".
    """
    while len(os.fsencode(name)) > limit:
        name = name[:-1]
    return name


def current_umask() -> int:
    """The process umask; read from /proc where possible, since setting it to look is racy."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; not possible everywhere, and harmless to skip."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def exchange_paths(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2 RENAME_EXCHANGE).

    False when the system can't (another OS, an old kernel, a file system without
    support); the caller then falls back to two renames.
    """
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
