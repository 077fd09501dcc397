"""The story pane: version tabs, the story form, and the shown version's article:
paragraphs (editable) and photo groups, in reading order.

Photos dragged from the tray drop into the gap between two blocks (a line shows
where) and become a new group there, or onto a group to join it; a group dragged by
its grip moves to another gap. Every change is a core body edit of the version shown
(``core/version_fields``) on the undo stack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent,
                           QKeySequence, QPainter, QPaintEvent, QPalette, QPen, QShortcut)
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from photostory.core.i18n import _
from photostory.core.edits import (SetBody, add_to_group, insert_paragraph, move_block, place_photos,
                                   remove_block, remove_from_group)
from photostory.core.story import (Block, Paragraph, PhotoGroup, Story, StoryEvent, StoryEventKind,
                                   copy_body)
from photostory.core.version_fields import body_edit, body_of, is_source, paragraph_edit
from photostory.ui import mime
from photostory.ui.article_blocks import GroupStrip, ParagraphEdit
from photostory.ui.document import StoryDocument
from photostory.ui.story_form import StoryForm
from photostory.ui.thumbnails import ThumbnailCache
from photostory.ui.version_tabs import VersionTabs

SPACING = 14  # between blocks: room for the drop line


class ArticleBody(QWidget):
    """Holds the blocks and handles drops into the gaps between them."""

    def __init__(self, pane: "ArticleView") -> None:
        super().__init__()
        self.pane = pane
        self.setAcceptDrops(True)
        self.blocks: list[QWidget] = []
        self.drop_gap = -1  # where the drop line is drawn (-1: none)
        self.drop_group = ""  # a group highlighted as the drop target
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, SPACING, 10, SPACING)
        self.layout_.setSpacing(SPACING)
        self.empty = QLabel(_("No article yet. Paste one (Ctrl+Shift+V, or Ctrl+V here), choose "
                            "Import Article… or Add Paragraph, then drag photos here from the tray."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty.setMinimumHeight(120)
        self.layout_.addWidget(self.empty)
        self.layout_.addStretch(1)

    def set_blocks(self, widgets: list[QWidget]) -> None:
        while self.layout_.count():
            self.layout_.takeAt(0)
        # Qt lays the whole column out again for every child shown into a visible parent:
        # with the layout off while the blocks are shown, a long article is laid out once
        # rather than once per paragraph (N^2 moves, minutes for a few thousand).
        self.layout_.setEnabled(False)
        try:
            for widget in widgets:
                self.layout_.addWidget(widget)
                if self.isVisible():
                    widget.show()
        finally:
            self.layout_.setEnabled(True)
        self.empty.setVisible(not widgets)
        if not widgets:
            self.layout_.addWidget(self.empty)
        self.layout_.addStretch(1)
        self.blocks = widgets

    # -- where a drop goes ---------------------------------------------------------------------
    def target_at(self, pos: QPoint, photos: bool) -> tuple[int, str]:
        """(gap, "") for a gap, or (-1, group id) when photos would join a group."""
        y = pos.y()
        for index, widget in enumerate(self.blocks):
            geo = widget.geometry()
            if isinstance(widget, GroupStrip) and photos:
                quarter = geo.height() // 4
                if y < geo.top() + quarter:
                    return index, ""
                if y <= geo.bottom() - quarter:
                    return -1, widget.group_id
            elif y < geo.center().y():
                return index, ""
        return len(self.blocks), ""

    def gap_y(self, gap: int) -> int:
        if not self.blocks:
            return SPACING // 2
        if gap <= 0:
            return self.blocks[0].geometry().top() - SPACING // 2
        if gap >= len(self.blocks):
            return self.blocks[-1].geometry().bottom() + SPACING // 2 + 1
        return (self.blocks[gap - 1].geometry().bottom() + self.blocks[gap].geometry().top()) // 2 + 1

    def gap_point(self, gap: int) -> QPoint:
        """A point inside the gap ``gap`` (for tests and keyboard placement)."""
        return QPoint(self.width() // 2, self.gap_y(gap))

    def _kind(self, data: QMimeData) -> str:
        if mime.photo_ids(data):
            return "photos"
        if mime.block_id(data):
            return "block"
        return ""

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._kind(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        kind = self._kind(event.mimeData())
        if not kind:
            event.ignore()
            return
        gap, group = self.target_at(event.position().toPoint(), kind == "photos")
        self._show_target(gap, group)
        self.pane.autoscroll(self.mapTo(self.pane.scroll, event.position().toPoint()))
        event.setDropAction(Qt.DropAction.CopyAction if kind == "photos" else Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._show_target(-1, "")

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        kind = self._kind(data)
        gap, group = self.target_at(event.position().toPoint(), kind == "photos")
        self._show_target(-1, "")
        done = False
        if kind == "photos":
            ids = mime.photo_ids(data)
            done = self.pane.add_to_group(group, ids) if group else self.pane.place(ids, gap)
        elif kind == "block":
            done = self.pane.move_block(mime.block_id(data), gap)
        if done:
            event.setDropAction(Qt.DropAction.CopyAction if kind == "photos" else Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def _show_target(self, gap: int, group: str) -> None:
        if (gap, group) == (self.drop_gap, self.drop_group):
            return
        self.drop_gap, self.drop_group = gap, group
        for widget in self.blocks:
            if isinstance(widget, GroupStrip):
                widget.drop_into = widget.group_id == group
                widget.update()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.drop_gap < 0:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = self.palette().color(QPalette.ColorRole.Highlight)
        y = self.gap_y(self.drop_gap)
        painter.setPen(QPen(color, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(16, y, self.width() - 16, y)
        painter.setBrush(color)
        painter.drawEllipse(QPointF(13, y), 4, 4)


class ArticleView(QWidget):
    """The story pane: story fields, the article's blocks, and its credit line."""

    photo_clicked = Signal(str)
    import_article_requested = Signal()
    paste_article_requested = Signal()

    def __init__(self, document: StoryDocument, thumbnails: ThumbnailCache | None,
                 is_missing: Callable[[str], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.thumbnails = thumbnails
        # The editor's missing-file state (photo id -> bool); painting never asks the disk.
        self.is_missing = is_missing or (lambda photo_id: False)
        self.versions = VersionTabs(document)
        self.form = StoryForm(document)
        self.body = ArticleBody(self)
        # An empty article takes a paste as a whole article (the paragraphs, when there
        # are some, take a paste as text).
        self.body.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.body.setAccessibleName(_("Article"))
        paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self.body)
        paste.setContext(Qt.ShortcutContext.WidgetShortcut)
        paste.activated.connect(self._paste_into_empty)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.body)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setBackgroundRole(QPalette.ColorRole.Base)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._widgets: dict[str, QWidget] = {}
        self._shown: list[Block] = []

        heading = QLabel(_("Article"))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.import_button = QPushButton(_("Import Article…"))
        self.import_button.clicked.connect(self.import_article_requested)
        self.add_button = QPushButton(_("Add Paragraph"))
        self.add_button.clicked.connect(self.add_paragraph)
        bar = QHBoxLayout()
        bar.setContentsMargins(10, 4, 10, 0)
        bar.addWidget(heading)
        bar.addStretch(1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.import_button)
        self.credit_line = QLabel()
        self.credit_line.setContentsMargins(10, 2, 10, 6)
        self.credit_line.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.versions)
        layout.addWidget(self.form)
        layout.addWidget(line)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.credit_line)

        document.story_event.connect(self._on_story_event)
        document.story_reset.connect(self.rebuild)
        document.version_changed.connect(lambda _tag: self.rebuild())
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_thumbnail)
        self.rebuild()

    # -- mirror of story.body -----------------------------------------------------------
    def rebuild(self) -> None:
        story = self.document.story
        wanted: dict[str, QWidget] = {}
        body = body_of(story, self.document.version)
        self._shown = copy_body(body)  # what the widgets show, to tell what changes
        for block in body:
            widget = self._widgets.get(block.id)
            if isinstance(block, Paragraph):
                if not isinstance(widget, ParagraphEdit):
                    widget = self._paragraph_widget(block.id, block.text)
                widget.set_text(block.text)
            else:
                if not isinstance(widget, GroupStrip):
                    widget = self._group_widget(block.id)
                widget.set_photos([story.photo(pid) for pid in block.photo_ids])
            wanted[block.id] = widget
        for block_id, widget in self._widgets.items():
            if block_id not in wanted:
                widget.hide()
                widget.deleteLater()
        self._widgets = wanted
        self.body.set_blocks(list(wanted.values()))
        self._update_credit_line()

    def _paragraph_widget(self, block_id: str, text: str) -> ParagraphEdit:
        widget = ParagraphEdit(block_id, text)
        widget.text_edited.connect(self.set_paragraph_text)
        widget.left.connect(self.document.seal_typing)
        widget.insert_below_requested.connect(self.insert_paragraph_after)
        widget.delete_requested.connect(self.remove_block)
        return widget

    def _group_widget(self, group_id: str) -> GroupStrip:
        widget = GroupStrip(group_id, self.thumbnails, self.is_missing)
        widget.photo_clicked.connect(self.photo_clicked)
        widget.remove_photo_requested.connect(self.remove_from_group)
        widget.remove_group_requested.connect(self.remove_block)
        return widget

    def block_widget(self, block_id: str) -> QWidget | None:
        return self._widgets.get(block_id)

    def _on_story_event(self, event: StoryEvent) -> None:
        kind = event.kind
        source = is_source(self.document.story, self.document.version)
        if kind == StoryEventKind.VERSIONS_CHANGED:
            if self.document.version in event.names:
                # A caption typed in this version changes no block: no relayout for it.
                if self._body() != self._shown:
                    self.rebuild()  # widgets are kept by block id: typing keeps its cursor
                self._update_credit_line()
        elif kind == StoryEventKind.BODY_CHANGED and source:
            if event.ids and all(isinstance(self._widgets.get(i), ParagraphEdit) for i in event.ids):
                story = self.document.story
                texts = {b.id: b.text for b in story.paragraphs()}
                for block_id in event.ids:
                    widget = self._widgets[block_id]
                    assert isinstance(widget, ParagraphEdit)
                    widget.set_text(texts.get(block_id, ""))
            else:
                self.rebuild()
        elif kind == StoryEventKind.PHOTOS_CHANGED:
            # Strips show pictures only: typing a caption must not relayout the article.
            if {"path", "width", "height", "orientation"} & set(event.names):
                changed = set(event.ids)
                for widget in self.body.blocks:
                    if isinstance(widget, GroupStrip) and changed & {p.id for p in widget.photos}:
                        widget.set_photos(widget.photos)
            if "credit" in event.names:
                self._update_credit_line()
        elif kind in (StoryEventKind.PHOTOS_INSERTED, StoryEventKind.PHOTOS_REMOVED):
            self._update_credit_line()  # group changes arrive as BODY_CHANGED
        elif kind == StoryEventKind.STORY_CHANGED:
            self._update_credit_line()

    def _update_credit_line(self) -> None:
        story = self.document.story
        shared = story.shared_credit()
        if not story.photos:
            self.credit_line.setText("")
        elif shared:  # with the shown version's prefix ("Фото:")
            line = story.version(self.document.version).credit_line(shared)
            self.credit_line.setText(_("Credit line: {credit}").format(credit=line))
        else:
            self.credit_line.setText(_("Credit line: each photo shows its own credit."))

    def _on_thumbnail(self, photo_id: str) -> None:
        for widget in self.body.blocks:
            if isinstance(widget, GroupStrip) and any(p.id == photo_id for p in widget.photos):
                widget.update()

    def autoscroll(self, pos: QPoint) -> None:
        bar = self.scroll.verticalScrollBar()
        if pos.y() < 30:
            bar.setValue(bar.value() - 16)
        elif pos.y() > self.scroll.viewport().height() - 30:
            bar.setValue(bar.value() + 16)

    # -- edits of the version shown ---------------------------------------------------------
    def _body(self) -> list[Block]:
        return body_of(self.document.story, self.document.version)

    def _edit_body(self, build: Callable[[Story], SetBody]) -> bool:
        story, tag = self.document.story, self.document.version
        return self.document.try_edit(lambda: body_edit(story, tag, build))

    def set_paragraph_text(self, block_id: str, text: str) -> bool:
        story, tag = self.document.story, self.document.version
        return self.document.try_edit(lambda: paragraph_edit(story, tag, block_id, text))

    def place(self, ids: Sequence[str], gap: int) -> bool:
        known = [pid for pid in ids if any(p.id == pid for p in self.document.story.photos)]
        return bool(known) and self._edit_body(lambda story: place_photos(story, known, gap))

    def add_to_group(self, group_id: str, ids: Sequence[str]) -> bool:
        return self._edit_body(lambda story: add_to_group(story, group_id, ids))

    def move_block(self, block_id: str, gap: int) -> bool:
        if not any(b.id == block_id for b in self._body()):
            return False
        return self._edit_body(lambda story: move_block(story, block_id, gap))

    def remove_from_group(self, group_id: str, photo_id: str) -> bool:
        return self._edit_body(lambda story: remove_from_group(story, group_id, photo_id))

    def remove_block(self, block_id: str) -> bool:
        return self._edit_body(lambda story: remove_block(story, block_id))

    def add_paragraph(self) -> None:
        end = len(self._body())
        self._edit_body(lambda story: insert_paragraph(story, end))
        self._focus_new_paragraph(len(self._body()) - 1)

    def insert_paragraph_after(self, block_id: str) -> None:
        index = next(i for i, b in enumerate(self._body()) if b.id == block_id)
        self._edit_body(lambda story: insert_paragraph(story, index + 1))
        self._focus_new_paragraph(index + 1)

    def _focus_new_paragraph(self, index: int) -> None:
        body = self._body()
        if 0 <= index < len(body):
            widget = self._widgets.get(body[index].id)
            if widget is not None:
                widget.setFocus()
                self.scroll.ensureWidgetVisible(widget)

    def _paste_into_empty(self) -> None:
        if not self._body():
            self.paste_article_requested.emit()

    def group_ids(self) -> list[str]:
        return [b.id for b in self._body() if isinstance(b, PhotoGroup)]
