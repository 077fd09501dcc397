"""Reading a story file's JSON by type, with errors that name the file and the place."""

from __future__ import annotations

import re
from typing import Any

from photostory.core.i18n import _
from photostory.errors import StoryFileError

_INT_MAX = 2**31 - 1

# Lone surrogates: how Python spells the bytes of a file name that is not valid UTF-8
# (os.listdir's surrogateescape, e.g. CP1251 names unpacked from a Windows archive).
# UTF-8 cannot carry them, so encoding the document used to raise UnicodeEncodeError and
# the story could not be saved at all. JSON can: outside strings json.dumps
# writes ASCII only, so each one becomes a \uXXXX escape inside its string, and loading
# gives back the same path, which opens the same file.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class FieldReader:
    """Type checks with messages that name the file and the place of the problem."""

    def __init__(self, name: str, warnings: list[str] | None = None) -> None:
        self.name = name
        self.warnings = warnings if warnings is not None else []

    def _bad(self, where: str, key: str, expected: str) -> StoryFileError:
        return StoryFileError(_("{name}: {where}: {key!r} should be {expected}.")
                              .format(name=self.name, where=where, key=key, expected=expected))

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise StoryFileError(_("{name}: {where} should be an object.")
                                 .format(name=self.name, where=where))
        return value

    def list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise StoryFileError(_("{name}: {where!r} should be a list.")
                                 .format(name=self.name, where=where))
        return value

    def text(self, item: dict[str, Any], key: str, where: str) -> str:
        value = item.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._bad(where, key, _("text"))
        return value if key == "path" else self._repaired(value, where, key)

    def _repaired(self, value: str, where: str, key: str) -> str:
        """Text with lone surrogates (a hand-written "\\ud800" escape) made U+FFFD: UTF-8
        cannot carry them, so the story could neither be saved nor exported.
        Paths keep theirs: there they stand for the bytes of a non-UTF-8 file name."""
        if not LONE_SURROGATE.search(value):
            return value
        self.warnings.append(_("{name}: {where}: {key!r} held characters that are not "
                             "valid Unicode; they were replaced with �.")
                             .format(name=self.name, where=where, key=key))
        return LONE_SURROGATE.sub("\ufffd", value)

    def optional_text(self, item: dict[str, Any], key: str, where: str) -> str | None:
        """Text where null means "not set" (the credit prefix: the language's own)."""
        return None if item.get(key) is None else self.text(item, key, where)

    def flag(self, item: dict[str, Any], key: str, where: str, default: bool) -> bool:
        """Only JSON true and false: bool("false") is True, and a guessed flag such as
        keep_location would publish the photos' GPS position."""
        value = item.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._bad(where, key, _("true or false"))
        return value

    def integer(self, item: dict[str, Any], key: str, where: str) -> int:
        value = item.get(key, 0)
        if value is None:
            return 0
        # Sizes and orientations; the bound keeps them within what Qt's int can hold.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _INT_MAX:
            raise self._bad(where, key, _("a whole number from 0 to 2147483647"))
        return value

    def text_list(self, item: dict[str, Any], key: str, where: str) -> list[str]:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._bad(where, key, _("a list of texts"))
        return [self._repaired(v, where, key) for v in value]
