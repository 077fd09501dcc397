"""``photostory set``: the story's site fields (base URL, cover photo, licences), and the
``--base-url`` option's check."""

from __future__ import annotations

import argparse
from pathlib import Path

from photostory.cli.terminal import say, warn
from photostory.core.edits import NoChange, SetStoryFields
from photostory.core.story import Photo, Story
from photostory.core.storyfile import read_story, relative_path, save_story, story_save_lock
from photostory.core.storyfile_site import checked_address
from photostory.errors import PhotostoryError

#: ``set`` options -> the story field each sets.
FIELDS = {"base_url": "base URL", "license": "licence", "acquire_license_page": "licence page"}


def base_url_option(text: str) -> str:
    """``--base-url``'s value checked and normalised (ending in /); PhotostoryError, one
    line, when it is no http(s) address."""
    return _checked("base_url", text)


def _checked(name: str, text: str) -> str:
    try:
        return checked_address(name, text)
    except ValueError as exc:
        raise PhotostoryError(f"--{name.replace('_', '-')}: {exc}.") from None


def add_set_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("set", help="set the story's base URL, cover photo or licences "
                                   "(an empty value clears one)")
    p.add_argument("story", type=Path)
    p.add_argument("--base-url", metavar="URL",
                   help="where the export will be served, e.g. https://static.example.kz/stories/saran/")
    p.add_argument("--cover", metavar="FILE",
                   help="the photo social cards show (file name or path relative to the story)")
    p.add_argument("--license", metavar="URL", help="the photos' licence, e.g. a Creative "
                                                     "Commons deed (a photo's own wins)")
    p.add_argument("--acquire-license-page", metavar="URL",
                   help="where readers can license the photos")
    p.set_defaults(handler=cmd_set)


def cmd_set(args: argparse.Namespace) -> int:
    wanted = {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    if not wanted and args.cover is None:
        raise PhotostoryError("Nothing to set.", "Give --base-url, --cover, --license or "
                                                 "--acquire-license-page.")
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
            say(f"{args.story} already says so; nothing changed.")
            return 0
        save_story(story, args.story, expected=revision)
    cover = story.cover()
    say(f"Updated {args.story}: " + ", ".join(_shown(story, name, cover) for name in changes) + ".")
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
        raise PhotostoryError(f"several photos are named {text!r}; give the path relative "
                              "to the story file.")
    raise PhotostoryError(f"no photo named {text!r} in the story.")


def _shown(story: Story, name: str, cover: Photo | None) -> str:
    if name == "cover_photo":
        chosen = cover.file_name if cover is not None else "none"
        return f"cover photo {chosen}" + ("" if story.cover_photo else " (the first placed)")
    value = getattr(story, name)
    return f"{FIELDS[name]} {value}" if value else f"no {FIELDS[name]}"
