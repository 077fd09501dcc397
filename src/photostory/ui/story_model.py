"""PhotoListModel: the story's photos, in gallery order, as a Qt list model; captions,
alt texts and "placed" are the shown language version's.

The model never changes the story itself: drops and moves become MovePhotos edits on
the undo stack. Nor does it keep a copy of the photo list: its rows are the story's
photos, and each StoryEvent is translated into one Qt call, as napari's evented-list
model does (PHOTOS_INSERTING -> beginInsertRows, PHOTOS_INSERTED -> endInsertRows,
and so on for removals and moves; field changes -> dataChanged). The story sends the
"-ing" half before it changes, which is when Qt needs it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (QAbstractListModel, QMimeData, QModelIndex, QPersistentModelIndex,
                            Qt, Signal)

from photostory.core.i18n import _
from photostory.core.edits import MovePhotos
from photostory.core.story import Photo, StoryEvent, StoryEventKind, row_runs
from photostory.core.version_fields import photo_text, placed_ids
from photostory.ui import mime
from photostory.ui.document import StoryDocument
from photostory.ui.thumbnails import TRAY_SIZE, ThumbnailCache

AnyIndex = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    PHOTO_ID = Qt.ItemDataRole.UserRole + 1
    CAPTION = Qt.ItemDataRole.UserRole + 2
    CREDIT = Qt.ItemDataRole.UserRole + 3  # the effective credit (the story default applies)
    NEEDS_CAPTION = Qt.ItemDataRole.UserRole + 4
    NEEDS_ALT = Qt.ItemDataRole.UserRole + 5
    MISSING_FILE = Qt.ItemDataRole.UserRole + 6
    PLACED = Qt.ItemDataRole.UserRole + 7  # shown in the article body
    NUMBER = Qt.ItemDataRole.UserRole + 8  # 1-based gallery position
    THUMBNAIL_ERROR = Qt.ItemDataRole.UserRole + 9
    STATE = Qt.ItemDataRole.UserRole + 10  # all the flags below in one int
    PAINT = Qt.ItemDataRole.UserRole + 11  # (pixmap, state, number, name): one call per painted cell


# What shows a photo's gallery position, so changes when photos come, go or move.
POSITION_ROLES: list[int] = [Role.NUMBER, Qt.ItemDataRole.ToolTipRole]


#: What may change which photo is the cover.
COVER_EVENTS = {StoryEventKind.STORY_CHANGED, StoryEventKind.BODY_CHANGED,
                StoryEventKind.PHOTOS_INSERTED, StoryEventKind.PHOTOS_REMOVED,
                StoryEventKind.PHOTOS_MOVED}


class State:
    """Bits of Role.STATE (plain ints: painting tests them for every visible cell)."""

    NEEDS_CAPTION = 1
    NEEDS_ALT = 2
    MISSING_FILE = 4
    PLACED = 8
    UNREADABLE = 16
    COVER = 32  # the story's cover photo (chosen, or the first placed)


class PhotoListModel(QAbstractListModel):
    files_dropped = Signal(list, int)  # paths from a file manager, row to insert them at

    def __init__(self, document: StoryDocument, thumbnails: ThumbnailCache | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.thumbnails = thumbnails
        self._rows: dict[str, int] | None = None  # photo id -> row; None: to be rebuilt
        self._missing: set[str] = set()
        self._placed: set[str] = set()
        self._cover = ""
        document.story_event.connect(self._on_story_event)
        document.story_reset.connect(self._reset)
        document.version_changed.connect(lambda _tag: self._version_texts_changed())
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_thumbnail)
        self._reset()

    # -- lookups used by views ------------------------------------------------------------
    def photo_id(self, row: int) -> str:
        return self._photos()[row].id

    def row_of(self, photo_id: str) -> int:
        if self._rows is None:
            self._rows = {p.id: row for row, p in enumerate(self._photos())}
        return self._rows.get(photo_id, -1)

    def index_of(self, photo_id: str) -> QModelIndex:
        row = self.row_of(photo_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def text(self, photo: Photo, name: str) -> str:
        """The photo's caption or alt text in the version shown."""
        return photo_text(self.document.story, self.document.version, photo, name)

    def needs_caption(self, photo: Photo) -> bool:
        return not self.text(photo, "caption").strip()

    def is_missing(self, photo_id: str) -> bool:
        return photo_id in self._missing

    def refresh_missing(self) -> None:
        """Look at the disk again (files come back when a drive is mounted)."""
        before = set(self._missing)
        self._missing = {p.id for p in self._photos() if not p.path.is_file()}
        changed = before ^ self._missing
        if changed:
            self._emit_changed(changed, [Role.MISSING_FILE])

    # -- Qt model API -------------------------------------------------------------------
    def _photos(self) -> list[Photo]:
        return self.document.story.photos

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._photos())

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        photos = self._photos()
        if not index.isValid() or not 0 <= index.row() < len(photos):
            return None
        photo = photos[index.row()]
        pid = photo.id
        if role == Qt.ItemDataRole.DisplayRole:
            return photo.file_name
        if role == Qt.ItemDataRole.DecorationRole:
            if self.thumbnails is None:
                return None
            if pid in self._missing:
                return self.thumbnails.placeholder(photo, TRAY_SIZE)
            pixmap = self.thumbnails.pixmap(photo, TRAY_SIZE)
            return pixmap if pixmap is not None else self.thumbnails.placeholder(photo, TRAY_SIZE)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), photo)
        if role == Role.PHOTO_ID:
            return pid
        if role == Role.CAPTION:
            return self.text(photo, "caption")
        if role == Role.CREDIT:
            return self.document.story.effective_credit(photo)
        if role == Role.NEEDS_CAPTION:
            return self.needs_caption(photo)
        if role == Role.NEEDS_ALT:
            return not self.text(photo, "alt").strip()
        if role == Role.MISSING_FILE:
            return pid in self._missing
        if role == Role.PLACED:
            return pid in self._placed
        if role == Role.NUMBER:
            return index.row() + 1
        if role == Role.PAINT:
            return (self.data(index, Qt.ItemDataRole.DecorationRole), self._state(pid, photo),
                    index.row() + 1, photo.file_name)
        if role == Role.STATE:
            return self._state(pid, photo)
        if role == Role.THUMBNAIL_ERROR:
            return self.thumbnails.error(photo) if self.thumbnails is not None else ""
        return None

    def _state(self, pid: str, photo: Photo) -> int:
        state = 0
        if self.needs_caption(photo):
            state |= State.NEEDS_CAPTION
        if not self.text(photo, "alt").strip():
            state |= State.NEEDS_ALT
        if pid in self._missing:
            state |= State.MISSING_FILE
        elif self.thumbnails is not None and self.thumbnails.error(photo):
            state |= State.UNREADABLE
        if pid in self._placed:
            state |= State.PLACED
        if pid == self._cover:
            state |= State.COVER
        return state

    def _tooltip(self, row: int, photo: Photo) -> str:
        lines = [f"{row + 1}. {photo.file_name}"]
        caption = self.text(photo, "caption").strip()
        if caption:
            lines.append(textwrap.shorten(caption, 200, placeholder=" …"))  # whole words
        if photo.id in self._placed:
            lines.append(_("Placed in the article."))
        problems = []
        if photo.id in self._missing:
            problems.append(_("The file is missing: use Photos ▸ Relink… to find it."))
        if not caption:
            problems.append(_("No caption yet."))
        if not self.text(photo, "alt").strip():
            problems.append(_("No alt text yet."))
        return "\n".join(lines + problems)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops between items, never onto one
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)

    # -- drag and drop ---------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        # Copy lets the article pane take photos without the tray losing them.
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [mime.PHOTO_IDS, mime.URI_LIST]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return mime.photo_ids_mime([self.photo_id(r) for r in rows])

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        return bool(mime.photo_ids(data) or mime.local_paths(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if parent.isValid():  # dropped onto an item: insert before it
            row = parent.row()
        if row < 0 or row > self.rowCount():
            row = self.rowCount()
        ids = [pid for pid in mime.photo_ids(data) if self.row_of(pid) >= 0]
        if ids:
            return self.move_photos(ids, row)
        paths = mime.local_paths(data)
        if paths:
            self.files_dropped.emit(paths, row)
            return True
        return False

    def moveRows(self, source_parent: AnyIndex, source_row: int, count: int,
                 destination_parent: AnyIndex, destination_child: int) -> bool:
        if source_parent.isValid() or destination_parent.isValid() or count <= 0:
            return False
        photos = self._photos()
        if source_row < 0 or source_row + count > len(photos):
            return False
        return self.move_photos([p.id for p in photos[source_row:source_row + count]],
                                destination_child)

    def move_photos(self, ids: Sequence[str], dest: int) -> bool:
        """Move photos to before row ``dest`` as one undo step; False if nothing moves."""
        story = self.document.story
        return self.document.try_edit(lambda: MovePhotos(story, ids, dest))

    # -- core events -> Qt signals -----------------------------------------------------
    def _on_story_event(self, event: StoryEvent) -> None:
        self._mirror(event)
        if event.kind in COVER_EVENTS:  # the default cover follows the article and the list
            self._update_cover()

    def _update_cover(self) -> None:
        cover = self.document.story.cover()
        cover_id = cover.id if cover is not None else ""
        if cover_id != self._cover:
            changed = {self._cover, cover_id} - {""}
            self._cover = cover_id
            self._emit_changed(changed, [Role.STATE])

    def _mirror(self, event: StoryEvent) -> None:
        kind = event.kind
        first, last = event.index, event.index + event.count - 1
        if kind == StoryEventKind.PHOTOS_INSERTING:
            self.beginInsertRows(QModelIndex(), first, last)
        elif kind == StoryEventKind.PHOTOS_INSERTED:
            self._rows = None
            self._missing |= {p.id for p in self._photos()[first:last + 1] if not p.path.is_file()}
            self.endInsertRows()
            self._rows_changed(first, self.rowCount() - 1, POSITION_ROLES)
        elif kind == StoryEventKind.PHOTOS_REMOVING:
            self.beginRemoveRows(QModelIndex(), first, last)
        elif kind == StoryEventKind.PHOTOS_REMOVED:
            self._rows = None
            self._missing.difference_update(event.ids)
            self.endRemoveRows()
            self._rows_changed(first, self.rowCount() - 1, POSITION_ROLES)
        elif kind == StoryEventKind.PHOTOS_MOVING:
            self.beginMoveRows(QModelIndex(), first, last, QModelIndex(), event.dest)
        elif kind == StoryEventKind.PHOTOS_MOVED:
            self._rows = None
            self.endMoveRows()
            self._rows_changed(min(first, event.dest), max(last + 1, event.dest) - 1,
                               POSITION_ROLES)
        elif kind == StoryEventKind.PHOTOS_CHANGED:
            if "path" in event.names:
                for pid in event.ids:
                    row = self.row_of(pid)
                    if row >= 0 and self._photos()[row].path.is_file():
                        self._missing.discard(pid)
                    elif row >= 0:
                        self._missing.add(pid)
            self._emit_changed(event.ids, [])
        elif kind == StoryEventKind.STORY_CHANGED:
            if "default_credit" in event.names:
                self._rows_changed(0, self.rowCount() - 1, [Role.CREDIT])
        elif kind == StoryEventKind.BODY_CHANGED:
            self._update_placed()
        elif kind == StoryEventKind.VERSIONS_CHANGED and self.document.version in event.names:
            self._version_texts_changed()

    def _update_placed(self) -> None:
        placed = placed_ids(self.document.story, self.document.version)
        changed = placed ^ self._placed
        self._placed = placed
        self._emit_changed(changed, [Role.PLACED])

    def _version_texts_changed(self) -> None:
        """The shown version changed, or its texts did: every row's captions and badges."""
        self._update_placed()
        self._rows_changed(0, self.rowCount() - 1, [])

    def _reset(self) -> None:
        self.beginResetModel()
        story = self.document.story
        self._rows = None
        self._missing = {p.id for p in story.photos if not p.path.is_file()}
        self._placed = placed_ids(story, self.document.version)
        cover = story.cover()
        self._cover = cover.id if cover is not None else ""
        self.endResetModel()

    def _rows_changed(self, first: int, last: int, roles: list[int]) -> None:
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0), roles)

    def _emit_changed(self, ids: Iterable[str], roles: list[int]) -> None:
        rows = sorted(row for row in map(self.row_of, ids) if row >= 0)
        for start, end in row_runs(rows):
            self._rows_changed(start, end, roles)

    def _on_thumbnail(self, photo_id: str) -> None:
        row = self.row_of(photo_id)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

