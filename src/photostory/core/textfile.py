"""Reading a user's text files (articles, captions sheets, glossaries) with clear errors."""

from __future__ import annotations

from pathlib import Path

from photostory.errors import PhotostoryError


def read_user_bytes(path: Path, error: type[PhotostoryError]) -> bytes:
    """The file's bytes; ``error`` names the file and says why it can't be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path.name}: file not found.") from None
    except IsADirectoryError:
        raise error(f"{path.name}: is a folder, not a file.") from None
    except OSError as exc:
        raise error(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc


def read_user_text(path: Path, error: type[PhotostoryError], utf8_hint: str = "") -> str:
    """The file's text (UTF-8, BOM removed); ``error`` names the file and the problem."""
    raw = read_user_bytes(path, error)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{Path(path).name}: is not UTF-8 text.", utf8_hint) from None
