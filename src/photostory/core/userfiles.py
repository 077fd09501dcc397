"""Opening files a user names (story files, sheets, articles, photos): regular files only,
of bounded size, with errors that name the file and the problem.

A path may point at a FIFO (opening it blocks until a writer comes), a device such as
/dev/zero (endless) or a folder; hand-edited story files and sheets from elsewhere can
name any of them. Such files are refused before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from photostory.core.i18n import _, ngettext
from photostory.errors import PhotostoryError

MiB = 1 << 20

#: Largest text file (story file, captions sheet, article, shortcuts) read whole.
MAX_TEXT_BYTES = 64 * MiB


def open_user_file(path: Path, error: type[PhotostoryError],
                   limit: int | None = None) -> BinaryIO:
    """``path`` opened for binary reading; ``error`` names the file when it is missing,
    not a regular file, or larger than ``limit`` bytes."""
    path = Path(path)
    name = path.name or str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOCTTY: a terminal
        # device named here must not become our controlling terminal.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(_("{name}: file not found.").format(name=name)) from None
    except IsADirectoryError:
        raise error(_("{name}: is a folder, not a file.").format(name=name)) from None
    except OSError as exc:
        # A socket cannot be opened at all (ENXIO): name what it is, not the errno.
        try:
            _refuse_unless_regular(name, os.stat(path), error)
        except (OSError, ValueError):
            pass
        raise error(_("{name}: cannot be read ({reason}).")
                    .format(name=name, reason=exc.strerror or exc)) from exc
    try:
        _refuse_unless_regular(name, os.fstat(fd), error, limit)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_regular_file(path: Path, error: type[PhotostoryError]) -> None:
    """``error`` naming the file unless ``path`` (links followed) is a regular file;
    never opens it. For a file about to be replaced: refused as open_user_file would
    refuse reading it."""
    path = Path(path)
    name = path.name or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(_("{name}: file not found.").format(name=name)) from None
    except (OSError, ValueError) as exc:
        raise error(_("{name}: cannot be read ({reason}).")
                    .format(name=name, reason=getattr(exc, 'strerror', None) or exc)) from exc
    _refuse_unless_regular(name, info, error)


def _refuse_unless_regular(name: str, info: os.stat_result, error: type[PhotostoryError],
                           limit: int | None = None) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise error(_("{name}: is a folder, not a file.").format(name=name))
    if not stat.S_ISREG(info.st_mode):
        raise error(_("{name}: is not a regular file ({kind}).")
                    .format(name=name, kind=special_kind(info.st_mode)))
    if limit is not None and info.st_size > limit:
        raise error(_("{name}: is too large ({size}; at most {limit}).")
                    .format(name=name, size=_size(info.st_size), limit=_size(limit)))


def read_user_bytes(path: Path, error: type[PhotostoryError],
                    limit: int = MAX_TEXT_BYTES) -> bytes:
    """The whole file, at most ``limit`` bytes; ``error`` names the file and says why not."""
    with open_user_file(path, error, limit) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise error(_("{name}: cannot be read ({reason}).")
                        .format(name=Path(path).name, reason=exc.strerror or exc)) from exc
    if len(data) > limit:  # grew while being read
        raise error(_("{name}: is too large (at most {limit}).")
                    .format(name=Path(path).name, limit=_size(limit)))
    return data


def is_regular_file(path: Path) -> bool:
    """True for a regular file (links followed); never opens or blocks."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def special_kind(mode: int) -> str:
    """What a file that is neither regular nor a folder is, for messages: "a named pipe"."""
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("a special file")


def _size(n: int) -> str:
    if n >= MiB:
        return _("{size:.0f} MB").format(size=n / MiB)
    return ngettext("{count} byte", "{count} bytes", n).format(count=n)
