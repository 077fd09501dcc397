"""The story model: what an editor edits and an export publishes.

A :class:`Story` holds its photos in gallery order and a body of blocks (paragraphs
and photo groups that refer to photos by id). Objects here are plain data; every
change a user makes goes through :mod:`photostory.core.edits`, which keeps it
reversible and tells listeners (the editor's Qt models) what changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

#: Photo fields a user edits as text (inspector, captions sheet, batch edits).
TEXT_FIELDS = ("caption", "credit", "alt", "creator", "copyright", "headline")

#: The credit prefix printed before a credit, by the story's language (BCP 47 primary tag).
CREDIT_PREFIXES = {"en": "Photo:", "ru": "Фото:", "kk": "Фото:"}


def new_id(prefix: str) -> str:
    """A short random id that stays with an object for its whole life."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@dataclass
class Photo:
    """One photo of the story: its source file and what the desk says about it."""

    path: Path
    id: str = field(default_factory=lambda: new_id("p"))
    caption: str = ""
    credit: str = ""  # empty: the story's default credit applies
    alt: str = ""
    creator: str = ""
    copyright: str = ""
    headline: str = ""
    date_taken: str = ""  # ISO 8601 as read from the file, possibly with an offset
    width: int = 0  # displayed size, EXIF orientation applied
    height: int = 0
    orientation: int = 1
    camera: str = ""
    has_gps: bool = False
    keywords: tuple[str, ...] = ()
    city: str = ""
    country: str = ""

    @property
    def file_name(self) -> str:
        return self.path.name


@dataclass
class Paragraph:
    text: str
    id: str = field(default_factory=lambda: new_id("t"))


@dataclass
class PhotoGroup:
    """Photos shown together between two paragraphs (1 full width, 2-3 a row, 4+ a grid)."""

    photo_ids: list[str]
    id: str = field(default_factory=lambda: new_id("g"))


Block = Paragraph | PhotoGroup


@dataclass(frozen=True)
class StoryEvent:
    """What changed, for listeners that mirror the story (the editor's models).

    kinds: ``photos_inserted`` (index, count), ``photos_removed`` (ids),
    ``photos_reordered``, ``photos_changed`` (ids, names), ``story_changed`` (names),
    ``body_changed``.
    """

    kind: str
    ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    index: int = 0
    count: int = 0


Listener = Callable[[StoryEvent], None]


@dataclass
class Story:
    """A news story with its photos; ``photos`` is in gallery order."""

    title: str = ""
    byline: str = ""
    dateline: str = ""
    published: str = ""  # ISO date, e.g. 2026-10-05
    language: str = "en"  # BCP 47 tag
    tags: list[str] = field(default_factory=list)
    default_credit: str = ""
    credit_prefix: str | None = None  # None: the language's prefix ("Photo:", "Фото:")
    show_gallery: bool = True
    keep_location: bool = False  # web copies keep the photos' GPS location (off: privacy first)
    photos: list[Photo] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    _listeners: list[Listener] = field(default_factory=list, repr=False, compare=False)

    # -- queries ---------------------------------------------------------------
    def photo(self, photo_id: str) -> Photo:
        for photo in self.photos:
            if photo.id == photo_id:
                return photo
        raise KeyError(photo_id)

    def photo_index(self, photo_id: str) -> int:
        for index, photo in enumerate(self.photos):
            if photo.id == photo_id:
                return index
        raise KeyError(photo_id)

    def groups(self) -> Iterator[PhotoGroup]:
        return (block for block in self.body if isinstance(block, PhotoGroup))

    def paragraphs(self) -> Iterator[Paragraph]:
        return (block for block in self.body if isinstance(block, Paragraph))

    def placed_ids(self) -> set[str]:
        """Ids of photos placed in the article body."""
        return {pid for group in self.groups() for pid in group.photo_ids}

    def effective_credit(self, photo: Photo) -> str:
        return photo.credit.strip() or self.default_credit.strip()

    def shared_credit(self) -> str | None:
        """The credit every photo carries, when they all carry the same one."""
        credits = {self.effective_credit(photo) for photo in self.photos}
        if len(credits) == 1:
            (credit,) = credits
            return credit or None
        return None

    def effective_credit_prefix(self) -> str:
        if self.credit_prefix is not None:
            return self.credit_prefix
        primary = self.language.split("-")[0].lower()
        return CREDIT_PREFIXES.get(primary, CREDIT_PREFIXES["en"])

    def credit_line(self, credit: str) -> str:
        """``Photo: akorda.kz`` from ``akorda.kz``, in the story's language."""
        prefix = self.effective_credit_prefix().strip()
        return f"{prefix} {credit}".strip() if credit else ""

    def snapshot(self) -> "Story":
        """An independent copy without listeners, for background work (an export runs on
        one while the editor goes on)."""
        return replace(
            self,
            tags=list(self.tags),
            photos=[replace(p) for p in self.photos],
            body=[replace(b, photo_ids=list(b.photo_ids)) if isinstance(b, PhotoGroup) else replace(b)
                  for b in self.body],
            _listeners=[],
        )

    # -- events ----------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def notify(self, event: StoryEvent) -> None:
        for listener in list(self._listeners):
            listener(event)


STORY_FIELDS = tuple(
    f.name for f in fields(Story) if f.name not in {"photos", "body", "_listeners"}
)
PHOTO_FIELDS = tuple(f.name for f in fields(Photo) if f.name not in {"id", "path"})


def sort_by_date_then_name(photos: Iterable[Photo]) -> list[Photo]:
    """Order photos as a photographer shot them: date taken, then file name."""
    # Photos without a date go after dated ones, by name.
    return sorted(photos, key=lambda p: (p.date_taken == "", p.date_taken[:19], p.file_name.lower()))
