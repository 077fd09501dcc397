"""The story file's optional keys for the site: base URL, cover photo and licences.

They are written only when set, so a story that uses none of them saves byte for byte
as before (format 2 with optional keys, docs/story-format.md). Reading checks every
address as the command line and the editor do (:mod:`photostory.core.export.urls`): a
``javascript:`` or malformed address is refused with one line naming the file and key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from photostory.core.export.urls import base_url, web_address
from photostory.core.i18n import _
from photostory.core.story import PHOTO_SITE_FIELDS, STORY_SITE_FIELDS, Photo, Story
from photostory.core.storyfile_reader import FieldReader
from photostory.errors import StoryFileError

#: Story keys besides the cover photo, and how each is checked.
_STORY_URLS: dict[str, Callable[[str], str]] = {
    "base_url": base_url,
    "license": lambda text: web_address(text, _("the licence URL")),
    "acquire_license_page": lambda text: web_address(text, _("the licence page")),
}
PHOTO_KEYS = PHOTO_SITE_FIELDS  # the same licence addresses as the story's
STORY_KEYS = STORY_SITE_FIELDS


def story_site_dict(story: Story) -> dict[str, str]:
    """The story's site keys that are set (a cover photo only while it is in the story)."""
    ids = {p.id for p in story.photos}
    return {key: value for key in STORY_KEYS if (value := getattr(story, key))
            and (key != "cover_photo" or value in ids)}


def photo_site_dict(photo: Photo) -> dict[str, str]:
    return {key: value for key in PHOTO_KEYS if (value := getattr(photo, key))}


def checked_address(key: str, text: str) -> str:
    """``text`` checked (and normalised) as the story field ``key`` wants it; ValueError."""
    return _STORY_URLS[key](text) if text.strip() else ""


def read_story_site(reader: FieldReader, meta: dict[str, Any], story: Story) -> None:
    """The story's site keys from its ``story`` object; the cover photo must be one of the
    story's photos (read first), else it is dropped with a warning."""
    for key in _STORY_URLS:
        setattr(story, key, _address(reader, meta, key, "story"))
    cover = reader.text(meta, "cover_photo", "story")
    if cover and cover not in {p.id for p in story.photos}:
        reader.warnings.append(_("{file}: the cover photo {id!r} is not in the story; the "
                                 "first placed photo is the cover.").format(file=reader.name,
                                                                           id=cover))
        cover = ""
    story.cover_photo = cover


def read_photo_site(reader: FieldReader, item: dict[str, Any], where: str, photo: Photo) -> None:
    for key in PHOTO_KEYS:
        setattr(photo, key, _address(reader, item, key, where))


def _address(reader: FieldReader, item: dict[str, Any], key: str, where: str) -> str:
    try:
        return checked_address(key, reader.text(item, key, where))
    except ValueError as exc:
        raise StoryFileError(_("{file}: {where}: {key!r}: {problem}.").format(
            file=reader.name, where=where, key=key, problem=exc)) from None
