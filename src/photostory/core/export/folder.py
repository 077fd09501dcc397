"""The export folder: what an export may replace, where it writes, and how it swaps.

**Only what Photostory made is replaced.** The state file (``STATE_FILE``) lists every file
and folder the export wrote. Anything else found in the folder is the user's (notes, an
``originals/`` folder, the story file, a link): an export into a folder that holds such
files is refused before anything is written, with one line naming them; they are never
carried along or deleted. The same check runs again on the previous export once it is set
aside during the swap, so a file dropped in while the export ran puts the previous export
back and refuses too. Exports made before the state file listed its files count as today's
layout: the pages, the state file, ``assets/`` and ``images/`` with the plain files directly
in them. A story file or photo inside the export folder is always refused, since the swap
would take it away.

**Links are resolved first**: an export to a link (or under a linked folder) writes at
the folder it points to, and the link stays as it was.

**The swap.** The export is built in ``.NAME.building-XXXX/export`` beside the target and
swapped in when complete: one atomic exchange where the system can, else two renames
that set the previous export aside as ``.NAME.building-XXXX/old`` first. Each such staging
folder holds a marker naming itself and its export; only marked folders are ever put back
or deleted, and names are compared as text (never as glob patterns), so a user's own
folder named like one (``.x.old-1``, ``.x.building-1``) is never touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from photostory.core.i18n import _, ngettext
from photostory.core.atomic import exchange_paths, fsync_dir, short_name
from photostory.core.userfiles import read_user_bytes
from photostory.errors import ExportError, PhotostoryError

STATE_FILE = ".photostory-export.json"  # marks a folder as an export and keys its renditions
MARKER = ".photostory-building"  # in a staging folder: which folder it is, for which export
PAGES = ("index.html", "embed.html", "story.json")
FOLDERS = ("assets", "images")  # the export's folders: plain files directly in them
#: A language version's folder (``kk``, ``ru``, ``kk-Latn``, ``es-419``): a BCP 47 tag as
#: the story keeps it; it holds that version's PAGES.
VERSION_FOLDER = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

#: A staging folder whose exporting process cannot be asked (another machine) counts as
#: abandoned after this many seconds.
ABANDONED_AFTER = 3600
_MAX_STATE_BYTES = 64 << 20
_SHOWN = 5  # foreign names listed in a refusal; the rest are counted


def resolve_target(out_dir: Path) -> Path:
    """The folder an export to ``out_dir`` writes: every link on the way resolved, so an
    export through a link updates what it points to."""
    path = Path(out_dir).absolute()
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:  # not there yet (or a link to a folder not made yet)
        return Path(os.path.realpath(path))
    except OSError as exc:  # a loop of links
        raise ExportError(_("{path}: cannot be exported to ({reason}).")
                          .format(path=path, reason=exc.strerror or exc),
                          _("Choose another folder.")) from exc


def check_export_folder(out_dir: Path, story_file: Path | None = None,
                        photos: Iterable[Path] = ()) -> Path:
    """Raise ExportError when an export into ``out_dir`` would be refused (a file, a
    folder holding files Photostory did not make, or one holding the story file or a
    photo); else return the folder the export would write. Reads only."""
    target = resolve_target(out_dir)
    _refuse_unusable(target, story_file, photos)
    _refuse_foreign(target, target)
    return target


def prepare_export_folder(out_dir: Path, story_file: Path | None,
                          photos: Iterable[Path]) -> tuple[Path, dict[str, Any]]:
    """Before an export: refuse what :func:`check_export_folder` refuses, repair what
    killed exports left behind, and return the target folder and its previous state."""
    target = resolve_target(out_dir)
    _refuse_unusable(target, story_file, photos)
    recover_interrupted_swap(target)
    _refuse_foreign(target, target)
    state = read_state(target) or {}
    return target, state if isinstance(state.get("photos"), dict) else {}


def read_state(folder: Path) -> dict[str, Any] | None:
    """The state file of the export in ``folder``; None when there is none or it is damaged."""
    try:
        state = json.loads(read_user_bytes(folder / STATE_FILE, ExportError, _MAX_STATE_BYTES))
    except (PhotostoryError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def export_listing(folder: Path) -> list[str]:
    """Every folder (with a trailing ``/``) and file of the export built in ``folder``,
    relative to it, with the state file that is written last: what the state file lists."""
    listing = [STATE_FILE]
    for root, dirs, files in os.walk(folder):
        relative = os.path.relpath(root, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        listing += [f"{prefix}{name}/" for name in dirs] + [prefix + name for name in files]
    return sorted(set(listing))


def previous_rendition(out_dir: Path, url: object) -> Path | None:
    """The previous export's rendition named by ``url`` in its state file, or None unless
    that is a plain file directly in the export's own ``images/`` (no link on the way, so
    nothing from outside the export can be taken into the new one)."""
    if not isinstance(url, str):
        return None
    folder, _slash, name = url.partition("/")
    if folder != "images" or not _plain_name(name):
        return None
    images = out_dir / "images"
    try:
        if not stat.S_ISDIR(os.lstat(images).st_mode):
            return None
        if not stat.S_ISREG(os.lstat(images / name).st_mode):
            return None
    except (OSError, ValueError):
        return None
    return images / name


# -- what the export made ------------------------------------------------------------------------


def _plain_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\x00")


def _could_make(relative: object) -> bool:
    """Whether an export could have made ``relative`` (folders end with ``/``): the
    layout of a one-version export, or a language version's folder with its pages."""
    if not isinstance(relative, str):
        return False
    folder, _slash, name = relative.partition("/")
    if VERSION_FOLDER.fullmatch(folder) and folder not in FOLDERS:
        return name == "" or name in PAGES
    return _could_make_unversioned(relative)


def _could_make_unversioned(relative: object) -> bool:
    """What an export made before it listed its files could hold: one version's layout."""
    if not isinstance(relative, str):
        return False
    if relative in PAGES or relative == STATE_FILE:
        return True
    folder, _slash, name = relative.partition("/")
    return folder in FOLDERS and (name == "" or _plain_name(name))


def _made_by(folder: Path) -> Callable[[str], bool] | None:
    """Which paths in ``folder`` its export made; None when ``folder`` is no export."""
    try:
        if not stat.S_ISREG(os.lstat(folder / STATE_FILE).st_mode):
            return None
    except OSError:
        return None
    files = (read_state(folder) or {}).get("files")
    if not isinstance(files, list):  # an export from before the list, or a damaged state
        return _could_make_unversioned
    return {entry for entry in files if _could_make(entry)}.__contains__


def _unmade(folder: Path, made: Callable[[str], bool]) -> list[str]:
    """What in ``folder`` is not among what ``made`` says the export made: a folder (and
    a link) is one entry, never searched."""
    found: list[str] = []

    def walk(path: Path, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if made(relative + "/"):
                        walk(Path(entry.path), relative + "/")
                    else:
                        found.append(relative + "/")
                elif not (entry.is_file(follow_symlinks=False) and made(relative)):
                    found.append(relative)

    walk(folder, "")
    return found


def _refuse_foreign(folder: Path, shown: Path) -> None:
    """ExportError naming what in ``folder`` (the export at ``shown``) Photostory did not make."""
    if not folder.is_dir():
        return
    made = _made_by(folder)
    try:
        foreign = _unmade(folder, made or (lambda relative: False))
    except OSError as exc:
        raise ExportError(_("{shown}: cannot be read ({reason}).")
                          .format(shown=shown, reason=exc.strerror or exc),
                          _("Choose a folder you can read and write.")) from exc
    if not foreign:
        return
    names = ", ".join(foreign[:_SHOWN])
    if len(foreign) > _SHOWN:
        names = ngettext("{names} and {count} more", "{names} and {count} more",
                         len(foreign) - _SHOWN).format(names=names, count=len(foreign) - _SHOWN)
    if made is None:
        raise ExportError(_("{shown}: is not a Photostory export and already holds files "
                          "({names}); choose an empty folder or a previous export of this story.")
                          .format(shown=shown, names=names))
    raise ExportError(_("{shown}: holds files Photostory did not make ({names}); "
                      "move them out or export to another folder.")
                      .format(shown=shown, names=names))


def _refuse_unusable(target: Path, story_file: Path | None, photos: Iterable[Path]) -> None:
    if os.path.lexists(target) and not target.is_dir():
        raise ExportError(_("{target}: is a file, not a folder; choose a folder to export into.")
                          .format(target=target))
    inside_story = _("{path}: this story file is inside the export folder {target}, which an "
                     "export replaces as a whole; export to another folder.")
    inside_photo = _("{path}: this photo is inside the export folder {target}, which an export "
                     "replaces as a whole; export to another folder.")
    kinds = [(inside_story, Path(story_file))] if story_file is not None else []
    for refusal, path in kinds + [(inside_photo, Path(p)) for p in photos]:
        real = Path(os.path.realpath(path))
        if real == target or target in real.parents:
            raise ExportError(refusal.format(path=path, target=target))


# -- building and swapping -----------------------------------------------------------------------


class Staging:
    """The hidden folder an export is built in, beside the folder it will replace.

    ``export`` is the new export; ``root`` holds it and the marker, and after the swap
    the previous export, so discarding ``root`` removes both.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.keep = False  # set when the previous export could not be put back
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.root = Path(tempfile.mkdtemp(prefix=f".{short_name(target.name)}.building-",
                                              dir=target.parent))
        except OSError as exc:
            raise ExportError(_("Cannot export to {target}: {reason}.")
                              .format(target=target, reason=exc.strerror or exc),
                              _("Choose a folder you can write to.")) from exc
        try:
            marker = {"staging": self.root.name, "export": target.name,
                      "host": socket.gethostname(), "pid": os.getpid()}
            (self.root / MARKER).write_text(json.dumps(marker), encoding="ascii")
            self.export = self.root / "export"
            self.export.mkdir()  # the umask's mode: the web server must read the export
        except OSError as exc:
            self.discard()
            raise ExportError(_("Cannot export to {target}: {reason}.")
                              .format(target=target, reason=exc.strerror or exc),
                              _("Choose a folder you can write to.")) from exc

    @property
    def aside(self) -> Path:
        """Where the two-rename swap sets the previous export aside."""
        return self.root / "old"

    def discard(self) -> None:
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def swap_in(self) -> None:
        """Put the new export in place of the target. The previous one, if any, ends up in
        ``root``; when it turns out to hold files Photostory did not make, it is put back
        and ExportError says which."""
        target = self.target
        if not os.path.lexists(target):
            os.rename(self.export, target)
            fsync_dir(target.parent)
            return
        if exchange_paths(self.export, target):
            previous, put_back = self.export, lambda: exchange_paths(self.export, target)
        else:
            os.rename(target, self.aside)
            previous, put_back = self.aside, lambda: _renamed(self.aside, target)
        try:
            _refuse_foreign(previous, target)
            if previous == self.aside:
                os.rename(self.export, target)
        except BaseException:
            if not put_back():
                self.keep = True
                raise ExportError(_("{target}: the previous export could not be put back; it is in "
                                  "{previous}.")
                                  .format(target=target, previous=previous), _("Move it back by hand.")) from None
            raise
        fsync_dir(target.parent)


def _renamed(source: Path, destination: Path) -> bool:
    try:
        os.rename(source, destination)
        return True
    except OSError:
        return False


def recover_interrupted_swap(target: Path) -> None:
    """Put back a previous export that a killed two-rename swap left set aside, and delete
    the staging folders of exports that are no longer running; marked folders only."""
    parent = target.parent
    prefix = f".{short_name(target.name)}.building-"
    try:
        with os.scandir(parent) as entries:
            candidates = [Path(e.path) for e in entries
                          if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for folder in candidates:
        marker = _marker(folder)
        if marker is None or marker.get("export") != target.name:
            continue
        aside = folder / "old"
        if not os.path.lexists(target) and (aside / STATE_FILE).is_file():
            if not _renamed(aside, target):
                continue
        if _abandoned(folder, marker):
            shutil.rmtree(folder, ignore_errors=True)


def _marker(folder: Path) -> dict[str, Any] | None:
    """The marker of a staging folder this program made, or None (the user's folder)."""
    try:
        marker = json.loads(read_user_bytes(folder / MARKER, ExportError, 4096))
    except (PhotostoryError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("staging") != folder.name:
        return None
    return marker


def _abandoned(folder: Path, marker: dict[str, Any]) -> bool:
    pid = marker.get("pid")
    if marker.get("host") == socket.gethostname() and isinstance(pid, int) and pid > 0:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # alive, another user's
            return False
        return False
    try:
        return time.time() - folder.stat().st_mtime > ABANDONED_AFTER
    except OSError:
        return False
