"""Small widgets shared by the panes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from photostory.ui import mime

#: The colour of errors and missing files, wherever the editor shows them.
ERROR_COLOR = "#b91c1c"


def is_undo_key(event: QEvent) -> bool:
    return (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
            and (event.matches(QKeySequence.StandardKey.Undo)
                 or event.matches(QKeySequence.StandardKey.Redo)))


class LineEdit(QLineEdit):
    """A line edit that leaves Ctrl+Z to the story's undo stack (every keystroke is an edit)."""

    def event(self, event: QEvent) -> bool:
        if is_undo_key(event):
            event.ignore()
            return True
        return super().event(event)


class TextEdit(QPlainTextEdit):
    """Plain text for captions and paragraphs: Tab moves on, undo is the story's,
    and drops of photos or files are left to the pane underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)

    def event(self, event: QEvent) -> bool:
        if is_undo_key(event):
            event.ignore()
            return True
        return super().event(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if source.hasFormat(mime.PHOTO_IDS) or source.hasFormat(mime.BLOCK_ID) or source.hasUrls():
            return False
        return super().canInsertFromMimeData(source)

    def set_text_keeping_cursor(self, text: str) -> None:
        """Replace the text (undo/redo from elsewhere) without throwing the cursor to the start."""
        if self.toPlainText() == text:
            return
        position = self.textCursor().position()
        self.setPlainText(text)
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.setTextCursor(cursor)


class ElidedLabel(QLabel):
    """One line of text, shortened in the middle to fit; the full text is the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        """The whole text, as set before eliding."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(10, self.width())
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))


class ProblemLabel(QLabel):
    """Why a dialog cannot go on, in the error colour; hidden until there is a problem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setWordWrap(True)
        self.hide()

    def show_problem(self, message: str) -> None:
        self.setText(message)
        self.show()
