"""What each sub-command does, over the same core as the editor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from photostory.cli.site import base_url_option
from photostory.cli.terminal import json_text, progress_printer, say, warn
from photostory.core import article as article_mod
from photostory.core import captions_csv
from photostory.core.article_versions import version_from_article
from photostory.core.derive import derive, deriver
from photostory.core.edits import NoChange
from photostory.core.export.options import ExportOptions, export_name
from photostory.core.i18n import _, ngettext
from photostory.core.importing import import_photos
from photostory.core.languages import detect_language, language_tag
from photostory.core.preflight import PreflightSettings, check_story
from photostory.core.progress import CancelToken
from photostory.core.shortcuts import load_shortcuts
from photostory.core.story import Story
from photostory.core.storyfile import (NO_FILE, SUFFIX, Revision, read_story, save_story,
                                       story_save_lock)
from photostory.core.version_edits import AddVersion
from photostory.errors import PhotostoryError


def cmd_new(args: argparse.Namespace) -> int:
    path: Path = args.story
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    if path.exists() and not args.force:
        raise PhotostoryError(_("{path} already exists.").format(path=path),
                              _("Use --force to replace it."))
    if not path.parent.is_dir():
        raise PhotostoryError(_("{path} is not a folder.").format(path=path.parent),
                              _("Create it first."))
    # Checked before photos are read: a typo in the tag should not cost a long import.
    language = language_tag(args.language) if args.language is not None else None
    story = Story()
    article = article_mod.read_article(args.article) if args.article else None
    warnings = 0
    report = (import_photos(args.photos, progress_printer(_("Reading photos")))
              if args.photos else None)
    if report:
        for _path, reason in report.skipped:
            warn(reason)
        for warning in report.warnings:
            warn(warning)
        warnings += len(report.skipped) + len(report.warnings)
        if not report.photos:
            raise PhotostoryError(_("No photo could be imported; the story was not created."))
        story.photos = list(report.photos)
    if article:
        article_mod.apply_article(story, article)
        for notice in article.notices:  # what a copied page had around the article
            say(f"{args.article.name}: {notice}")
        placement = article_mod.place_article_photos(article, story.photos)
        story.body = placement.body
        for name in placement.unknown_names:
            warn(_("{file}: [photo: {name}] names no imported photo; the next photo was used.")
                 .format(file=args.article.name, name=name))
        if placement.unfilled_slots:
            count = placement.unfilled_slots
            warn(ngettext("{file}: {count} photo slot left empty (more slots than photos).",
                          "{file}: {count} photo slots left empty (more slots than photos).",
                          count).format(file=args.article.name, count=count))
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
        say(_("Language: {language} (detected from the article; set it with --language).")
            .format(language=story.language))
    if not story.title:
        story.title = path.stem
    if args.captions:
        warnings += _apply_sheet(story, args.captions, path.parent, _shortcuts(args))
    # NO_FILE: a story someone else created under this name meanwhile is not replaced.
    save_story(story, path, expected=None if args.force else NO_FILE)
    count = len(story.photos)
    if warnings:
        text = ngettext("Created {path} with {count} photo ({warnings}).",
                        "Created {path} with {count} photos ({warnings}).", count)
    else:
        text = ngettext("Created {path} with {count} photo.", "Created {path} with {count} photos.",
                        count)
    say(text.format(path=path, count=count, warnings=_warnings(warnings)))
    return 0


def _warnings(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def _shortcuts(args: argparse.Namespace) -> dict[str, str] | None:
    return load_shortcuts(args.shortcuts) if getattr(args, "shortcuts", None) else None


def _apply_sheet(story: Story, sheet: Path, story_dir: Path,
                 shortcuts: dict[str, str] | None = None) -> int:
    rows = captions_csv.read_sheet(sheet)
    match = captions_csv.match_sheet(story, rows, story_dir, shortcuts)
    for row in match.unknown:
        warn(_("{file} line {line}: no photo named {name!r} in the story.")
             .format(file=sheet.name, line=row.line, name=row.file))
    for row in match.ambiguous:
        warn(_("{file} line {line}: several photos are named {name!r}; use the path relative "
               "to the story file.").format(file=sheet.name, line=row.line, name=row.file))
    try:
        captions_csv.sheet_edit(story, match).apply(story)
    except NoChange:
        pass
    return len(match.unknown) + len(match.ambiguous)


def cmd_export(args: argparse.Namespace) -> int:
    from photostory.core.export.pipeline import export_story

    base = base_url_option(args.base_url) if args.base_url is not None else None
    story = _read(args.story)[0]
    if base is not None:  # for this export only: `photostory set` keeps one
        story.base_url = base
    if args.language:
        # That version alone, as a one-version story: the preflight checks what is written.
        tag = language_tag(args.language)
        if tag not in story.versions():
            raise _no_version(args.story, story, tag)
        story = story.version(tag)
    findings = check_story(story, PreflightSettings(largest_width=max(args.widths)))
    errors = [f for f in findings if f.is_error]
    for finding in errors:
        say(f"{finding.severity}: {finding.message}", sys.stderr)
    if errors and not args.ignore_errors:
        raise PhotostoryError(
            ngettext("Preflight found {count} error; nothing was exported.",
                     "Preflight found {count} errors; nothing was exported.",
                     len(errors)).format(count=len(errors)),
            _("Fix them (photostory check lists everything) or export with --ignore-errors."))
    warnings = len(findings) - len(errors)
    if warnings:
        say(ngettext("Preflight: {count} warning (photostory check {story} lists it).",
                     "Preflight: {count} warnings (photostory check {story} lists them).",
                     warnings).format(count=warnings, story=args.story))
    out = args.output or Path("exports") / export_name(story.title, args.story)
    options = ExportOptions(widths=args.widths, quality=args.quality, workers=args.workers,
                            write_metadata=not args.no_metadata, webp=args.webp)
    report = export_story(story, out, options, progress_printer(_("Exporting")), CancelToken(),
                          story_file=args.story)
    for _photo, reason in report.failed:
        warn(reason)
    for warning in report.warnings:
        warn(warning)
    for removed in report.removed:
        say(_("Removed from web copies: {what}.").format(what=removed))
    say(report.summary())
    say(str(report.index_html))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from photostory.core.publish import parse_destination, publish

    destination = parse_destination(args.to, args.endpoint_url)  # refused before exporting
    if args.base_url is not None:
        args.base_url = base_url_option(args.base_url)
    story = _read(args.story)[0]
    if args.output is None:  # the export folder `photostory export` uses by default
        args.output = Path("exports") / export_name(story.title, args.story)
    cmd_export(args)  # re-renders nothing unchanged, so an up-to-date export costs little
    base = story.base_url if args.base_url is None else args.base_url
    report = publish(args.output, destination, progress_printer(_("Publishing")), CancelToken(),
                     public_url=base + "index.html" if base else None)
    say(report.summary())
    if report.public_url:
        say(report.public_url)
    return 0


def _read(path: Path) -> tuple[Story, Revision]:
    warnings: list[str] = []
    story, revision = read_story(path, warnings)
    for warning in warnings:
        warn(warning)
    return story, revision


def cmd_captions(args: argparse.Namespace) -> int:
    if args.export_csv:
        story = _read(args.story)[0]
        captions_csv.write_sheet(story, args.export_csv, args.story.parent,
                                 story_file=args.story, force=args.force)
        count = len(story.photos)
        say(ngettext("Wrote the caption of {count} photo to {path}.",
                     "Wrote the captions of {count} photos to {path}.", count)
            .format(count=count, path=args.export_csv))
        return 0
    # Locked from reading to saving: a second import into the same story waits, then
    # builds on this one's result instead of saving over it. The revision check catches
    # programs that take no lock (an older Photostory, a text editor).
    with story_save_lock(args.story):
        story, revision = _read(args.story)
        warnings = _apply_sheet(story, args.import_csv, args.story.parent, _shortcuts(args))
        save_story(story, args.story, expected=revision)
    if warnings:
        say(ngettext("Updated {story} from {sheet} ({count} row not matched).",
                     "Updated {story} from {sheet} ({count} rows not matched).", warnings)
            .format(story=args.story, sheet=args.import_csv, count=warnings))
    else:
        say(_("Updated {story} from {sheet}.").format(story=args.story, sheet=args.import_csv))
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    # The tags and the article are checked before the story is locked and read.
    tag = language_tag(args.language)
    source = language_tag(args.source) if args.source else None
    if source:
        deriver(source, tag)
    article = article_mod.read_article(args.article) if args.article else None
    notes: list[str] = []
    with story_save_lock(args.story):
        story, revision = _read(args.story)
        replacing = tag in story.versions()[1:]
        if article is not None:
            built = version_from_article(story, article, tag, args.article.name)
            translation, notes = built.translation, built.warnings
        else:
            assert source is not None  # the parser asks for --article or --from
            if source not in story.versions():
                raise _no_version(args.story, story, source, tag)
            old = story.translation(tag) if replacing else None
            translation = derive(story, tag, source, old)
        AddVersion(story, translation).apply(story)
        save_story(story, args.story, expected=revision)
    for note in notes:
        warn(note)
    if replacing:
        text = (_("Replaced the {language} version of {story} ({warnings}).") if notes
                else _("Replaced the {language} version of {story}."))
    else:
        text = (_("Added the {language} version of {story} ({warnings}).") if notes
                else _("Added the {language} version of {story}."))
    say(text.format(language=tag, story=args.story, warnings=_warnings(len(notes))))
    return 0


def _no_version(path: Path, story: Story, tag: str, deriving: str = "") -> PhotostoryError:
    """``deriving``: the version that was to be derived from the missing one."""
    versions = ", ".join(story.versions())
    text = (_("{file}: has no {language} version to derive {target} from (its versions: "
              "{versions}).") if deriving
            else _("{file}: has no {language} version (its versions: {versions})."))
    return PhotostoryError(text.format(file=path.name, language=tag, target=deriving,
                                       versions=versions))


def cmd_check(args: argparse.Namespace) -> int:
    story = _read(args.story)[0]
    findings = check_story(story)
    for finding in findings:
        say(f"{finding.severity}: {finding.message}")
    errors = sum(1 for f in findings if f.is_error)
    if not findings:
        say(ngettext("{count} photo: nothing missing.", "{count} photos: nothing missing.",
                     len(story.photos)).format(count=len(story.photos)))
    else:
        errors_text = ngettext("{count} error", "{count} errors", errors).format(count=errors)
        say(ngettext("{count} finding ({errors}).", "{count} findings ({errors}).",
                     len(findings)).format(count=len(findings), errors=errors_text))
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
            say(result["file"])
            for key, value in result.items():
                if key != "file" and value not in ("", [], None, ()):
                    say(f"  {key.replace('_', ' ')}: {value}")
    return 1 if failures == len(args.photos) else 0


def cmd_open(args: argparse.Namespace) -> int:
    try:
        from photostory.ui.app import run_editor
    except ImportError as exc:
        raise PhotostoryError(_("The editor cannot start: {problem}.").format(problem=exc),
                              _("Install Photostory with its Qt dependency (PySide6).")) from exc
    return run_editor(getattr(args, "story", None))

