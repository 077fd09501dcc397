"""The ``photostory`` command: the same core as the editor, for scripts and terminals.

Every failure is one line ``error: ...`` on stderr and exit status 1; ``--debug``
adds the traceback for bug reports.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Sequence, TextIO

from photostory import __version__
from photostory.core import article as article_mod
from photostory.core import captions_csv
from photostory.core.edits import NoChange, SetPhotoFields
from photostory.core.export.options import (DEFAULT_QUALITY, DEFAULT_WIDTHS, ExportOptions,
                                            parse_widths)
from photostory.core.importing import import_photos
from photostory.core.languages import detect_language, language_tag
from photostory.core.preflight import PreflightSettings, check_story
from photostory.core.progress import CancelToken
from photostory.core.shortcuts import load_shortcuts
from photostory.core.slug import slugify
from photostory.core.story import Story
from photostory.core.storyfile import (NO_FILE, SUFFIX, Revision, read_story, save_story,
                                       story_save_lock)
from photostory.core.wording import plural
from photostory.errors import PhotostoryError

log = logging.getLogger("photostory")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or cmd_open
    if not args.debug and handler is not cmd_open:  # Qt's own start-up errors must stay visible
        _keep_native_chatter_off_the_terminal()
    log_lines = logging.StreamHandler()
    log_lines.setFormatter(_TerminalFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        handlers=[log_lines])
    if not args.debug:
        # exifread logs a WARNING for every PNG without EXIF and every odd IFD; that is
        # not the user's problem (damaged metadata is reported as our own warning), and
        # it printed "WARNING exifread: ..." lines on import and inspect.
        logging.getLogger("exifread").setLevel(logging.ERROR)
        # The core silences Pillow's warnings with warnings.catch_warnings(), which is
        # process-wide: with import threads one thread's exit re-enables them while another
        # still decodes, and "UserWarning: Tag data larger than file" leaked.
        # A base filter survives every restore.
        warnings.filterwarnings("ignore", module=r"PIL(\.|$)")
    try:
        return handler(args)
    except PhotostoryError as exc:
        _say(f"error: {exc}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        _say("error: interrupted.", sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback with --debug
        if args.debug:
            raise
        log.debug("unexpected error", exc_info=True)
        _say(f"error: unexpected problem ({type(exc).__name__}: {exc}). "
             "Run again with --debug for details.", sys.stderr)
        return 1


# -- what reaches the terminal ------------------------------------------------------------

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


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print one message (stdout by default); every line the command prints goes here."""
    print(terminal_text(text), file=stream or sys.stdout)


class _TerminalFormatter(logging.Formatter):
    """Log lines name files too (``--debug`` and warnings from libraries)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return terminal_text(super().formatMessage(record))


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="photostory", description="Caption, credit, place and export news photo stories.")
    parser.add_argument("--version", action="version", version=f"photostory {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    sub = parser.add_subparsers(metavar="COMMAND")

    p = sub.add_parser("new", help="create a story from an article and photos")
    p.add_argument("story", type=Path, help=f"story file to create (*{SUFFIX})")
    p.add_argument("--article", type=Path, help="plain-text article (title, paragraphs, [photo] slots)")
    p.add_argument("--photos", type=Path, nargs="+", default=[], metavar="PATH",
                   help="photo files or folders")
    p.add_argument("--captions", type=Path, help="captions sheet (CSV: file,caption,credit,alt)")
    p.add_argument("--title", help="story title (default: the article's first line)")
    p.add_argument("--credit", help="default credit for every photo, e.g. akorda.kz")
    p.add_argument("--language",
                   help="story language as a BCP 47 tag (kk, ru, en, kk-Latn); "
                        "default: detected from the article")
    p.add_argument("--shortcuts", type=Path, metavar="FILE",
                   help="caption shortcuts to expand in the captions sheet")
    p.add_argument("--force", action="store_true", help="overwrite an existing story file")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("export", help="export a story as a static HTML folder")
    p.add_argument("story", type=Path)
    p.add_argument("-o", "--output", type=Path, help="export folder (default: exports/<story title>)")
    p.add_argument("--widths", type=_widths, default=DEFAULT_WIDTHS,
                   help="rendition widths, comma-separated (default: "
                        f"{','.join(map(str, DEFAULT_WIDTHS))})")
    p.add_argument("--quality", type=int, default=DEFAULT_QUALITY,
                   help=f"JPEG quality 1-100 (default: {DEFAULT_QUALITY})")
    p.add_argument("--workers", type=int, help="parallel workers (default: one per core)")
    p.add_argument("--no-metadata", action="store_true", help="do not write XMP into renditions")
    p.add_argument("--webp", action="store_true", help="also write WebP renditions (<picture>)")
    p.add_argument("--ignore-errors", action="store_true",
                   help="export even when the preflight check finds errors")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("publish", help="export a story, then send what changed to a site")
    p.add_argument("story", type=Path)
    p.add_argument("--to", required=True, metavar="DEST",
                   help="sftp://user@host[:port]/path, s3://bucket/prefix or file:///path")
    p.add_argument("--endpoint-url", metavar="URL",
                   help="S3-compatible store's address (credentials: the AWS configuration)")
    p.add_argument("-o", "--output", type=Path, help="export folder (default: exports/<story title>)")
    p.add_argument("--webp", action="store_true", help="also write WebP renditions (<picture>)")
    p.add_argument("--ignore-errors", action="store_true",
                   help="publish even when the preflight check finds errors")
    p.set_defaults(handler=cmd_publish, widths=DEFAULT_WIDTHS, quality=DEFAULT_QUALITY,
                   workers=None, no_metadata=False)

    p = sub.add_parser("captions", help="import or export a captions sheet")
    p.add_argument("story", type=Path)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--import", dest="import_csv", type=Path, metavar="CSV")
    group.add_argument("--export", dest="export_csv", type=Path, metavar="CSV")
    p.add_argument("--shortcuts", type=Path, metavar="FILE",
                   help="caption shortcuts to expand (lines of code<TAB>text; =code= in the sheet)")
    p.add_argument("--force", action="store_true",
                   help="with --export: replace an existing sheet (never the story or a photo)")
    p.set_defaults(handler=cmd_captions)

    p = sub.add_parser("check", help="list missing captions, credits, alt texts and files "
                                     "(exit status 1 when any is an error)")
    p.add_argument("story", type=Path)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("inspect", help="show what Photostory reads from photo files")
    p.add_argument("photos", type=Path, nargs="+")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_inspect)

    p = sub.add_parser("open", help="open a story in the editor (the default)")
    p.add_argument("story", type=Path, nargs="?")
    p.set_defaults(handler=cmd_open)
    return parser


def _widths(text: str) -> tuple[int, ...]:
    try:
        widths = parse_widths(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not widths:
        raise argparse.ArgumentTypeError("give at least one width, for example 480,960,1600")
    return widths


def _warn(message: str) -> None:
    _say(f"warning: {message}", sys.stderr)


def _progress_printer(label: str):
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        if interactive and total:
            print(f"\r{label} {done}/{total}", end="" if done < total else "\n",
                  file=sys.stderr, flush=True)

    return progress


# -- commands ---------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    path: Path = args.story
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    if path.exists() and not args.force:
        raise PhotostoryError(f"{path} already exists.", "Use --force to replace it.")
    if not path.parent.is_dir():
        raise PhotostoryError(f"{path.parent} is not a folder.", "Create it first.")
    # Checked before photos are read: a typo in the tag should not cost a long import.
    language = language_tag(args.language) if args.language is not None else None
    story = Story()
    article = article_mod.read_article(args.article) if args.article else None
    warnings = 0
    report = import_photos(args.photos, _progress_printer("Reading photos")) if args.photos else None
    if report:
        for _, reason in report.skipped:
            _warn(reason)
        for warning in report.warnings:
            _warn(warning)
        warnings += len(report.skipped) + len(report.warnings)
        if not report.photos:
            raise PhotostoryError("No photo could be imported; the story was not created.")
        story.photos = list(report.photos)
    if article:
        article_mod.apply_article(story, article)
        placement = article_mod.place_article_photos(article, story.photos)
        story.body = placement.body
        for name in placement.unknown_names:
            _warn(f"{args.article.name}: [photo: {name}] names no imported photo; the next photo was used.")
        if placement.unfilled_slots:
            _warn(f"{args.article.name}: {placement.unfilled_slots} photo slot(s) left empty "
                  "(more slots than photos).")
        warnings += len(placement.unknown_names) + bool(placement.unfilled_slots)
    if args.title:
        story.title = args.title
    if args.credit is not None:
        story.default_credit = args.credit
    if language:
        story.language = language
    elif article:
        words = [article.title, *(block for block in article.blocks if isinstance(block, str))]
        story.language = detect_language("\n".join(words))
        _say(f"Language: {story.language} (detected from the article; set it with --language).")
    if not story.title:
        story.title = path.stem
    if args.captions:
        warnings += _apply_sheet(story, args.captions, path.parent, _shortcuts(args))
    # NO_FILE: a story someone else created under this name meanwhile is not replaced.
    save_story(story, path, expected=None if args.force else NO_FILE)
    text = f"Created {path} with {plural(len(story.photos), 'photo')}"
    _say(text + (f" ({plural(warnings, 'warning')})." if warnings else "."))
    return 0


def _shortcuts(args: argparse.Namespace) -> dict[str, str] | None:
    return load_shortcuts(args.shortcuts) if getattr(args, "shortcuts", None) else None


def _apply_sheet(story: Story, sheet: Path, story_dir: Path,
                 shortcuts: dict[str, str] | None = None) -> int:
    rows = captions_csv.read_sheet(sheet)
    match = captions_csv.match_sheet(story, rows, story_dir, shortcuts)
    for row in match.unknown:
        _warn(f"{sheet.name} line {row.line}: no photo named {row.file!r} in the story.")
    for row in match.ambiguous:
        _warn(f"{sheet.name} line {row.line}: several photos are named {row.file!r}; "
              "use the path relative to the story file.")
    try:
        SetPhotoFields(story, match.changes).apply(story)
    except NoChange:
        pass
    return len(match.unknown) + len(match.ambiguous)


def cmd_export(args: argparse.Namespace) -> int:
    from photostory.core.export.pipeline import export_story

    story = _read(args.story)[0]
    findings = check_story(story, PreflightSettings(largest_width=max(args.widths)))
    errors = [f for f in findings if f.is_error]
    for finding in errors:
        _say(f"{finding.severity}: {finding.message}", sys.stderr)
    if errors and not args.ignore_errors:
        raise PhotostoryError(
            f"Preflight found {plural(len(errors), 'error')}; nothing was exported.",
            "Fix them (photostory check lists everything) or export with --ignore-errors.")
    warnings = len(findings) - len(errors)
    if warnings:
        _say(f"Preflight: {plural(warnings, 'warning')} "
             f"(photostory check {args.story} lists them).")
    out = args.output or Path("exports") / slugify(story.title, fallback="story")
    options = ExportOptions(widths=args.widths, quality=args.quality, workers=args.workers,
                            write_metadata=not args.no_metadata, webp=args.webp)
    report = export_story(story, out, options, _progress_printer("Exporting"), CancelToken(),
                          story_file=args.story)
    for _, reason in report.failed:
        _warn(reason)
    for warning in report.warnings:
        _warn(warning)
    for removed in report.removed:
        _say(f"Removed from web copies: {removed}.")
    _say(report.summary())
    _say(str(report.index_html))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from photostory.core.publish import parse_destination, publish

    destination = parse_destination(args.to, args.endpoint_url)  # refused before exporting
    if args.output is None:  # the export folder `photostory export` uses by default
        args.output = Path("exports") / slugify(_read(args.story)[0].title, fallback="story")
    cmd_export(args)  # re-renders nothing unchanged, so an up-to-date export costs little
    report = publish(args.output, destination, _progress_printer("Publishing"), CancelToken())
    _say(report.summary())
    if report.public_url:
        _say(report.public_url)
    return 0


def _read(path: Path) -> tuple[Story, Revision]:
    warnings: list[str] = []
    story, revision = read_story(path, warnings)
    for warning in warnings:
        _warn(warning)
    return story, revision


def cmd_captions(args: argparse.Namespace) -> int:
    if args.export_csv:
        story = _read(args.story)[0]
        captions_csv.write_sheet(story, args.export_csv, args.story.parent,
                                 story_file=args.story, force=args.force)
        _say(f"Wrote captions of {len(story.photos)} photos to {args.export_csv}.")
        return 0
    # Locked from reading to saving: a second import into the same story waits, then
    # builds on this one's result instead of saving over it. The revision check catches
    # programs that take no lock (an older Photostory, a text editor).
    with story_save_lock(args.story):
        story, revision = _read(args.story)
        warnings = _apply_sheet(story, args.import_csv, args.story.parent, _shortcuts(args))
        save_story(story, args.story, expected=revision)
    _say(f"Updated {args.story} from {args.import_csv}"
         + (f" ({plural(warnings, 'row')} not matched)." if warnings else "."))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    story = _read(args.story)[0]
    findings = check_story(story)
    for finding in findings:
        _say(f"{finding.severity}: {finding.message}")
    errors = sum(1 for f in findings if f.is_error)
    if not findings:
        _say(f"{len(story.photos)} photos: nothing missing.")
    else:
        _say(f"{plural(len(findings), 'finding')} ({plural(errors, 'error')}).")
    return 1 if errors else 0  # as export, which refuses on any error


def cmd_inspect(args: argparse.Namespace) -> int:
    from photostory.core.inspect import inspect_photo

    results = []
    failures = 0
    for path in args.photos:
        try:
            results.append(inspect_photo(path))
        except PhotostoryError as exc:
            failures += 1
            results.append({"file": str(path), "error": str(exc)})
    if args.json:
        print(json_text(results))
    else:
        for result in results:
            _say(result["file"])
            for key, value in result.items():
                if key != "file" and value not in ("", [], None, ()):
                    _say(f"  {key.replace('_', ' ')}: {value}")
    return 1 if failures == len(args.photos) else 0


def cmd_open(args: argparse.Namespace) -> int:
    try:
        from photostory.ui.app import run_editor
    except ImportError as exc:
        raise PhotostoryError(f"The editor cannot start: {exc}.",
                              "Install Photostory with its Qt dependency (PySide6).") from exc
    return run_editor(getattr(args, "story", None))


if __name__ == "__main__":
    raise SystemExit(main())
