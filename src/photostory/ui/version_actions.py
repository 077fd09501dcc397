"""The Story menu's language-version commands: Add Language Version… (empty, from an
article file or from the clipboard), Derive Latin-script Kazakh, Remove Language Version…,
each one undo step, and the dialog that asks for a new version's tag and text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QMenu, QMenuBar, QRadioButton, QVBoxLayout, QWidget)

from photostory.core.i18n import _, ngettext
from photostory.core import article as article_mod
from photostory.core.article import Article
from photostory.core.article_to_version import article_change
from photostory.core.derive import derive, deriver
from photostory.core.edits import Edit
from photostory.core.languages import language_tag
from photostory.core.story import PhotoGroup, Story, StoryEventKind, Translation, copy_body
from photostory.core.version_edits import AddVersion, RemoveVersion
from photostory.errors import LanguageError, PhotostoryError
from photostory.ui import dialogs
from photostory.ui.article_actions import clipboard_article
from photostory.ui.document import DocumentCommands, StoryDocument
from photostory.ui.status import StatusBar
from photostory.ui.version_tabs import version_label
from photostory.ui.widgets import ProblemLabel

LATIN_KAZAKH = "kk-Latn"
SUGGESTED = ("kk", "ru", "en", "zh", "uz", LATIN_KAZAKH)
EMPTY, FILE, CLIPBOARD = "empty", "file", "clipboard"


def new_version_tag(story: Story, text: str) -> str:
    """``text`` as the tag of a version the story does not have yet; LanguageError
    saying why not."""
    tag = language_tag(text)
    if tag in story.versions():
        raise LanguageError(_("The story already has the {version} version.")
                            .format(version=version_label(tag)),
                            _("Choose it in the version tabs, or remove it first."))
    return tag


def kazakh_source(story: Story) -> str | None:
    """The version Latin-script Kazakh is derived from (the Cyrillic Kazakh one), if any."""
    for tag in story.versions():
        try:
            deriver(tag, LATIN_KAZAKH)
        except LanguageError:
            continue
        return tag
    return None


@dataclass(frozen=True)
class NewVersion:
    tag: str
    source: str  # EMPTY, FILE or CLIPBOARD


class NewVersionDialog(QDialog):
    """Asks for the new version's language tag and where its text comes from; a bad or
    taken tag is said under the field and the dialog stays open."""

    def __init__(self, story: Story, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.story = story
        self.setWindowTitle(_("Add Language Version"))
        self.tag = QComboBox()
        self.tag.setEditable(True)
        self.tag.addItems([t for t in SUGGESTED if t not in story.versions()])
        self.tag.setAccessibleName(_("Language tag"))
        self.tag.setToolTip(_("A BCP 47 language tag: kk, ru, en, zh, uz, kk-Latn …"))
        self.name = QLabel()
        self.tag.editTextChanged.connect(self._show_name)
        self.sources = QButtonGroup(self)
        choices = ((EMPTY, _("Empty: the source version's photo groups, no text yet")),
                   (FILE, _("From an article file…")),
                   (CLIPBOARD, _("From the clipboard (an article, or a page copied from a browser)")))
        source_box = QVBoxLayout()
        for number, (key, text) in enumerate(choices):
            button = QRadioButton(text)
            button.setProperty("source", key)
            self.sources.addButton(button, number)
            source_box.addWidget(button)
        self.sources.button(0).setChecked(True)
        self.problem = ProblemLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add Version"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("&Language tag"), self.tag)
        form.addRow("", self.name)
        form.addRow(_("Text"), source_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._show_name(self.tag.currentText())
        self.result_: NewVersion | None = None

    def _show_name(self, text: str) -> None:
        self.problem.hide()
        try:
            self.name.setText(version_label(language_tag(text)))
        except LanguageError:
            self.name.setText("")

    def accept(self) -> None:
        try:
            tag = new_version_tag(self.story, self.tag.currentText())
        except LanguageError as exc:
            self.problem.show_problem(str(exc))
            return
        self.result_ = NewVersion(tag, self.sources.checkedButton().property("source"))
        super().accept()


def ask_new_version(parent: QWidget, story: Story) -> NewVersion | None:
    dialog = NewVersionDialog(story, parent)
    return dialog.result_ if dialog.exec() else None


class VersionActions(DocumentCommands):
    """The Story menu: language versions added, derived and removed on the document."""

    def __init__(self, document: StoryDocument, status: StatusBar, parent: QWidget,
                 last_folder: Callable[[], Path]) -> None:
        super().__init__(document, status, parent, last_folder)
        self.act_add = self._action(_("Add Language &Version…"), self.add_version_dialog,
                                    "Ctrl+Shift+L", _("A version of the story in another language"))
        self.act_derive = self._action(_("&Derive Latin-script Kazakh"), self.derive_latin_kazakh,
                                       tip=_("Write (or write again) kk-Latn from the Kazakh version"))
        self.act_remove = self._action(_("&Remove Language Version…"), self.remove_version_dialog,
                                       tip=_("Remove the version shown (never the source version)"))
        self.act_next = self._action(_("&Next Version"), lambda: self.step(1), "Ctrl+PgDown",
                                     _("Show the next language version"))
        self.act_previous = self._action(_("&Previous Version"), lambda: self.step(-1), "Ctrl+PgUp",
                                         _("Show the previous language version"))
        document.story_event.connect(
            lambda event: event.kind in (StoryEventKind.VERSIONS_CHANGED,
                                         StoryEventKind.STORY_CHANGED) and self.update_actions())
        document.story_reset.connect(self.update_actions)
        document.version_changed.connect(self.update_actions)
        self.update_actions()

    def _action(self, text: str, slot: Callable[[], object], shortcut: str = "",
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def add_menu(self, bar: QMenuBar) -> QMenu:
        menu = bar.addMenu(_("&Story"))
        menu.addActions([self.act_add, self.act_derive, self.act_remove])
        menu.addSeparator()
        menu.addActions([self.act_next, self.act_previous])
        return menu

    def update_actions(self, *_args: object) -> None:
        story = self.document.story
        self.act_derive.setEnabled(kazakh_source(story) is not None)
        self.act_remove.setEnabled(self.document.version != story.language)
        for action in (self.act_next, self.act_previous):
            action.setEnabled(len(story.versions()) > 1)

    def step(self, step: int) -> None:
        """Show the next (1) or previous (-1) version, round from the last to the first."""
        tags = self.document.story.versions()
        index = tags.index(self.document.version)
        self.document.show_version(tags[(index + step) % len(tags)])

    # -- add ----------------------------------------------------------------------------------
    def add_version_dialog(self) -> None:
        request = ask_new_version(self.widget, self.document.story)
        if request is None:
            return
        path = None
        if request.source == FILE:
            path = dialogs.open_file(self.widget, _("Article for the {tag} version")
                                                  .format(tag=request.tag),
                                     self.last_folder(), _("Text articles (*.txt *.md);;All files (*)"))
            if path is None:
                return
        self.add_version(request.tag, request.source, path)

    def add_version(self, tag_text: str, source: str, path: Path | None = None) -> bool:
        """Add the version ``tag_text``: empty (the source version's photo groups), from
        the article file ``path``, or from the clipboard; shows it. One undo step."""
        story = self.document.story
        try:
            tag = new_version_tag(story, tag_text)
            article: Article | None = None
            if source == FILE:
                assert path is not None
                article, name = article_mod.read_article(path), path.name
            elif source == CLIPBOARD:
                article = clipboard_article(QGuiApplication.clipboard().mimeData())
                name = _("the clipboard")
        except PhotostoryError as exc:
            dialogs.error(self.widget, exc.message, exc.hint)
            return False
        notes: list[str] = []
        edit: Edit | None
        if article is None:
            groups = [b for b in copy_body(story.body) if isinstance(b, PhotoGroup)]
            edit = AddVersion(story, Translation(tag, body=groups), _("Add the {tag} version")
                                                                    .format(tag=tag))
        else:
            change = article_change(story, tag, article, name)
            edit, notes = change.edit, change.notes
        assert edit is not None  # a version the story lacks is always a change
        self.document.apply_edit(edit)
        self.document.show_version(tag)
        done = _("Added the {version} version.").format(version=version_label(tag))
        self.status.say(done)
        if notes:
            dialogs.report(self.widget, done, notes)
        return True

    # -- derive and remove -----------------------------------------------------------------------
    def derive_latin_kazakh(self) -> bool:
        story = self.document.story
        source = kazakh_source(story)
        if source is None:
            dialogs.error(self.widget, _("The story has no Kazakh (kk) version to write "
                                       "Latin-script Kazakh from."),
                          _("Add a kk version first (Story ▸ Add Language Version…)."))
            return False
        old = story.translation(LATIN_KAZAKH) if LATIN_KAZAKH in story.versions()[1:] else None
        try:
            fresh = derive(story, LATIN_KAZAKH, source, old)
            edit = AddVersion(story, fresh, _("Derive {language} from {source}")
                                            .format(language=LATIN_KAZAKH, source=source))
        except PhotostoryError as exc:
            dialogs.error(self.widget, exc.message, exc.hint)
            return False
        if old == fresh:
            self.status.say(_("The {language} version already follows the {source} version.")
                            .format(language=LATIN_KAZAKH, source=source))
        else:
            self.document.apply_edit(edit)
            kept = len(fresh.edited)
            text = (ngettext("Wrote the {language} version from the {source} version, keeping "
                             "{count} text edited by hand.",
                             "Wrote the {language} version from the {source} version, keeping "
                             "{count} texts edited by hand.", kept) if kept else
                    _("Wrote the {language} version from the {source} version."))
            self.status.say(text.format(language=LATIN_KAZAKH, source=source, count=kept))
        self.document.show_version(LATIN_KAZAKH)
        return True

    def remove_version_dialog(self) -> bool:
        story, tag = self.document.story, self.document.version
        if tag == story.language:
            dialogs.error(self.widget, _("The {version} version is the source version "
                                       "and cannot be removed.")
                                       .format(version=version_label(tag)),
                          _("Choose the version to remove in the version tabs."))
            return False
        if not dialogs.confirm(self.widget, _("Remove the {version} version?")
                                            .format(version=version_label(tag)),
                               _("Its title, article, captions and alt texts go; the photos stay. "
                               "Edit ▸ Undo brings it back."), _("Remove")):
            return False
        self.document.apply_edit(RemoveVersion(story, tag))
        self.status.say(_("Removed the {tag} version. Edit ▸ Undo brings it back.")
                        .format(tag=tag))
        return True
