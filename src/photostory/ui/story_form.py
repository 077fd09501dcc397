"""The story's own fields: title, byline, dateline, date, language and default credit."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from photostory.core.edits import SetStoryFields
from photostory.core.story import StoryEvent, StoryEventKind
from photostory.ui.document import StoryDocument
from photostory.ui.widgets import LineEdit

LANGUAGES = (("en", "English (en)"), ("ru", "Russian (ru)"), ("kk", "Kazakh (kk)"))


class StoryForm(QWidget):
    def __init__(self, document: StoryDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._loading = False
        self.title = LineEdit()
        self.title.setPlaceholderText("Headline of the story")
        self.byline = LineEdit()
        self.byline.setPlaceholderText("Reporter's name")
        self.dateline = LineEdit()
        self.dateline.setPlaceholderText("Place, e.g. SARAN")
        self.published = LineEdit()
        self.published.setPlaceholderText("YYYY-MM-DD")
        self.published.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"^\d{0,4}(-\d{0,2}(-\d{0,2})?)?$"), self.published))
        self.published.setMaximumWidth(self.published.fontMetrics().horizontalAdvance("0000-00-00") + 28)
        self.language = QComboBox()
        self.language.setEditable(True)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setToolTip("The story's language (a BCP 47 tag such as en, ru or kk); "
                                 "it sets the credit prefix (Photo:, Фото:).")
        self.default_credit = LineEdit()
        self.default_credit.setPlaceholderText("Credit for photos that have none")

        self._edits: dict[str, LineEdit] = {
            "title": self.title, "byline": self.byline, "dateline": self.dateline,
            "published": self.published, "default_credit": self.default_credit,
        }
        for name, widget in self._edits.items():
            widget.setAccessibleName(name.replace("_", " ").capitalize())
            widget.textEdited.connect(lambda text, name=name: self._commit(name, text))
            widget.editingFinished.connect(document.seal_typing)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language.lineEdit().textEdited.connect(lambda text: self._commit_language(text))

        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

        def label(text: str, buddy: QWidget) -> QLabel:
            lab = QLabel(text)
            lab.setBuddy(buddy)
            lab.setAlignment(right)
            return lab

        grid.addWidget(label("&Title", self.title), 0, 0)
        grid.addWidget(self.title, 0, 1, 1, 3)
        grid.addWidget(label("&Byline", self.byline), 1, 0)
        grid.addWidget(self.byline, 1, 1)
        grid.addWidget(label("&Date", self.published), 1, 2)
        grid.addWidget(self.published, 1, 3)
        grid.addWidget(label("Date&line", self.dateline), 2, 0)
        grid.addWidget(self.dateline, 2, 1)
        grid.addWidget(label("&Language", self.language), 2, 2)
        grid.addWidget(self.language, 2, 3)
        grid.addWidget(label("Default &credit", self.default_credit), 3, 0)
        grid.addWidget(self.default_credit, 3, 1, 1, 3)
        grid.setColumnStretch(1, 1)

        document.story_event.connect(self._on_story_event)
        document.story_reset.connect(self.load)
        self.load()

    def load(self) -> None:
        story = self.document.story
        self._loading = True
        try:
            for name, widget in self._edits.items():
                value = getattr(story, name)
                if widget.text() != value:
                    position = widget.cursorPosition()
                    widget.setText(value)
                    if widget.hasFocus():
                        widget.setCursorPosition(min(position, len(value)))
            index = self.language.findData(story.language)
            if index >= 0:
                self.language.setCurrentIndex(index)
            else:
                self.language.setEditText(story.language)
        finally:
            self._loading = False

    def _commit(self, name: str, value: str) -> None:
        if self._loading:
            return
        story = self.document.story
        self.document.try_edit(lambda: SetStoryFields(story, {name: value}, typing=True))

    def _language_changed(self, index: int) -> None:
        code = self.language.itemData(index)
        if code and not self._loading:
            story = self.document.story
            self.document.try_edit(lambda: SetStoryFields(story, {"language": code},
                                                          "Set language"))

    def _commit_language(self, text: str) -> None:
        code = next((c for c, name in LANGUAGES if name == text), text.strip())
        if code and not self._loading:
            story = self.document.story
            self.document.try_edit(lambda: SetStoryFields(story, {"language": code},
                                                          "Set language", typing=True))

    def _on_story_event(self, event: StoryEvent) -> None:
        if event.kind == StoryEventKind.STORY_CHANGED:
            self.load()
