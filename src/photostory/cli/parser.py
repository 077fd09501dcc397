"""The command line's sub-commands and their options."""

from __future__ import annotations

import argparse
from pathlib import Path

from photostory import __version__
from photostory.cli.commands import (cmd_captions, cmd_check, cmd_export, cmd_inspect, cmd_new,
                                     cmd_open, cmd_publish, cmd_translate)
from photostory.cli.site import add_set_parser
from photostory.core.export.options import DEFAULT_QUALITY, DEFAULT_WIDTHS, parse_widths
from photostory.core.i18n import N_, _
from photostory.core.storyfile import SUFFIX


# argparse's own words as a user meets them (help headings, usage errors): argparse asks
# gettext's global domain, which the command sets to ours (cli/__init__.py), so they are
# translated in our catalogues. "%(prog)s: error: ..." is left out: scripts look for it.
ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("expected one argument"),
    N_("expected at least one argument"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid %(type)s value: %(value)r"), N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="photostory", description=_("Caption, credit, place and export news photo stories."))
    parser.add_argument("--version", action="version", version=f"photostory {__version__}",
                        help=_("show program's version number and exit"))  # 3.11 does not translate it
    parser.add_argument("--debug", action="store_true", help=_("show tracebacks and debug logging"))
    sub = parser.add_subparsers(metavar="COMMAND")

    p = sub.add_parser("new", help=_("create a story from an article and photos"))
    p.add_argument("story", type=Path, help=_("story file to create (*{suffix})").format(suffix=SUFFIX))
    p.add_argument("--article", type=Path, help=_("plain-text article (title, paragraphs, [photo] slots)"))
    p.add_argument("--photos", type=Path, nargs="+", default=[], metavar="PATH",
                   help=_("photo files or folders"))
    p.add_argument("--captions", type=Path, help=_("captions sheet (CSV: file,caption,credit,alt)"))
    p.add_argument("--title", help=_("story title (default: the article's first line)"))
    p.add_argument("--credit", help=_("default credit for every photo, e.g. akorda.kz"))
    p.add_argument("--language",
                   help=_("story language as a BCP 47 tag (kk, ru, en, kk-Latn); "
                        "default: detected from the article"))
    p.add_argument("--shortcuts", type=Path, metavar="FILE",
                   help=_("caption shortcuts to expand in the captions sheet"))
    p.add_argument("--force", action="store_true", help=_("overwrite an existing story file"))
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("export", help=_("export a story as a static HTML folder"))
    p.add_argument("story", type=Path)
    p.add_argument("-o", "--output", type=Path, help=_("export folder (default: exports/<story title>)"))
    p.add_argument("--widths", type=_widths, default=DEFAULT_WIDTHS,
                   help=_("rendition widths, comma-separated (default: {widths})").format(
                       widths=",".join(map(str, DEFAULT_WIDTHS))))
    p.add_argument("--quality", type=int, default=DEFAULT_QUALITY,
                   help=_("JPEG quality 1-100 (default: {quality})").format(quality=DEFAULT_QUALITY))
    p.add_argument("--workers", type=int, help=_("parallel workers (default: one per core)"))
    p.add_argument("--no-metadata", action="store_true", help=_("do not write XMP into renditions"))
    p.add_argument("--webp", action="store_true", help=_("also write WebP renditions (<picture>)"))
    p.add_argument("--ignore-errors", action="store_true",
                   help=_("export even when the preflight check finds errors"))
    p.add_argument("--language", metavar="TAG",
                   help=_("export this language version alone (default: every version, each "
                          "in a folder named by its tag)"))
    _base_url_option(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("publish", help=_("export a story, then send what changed to a site"))
    p.add_argument("story", type=Path)
    p.add_argument("--to", required=True, metavar="DEST",
                   help=_("sftp://user@host[:port]/path, s3://bucket/prefix or file:///path"))
    p.add_argument("--endpoint-url", metavar="URL",
                   help=_("S3-compatible store's address (credentials: the AWS configuration)"))
    p.add_argument("-o", "--output", type=Path, help=_("export folder (default: exports/<story title>)"))
    p.add_argument("--webp", action="store_true", help=_("also write WebP renditions (<picture>)"))
    p.add_argument("--ignore-errors", action="store_true",
                   help=_("publish even when the preflight check finds errors"))
    _base_url_option(p)
    p.set_defaults(handler=cmd_publish, widths=DEFAULT_WIDTHS, quality=DEFAULT_QUALITY,
                   workers=None, no_metadata=False, language=None)

    p = sub.add_parser("captions", help=_("import or export a captions sheet"))
    p.add_argument("story", type=Path)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--import", dest="import_csv", type=Path, metavar="CSV")
    group.add_argument("--export", dest="export_csv", type=Path, metavar="CSV")
    p.add_argument("--shortcuts", type=Path, metavar="FILE",
                   help=_("caption shortcuts to expand (lines of code<TAB>text; =code= in the sheet)"))
    p.add_argument("--force", action="store_true",
                   help=_("with --export: replace an existing sheet (never the story or a photo)"))
    p.set_defaults(handler=cmd_captions)

    p = sub.add_parser("translate", help=_("add or replace a language version of a story"))
    p.add_argument("story", type=Path)
    p.add_argument("--language", required=True,
                   help=_("the version's language as a BCP 47 tag (ru, en, kk-Latn)"))
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--article", type=Path,
                       help=_("the version's article text; its photo slots take the source "
                            "version's photos in order"))
    group.add_argument("--from", dest="source", metavar="LANGUAGE",
                       help=_("derive the version from this one (kk-Latn from kk)"))
    p.set_defaults(handler=cmd_translate)

    add_set_parser(sub)

    p = sub.add_parser("check", help=_("list missing captions, credits, alt texts and files "
                                     "(exit status 1 when any is an error)"))
    p.add_argument("story", type=Path)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("inspect", help=_("show what Photostory reads from photo files"))
    p.add_argument("photos", type=Path, nargs="+")
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_inspect)

    p = sub.add_parser("open", help=_("open a story in the editor (the default)"))
    p.add_argument("story", type=Path, nargs="?")
    p.set_defaults(handler=cmd_open)
    return parser


def _base_url_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-url", metavar="URL",
                   help=_("the address the export is served from, for this export (default: "
                          "the story's, set with photostory set); pages then use absolute URLs"))


def _widths(text: str) -> tuple[int, ...]:
    try:
        widths = parse_widths(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not widths:
        raise argparse.ArgumentTypeError(_("give at least one width, for example 480,960,1600"))
    return widths
