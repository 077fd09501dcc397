"""The photo tray: a grid of thumbnails in gallery order, reordered by dragging.

Drops are handled here (an insertion line between cells) but the change itself is made
by the model's dropMimeData, which pushes one MovePhotos undo step.
"""

from __future__ import annotations

from PySide6.QtCore import (QEvent, QItemSelection, QItemSelectionModel, QMimeData, QModelIndex,
                            QPoint, QRegularExpression, QSize, QSortFilterProxyModel, Qt, Signal)
from PySide6.QtGui import (QDrag, QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent, QPainter,
                           QPaintEvent, QPalette, QPen, QPixmap, QResizeEvent)
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QListView, QStyle,
                               QToolButton, QVBoxLayout, QWidget)

from photostory.core.i18n import _
from photostory.ui import mime
from photostory.ui.photo_delegate import CELL, PAD, PhotoDelegate, pill
from photostory.ui.story_model import PhotoListModel, Role


class NeedsCaptionFilter(QSortFilterProxyModel):
    """Shows only photos without a caption while ``enabled``.

    The filter is applied when switched on, not on every keystroke: a photo that gets a
    caption stays in view until the filter is switched again, so captioning it does not
    make it vanish under the cursor.
    """

    # Qt's own matching on the NEEDS_CAPTION role, not a Python filterAcceptsRow: the
    # proxy filters every row again on each row move (a sort is hundreds of moves), and
    # with the filter off Qt then accepts all rows without calling into Python.
    _NEEDS_CAPTION = QRegularExpression("^true$")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.setFilterRole(Role.NEEDS_CAPTION)

    @property
    def enabled(self) -> bool:
        return bool(self.filterRegularExpression().pattern())

    def set_enabled(self, enabled: bool) -> None:
        self.setFilterRegularExpression(self._NEEDS_CAPTION if enabled else QRegularExpression())

    def refilter(self) -> None:
        """Filter again (another language version is shown: other captions are missing)."""
        if self.enabled:
            self.invalidate()


class TrayView(QListView):
    """Icon-mode list whose drags carry photo ids and whose drops insert between cells."""

    caption_requested = Signal()  # Enter or double-click: the user wants to caption

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Order matters: setViewMode resets movement and drag settings.
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setGridSize(CELL)
        self.setSpacing(0)
        self.setWrapping(True)
        self.setMouseTracking(True)
        self.setItemDelegate(PhotoDelegate(self))
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self._drop_row = -1
        self.doubleClicked.connect(lambda _index: self.caption_requested.emit())
        self.activated.connect(lambda _index: self.caption_requested.emit())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            delegate = self.itemDelegate()
            if isinstance(delegate, PhotoDelegate):
                delegate.reset_fonts()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Spread the columns over the whole width instead of leaving a ragged gap on the right.
        # QListView lays out within the viewport's largest size less a scroll bar's width.
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None,
                                             self.verticalScrollBar())
        available = max(CELL.width(), self.maximumViewportSize().width() - scrollbar - 1)
        columns = max(1, available // CELL.width())
        grid = QSize(available // columns, CELL.height())
        if grid != self.gridSize():
            self.setGridSize(grid)
        super().resizeEvent(event)

    # -- drags out -----------------------------------------------------------------------
    def startDrag(self, supported: Qt.DropAction) -> None:
        indexes = [i for i in self.selectedIndexes()
                   if self.model().flags(i) & Qt.ItemFlag.ItemIsDragEnabled]
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        drag.setPixmap(self._drag_pixmap(indexes))
        # The result is ignored on purpose: a move is made by the drop, never by removing
        # rows here (Qt's default would try to delete the dragged rows).
        drag.exec(supported, Qt.DropAction.MoveAction)

    def _drag_pixmap(self, indexes: list[QModelIndex]) -> QPixmap:
        first = min(indexes, key=lambda i: i.row()).data(Qt.ItemDataRole.DecorationRole)
        pixmap = QPixmap(first) if isinstance(first, QPixmap) else QPixmap(64, 48)
        if isinstance(first, QPixmap):
            pixmap = first.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
        if len(indexes) > 1:
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pill(painter, str(len(indexes)), self.palette().color(QPalette.ColorRole.Highlight),
                  QPoint(4, 4))
            painter.end()
        return pixmap

    # -- drops in --------------------------------------------------------------------------
    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        data = event.mimeData()
        return bool(mime.photo_ids(data) or mime.local_paths(data))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        pos = event.position().toPoint()
        self._drop_row = self.drop_row_at(pos)
        self._autoscroll(pos)
        if event.source() is self:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.acceptProposedAction()
        self.viewport().update()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drop_row = -1
        self.viewport().update()

    def dropEvent(self, event: QDropEvent) -> None:
        row = self.drop_row_at(event.position().toPoint())
        self._drop_row = -1
        self.viewport().update()
        if not self._accepts(event):
            event.ignore()
            return
        if self.drop_at(event.mimeData(), row):
            event.setDropAction(Qt.DropAction.MoveAction if event.source() is self
                                else Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def drop_at(self, data: QMimeData, view_row: int) -> bool:
        """Hand a drop at ``view_row`` (between cells) to the story model."""
        model = self.model()
        source, source_row = model, view_row
        if isinstance(model, QSortFilterProxyModel):
            source = model.sourceModel()
            if view_row < model.rowCount():
                source_row = model.mapToSource(model.index(view_row, 0)).row()
            elif model.rowCount():
                source_row = model.mapToSource(model.index(model.rowCount() - 1, 0)).row() + 1
            else:
                source_row = source.rowCount()
        assert isinstance(source, PhotoListModel)
        return source.dropMimeData(data, Qt.DropAction.MoveAction, source_row, 0, QModelIndex())

    def drop_row_at(self, pos: QPoint) -> int:
        """The gap nearest ``pos``: 0 before the first cell ... rowCount after the last."""
        model = self.model()
        count = model.rowCount() if model is not None else 0
        if count == 0:
            return 0
        first = self.visualRect(model.index(0, 0))
        columns = count
        for i in range(1, count):
            if self.visualRect(model.index(i, 0)).top() != first.top():
                columns = i
                break
        width, height = max(1, first.width()), max(1, first.height())
        line = max(0, (pos.y() - first.top()) // height)
        column = round((pos.x() - first.left()) / width)
        column = max(0, min(column, columns))
        return min(line * columns + column, count)

    def _autoscroll(self, pos: QPoint) -> None:
        bar = self.verticalScrollBar()
        margin = 28
        if pos.y() < margin:
            bar.setValue(bar.value() - 16)
        elif pos.y() > self.viewport().height() - margin:
            bar.setValue(bar.value() + 16)

    @property
    def drop_indicator_row(self) -> int:
        """Where the insertion line is drawn (-1: no drag in progress)."""
        return self._drop_row

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        painter = QPainter(self.viewport())
        if model is None or model.rowCount() == 0:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(24, 24, -24, -24),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             _("Drop photos or folders here, or choose File ▸ Import Photos…"))
            return
        if self._drop_row < 0:
            return
        count = model.rowCount()
        if self._drop_row < count:
            cell = self.visualRect(model.index(self._drop_row, 0))
            x = cell.left()
        else:
            cell = self.visualRect(model.index(count - 1, 0))
            x = cell.right()
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 3)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(x, cell.top() + PAD, x, cell.bottom() - PAD)


class TrayPanel(QWidget):
    """Header (count, "Needs caption" filter), the grid, and a one-line hint."""

    def __init__(self, model: PhotoListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.filter = NeedsCaptionFilter(self)
        self.filter.setSourceModel(model)
        self.view = TrayView(self)
        self.view.setModel(self.filter)

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.needs_caption = QToolButton()
        self.needs_caption.setCheckable(True)
        self.needs_caption.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.needs_caption.setToolTip(_("Show only photos that have no caption yet"))
        self.needs_caption.toggled.connect(self.filter.set_enabled)
        self.needs_caption.toggled.connect(self.update_counts)

        header = QHBoxLayout()
        header.setContentsMargins(8, 6, 8, 2)
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.needs_caption)
        hint = QLabel(_("Drag to reorder the gallery, or onto the article to place photos. "
                      "A dot marks photos placed in the article."))
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        hint.setContentsMargins(8, 0, 8, 6)
        layout.addWidget(hint)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.update_counts)
        model.dataChanged.connect(self._on_data_changed)
        model.document.version_changed.connect(self._version_changed)
        if model.thumbnails is not None:  # scrolled-to cells outrank those scrolled away
            thumbnails = model.thumbnails
            self.view.verticalScrollBar().valueChanged.connect(lambda _value: thumbnails.bump())
        self.update_counts()

    def _on_data_changed(self, _first: QModelIndex, _last: QModelIndex, roles: list[int]) -> None:
        if not roles or Role.NEEDS_CAPTION in roles:  # thumbnails arriving change no count
            self.update_counts()

    def _version_changed(self, _tag: str) -> None:
        self.filter.refilter()
        self.update_counts()

    def update_counts(self) -> None:
        photos = self.model.document.story.photos
        total = len(photos)
        missing = sum(1 for p in photos if self.model.needs_caption(p))
        shown = self.filter.rowCount()
        if self.filter.enabled:
            self.title.setText(_("Photos ({shown} of {total})").format(shown=shown, total=total))
        else:
            self.title.setText(_("Photos ({total})").format(total=total))
        document = self.model.document
        tag = document.version
        if tag == document.story.language:
            self.needs_caption.setText(_("Needs caption ({count})").format(count=missing))
        else:
            self.needs_caption.setText(_("Needs {language} caption ({count})").format(
                language=tag, count=missing))

    # -- selection as photo ids -----------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """Selected photos in gallery order (walks selection ranges: cheap for big selections)."""
        rows: set[int] = set()
        for selection_range in self.view.selectionModel().selection():
            for row in range(selection_range.top(), selection_range.bottom() + 1):
                rows.add(self.filter.mapToSource(self.filter.index(row, 0)).row())
        return [self.model.photo_id(r) for r in sorted(rows) if r >= 0]

    def select_ids(self, ids: list[str], current: str = "") -> None:
        rows = sorted(self.filter.mapFromSource(self.model.index_of(pid)).row() for pid in ids)
        selection = QItemSelection()
        start = previous = None
        for row in [r for r in rows if r >= 0] + [None]:  # one range per run of rows
            if start is not None and (row is None or row != previous + 1):
                selection.select(self.filter.index(start, 0), self.filter.index(previous, 0))
                start = None
            if row is not None and start is None:
                start = row
            previous = row
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        selection_model = self.view.selectionModel()
        current_index = self.filter.mapFromSource(self.model.index_of(current or (ids[0] if ids else "")))
        if current_index.isValid():
            selection_model.setCurrentIndex(current_index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(current_index)
        selection_model.select(selection, flags)

    def select_next(self, step: int = 1) -> bool:
        """Move the selection to the next photo in view (Ctrl+Enter in the inspector)."""
        index = self.view.currentIndex()
        row = (index.row() if index.isValid() else -1) + step
        if not 0 <= row < self.filter.rowCount():
            return False
        self.select_ids([self.model.photo_id(self.filter.mapToSource(self.filter.index(row, 0)).row())])
        return True
