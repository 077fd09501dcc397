"""``photostory set``: the story's site fields (base URL, cover photo, licences), and the
``--base-url`` option's check."""

from __future__ import annotations

import argparse
from pathlib import Path

from photostory.cli.terminal import say, warn
from photostory.core.edits import NoChange, SetStoryFields
from photostory.core.i18n import N_, _
from photostory.core.story import Photo, Story
from photostory.core.storyfile import read_story, relative_path, save_story, story_save_lock
from photostory.core.storyfile_site import checked_address
from photostory.errors import PhotostoryError

#: ``set`` options -> the story field each sets.
FIELDS = {"base_url": N_("base URL"), "license": N_("licence"),
          "acquire_license_page": N_("licence page")}


def base_url_option(text: str) -> str:
    """``--base-url``'s value checked and normalised (ending in /); PhotostoryError, one
    line, when it is no http(s) address."""
    return _checked("base_url", text)


def _checked(name: str, text: str) -> str:
    try:
        return checked_address(name, text)
    except ValueError as exc:
        raise PhotostoryError(_("{option}: {problem}.").format(
            option="--" + name.replace("_", "-"), problem=exc)) from None


def add_set_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("set", help=_("set the story's base URL, cover photo or licences "
                                     "(an empty value clears one)"))
    p.add_argument("story", type=Path)
    p.add_argument("--base-url", metavar="URL",
                   help=_("where the export will be served, e.g. "
                          "https://static.example.kz/stories/saran/"))
    p.add_argument("--cover", metavar="FILE",
                   help=_("the photo social cards show (file name or path relative to the story)"))
    p.add_argument("--license", metavar="URL", help=_("the photos' licence, e.g. a Creative "
                                                       "Commons deed (a photo's own wins)"))
    p.add_argument("--acquire-license-page", metavar="URL",
                   help=_("where readers can license the photos"))
    p.set_defaults(handler=cmd_set)


def cmd_set(args: argparse.Namespace) -> int:
    wanted = {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    if not wanted and args.cover is None:
        raise PhotostoryError(_("Nothing to set."), _("Give --base-url, --cover, --license or "
                                                       "--acquire-license-page."))
    # Checked before the story is locked and read.
    changes = {name: _checked(name, text) for name, text in wanted.items()}
    with story_save_lock(args.story):
        warnings: list[str] = []
        story, revision = read_story(args.story, warnings)
        for warning in warnings:
            warn(warning)
        if args.cover is not None:
            changes["cover_photo"] = _cover_id(story, args.cover, args.story.parent)
        try:
            SetStoryFields(story, changes).apply(story)
        except NoChange:
            say(_("{story} already says so; nothing changed.").format(story=args.story))
            return 0
        save_story(story, args.story, expected=revision)
    cover = story.cover()
    say(_("Updated {story}: {changes}.").format(
        story=args.story, changes=", ".join(_shown(story, name, cover) for name in changes)))
    return 0


def _cover_id(story: Story, text: str, story_dir: Path) -> str:
    """The id of the photo named ``text`` (file name or relative path); "" clears."""
    if not text.strip():
        return ""
    matches = [p for p in story.photos
               if text in (p.file_name, relative_path(p.path, story_dir))]
    if len(matches) == 1:
        return matches[0].id
    if matches:
        raise PhotostoryError(_("Several photos are named {name!r}; give the path relative "
                                "to the story file.").format(name=text))
    raise PhotostoryError(_("No photo named {name!r} in the story.").format(name=text))


def _shown(story: Story, name: str, cover: Photo | None) -> str:
    if name == "cover_photo":
        if cover is None:
            return _("no cover photo")
        if story.cover_photo:
            return _("cover photo {file}").format(file=cover.file_name)
        return _("cover photo {file} (the first placed)").format(file=cover.file_name)
    value = getattr(story, name)
    if value:
        return _("{field} {value}").format(field=_(FIELDS[name]), value=value)
    return _("no {field}").format(field=_(FIELDS[name]))
