"""The article's blocks as widgets: a paragraph editor and a photo-group strip."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QFrame, QMenu, QSizePolicy, QTextEdit

from photostory.core.layout import group_layout
from photostory.core.story import Photo
from photostory.core.i18n import N_, _, ngettext
from photostory.ui import mime
from photostory.ui.thumbnails import ThumbnailCache
from photostory.ui.widgets import ERROR_COLOR, is_undo_key

ROW_HEIGHT = {1: 150, 2: 108, 3: 96}
GRID_ROW_HEIGHT = 80
GRIP = 14
LAYOUT_NAMES = {"single": N_("full width"), "row": N_("in a row"), "grid": N_("as a grid")}


class ParagraphEdit(QTextEdit):
    """One paragraph, as tall as its text. It says what the user did; the article acts."""

    text_edited = Signal(str, str)  # block id, the paragraph's new text
    left = Signal()  # focus left the paragraph: the end of one typing step
    insert_below_requested = Signal(str)  # block id
    delete_requested = Signal(str)  # block id

    def __init__(self, block_id: str, text: str) -> None:
        super().__init__()
        self.block_id = block_id
        self._loading = False
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setPlaceholderText(_("Write the paragraph…"))
        self.setAccessibleName(_("Paragraph"))
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.set_text(text)
        self.textChanged.connect(self._typed)

    def set_text(self, text: str) -> None:
        if self.toPlainText() == text:
            return
        self._loading = True
        position = self.textCursor().position()
        self.setPlainText(text)
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.setTextCursor(cursor)
        self._loading = False
        self._fit()

    def _typed(self) -> None:
        if not self._loading:
            self.text_edited.emit(self.block_id, self.toPlainText())

    def _fit(self, *_args: object) -> None:
        height = self.document().size().height() + 2 * self.frameWidth() + 2
        self.setFixedHeight(max(int(height), self.fontMetrics().lineSpacing() + 12))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        if is_undo_key(event):
            event.ignore()
            return True
        if event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        return super().event(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        # Photos and groups dropped here belong to the article around the paragraph.
        if source.hasFormat(mime.PHOTO_IDS) or source.hasFormat(mime.BLOCK_ID) or source.hasUrls():
            return False
        return super().canInsertFromMimeData(source)

    def context_menu(self) -> QMenu:
        """Qt's cut, copy and paste, then the paragraph's own commands."""
        menu = self.createStandardContextMenu()
        for action in menu.actions():  # the story's undo stack owns undo; by name, in any language
            if action.objectName() in ("edit-undo", "edit-redo"):
                action.setVisible(False)
        menu.addSeparator()
        menu.addAction(_("Insert Paragraph Below"), lambda: self.insert_below_requested.emit(self.block_id))
        menu.addAction(_("Delete Paragraph"), lambda: self.delete_requested.emit(self.block_id))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()  # a new one each time: Qt's part follows the selection


class GroupStrip(QFrame):
    """A photo group: its thumbnails laid out in rows, a grip to drag it by.

    ``is_missing(photo id)`` answers from the state the editor already keeps, so painting
    never touches the disk.
    """

    photo_clicked = Signal(str)
    remove_photo_requested = Signal(str, str)  # group id, photo id
    remove_group_requested = Signal(str)  # group id

    def __init__(self, group_id: str, thumbnails: ThumbnailCache | None,
                 is_missing: Callable[[str], bool]) -> None:
        super().__init__()
        self.thumbnails = thumbnails
        self.is_missing = is_missing
        self.group_id = group_id
        self.photos: list[Photo] = []
        self.selected = ""
        self.drop_into = False
        self._press: QPoint | None = None
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAcceptDrops(False)  # drops go to the article underneath, which knows the gaps
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setToolTip(_("Drag the grip to move this group; right-click a photo to take it out."))

    def set_photos(self, photos: Sequence[Photo]) -> None:
        self.photos = list(photos)
        if self.selected not in {p.id for p in self.photos}:
            self.selected = ""
        self.updateGeometry()
        self.update()

    # -- geometry ------------------------------------------------------------------------
    def _header_height(self) -> int:
        return QFontMetrics(self._small_font()).height() + 4

    def _small_font(self) -> QFont:
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        return font

    def _row_height(self) -> int:
        return ROW_HEIGHT.get(len(self.photos), GRID_ROW_HEIGHT)

    def chip_rects(self, width: int | None = None) -> list[tuple[Photo, QRect]]:
        """Where each photo is drawn: rows of equal height, aspect ratios kept."""
        width = self.width() if width is None else width
        left = 8 + GRIP + 8
        avail = max(40, width - left - 8)
        height = self._row_height()
        x, y = left, 6 + self._header_height()
        rects: list[tuple[Photo, QRect]] = []
        for photo in self.photos:
            w = min(avail, max(24, round(height * self._aspect(photo))))
            if x > left and x + w > left + avail:
                x, y = left, y + height + 6
            rects.append((photo, QRect(x, y, w, height)))
            x += w + 6
        return rects

    def _aspect(self, photo: Photo) -> float:
        if self.thumbnails is not None and not self.is_missing(photo.id):
            pixmap: QPixmap | None = self.thumbnails.pixmap(photo, urgent=False)
            if pixmap is not None and pixmap.height():
                return pixmap.width() / pixmap.height()
        if photo.width > 0 and photo.height > 0:
            return photo.width / photo.height
        return 4 / 3

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects = self.chip_rects(width)
        bottom = max((r.bottom() for _photo, r in rects), default=6 + self._header_height() + self._row_height())
        return bottom + 9

    def sizeHint(self) -> QSize:
        return QSize(400, self.heightForWidth(400))

    def photo_at(self, pos: QPoint) -> str:
        for photo, rect in self.chip_rects():
            if rect.contains(pos):
                return photo.id
        return ""

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        palette = self.palette()
        highlight = palette.color(QPalette.ColorRole.Highlight)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(QPen(highlight, 2) if self.drop_into
                       else QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawRoundedRect(frame, 6, 6)
        # Grip: two columns of dots, the handle to drag the group by.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.PlaceholderText))
        middle = self.height() // 2
        for dy in (-8, -3, 2, 7):
            for dx in (0, 5):
                painter.drawEllipse(QPointF(8 + 3 + dx, middle + dy), 1.5, 1.5)
        count = len(self.photos)
        label = ngettext("{count} photo, {layout}", "{count} photos, {layout}", count).format(
            count=count, layout=_(LAYOUT_NAMES[group_layout(count)]))
        painter.setFont(self._small_font())
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(QRect(8 + GRIP + 8, 4, self.width() - 40, self._header_height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        for photo, rect in self.chip_rects():
            missing = self.is_missing(photo.id)
            pixmap = self.thumbnails.pixmap(photo) if self.thumbnails is not None and not missing else None
            if pixmap is not None:
                painter.drawPixmap(QRectF(rect), pixmap, QRectF(pixmap.rect()))
            else:
                painter.setPen(QPen(QColor(ERROR_COLOR), 1, Qt.PenStyle.DashLine)
                               if missing else Qt.PenStyle.NoPen)
                painter.setBrush(QColor(0, 0, 0, 28))
                painter.drawRect(QRectF(rect))
            if photo.id == self.selected:
                painter.setPen(QPen(highlight, 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(rect).adjusted(-1.5, -1.5, 1.5, 1.5))

    # -- interaction -----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            photo_id = self.photo_at(self._press)
            if photo_id:
                self.selected = photo_id
                self.update()
                self.photo_clicked.emit(photo_id)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        photo_id = self.photo_at(self._press)
        drag = QDrag(self)
        if photo_id:  # one photo: place it elsewhere (it leaves this group)
            drag.setMimeData(mime.photo_ids_mime([photo_id]))
        else:  # the grip or the frame: the whole group
            drag.setMimeData(mime.block_id_mime(self.group_id))
        drag.setPixmap(self.grab().scaledToWidth(min(240, self.width()),
                                                 Qt.TransformationMode.SmoothTransformation))
        self._press = None
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        # Delete acts on the selected photo here, not on the window's "Remove from Story".
        if (event.type() == QEvent.Type.ShortcutOverride and self.selected
                and isinstance(event, QKeyEvent) and _is_delete(event)):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.selected and _is_delete(event):
            self.remove_photo_requested.emit(self.group_id, self.selected)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        photo_id = self.photo_at(event.pos())
        menu = QMenu(self)
        if photo_id:
            self.selected = photo_id
            self.update()
            menu.addAction(_("Remove Photo from Article"),
                           lambda: self.remove_photo_requested.emit(self.group_id, photo_id))
            menu.addAction(_("Show in Tray"), lambda: self.photo_clicked.emit(photo_id))
            menu.addSeparator()
        menu.addAction(_("Remove Group from Article"),
                       lambda: self.remove_group_requested.emit(self.group_id))
        menu.exec(event.globalPos())


def _is_delete(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace
