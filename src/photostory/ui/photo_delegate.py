"""Painting a tray cell: the thumbnail, never scaled (so never distorted), its badges
(cover, no caption, no alt, file missing) and its number and file name."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPalette, QPen,
                           QPixmap)
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from photostory.core.i18n import _
from photostory.ui.story_model import Role, State
from photostory.ui.thumbnails import TRAY_SIZE
from photostory.ui.widgets import ERROR_COLOR

PAD = 6
CELL = QSize(TRAY_SIZE + 2 * PAD, TRAY_SIZE + 2 * PAD + 22)  # the smallest cell; wider to fill rows
AMBER = QColor("#b45309")
SLATE = QColor("#475569")
TEAL = QColor("#0f766e")
RED = QColor(ERROR_COLOR)


class PhotoDelegate(QStyledItemDelegate):
    """A thumbnail, never scaled (so never distorted), with badges for what is missing.

    Painting runs for every visible cell on every repaint, on the GUI thread: fonts,
    badges and frames are made once and blitted, so a cell costs a few draw calls.
    """

    def __init__(self, parent: QListView) -> None:
        super().__init__(parent)
        self._font_key = ""
        self._font = QFont()
        self._metrics = QFontMetrics(self._font)
        self._cache: dict[tuple, QPixmap] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self.parent()
        return view.gridSize() if isinstance(view, QListView) and view.gridSize().isValid() else CELL

    def reset_fonts(self) -> None:
        """Called when the view's font or style changes."""
        self._font_key = ""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if not self._font_key:
            self._font_key = "set"
            self._font = QFont(option.font)
            self._font.setPointSizeF(option.font.pointSizeF() * 0.92)
            self._metrics = QFontMetrics(self._font)
            self._cache.clear()
        rect = option.rect
        palette = option.palette
        state_flags = option.state
        selected = bool(state_flags & QStyle.StateFlag.State_Selected)
        if selected:
            painter.drawPixmap(rect.topLeft(), self._frame(rect.size(), palette, True))
        elif state_flags & QStyle.StateFlag.State_MouseOver:
            painter.drawPixmap(rect.topLeft(), self._frame(rect.size(), palette, False))

        pixmap, state, number, name = index.data(Role.PAINT)
        box = QRect(rect.left() + (rect.width() - TRAY_SIZE) // 2, rect.top() + PAD, TRAY_SIZE, TRAY_SIZE)
        target = box
        if pixmap is not None and not pixmap.isNull():
            # Bottom-aligned, so every file name sits right under its photo.
            target = QRect(QPoint(0, 0), pixmap.deviceIndependentSize().toSize())
            target.moveCenter(box.center())
            target.moveBottom(box.bottom())
            painter.drawPixmap(target.topLeft(), pixmap)
        if state & (State.MISSING_FILE | State.UNREADABLE):
            painter.save()
            painter.setPen(QPen(RED, 1.5, Qt.PenStyle.DashLine))
            painter.drawRect(QRectF(target).adjusted(0.75, 0.75, -0.75, -0.75))
            painter.restore()
            pill = self._pill(_("File missing") if state & State.MISSING_FILE else _("Unreadable"), RED)
            centre = QRect(QPoint(0, 0), pill.deviceIndependentSize().toSize())
            centre.moveCenter(target.center())
            painter.drawPixmap(centre.topLeft(), pill)
        # Badges start at the photo's corner and wrap under each other when it is narrow
        # (portrait); they never leave the cell's thumbnail box.
        widest = round(self._pill(_("No caption"), AMBER).deviceIndependentSize().width())
        start = max(box.left(), min(target.left() + 4, box.right() - 4 - widest))
        x, y = start, target.top() + 4
        for text, color, flag in ((_("Cover"), TEAL, State.COVER),
                                  (_("No caption"), AMBER, State.NEEDS_CAPTION),
                                  (_("No alt"), SLATE, State.NEEDS_ALT)):
            if state & flag:
                pill = self._pill(text, color)
                size = pill.deviceIndependentSize().toSize()
                if x > start and x + size.width() > max(target.right(), start + size.width()):
                    x, y = start, y + size.height() + 2
                painter.drawPixmap(x, y, pill)
                x += size.width() + 3

        text_rect = QRect(rect.left() + PAD, box.bottom() + 5, rect.width() - 2 * PAD,
                          self._metrics.height())
        if state & State.PLACED:  # "shown in the article"; the tray's hint line explains the dot
            painter.drawPixmap(text_rect.right() - 8, text_rect.center().y() - 4, self._dot(palette))
            text_rect.setRight(text_rect.right() - 14)
        painter.setFont(self._font)
        painter.setPen(palette.color(QPalette.ColorRole.Text if selected
                                     else QPalette.ColorRole.PlaceholderText))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
                         self._metrics.elidedText(f"{number}  {name}", Qt.TextElideMode.ElideMiddle,
                                                  text_rect.width()))

    # -- cached pieces ---------------------------------------------------------------------
    def _frame(self, size: QSize, palette: QPalette, selected: bool) -> QPixmap:
        highlight = palette.color(QPalette.ColorRole.Highlight)
        key = ("frame", size.width(), size.height(), selected, highlight.rgba())
        pixmap = self._cache.get(key)
        if pixmap is None:
            pixmap = _canvas(size)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            fill = QColor(highlight) if selected else QColor(0, 0, 0, 14)
            if selected:
                fill.setAlpha(45)
                painter.setPen(QPen(highlight, 1.5))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(0, 0, size.width(), size.height()).adjusted(2, 2, -2, -2), 6, 6)
            painter.end()
            self._cache[key] = pixmap
        return pixmap

    def _pill(self, text: str, color: QColor) -> QPixmap:
        key = ("pill", text, color.rgba())
        pixmap = self._cache.get(key)
        if pixmap is None:
            font = QFont(self._font)
            font.setPointSizeF(max(7.0, self._font.pointSizeF() * 0.88))
            font.setBold(True)
            metrics = QFontMetrics(font)
            size = QSize(metrics.horizontalAdvance(text) + 10, metrics.height() + 2)
            pixmap = _canvas(size)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            radius = size.height() / 2
            painter.drawRoundedRect(QRectF(0, 0, size.width(), size.height()), radius, radius)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(QRect(QPoint(0, 0), size), Qt.AlignmentFlag.AlignCenter, text)
            painter.end()
            self._cache[key] = pixmap
        return pixmap

    def _dot(self, palette: QPalette) -> QPixmap:
        color = palette.color(QPalette.ColorRole.Highlight)
        key = ("dot", color.rgba())
        pixmap = self._cache.get(key)
        if pixmap is None:
            pixmap = _canvas(QSize(8, 8))
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawEllipse(QRectF(0, 0, 8, 8))
            painter.end()
            self._cache[key] = pixmap
        return pixmap


def _canvas(size: QSize) -> QPixmap:
    """A transparent pixmap of ``size`` logical pixels, sharp on high-DPI screens."""
    app = QGuiApplication.instance()
    dpr = app.devicePixelRatio() if app is not None else 1.0
    pixmap = QPixmap(size * dpr)
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def pill(painter: QPainter, text: str, color: QColor, at: QPoint) -> None:
    """A small rounded label (used on drag pixmaps)."""
    font = QFont(painter.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    rect = QRect(at, QSize(metrics.horizontalAdvance(text) + 10, metrics.height() + 2))
    painter.save()
    painter.setFont(font)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(rect), rect.height() / 2, rect.height() / 2)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
