"""The ``photostory`` command: the same core as the editor, for scripts and terminals.

Every failure is one line ``error: ...`` on stderr and exit status 1; ``--debug``
adds the traceback for bug reports.
"""

from __future__ import annotations

import gettext
import logging
import os
import sys
import warnings
from typing import Sequence

from photostory.cli.commands import cmd_open
from photostory.cli.parser import build_parser
from photostory.cli.terminal import TerminalFormatter, say
from photostory.core.i18n import DOMAIN, LOCALE_DIR, _, use_language
from photostory.errors import PhotostoryError

log = logging.getLogger("photostory")


def main(argv: Sequence[str] | None = None) -> int:
    use_language()  # the system locale's; before the parser, whose help is translated
    # argparse's own words ("usage:", "the following arguments are required") come
    # from gettext's global domain: make it ours (parser.ARGPARSE_WORDS lists them).
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or cmd_open
    if not args.debug and handler is not cmd_open:  # Qt's own start-up errors must stay visible
        _keep_native_chatter_off_the_terminal()
    log_lines = logging.StreamHandler()
    log_lines.setFormatter(TerminalFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        handlers=[log_lines])
    if not args.debug:
        # The core silences Pillow's warnings with warnings.catch_warnings(), which is
        # process-wide: with import threads one thread's exit re-enables them while another
        # still decodes, and "UserWarning: Tag data larger than file" leaked.
        # A base filter survives every restore.
        warnings.filterwarnings("ignore", module=r"PIL(\.|$)")
    try:
        return handler(args)
    except PhotostoryError as exc:
        say(f"error: {exc}", sys.stderr)  # "error:" stays as is: scripts look for it
        return 1
    except KeyboardInterrupt:
        say("error: " + _("interrupted."), sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback with --debug
        if args.debug:
            raise
        log.debug("unexpected error", exc_info=True)
        problem = f"{type(exc).__name__}: {exc}"
        say("error: " + _("unexpected problem ({problem}). Run again with --debug for "
                          "details.").format(problem=problem), sys.stderr)
        return 1


def _keep_native_chatter_off_the_terminal() -> None:
    """Send file descriptor 2 to /dev/null and keep ``sys.stderr`` on a copy of it.

    libtiff and libjpeg print their own diagnostics straight to fd 2 ("TIFFFetchNormalTag:
    Defined set_get_field_type of custom tag 0 ..."), from several import threads at once,
    so their lines even interleave; Pillow cannot silence them. Our own warning names
    the file and the problem; ``--debug`` leaves fd 2 alone.
    """
    stream = sys.stderr
    if stream is not sys.__stderr__:  # already redirected (a test capturing it): leave it
        return
    try:
        stream.flush()
        terminal = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):  # no fd 2 (pythonw) or a replaced stream
        return
    os.dup2(devnull, 2)
    os.close(devnull)
    sys.stderr = open(terminal, "w", encoding=stream.encoding, errors=stream.errors,
                      buffering=1, closefd=True)
