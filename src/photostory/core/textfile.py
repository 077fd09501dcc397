"""Reading a user's text files (articles, captions sheets, glossaries) with clear errors."""

from __future__ import annotations

from pathlib import Path

from photostory.core.i18n import _
from photostory.core.userfiles import read_user_bytes
from photostory.errors import PhotostoryError


def read_user_text(path: Path, error: type[PhotostoryError], utf8_hint: str = "") -> str:
    """The file's text (UTF-8, BOM removed); ``error`` names the file and the problem."""
    raw = read_user_bytes(path, error)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(_("{name}: is not UTF-8 text.")
                    .format(name=Path(path).name), utf8_hint) from None
