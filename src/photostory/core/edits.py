"""Reversible edits of a story: every change a user makes is one of these.

An edit is built against the story as it is, then ``apply``'d; ``revert`` restores
exactly what was there before. Every edit keeps derived language versions (Latin-script
Kazakh) in step: after it applies, they are written again from their sources, and its
revert puts them back as they were. The editor wraps edits in Qt undo commands and the
command line applies them directly, so undo is the same everywhere and testable
without Qt. Each apply/revert notifies the story's listeners, and a revert sends the
counterparts of what its apply sent: photos inserted come back out as removals of
the same photos, moves are taken back by the inverse moves in reverse order.
"""

from __future__ import annotations

import copy
import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from photostory.core.derive import rederive_all, restore_translations
from photostory.core import edit_names
from photostory.core.i18n import N_, _
from photostory.core.importing import fill_versions, unfill_versions
from photostory.core.story import (
    STORY_FIELDS,
    Block,
    Translation,
    Paragraph,
    Photo,
    PhotoGroup,
    PhotoMove,
    Story,
    StoryEvent,
    StoryEventKind,
)
from photostory.errors import LanguageError


class NoChange(ValueError):
    """Raised when an edit would change nothing, so it is not recorded for undo."""


class Edit(ABC):
    """One user action, undoable."""

    description: str = N_("Edit")  # shown translated (ui/undo.py): marked, not translated here

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Each subclass's own apply and revert are wrapped here rather than each of them
        # calling the derivation: no edit, present or future, can leave it out.
        super().__init_subclass__(**kwargs)
        if "apply" in vars(cls):
            cls.apply = _rederiving(vars(cls)["apply"])  # type: ignore[method-assign]
        if "revert" in vars(cls):
            cls.revert = _restoring(vars(cls)["revert"])  # type: ignore[method-assign]

    @abstractmethod
    def apply(self, story: Story) -> None: ...

    @abstractmethod
    def revert(self, story: Story) -> None: ...

    def merge(self, other: "Edit") -> bool:
        """Absorb ``other`` (applied right after this) into this edit when they are one step
        for the user, such as typing into one caption. Returns whether it did."""
        return False


_Step = Callable[["Edit", Story], None]


def _rederiving(apply: _Step) -> _Step:
    @functools.wraps(apply)
    def wrapper(self: Edit, story: Story) -> None:
        apply(self, story)
        self._derived_before = rederive_all(story)
    return wrapper


def _restoring(revert: _Step) -> _Step:
    @functools.wraps(revert)
    def wrapper(self: Edit, story: Story) -> None:
        # Derived versions first back to how the edit left them, then the edit's own
        # revert: an edit of a version must undo its change on top of that.
        before: list[Translation] | None = getattr(self, "_derived_before", None)
        if before is not None:
            restore_translations(story, before)
        revert(self, story)
    return wrapper


# -- photos -------------------------------------------------------------------------


class InsertPhotos(Edit):
    """Add photos; ``texts`` (``ImportReport.texts``) fill the other language versions."""

    def __init__(self, photos: Sequence[Photo], index: int | None = None, description: str = "",
                 texts: Mapping[str, Mapping[str, tuple[str, str]]] | None = None) -> None:
        self.photos, self.index, self.texts = list(photos), index, texts or {}
        self.description = description or edit_names.photos_added(len(self.photos))

    def apply(self, story: Story) -> None:
        index = len(story.photos) if self.index is None else max(0, min(self.index, len(story.photos)))
        story.insert_photos(index, self.photos)
        self._filled = fill_versions(story, self.photos, self.texts)

    def revert(self, story: Story) -> None:
        unfill_versions(story, self._filled)
        story.remove_photos(p.id for p in self.photos)


class RemovePhotos(Edit):
    """Remove photos from the story, and so from the article groups they were placed in."""

    def __init__(self, story: Story, ids: Sequence[str], description: str = "") -> None:
        wanted = set(ids)
        self.ids = tuple(p.id for p in story.photos if p.id in wanted)
        if not self.ids:
            raise NoChange("no photos to remove")
        count = len(self.ids)
        self.description = description or edit_names.photos_removed(count)

    # The body never names a photo the story lacks, even for a listener called in
    # between: the photos leave the article before the story, and come back the other way.
    def apply(self, story: Story) -> None:
        self._old_body = copy.deepcopy(story.body)
        story.body[:] = _without_photos(story.body, set(self.ids))
        story.notify(StoryEvent(StoryEventKind.BODY_CHANGED))
        self._old_translations = [t.copy() for t in story.translations]
        for translation in story.translations:
            translation.body[:] = _without_photos(translation.body, set(self.ids))
        story.notify_versions(t.language for t in story.translations)
        self._runs = story.remove_photos(self.ids)

    def revert(self, story: Story) -> None:
        # The photos come back as insertions, one per run of rows in gallery order, so
        # each index is right once the earlier runs are back.
        for start, photos in self._runs:
            story.insert_photos(start, photos)
        story.translations[:] = self._old_translations
        story.notify_versions(t.language for t in story.translations)
        story.body[:] = self._old_body
        story.notify(StoryEvent(StoryEventKind.BODY_CHANGED))


class SortPhotos(Edit):
    """Put the photos in a given order (sort by date, by name...).

    The story gets there by moving runs of rows, and the revert takes back exactly
    those moves, last first.
    """

    def __init__(self, story: Story, order: Sequence[str], description: str = "") -> None:
        self.new_order = list(order)
        if sorted(self.new_order) != sorted(p.id for p in story.photos):
            raise ValueError("the new order must hold every photo exactly once")
        if self.new_order == [p.id for p in story.photos]:
            raise NoChange("the photos are already in that order")
        self.description = description or _("Sort photos")

    def apply(self, story: Story) -> None:
        self._moves: list[PhotoMove] = story.reorder_photos(self.new_order)

    def revert(self, story: Story) -> None:
        story.undo_moves(self._moves)


class MovePhotos(SortPhotos):
    """Move photos (in their current relative order) to before row ``dest``.

    ``dest`` counts rows as they are *before* the move (Qt's convention), so dropping
    rows 0-1 at dest 5 puts them where row 5 was, after the rows 2-4.
    """

    def __init__(self, story: Story, ids: Sequence[str], dest: int, description: str = "") -> None:
        wanted = set(ids)
        order = [p.id for p in story.photos]
        moving = [pid for pid in order if pid in wanted]
        dest = max(0, min(dest, len(order)))
        before = sum(1 for pid in order[:dest] if pid in wanted)
        rest = [pid for pid in order if pid not in wanted]
        at = dest - before
        if not moving:
            raise NoChange("the photos are already there")
        super().__init__(story, rest[:at] + moving + rest[at:],
                         description or edit_names.photos_moved(len(moving)))


class SetPhotoFields(Edit):
    """Set fields of one or many photos as one step (a batch credit is one undo)."""

    def __init__(self, story: Story, changes: Mapping[str, Mapping[str, Any]],
                 description: str = "", *, typing: bool = False) -> None:
        self.changes: dict[str, dict[str, Any]] = {}
        self.old: dict[str, dict[str, Any]] = {}
        for pid, values in changes.items():
            photo = story.photo(pid)
            diff = {k: v for k, v in values.items() if getattr(photo, _attr(k)) != v}
            if diff:
                self.changes[pid] = diff
                self.old[pid] = {k: getattr(photo, _attr(k)) for k in diff}
        if not self.changes:
            raise NoChange("nothing to change")
        self.typing = typing
        fields = sorted({k for values in self.changes.values() for k in values})
        count = len(self.changes)
        self.description = description or edit_names.fields_set(fields, count)

    @classmethod
    def same(cls, story: Story, ids: Sequence[str], name: str, value: Any,
             description: str = "", *, typing: bool = False) -> "SetPhotoFields":
        """Set one field to one value on every photo in ``ids``."""
        return cls(story, {pid: {name: value} for pid in ids}, description, typing=typing)

    def apply(self, story: Story) -> None:
        self._set(story, self.changes)

    def revert(self, story: Story) -> None:
        self._set(story, self.old)

    def _set(self, story: Story, values: Mapping[str, Mapping[str, Any]]) -> None:
        names: set[str] = set()
        for pid, fields_ in values.items():
            photo = story.photo(pid)
            for name, value in fields_.items():
                setattr(photo, _attr(name), value)
                names.add(name)
        story.notify(StoryEvent(StoryEventKind.PHOTOS_CHANGED, tuple(values), tuple(sorted(names))))

    def merge(self, other: Edit) -> bool:
        # Typing into the same field(s) of the same photo(s) is one undo step.
        if not (self.typing and isinstance(other, SetPhotoFields) and other.typing):
            return False
        if {k: set(v) for k, v in self.changes.items()} != {k: set(v) for k, v in other.changes.items()}:
            return False
        self.changes = other.changes
        return True


def _attr(name: str) -> str:
    if name == "id":
        raise ValueError("a photo's id never changes")
    if name not in Photo.__dataclass_fields__:
        raise ValueError(f"photos have no field {name!r}")
    return name


class SetStoryFields(Edit):
    """Set story fields (title, byline, dateline, language, default credit ...)."""

    def __init__(self, story: Story, changes: Mapping[str, Any], description: str = "",
                 *, typing: bool = False) -> None:
        unknown = set(changes) - set(STORY_FIELDS)
        if unknown:
            raise ValueError(f"stories have no field {sorted(unknown)[0]!r}")
        self.changes = {k: v for k, v in changes.items() if getattr(story, k) != v}
        if not self.changes:
            raise NoChange("nothing to change")
        if self.changes.get("language") in story.versions():
            raise LanguageError(_("the story already has a {language} version").format(
                language=self.changes["language"]), _("(remove that version first)."))
        self.old = {k: getattr(story, k) for k in self.changes}
        self.typing = typing
        self.description = description or edit_names.fields_set(self.changes)

    def apply(self, story: Story) -> None:
        self._set(story, self.changes)

    def revert(self, story: Story) -> None:
        self._set(story, self.old)

    @staticmethod
    def _set(story: Story, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            setattr(story, name, value)
        story.notify(StoryEvent(StoryEventKind.STORY_CHANGED, names=tuple(sorted(values))))

    def merge(self, other: Edit) -> bool:
        if (self.typing and isinstance(other, SetStoryFields) and other.typing
                and set(other.changes) == set(self.changes)):
            self.changes = other.changes
            return True
        return False


# -- the article body -------------------------------------------------------------------


class SetBody(Edit):
    """Replace the article body with a new list of blocks (built by the functions below)."""

    def __init__(self, story: Story, body: Sequence[Block], description: str) -> None:
        if _same_blocks(story.body, body):
            raise NoChange("the article is unchanged")
        self.new_body = copy.deepcopy(list(body))
        self.description = description

    def apply(self, story: Story) -> None:
        self._old_body = copy.deepcopy(story.body)
        story.body[:] = copy.deepcopy(self.new_body)
        story.notify(StoryEvent(StoryEventKind.BODY_CHANGED))

    def revert(self, story: Story) -> None:
        story.body[:] = copy.deepcopy(self._old_body)
        story.notify(StoryEvent(StoryEventKind.BODY_CHANGED))


def _same_blocks(a: Sequence[Block], b: Sequence[Block]) -> bool:
    return list(a) == list(b)


class SetParagraphText(Edit):
    def __init__(self, story: Story, paragraph_id: str, text: str, *, typing: bool = True) -> None:
        paragraph = _block(story.body, paragraph_id)
        if not isinstance(paragraph, Paragraph):
            raise ValueError("only paragraphs have text")
        if paragraph.text == text:
            raise NoChange("the paragraph is unchanged")
        self.paragraph_id = paragraph_id
        self.text = text
        self.old = paragraph.text
        self.typing = typing
        self.description = _("Edit paragraph")

    def apply(self, story: Story) -> None:
        self._set(story, self.text)

    def revert(self, story: Story) -> None:
        self._set(story, self.old)

    def _set(self, story: Story, text: str) -> None:
        block = _block(story.body, self.paragraph_id)
        assert isinstance(block, Paragraph)
        block.text = text
        story.notify(StoryEvent(StoryEventKind.BODY_CHANGED, (self.paragraph_id,)))

    def merge(self, other: Edit) -> bool:
        if (self.typing and isinstance(other, SetParagraphText) and other.typing
                and other.paragraph_id == self.paragraph_id):
            self.text = other.text
            return True
        return False


class CompositeEdit(Edit):
    """Several edits that are one step for the user (import an article with its photos)."""

    def __init__(self, edits: Sequence[Edit], description: str) -> None:
        self.edits = list(edits)
        self.description = description

    def apply(self, story: Story) -> None:
        for edit in self.edits:
            edit.apply(story)

    def revert(self, story: Story) -> None:
        for edit in reversed(self.edits):
            edit.revert(story)


def _block(body: Sequence[Block], block_id: str) -> Block:
    for block in body:
        if block.id == block_id:
            return block
    raise KeyError(block_id)


def _without_photos(body: Sequence[Block], ids: set[str], keep: str = "") -> list[Block]:
    """The body with ``ids`` taken out of every group but the one whose id is ``keep``;
    groups left empty disappear."""
    result: list[Block] = []
    for block in body:
        if isinstance(block, PhotoGroup) and block.id != keep:
            kept = [pid for pid in block.photo_ids if pid not in ids]
            if not kept:
                continue
            block = PhotoGroup(kept, id=block.id)
        result.append(copy.deepcopy(block))
    return result


def place_photos(story: Story, ids: Sequence[str], gap: int) -> SetBody:
    """Place photos as a new group at ``gap`` (0 = before the first block).

    A photo is placed once: it leaves any group it was in. ``gap`` counts blocks as
    they are before the photos leave their old groups.
    """
    ids = [pid for pid in dict.fromkeys(ids)]
    for pid in ids:
        story.photo(pid)  # KeyError for a photo not in the story
    group = PhotoGroup(list(ids))
    body = list(story.body)
    body.insert(max(0, min(gap, len(body))), group)
    return SetBody(story, _without_photos(body, set(ids), keep=group.id),
                   edit_names.photos_placed(len(ids)))


def add_to_group(story: Story, group_id: str, ids: Sequence[str], index: int | None = None) -> SetBody:
    """Add photos to an existing group at ``index`` (default: at its end)."""
    group = _block(story.body, group_id)
    if not isinstance(group, PhotoGroup):
        raise ValueError("photos can only be added to a photo group")
    moving = [pid for pid in dict.fromkeys(ids)]
    current = list(group.photo_ids)
    at = len(current) if index is None else max(0, min(index, len(current)))
    at -= sum(1 for pid in current[:at] if pid in moving)
    kept = [pid for pid in current if pid not in moving]
    new_ids = kept[:at] + moving + kept[at:]
    body = [PhotoGroup(new_ids, id=group_id) if b.id == group_id else b for b in story.body]
    return SetBody(story, _without_photos(body, set(moving), keep=group_id),
                   _("Add photos to group"))


def move_block(story: Story, block_id: str, gap: int) -> SetBody:
    """Move a block (usually a photo group) to ``gap``, counted before the move."""
    body = list(story.body)
    index = next(i for i, b in enumerate(body) if b.id == block_id)
    block = body.pop(index)
    if gap > index:
        gap -= 1
    body.insert(max(0, min(gap, len(body))), block)
    moved = _("Move photo group") if isinstance(block, PhotoGroup) else _("Move paragraph")
    return SetBody(story, body, moved)


def remove_from_group(story: Story, group_id: str, photo_id: str) -> SetBody:
    """Take a photo out of an article group; it stays in the story and its gallery."""
    body: list[Block] = []
    for block in story.body:
        if block.id == group_id and isinstance(block, PhotoGroup):
            kept = [pid for pid in block.photo_ids if pid != photo_id]
            if kept:
                body.append(PhotoGroup(kept, id=block.id))
        else:
            body.append(block)
    return SetBody(story, body, _("Remove photo from the article"))


def remove_block(story: Story, block_id: str) -> SetBody:
    body = [b for b in story.body if b.id != block_id]
    return SetBody(story, body, _("Remove block"))


def insert_paragraph(story: Story, gap: int, text: str = "") -> SetBody:
    body = list(story.body)
    body.insert(max(0, min(gap, len(body))), Paragraph(text))
    return SetBody(story, body, _("Add paragraph"))

