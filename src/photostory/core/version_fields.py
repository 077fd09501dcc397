"""Any one version of a story by its tag, read and edited alike whether it is the source
version (the story's own fields, edited through :mod:`photostory.core.edits`) or a
translation (edited through :mod:`photostory.core.version_edits`).

The editor shows one version at a time; these functions let a widget say "this text of
the version on screen" without knowing which kind of version that is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from photostory.core.i18n import _
from photostory.core.edits import SetBody, SetParagraphText, SetPhotoFields, SetStoryFields, Edit
from photostory.core.preflight import Finding
from photostory.core.story import VERSION_TEXT_FIELDS, Block, Paragraph, Photo, Story, copy_body
from photostory.core.version_edits import SetVersionBody, SetVersionCaptions, SetVersionFields

#: Photo texts each version has its own of; the other photo fields are shared.
VERSION_PHOTO_FIELDS = ("caption", "alt")
#: Preflight rules about what every version shares (files, credits, sizes): they belong
#: to every version's list of findings, not only the source version's.
SHARED_RULES = frozenset({"missing_file", "missing_credit", "too_small", "duplicate"})


def is_source(story: Story, tag: str) -> bool:
    return tag == story.language


def version_text(story: Story, tag: str, name: str) -> str:
    """The version's title, byline or dateline."""
    if name not in VERSION_TEXT_FIELDS:
        raise ValueError(f"versions have no text {name!r}")
    owner = story if is_source(story, tag) else story.translation(tag)
    return str(getattr(owner, name))


def body_of(story: Story, tag: str) -> list[Block]:
    """The version's own article body (the live list, not a copy)."""
    return story.body if is_source(story, tag) else story.translation(tag).body


def placed_ids(story: Story, tag: str) -> set[str]:
    return story.placed_ids() if is_source(story, tag) else story.translation(tag).placed_ids()


def photo_text(story: Story, tag: str, photo: Photo, name: str) -> str:
    """A text field of the photo as version ``tag`` has it: its own caption and alt text,
    the shared credit, creator and the rest."""
    if is_source(story, tag) or name not in VERSION_PHOTO_FIELDS:
        return str(getattr(photo, name))
    translation = story.translation(tag)
    return (translation.captions if name == "caption" else translation.alts).get(photo.id, "")


def set_text_edit(story: Story, tag: str, changes: Mapping[str, str], *,
                  typing: bool = False) -> Edit:
    """An edit of the version's title, byline or dateline (NoChange when all are so)."""
    if set(changes) - set(VERSION_TEXT_FIELDS):
        raise ValueError(f"versions have no text {sorted(set(changes) - set(VERSION_TEXT_FIELDS))[0]!r}")
    if is_source(story, tag):
        return SetStoryFields(story, changes, typing=typing)
    return SetVersionFields(story, tag, changes, typing=typing)


def set_photo_text_edit(story: Story, tag: str, ids: Sequence[str], name: str, value: str, *,
                        typing: bool = False) -> Edit:
    """One value of a text field for every photo in ``ids``: the caption and alt text of
    version ``tag``, or a field every version shares (credit, creator …)."""
    if is_source(story, tag) or name not in VERSION_PHOTO_FIELDS:
        return SetPhotoFields.same(story, ids, name, value, typing=typing)
    texts = {pid: value for pid in ids}
    if name == "caption":
        return SetVersionCaptions(story, tag, captions=texts, typing=typing)
    return SetVersionCaptions(story, tag, alts=texts, typing=typing)


def body_edit(story: Story, tag: str, build: Callable[[Story], SetBody]) -> Edit:
    """An article edit of this version: ``build`` is one of the body functions of
    :mod:`photostory.core.edits` (``place_photos`` and the like), run against the version
    as a one-version story, its result applied to the version."""
    if is_source(story, tag):
        return build(story)
    planned = build(story.version(tag))
    return SetVersionBody(story, tag, planned.new_body, f"{planned.description} ({tag})")


def paragraph_edit(story: Story, tag: str, paragraph_id: str, text: str) -> Edit:
    """Typing into one paragraph of this version (merges into one undo step)."""
    if is_source(story, tag):
        return SetParagraphText(story, paragraph_id, text)
    return SetVersionParagraph(story, tag, paragraph_id, text)


class SetVersionParagraph(SetVersionBody):
    """Typing into one paragraph of a translation: like SetParagraphText, typing into the
    same paragraph is one undo step."""

    def __init__(self, story: Story, tag: str, paragraph_id: str, text: str, *,
                 typing: bool = True) -> None:
        body = copy_body(story.translation(tag).body)
        block = next((b for b in body if b.id == paragraph_id), None)
        if not isinstance(block, Paragraph):
            raise KeyError(paragraph_id)
        block.text = text
        super().__init__(story, tag, body, _("Edit paragraph ({tag})").format(tag=tag))
        self.paragraph_id = paragraph_id
        self.typing = typing

    def merge(self, other: Edit) -> bool:
        return (isinstance(other, SetVersionParagraph) and other.paragraph_id == self.paragraph_id
                and super().merge(other))


def findings_for(story: Story, findings: Sequence[Finding], tag: str) -> list[Finding]:
    """The findings a person working on version ``tag`` has to act on: its own, and those
    about what every version shares."""
    if is_source(story, tag):
        return [f for f in findings if not f.version]
    return [f for f in findings if f.version == tag or (not f.version and f.rule in SHARED_RULES)]
