"""Caption shortcuts (code replacements): ``=kt=`` -> ``Kassym-Jomart Tokayev``.

A newsroom keeps its glossary as a plain UTF-8 text file of ``code<TAB>expansion``
lines; blank lines and lines starting with ``#`` are ignored. Codes are matched
case-sensitively between equals signs, so ordinary text with ``=`` is left alone
unless it names a known code.
"""

from __future__ import annotations

import re
from pathlib import Path

from photostory.core.i18n import _
from photostory.core.textfile import read_user_text
from photostory.errors import ShortcutsError

_CODE = re.compile(r"=([^\s=]{1,32})=")


def parse_shortcuts(text: str, name: str = "shortcuts file") -> dict[str, str]:
    shortcuts: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        code, sep, expansion = line.partition("\t")
        code = code.strip()
        if not sep or not code or not expansion.strip():
            raise ShortcutsError(_("{name} line {number}: expected a code, a tab, then the text "
                                 "(found {found!r}).")
                                 .format(name=name, number=number, found=line.strip()[:40]))
        if not re.fullmatch(r"[^\s=]{1,32}", code):
            raise ShortcutsError(_("{name} line {number}: the code {code!r} must be 1-32 characters "
                                 "without spaces or '='.")
                                 .format(name=name, number=number, code=code))
        shortcuts[code] = expansion.strip()
    return shortcuts


def load_shortcuts(path: Path) -> dict[str, str]:
    return parse_shortcuts(read_user_text(path, ShortcutsError), Path(path).name)


def expand(text: str, shortcuts: dict[str, str]) -> str:
    """Replace every ``=code=`` whose code is known; unknown codes stay as typed."""
    if not shortcuts or "=" not in text:
        return text
    return _CODE.sub(lambda m: shortcuts.get(m.group(1), m.group(0)), text)
