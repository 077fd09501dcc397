"""The story form: the shown version's title, byline and dateline, and the fields every
version shares (date, the source version's language, default credit)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from photostory.core.i18n import N_, _, sentence_start
from photostory.core.edits import SetStoryFields
from photostory.core.published import could_become_published, normalise_published
from photostory.core.story import VERSION_TEXT_FIELDS, StoryEvent, StoryEventKind
from photostory.core.version_fields import is_source, set_text_edit, version_text
from photostory.errors import LanguageError
from photostory.ui.document import StoryDocument
from photostory.ui.widgets import LineEdit, ProblemLabel

# Marked for the catalogue; translated where shown and where typed text is matched.
LANGUAGES = (("en", N_("English (en)")), ("ru", N_("Russian (ru)")), ("kk", N_("Kazakh (kk)")))


class StoryForm(QWidget):
    def __init__(self, document: StoryDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._loading = False
        self.title = LineEdit()
        self.title.setPlaceholderText(_("Headline of the story"))
        self.byline = LineEdit()
        self.byline.setPlaceholderText(_("Reporter's name"))
        self.dateline = LineEdit()
        self.dateline.setPlaceholderText(_("Place, e.g. SARAN"))
        self.published = LineEdit()
        # Translators: the date pattern, in the letters the tooltip and the errors use.
        self.published.setPlaceholderText(_("YYYY-MM-DD"))
        self.published.setToolTip(_("The story's date: YYYY-MM-DD, or with the time "
                                  "YYYY-MM-DDTHH:MM (2022-10-05T15:44)"))
        self.published.setMaximumWidth(
            self.published.fontMetrics().horizontalAdvance("0000-00-00T00:00") + 28)
        self.problem = ProblemLabel()
        self.problem.setAccessibleName(_("Problem with the story's fields"))
        self.language = QComboBox()
        self.language.setEditable(True)
        for code, name in LANGUAGES:
            self.language.addItem(_(name), code)
        self.default_credit = LineEdit()
        self.default_credit.setPlaceholderText(_("Credit for photos that have none"))

        self._edits: dict[str, LineEdit] = {
            "title": self.title, "byline": self.byline, "dateline": self.dateline,
            "published": self.published, "default_credit": self.default_credit,
        }
        for name, widget in self._edits.items():
            widget.setAccessibleName(name.replace("_", " ").capitalize())
            widget.textEdited.connect(lambda text, name=name: self._commit(name, text))
            widget.editingFinished.connect(document.seal_typing)
        self.published.editingFinished.connect(self._date_finished)
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

        grid.addWidget(label(_("&Title"), self.title), 0, 0)
        grid.addWidget(self.title, 0, 1, 1, 3)
        grid.addWidget(label(_("&Byline"), self.byline), 1, 0)
        grid.addWidget(self.byline, 1, 1)
        grid.addWidget(label(_("&Date"), self.published), 1, 2)
        grid.addWidget(self.published, 1, 3)
        grid.addWidget(label(_("Date&line"), self.dateline), 2, 0)
        grid.addWidget(self.dateline, 2, 1)
        grid.addWidget(label(_("&Language"), self.language), 2, 2)
        grid.addWidget(self.language, 2, 3)
        grid.addWidget(self.problem, 3, 1, 1, 3)
        grid.addWidget(label(_("Default &credit"), self.default_credit), 4, 0)
        grid.addWidget(self.default_credit, 4, 1, 1, 3)
        grid.setColumnStretch(1, 1)

        document.story_event.connect(self._on_story_event)
        document.story_reset.connect(self.load)
        document.version_changed.connect(lambda _tag: self.load())
        self.load()

    def load(self) -> None:
        story = self.document.story
        tag = self.document.version
        self._loading = True
        try:
            for name, widget in self._edits.items():
                value = (version_text(story, tag, name) if name in VERSION_TEXT_FIELDS
                         else getattr(story, name))
                if widget.text() != value:
                    if widget is self.published:
                        self.problem.hide()  # what was wrong is no longer shown
                    position = widget.cursorPosition()
                    widget.setText(value)
                    if widget.hasFocus():
                        widget.setCursorPosition(min(position, len(value)))
                    else:  # a title longer than its field shows its start, not its end
                        widget.setCursorPosition(0)
            # The language is the source version's; another version's tag is its own.
            source = is_source(story, tag)
            self.language.setEnabled(source)
            if source:
                self.language.setToolTip(_("The source version's language (a BCP 47 tag such as "
                                         "en, ru or kk); it sets the credit prefix (Photo:, Фото:)."))
            else:
                self.language.setToolTip(_("This version is in {language}; the story's source version "
                                         "is in {source}.")
                                         .format(language=tag, source=story.language))
            index = self.language.findData(tag)
            if index >= 0:
                self.language.setCurrentIndex(index)
            else:
                self.language.setEditText(tag)
        finally:
            self._loading = False

    def _commit(self, name: str, value: str) -> None:
        if self._loading:
            return
        story = self.document.story
        if name in VERSION_TEXT_FIELDS:
            tag = self.document.version
            self.document.try_edit(lambda: set_text_edit(story, tag, {name: value}, typing=True))
            return
        if name == "published":
            try:
                value = normalise_published(value)
            except ValueError as exc:
                # Half a date is not wrong yet; a finished wrong one is said at once.
                if could_become_published(value):
                    self.problem.hide()
                else:
                    self.problem.show_problem(str(exc))
                return
            self.problem.hide()
        self.document.try_edit(lambda: SetStoryFields(story, {name: value}, typing=True))

    def _date_finished(self) -> None:
        """Leaving the date: what is there must be a date (the story keeps its last one)."""
        try:
            normalise_published(self.published.text())
        except ValueError as exc:
            self.problem.show_problem(
                _("{problem} The story keeps {date}.").format(
                    problem=exc, date=self.document.story.published or _("no date")))

    def _language_changed(self, index: int) -> None:
        code = self.language.itemData(index)
        if code and not self._loading:
            self._set_language(code, typing=False)

    def _commit_language(self, text: str) -> None:
        code = next((c for c, name in LANGUAGES if _(name) == text), text.strip())
        if code and not self._loading:
            self._set_language(code, typing=True)

    def _set_language(self, code: str, typing: bool) -> None:
        story = self.document.story
        try:
            self.document.try_edit(lambda: SetStoryFields(story, {"language": code},
                                                          _("Set language"), typing=typing))
        except LanguageError as exc:  # another version has that language
            message = str(exc)
            self.load()
            self.problem.show_problem(sentence_start(message))
            return
        self.problem.hide()

    def _on_story_event(self, event: StoryEvent) -> None:
        if event.kind == StoryEventKind.STORY_CHANGED or (
                event.kind == StoryEventKind.VERSIONS_CHANGED
                and self.document.version in event.names):
            self.load()
