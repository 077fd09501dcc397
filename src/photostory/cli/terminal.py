"""What the command line prints: every message escaped so a caption or file name cannot
act on the terminal, warnings, and the progress line."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Callable, TextIO

# Characters a terminal acts on instead of showing: C0 controls (ESC opens the sequences
# that retitle the window or clear the screen; CR and LF would let a file name forge a
# line of its own), DEL, C1 controls (U+009B alone is CSI), the Unicode line and
# paragraph separators, bidirectional overrides and isolates (they reorder what is
# shown), and lone surrogates (the bytes of a file name that is not UTF-8, which cannot
# be written at all). Captions and file names come from anyone's files.
_NOT_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSHOWABLE = re.compile(f"[\x00-\x1f{_NOT_C0}]")
_UNSHOWABLE_IN_JSON = re.compile(f"[{_NOT_C0}]")  # json.dumps escapes C0 controls itself
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape: show the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` with everything a terminal would act on written as a visible escape
    (``\\x1b``, ``\\n``, ``\\u202e``), so one message is one line that shows what it says."""
    return _UNSHOWABLE.sub(_escaped, text)


def json_text(data: object) -> str:
    """``data`` as JSON for a terminal: as readable as ensure_ascii=False, with the
    characters json.dumps leaves raw (DEL, C1 controls, separators, bidi controls, lone
    surrogates) written as \\u escapes, which read back as the same text."""
    return _UNSHOWABLE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                   json.dumps(data, ensure_ascii=False, indent=2))


def say(text: str, stream: TextIO | None = None) -> None:
    """Print one message (stdout by default); every line the command prints goes here."""
    print(terminal_text(text), file=stream or sys.stdout)


class TerminalFormatter(logging.Formatter):
    """Log lines name files too (``--debug`` and warnings from libraries)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return terminal_text(super().formatMessage(record))


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr."""
    say(f"warning: {message}", sys.stderr)


def progress_printer(label: str) -> Callable[[int, int, str], None]:
    """A progress callback drawing ``label done/total`` on one line of an interactive
    terminal (its own \\r), and nothing when stderr is a file or a pipe."""
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        if interactive and total:
            print(f"\r{label} {done}/{total}", end="" if done < total else "\n",
                  file=sys.stderr, flush=True)

    return progress
