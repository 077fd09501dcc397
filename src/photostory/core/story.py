"""The story model: what an editor edits and an export publishes.

A :class:`Story` holds its photos in gallery order and a body of blocks (paragraphs
and photo groups that refer to photos by id). Objects here are plain data; every
change a user makes goes through :mod:`photostory.core.edits`, which keeps it
reversible and tells listeners (the editor's Qt models) what changed.

The photo list changes only through :meth:`Story.insert_photos`, :meth:`Story.remove_photos`
and :meth:`Story.move_photos`, as napari's evented list does: each sends a "-ing" event
while the list is still as it was, then changes it, then sends the "-ed" event. A Qt
model needs exactly that (``beginInsertRows`` must run before the rows exist, and rows
being removed must still answer ``data()``), so it translates each event into one Qt
call and never keeps or diffs its own copy of the list. The alternative, a model
calling begin/end around each edit, would need the model to know beforehand what
every edit will do.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from photostory.core.page_words import credit_prefix

#: Photo fields a user edits as text (inspector, captions sheet, batch edits).
TEXT_FIELDS = ("caption", "credit", "alt", "creator", "copyright", "headline")
#: Photo fields read from the file and kept as text (a story file saves them with TEXT_FIELDS).
FILE_TEXT_FIELDS = ("date_taken", "camera", "city", "country")
#: Photo fields that are whole numbers: the displayed size and the EXIF orientation.
PHOTO_INT_FIELDS = ("width", "height", "orientation")
#: Story fields that are plain text (title, byline, dateline, date, language, default credit).
STORY_TEXT_FIELDS = ("title", "byline", "dateline", "published", "language", "default_credit")
#: Story fields for the site, web addresses but the cover (a photo id); optional in the file.
STORY_SITE_FIELDS = ("base_url", "cover_photo", "license", "acquire_license_page")
#: Photo fields for the site: the photo's own licence addresses (the story's when empty).
PHOTO_SITE_FIELDS = ("license", "acquire_license_page")


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
    # The licence of this photo (a URL) and where to acquire one; empty: the story's.
    license: str = ""
    acquire_license_page: str = ""

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


class StoryEventKind(StrEnum):
    """What a :class:`StoryEvent` says happened. Photo list changes come in pairs: the
    "-ing" event while the list is still as it was, the "-ed" event once it changed,
    both with the same ``index``, ``count`` (and ``ids``, ``dest``)."""

    PHOTOS_INSERTING = "photos_inserting"  # index, count: rows index.. are about to appear
    PHOTOS_INSERTED = "photos_inserted"
    PHOTOS_REMOVING = "photos_removing"  # index, count, ids: rows index.. are about to go
    PHOTOS_REMOVED = "photos_removed"
    # index, count, ids, dest: rows index.. move to before row ``dest``, which counts rows
    # as they are before the move (Qt's and napari's convention).
    PHOTOS_MOVING = "photos_moving"
    PHOTOS_MOVED = "photos_moved"
    PHOTOS_CHANGED = "photos_changed"  # ids, names: fields of these photos changed
    STORY_CHANGED = "story_changed"  # names: story fields changed
    # ids: paragraphs whose text alone changed; none: anything in the body may have.
    BODY_CHANGED = "body_changed"
    # names: tags of the language versions added, removed or changed (never the source's:
    # its texts are the story's own fields, reported by the events above).
    VERSIONS_CHANGED = "versions_changed"


@dataclass(frozen=True)
class StoryEvent:
    """What changed, for listeners that mirror the story (the editor's models)."""

    kind: StoryEventKind
    ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    index: int = 0
    count: int = 0
    dest: int = 0


class PhotoMove(NamedTuple):
    """Rows ``start`` .. ``start + count - 1`` moved to before row ``dest`` (counted
    before the move)."""

    start: int
    count: int
    dest: int

    def inverse(self) -> "PhotoMove":
        """The move that puts the rows back."""
        if self.dest < self.start:
            return PhotoMove(self.dest, self.count, self.start + self.count)
        return PhotoMove(self.dest - self.count, self.count, self.start)


Listener = Callable[[StoryEvent], None]

#: The texts of a version besides its paragraphs (a Translation's fields of that name).
VERSION_TEXT_FIELDS = ("title", "byline", "dateline")


@dataclass
class Translation:
    """A language version of the story besides the source version.

    The source version is the story's own fields (tag ``Story.language``); a translation
    holds only what differs per language: its texts, its body placing the shared photos,
    and per photo id the caption and alt text. A derived version (``derived_from`` a tag)
    is rewritten from that version whenever it changes, except the texts in ``edited``:
    "title", "byline", "dateline", ``paragraph:<block id>``, ``caption:<photo id>``,
    ``alt:<photo id>``, the ones a person edited by hand.
    """

    language: str
    title: str = ""
    byline: str = ""
    dateline: str = ""
    body: list[Block] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)
    alts: dict[str, str] = field(default_factory=dict)
    credit_prefix: str | None = None  # None: the language's prefix
    derived_from: str | None = None
    edited: set[str] = field(default_factory=set)

    def copy(self) -> "Translation":
        return replace(self, body=copy_body(self.body), captions=dict(self.captions),
                       alts=dict(self.alts), edited=set(self.edited))

    def placed_ids(self) -> set[str]:
        return {pid for block in self.body if isinstance(block, PhotoGroup) for pid in block.photo_ids}


def copy_body(body: Sequence[Block]) -> list[Block]:
    """An independent copy of an article body."""
    return [replace(b, photo_ids=list(b.photo_ids)) if isinstance(b, PhotoGroup) else replace(b)
            for b in body]


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
    base_url: str = ""  # where the export is served ("https://x.kz/stories/a/"); "": relative
    cover_photo: str = ""  # the social card's photo id; "": the first placed photo
    license: str = ""  # the photos' licence URL, unless a photo names its own
    acquire_license_page: str = ""  # where a reader can license the photos
    photos: list[Photo] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    # Language versions after the source version (this story's own texts), in order.
    translations: list[Translation] = field(default_factory=list)
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

    def cover(self, among: Iterable[str] | None = None) -> Photo | None:
        """The story's cover photo (its social card): the one chosen, else the first
        photo placed in the article, else the gallery's first; only photos whose ids are
        ``among`` (say, those an export rendered) when given. None without photos."""
        wanted = None if among is None else set(among)
        allowed = {p.id for p in self.photos if wanted is None or p.id in wanted}
        placed = [pid for group in self.groups() for pid in group.photo_ids]
        for pid in (self.cover_photo, *placed, *(p.id for p in self.photos)):
            if pid in allowed:
                return self.photo(pid)
        return None

    def effective_credit(self, photo: Photo) -> str:
        return photo.credit.strip() or self.default_credit.strip()

    def shared_credit(self) -> str | None:
        """The credit every photo carries, when they all carry the same one."""
        credits = {self.effective_credit(photo) for photo in self.photos}
        if len(credits) == 1:
            (credit,) = credits
            return credit or None
        return None

    def effective_license(self, photo: Photo) -> tuple[str, str]:
        """(licence URL, acquire-licence page) for ``photo``: its own, else the story's."""
        return (photo.license.strip() or self.license.strip(),
                photo.acquire_license_page.strip() or self.acquire_license_page.strip())

    def effective_credit_prefix(self) -> str:
        if self.credit_prefix is not None:
            return self.credit_prefix
        return credit_prefix(self.language)

    def credit_line(self, credit: str) -> str:
        """``Photo: akorda.kz`` from ``akorda.kz``, in the story's language."""
        prefix = self.effective_credit_prefix().strip()
        return f"{prefix} {credit}".strip() if credit else ""

    def versions(self) -> list[str]:
        """Every version's tag, the source version's first."""
        return [self.language] + [t.language for t in self.translations]

    def translation(self, tag: str) -> Translation:
        """The translation with this tag (KeyError for the source version or none)."""
        for translation in self.translations:
            if translation.language == tag:
                return translation
        raise KeyError(tag)

    def snapshot(self) -> "Story":
        """An independent copy without listeners, for background work (an export runs on
        one while the editor goes on)."""
        return replace(
            self,
            tags=list(self.tags),
            photos=[replace(p) for p in self.photos],
            body=copy_body(self.body),
            translations=[t.copy() for t in self.translations],
            _listeners=[],
        )

    def version(self, tag: str) -> "Story":
        """One version as a plain one-version story (what an export or a preflight of that
        version reads): the shared photos with this version's captions and alt texts, its
        texts and body. KeyError when the story has no such version."""
        if tag == self.language:
            view = self.snapshot()
            view.translations = []
            return view
        t = self.translation(tag)
        # The cover is shared like the photos: the one the source version settles on.
        cover = self.cover()
        view = replace(self.snapshot(), language=t.language, title=t.title, byline=t.byline,
                       dateline=t.dateline, credit_prefix=t.credit_prefix,
                       body=copy_body(t.body), translations=[],
                       cover_photo=cover.id if cover else "")
        for photo in view.photos:
            photo.caption = t.captions.get(photo.id, "")
            photo.alt = t.alts.get(photo.id, "")
        return view

    # -- events ----------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def notify(self, event: StoryEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    def notify_versions(self, tags: Iterable[str]) -> None:
        """Tell listeners that these language versions changed."""
        tags = tuple(tags)
        if tags:
            self.notify(StoryEvent(StoryEventKind.VERSIONS_CHANGED, names=tags))

    # -- the photo list, changed row by row with its events --------------------------------
    def insert_photos(self, index: int, photos: Sequence[Photo]) -> None:
        """Insert ``photos`` as rows ``index`` ..."""
        if not 0 <= index <= len(self.photos):
            raise ValueError(f"no row {index} to insert photos at")
        if not photos:
            return
        ids = tuple(p.id for p in photos)
        count = len(ids)
        self.notify(StoryEvent(StoryEventKind.PHOTOS_INSERTING, ids, index=index, count=count))
        self.photos[index:index] = photos
        self.notify(StoryEvent(StoryEventKind.PHOTOS_INSERTED, ids, index=index, count=count))

    def remove_photos(self, ids: Iterable[str]) -> list[tuple[int, list[Photo]]]:
        """Remove the photos with these ids, one run of adjacent rows at a time from the
        last, so each run's rows are right when its events arrive. Returns the runs as
        (first row, photos) in gallery order: inserting them in that order puts them back."""
        gone = set(ids)
        rows = [row for row, photo in enumerate(self.photos) if photo.id in gone]
        runs = [(start, self.photos[start:end + 1]) for start, end in row_runs(rows)]
        for start, photos in reversed(runs):
            run_ids = tuple(p.id for p in photos)
            count = len(run_ids)
            self.notify(StoryEvent(StoryEventKind.PHOTOS_REMOVING, run_ids, index=start, count=count))
            del self.photos[start:start + count]
            self.notify(StoryEvent(StoryEventKind.PHOTOS_REMOVED, run_ids, index=start, count=count))
        return runs

    def move_photos(self, move: PhotoMove) -> None:
        """Move rows as ``move`` says; a move that would leave them where they are is refused."""
        start, count, dest = move
        if count <= 0 or start < 0 or start + count > len(self.photos):
            raise ValueError(f"no rows {start}..{start + count - 1} to move")
        if start <= dest <= start + count or not 0 <= dest <= len(self.photos):
            raise ValueError(f"rows {start}..{start + count - 1} cannot move to {dest}")
        ids = tuple(p.id for p in self.photos[start:start + count])
        self.notify(StoryEvent(StoryEventKind.PHOTOS_MOVING, ids, index=start, count=count, dest=dest))
        rows = self.photos[start:start + count]
        del self.photos[start:start + count]
        at = dest if dest < start else dest - count
        self.photos[at:at] = rows
        self.notify(StoryEvent(StoryEventKind.PHOTOS_MOVED, ids, index=start, count=count, dest=dest))

    def reorder_photos(self, order: Sequence[str]) -> list[PhotoMove]:
        """Put the photos in ``order`` (every photo id once) by moving runs of rows;
        returns the moves made. A reorder is only ever moves: listeners keep their rows
        (and a view its selection) instead of starting over."""
        if sorted(order) != sorted(p.id for p in self.photos):
            raise ValueError("the new order must hold every photo exactly once")
        moves: list[PhotoMove] = []
        row = 0
        while row < len(order):
            current = [p.id for p in self.photos]
            if current[row] == order[row]:
                row += 1
                continue
            # The photo wanted here is further down (everything above is in place):
            # bring it up together with the rows that follow it in the wanted order too.
            start = current.index(order[row], row)
            count = 1
            while (row + count < len(order) and start + count < len(current)
                   and current[start + count] == order[row + count]):
                count += 1
            move = PhotoMove(start, count, row)
            self.move_photos(move)
            moves.append(move)
            row += count
        return moves

    def undo_moves(self, moves: Sequence[PhotoMove]) -> None:
        """Take back ``moves`` (as returned by :meth:`reorder_photos`), last first."""
        for move in reversed(moves):
            self.move_photos(move.inverse())


STORY_FIELDS = tuple(
    f.name for f in fields(Story) if f.name not in {"photos", "body", "translations", "_listeners"}
)


def row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Ascending rows as (first, last) runs: [1, 2, 3, 7, 8] -> [(1, 3), (7, 8)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def sort_by_date_then_name(photos: Iterable[Photo]) -> list[Photo]:
    """Order photos as a photographer shot them: date taken, then file name."""
    # Photos without a date go after dated ones, by name.
    return sorted(photos, key=lambda p: (p.date_taken == "", p.date_taken[:19], p.file_name.lower()))
