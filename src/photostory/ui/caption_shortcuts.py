"""Caption shortcuts in the editor: the glossary file from the preferences, and
expanding ``=code=`` in a text field the moment its closing ``=`` is typed.

The file is re-read when it changes on disk (a stat per closing ``=``), so a desk can
add a name to the glossary while the editor is open. A file that cannot be read is
never a traceback: :attr:`ShortcutStore.error` holds the sentence to show.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from photostory.core.i18n import _
from photostory.core.shortcuts import load_shortcuts
from photostory.errors import PhotostoryError

log = logging.getLogger(__name__)

# The same codes as photostory.core.shortcuts: 1-32 characters, no spaces or '='.
_CODE_AT_END = re.compile(r"=([^\s=]{1,32})=$")


class ShortcutStore:
    """The shortcuts of the file ``path()`` names, loaded lazily and kept fresh."""

    def __init__(self, path: Callable[[], Path | None]) -> None:
        self._path = path
        self._key: tuple[str, int, int] | None = None
        self._shortcuts: dict[str, str] = {}
        self.error = ""

    def load(self) -> dict[str, str]:
        """The shortcuts, reading the file again if it changed; raises PhotostoryError
        (with the user's sentence) when it can't be read."""
        path = self._path()
        if path is None:
            self._key, self._shortcuts, self.error = None, {}, ""
            return {}
        try:
            stat = os.stat(path)
            key = (str(path), stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (str(path), -1, -1)
        if key != self._key:
            self._key = key
            self._shortcuts = {}
            try:
                self._shortcuts = load_shortcuts(path)
                self.error = ""
            except PhotostoryError as exc:
                self.error = str(exc)
        if self.error:
            raise PhotostoryError(self.error, _("Fix the file, or choose another in Preferences."))
        return self._shortcuts

    def get(self) -> dict[str, str]:
        """The shortcuts, or {} when there are none or the file is bad (see ``error``)."""
        try:
            return self.load()
        except PhotostoryError:
            return {}


def _utf16_len(text: str) -> int:
    """Qt counts cursor positions in UTF-16 units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def _expansion(before: str, shortcuts: Callable[[], dict[str, str]]) -> tuple[str, str] | None:
    """(typed code with its equals signs, its expansion) if ``before`` ends with a known code."""
    if not before.endswith("="):
        return None
    match = _CODE_AT_END.search(before)
    if match is None:
        return None
    table = shortcuts()
    expansion = table.get(match.group(1))
    return (match.group(0), expansion) if expansion else None


def expand_line_edit(widget: QLineEdit, shortcuts: Callable[[], dict[str, str]]) -> bool:
    """Expand the code just typed before the cursor; True if the text changed."""
    text = widget.text()
    position = widget.cursorPosition()
    before = text.encode("utf-16-le")[: position * 2].decode("utf-16-le", "ignore")
    found = _expansion(before, shortcuts)
    if found is None or widget.hasSelectedText():
        return False
    code, expansion = found
    head = before[: -len(code)] + expansion
    widget.setText(head + text[len(before):])  # setText does not emit textEdited
    widget.setCursorPosition(_utf16_len(head))
    return True


def expand_text_edit(widget: QPlainTextEdit, shortcuts: Callable[[], dict[str, str]]) -> bool:
    """Expand the code just typed before the cursor; True if the text changed (the
    caller guards against the textChanged this causes)."""
    cursor = widget.textCursor()
    if cursor.hasSelection():
        return False
    before = cursor.block().text()[: _python_index(cursor.block().text(), cursor.positionInBlock())]
    found = _expansion(before, shortcuts)
    if found is None:
        return False
    code, expansion = found
    end = cursor.position()
    cursor.setPosition(end - _utf16_len(code))
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(expansion)
    widget.setTextCursor(cursor)  # just after the expansion, where typing goes on
    return True


def _python_index(text: str, utf16_position: int) -> int:
    """The str index of a UTF-16 position in ``text``."""
    return len(text.encode("utf-16-le")[: utf16_position * 2].decode("utf-16-le", "ignore"))
