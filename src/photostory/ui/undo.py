"""QUndoCommand over core edits: the one way the editor changes a story.

Like Anki's operations, every change goes through :meth:`StoryDocument.apply_edit`
(see document.py), so undo covers everything and the "modified" mark follows.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from photostory.core.edits import Edit
from photostory.core.i18n import _
from photostory.core.story import Story

TYPING_ID = 1  # commands that may merge (caption typing) share this id


class EditCommand(QUndoCommand):
    """redo -> edit.apply, undo -> edit.revert; typing edits merge until sealed."""

    def __init__(self, story: Story, edit: Edit) -> None:
        super().__init__(_(edit.description))  # defaults are marked N_, translated here
        self.story = story
        self.edit = edit
        self.sealed = False  # set when the user leaves the field, so the next typing is a new step

    def redo(self) -> None:
        self.edit.apply(self.story)

    def undo(self) -> None:
        self.edit.revert(self.story)

    def id(self) -> int:
        return TYPING_ID if getattr(self.edit, "typing", False) and not self.sealed else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if self.sealed or not isinstance(other, EditCommand):
            return False
        return self.edit.merge(other.edit)
