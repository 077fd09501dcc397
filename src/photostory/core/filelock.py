"""The lock held while a shared file is checked and replaced, across processes.

Saving a story checks that the file still holds what was read, then renames the new
version over it; without a lock another save could land between the check and the
rename and be lost. The lock is a hidden file beside the target, ``.<name>.lock``,
locked with ``flock``: the kernel (or, with NFS, the file server) lets go of a lock when
its process dies, so a crash never leaves a lock that blocks the next save, and a lock
file a crash left behind is simply locked again and removed.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from photostory.core.atomic import link_target, short_name

try:
    import fcntl
except ImportError:  # Windows: no flock; saving relies on the content check alone
    fcntl = None  # type: ignore[assignment]

#: How long a save waits for another program's save of the same file (a save takes
#: milliseconds; this is for a slow network folder).
LOCK_WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.05

# File systems that cannot lock at all (some FUSE and SMB mounts): the content check
# still runs; only the millisecond between it and the rename is unguarded there.
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}

_held = threading.local()  # lock paths this thread holds, with how deep


class LockBusy(Exception):
    """Another process held the lock for longer than the caller would wait."""


def lock_path(path: Path) -> Path:
    """``/news/trip.photostory`` -> ``/news/.trip.photostory.lock``, beside the file links
    lead to, so everyone who reaches one shared file by any link takes one lock."""
    target = link_target(path)
    return target.with_name(f".{short_name(target.name)}.lock")


@contextmanager
def hold_lock(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the save lock of ``path`` for the ``with`` block; a thread already holding it
    (a command that reads, changes and saves under one lock) holds it again at once.

    LockBusy when another process holds it for ``wait`` seconds; OSError when the lock
    file cannot be made (a folder without write permission could not be saved to either).
    """
    where = lock_path(path)
    depth: dict[Path, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(where):
        depth[where] += 1
        try:
            yield
        finally:
            depth[where] -= 1
        return
    fd = _acquire(where, wait)
    depth[where] = 1
    try:
        yield
    finally:
        del depth[where]
        if fd is not None:
            _release(where, fd)


def _acquire(where: Path, wait: float) -> int | None:
    """The locked file's descriptor; None where the file system cannot lock."""
    if fcntl is None:
        return None
    deadline = time.monotonic() + wait
    while True:
        fd = _open(where)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockBusy(str(where)) from None
            time.sleep(_POLL_SECONDS)
            continue
        except OSError as exc:
            os.close(fd)
            if exc.errno in _NO_LOCKING:
                return None
            raise
        # The holder before us removes the file as it lets go: if it did so after we
        # opened it, we hold a lock on a file nobody else will open. Lock the one there now.
        try:
            if os.path.samestat(os.fstat(fd), os.stat(where, follow_symlinks=False)):
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def _open(where: Path) -> int:
    flags = os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(where, os.O_RDWR | flags, 0o666)
    except PermissionError:
        # Left by a colleague's crashed save in a shared folder, with their umask:
        # a local flock needs no write permission.
        return os.open(where, os.O_RDONLY | flags)


def _release(where: Path, fd: int) -> None:
    # Removed while still locked, so a waiting process that opened this file finds it
    # gone when its lock comes through, and opens a new one.
    try:
        os.unlink(where)
    except OSError:
        pass
    os.close(fd)
