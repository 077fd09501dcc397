"""PhotoListModel: the story's photos, in gallery order, as a Qt list model.

The model never changes the story itself: drops and moves become MovePhotos edits on
the undo stack, and the core's StoryEvents come back here and are translated into
row insertions, removals, layout and data changes (napari's evented-list pattern).
The model keeps its own list of ids so Qt always sees the "before" state it expects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (QAbstractListModel, QMimeData, QModelIndex, QPersistentModelIndex,
                            Qt, Signal)

from photostory.core.edits import MovePhotos, row_runs
from photostory.core.story import Photo, StoryEvent
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


class State:
    """Bits of Role.STATE (plain ints: painting tests them for every visible cell)."""

    NEEDS_CAPTION = 1
    NEEDS_ALT = 2
    MISSING_FILE = 4
    PLACED = 8
    UNREADABLE = 16


class PhotoListModel(QAbstractListModel):
    files_dropped = Signal(list, int)  # paths from a file manager, row to insert them at

    def __init__(self, document: StoryDocument, thumbnails: ThumbnailCache | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.thumbnails = thumbnails
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._photos: dict[str, Photo] = {}
        self._missing: set[str] = set()
        self._placed: set[str] = set()
        document.story_event.connect(self._on_story_event)
        document.story_reset.connect(self._reset)
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_thumbnail)
        self._reset()

    # -- lookups used by views ------------------------------------------------------------
    def photo_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, photo_id: str) -> int:
        return self._rows.get(photo_id, -1)

    def index_of(self, photo_id: str) -> QModelIndex:
        row = self.row_of(photo_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def is_missing(self, photo_id: str) -> bool:
        return photo_id in self._missing

    def refresh_missing(self) -> None:
        """Look at the disk again (files come back when a drive is mounted)."""
        before = set(self._missing)
        self._missing = {pid for pid, p in self._photos.items() if not p.path.is_file()}
        changed = before ^ self._missing
        if changed:
            self._emit_changed(changed, [Role.MISSING_FILE])

    # -- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        pid = self._ids[index.row()]
        photo = self._photos[pid]
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
            return photo.caption
        if role == Role.CREDIT:
            return self.document.story.effective_credit(photo)
        if role == Role.NEEDS_CAPTION:
            return not photo.caption.strip()
        if role == Role.NEEDS_ALT:
            return not photo.alt.strip()
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
        if not photo.caption.strip():
            state |= State.NEEDS_CAPTION
        if not photo.alt.strip():
            state |= State.NEEDS_ALT
        if pid in self._missing:
            state |= State.MISSING_FILE
        elif self.thumbnails is not None and self.thumbnails.error(photo):
            state |= State.UNREADABLE
        if pid in self._placed:
            state |= State.PLACED
        return state

    def _tooltip(self, row: int, photo: Photo) -> str:
        lines = [f"{row + 1}. {photo.file_name}"]
        if photo.caption.strip():
            lines.append(photo.caption.strip()[:200])
        if photo.id in self._placed:
            lines.append("Placed in the article.")
        problems = []
        if photo.id in self._missing:
            problems.append("The file is missing: use Photos ▸ Relink… to find it.")
        if not photo.caption.strip():
            problems.append("No caption yet.")
        if not photo.alt.strip():
            problems.append("No alt text yet.")
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
        return mime.photo_ids_mime([self._ids[r] for r in rows])

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
        if row < 0 or row > len(self._ids):
            row = len(self._ids)
        ids = [pid for pid in mime.photo_ids(data) if pid in self._rows]
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
        if source_row < 0 or source_row + count > len(self._ids):
            return False
        return self.move_photos(self._ids[source_row:source_row + count], destination_child)

    def move_photos(self, ids: Sequence[str], dest: int) -> bool:
        """Move photos to before row ``dest`` as one undo step; False if nothing moves."""
        story = self.document.story
        return self.document.try_edit(lambda: MovePhotos(story, ids, dest))

    # -- core events -> Qt signals -----------------------------------------------------
    def _on_story_event(self, event: StoryEvent) -> None:
        if event.kind in {"photos_inserted", "photos_removed", "photos_reordered"}:
            self._sync()
        elif event.kind == "photos_changed":
            if "path" in event.names:
                for pid in event.ids:
                    photo = self._photos.get(pid)
                    if photo is not None and photo.path.is_file():
                        self._missing.discard(pid)
                    elif photo is not None:
                        self._missing.add(pid)
            self._emit_changed(event.ids, [])
        elif event.kind == "story_changed":
            if "default_credit" in event.names:
                self._emit_changed(self._ids, [Role.CREDIT])
        elif event.kind == "body_changed":
            placed = self.document.story.placed_ids()
            changed = placed ^ self._placed
            self._placed = placed
            self._emit_changed(changed, [Role.PLACED])

    def _reset(self) -> None:
        self.beginResetModel()
        story = self.document.story
        self._ids = [p.id for p in story.photos]
        self._photos = {p.id: p for p in story.photos}
        self._rows = {pid: r for r, pid in enumerate(self._ids)}
        self._missing = {p.id for p in story.photos if not p.path.is_file()}
        self._placed = story.placed_ids()
        self.endResetModel()

    def _sync(self) -> None:
        """Bring ``_ids`` to the story's order with the fewest, most specific signals."""
        story = self.document.story
        new = [p.id for p in story.photos]
        # Rows about to be removed must still answer data() until endRemoveRows.
        self._photos.update({p.id: p for p in story.photos})
        keep = set(new)
        gone_rows = [r for r, pid in enumerate(self._ids) if pid not in keep]
        for start, end in reversed(row_runs(gone_rows)):
            self.beginRemoveRows(QModelIndex(), start, end)
            for pid in self._ids[start:end + 1]:
                self._missing.discard(pid)
            del self._ids[start:end + 1]
            self.endRemoveRows()
        present = set(self._ids)
        i = 0
        while i < len(new):
            if new[i] in present:
                i += 1
                continue
            j = i
            while j < len(new) and new[j] not in present:
                j += 1
            at = min(i, len(self._ids))
            self.beginInsertRows(QModelIndex(), at, at + (j - i) - 1)
            self._ids[at:at] = new[i:j]
            for pid in new[i:j]:
                if not self._photos[pid].path.is_file():
                    self._missing.add(pid)
            self.endInsertRows()
            i = j
        if self._ids != new:
            self.layoutAboutToBeChanged.emit()
            rows = {pid: r for r, pid in enumerate(new)}
            old = self.persistentIndexList()
            self.changePersistentIndexList(
                old, [self.index(rows[self._ids[i.row()]], 0) for i in old])
            self._ids = new
            self.layoutChanged.emit()
        self._photos = {p.id: p for p in story.photos}
        self._rows = {pid: r for r, pid in enumerate(self._ids)}
        self._placed = story.placed_ids()
        # Gallery numbers shift when photos move.
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, 0),
                                  [Role.NUMBER, Qt.ItemDataRole.ToolTipRole])

    def _emit_changed(self, ids: Iterable[str], roles: list[int]) -> None:
        rows = sorted(self._rows[pid] for pid in ids if pid in self._rows)
        for start, end in row_runs(rows):
            self.dataChanged.emit(self.index(start, 0), self.index(end, 0), roles)

    def _on_thumbnail(self, photo_id: str) -> None:
        row = self._rows.get(photo_id)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

