"""The open story: its file, its undo stack, and change notifications for the widgets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from photostory.core.edits import Edit, NoChange
from photostory.core.i18n import _
from photostory.core.story import Story, StoryEvent
from photostory.core.storyfile import Revision
from photostory.ui.status import StatusBar
from photostory.ui.undo import EditCommand

log = logging.getLogger(__name__)


class StoryDocument(QObject):
    """Owns the Story while it is open; widgets read it and change it only via apply_edit."""

    story_event = Signal(object)  # StoryEvent, forwarded from the core on the GUI thread
    story_reset = Signal()  # another story was loaded (New, Open, Close)
    path_changed = Signal()
    # The language version the panes show and edit changed (its tag); also sent when the
    # one shown goes away (removed, or the source version's language changed).
    version_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.story = Story()
        self.path: Path | None = None
        # What the story file held when it was opened or last saved here: a save refuses
        # to replace anything else (someone else's save meanwhile). None: no check.
        self.revision: Revision | None = None
        self._version = ""  # the tag shown; "" (or a tag the story lacks): the source version
        self._shown = self.story.language  # the tag version_changed last announced
        self.story.subscribe(self._forward)

    # -- changes -----------------------------------------------------------------------
    def apply_edit(self, edit: Edit) -> None:
        """Apply ``edit`` as one undo step (QUndoStack.push runs its redo)."""
        log.debug("edit: %s", edit.description)
        self.undo_stack.push(EditCommand(self.story, edit))

    def try_edit(self, build: Callable[[], Edit]) -> bool:
        """Build an edit and apply it; an edit that would change nothing is not recorded."""
        try:
            edit = build()
        except NoChange:
            return False
        self.apply_edit(edit)
        return True

    def seal_typing(self) -> None:
        """End the current typing step (the user left the field or the photo)."""
        index = self.undo_stack.index()
        if index > 0:
            command = self.undo_stack.command(index - 1)
            if isinstance(command, EditCommand):
                command.sealed = True

    # -- the version shown -------------------------------------------------------------------
    @property
    def version(self) -> str:
        """The tag of the language version the editor shows; the source version by default."""
        tags = self.story.versions()
        return self._version if self._version in tags else tags[0]

    def show_version(self, tag: str) -> None:
        """Show (and edit) this version; a tag the story lacks shows the source version."""
        before = self.version
        self.seal_typing()
        self._version = tag if tag in self.story.versions() else ""
        if self.version != before:
            self._shown = self.version
            self.version_changed.emit(self.version)

    # -- the story as a whole ---------------------------------------------------------------
    def set_story(self, story: Story, path: Path | None, revision: Revision | None = None) -> None:
        self.story.unsubscribe(self._forward)
        self.undo_stack.clear()
        self.story = story
        self._version = ""
        self._shown = story.language
        self.story.subscribe(self._forward)
        self.undo_stack.setClean()
        self.path = path
        self.revision = revision
        self.story_reset.emit()
        self.path_changed.emit()

    def mark_saved(self, path: Path, revision: Revision | None = None) -> None:
        self.seal_typing()
        self.undo_stack.setClean()
        self.revision = revision
        if path != self.path:
            self.path = path
            self.path_changed.emit()

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else _("Untitled")

    @property
    def story_dir(self) -> Path | None:
        return self.path.parent if self.path else None

    def _forward(self, event: StoryEvent) -> None:
        self.story_event.emit(event)
        # The version shown went away (removed, or the source's language changed): the
        # panes follow to the source version, after they heard of the change itself.
        shown = self.version
        if shown != self._shown:
            self._shown = shown
            self.version_changed.emit(shown)


class DocumentCommands(QObject):
    """What a set of menu commands works with: the document, the status line, the widget
    that owns their dialogs, and where their file dialogs start."""

    def __init__(self, document: StoryDocument, status: StatusBar, parent: QWidget,
                 last_folder: Callable[[], Path]) -> None:
        super().__init__(parent)
        self.document = document
        self.status = status
        self.widget = parent
        self.last_folder = last_folder
