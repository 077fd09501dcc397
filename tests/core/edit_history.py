"""An undo history over core edits, to test undo without Qt.

The editor uses Qt's QUndoStack with the same edits; this mirrors its behaviour:
``push`` applies, typing merges into the previous step, and ``clean`` marks the
saved state.
"""

from __future__ import annotations

from photostory.core.edits import Edit
from photostory.core.story import Story


class History:
    def __init__(self, story: Story) -> None:
        self.story = story
        self._done: list[Edit] = []
        self._undone: list[Edit] = []
        self._clean_at: int | None = 0

    def push(self, edit: Edit) -> None:
        edit.apply(self.story)
        self._undone.clear()
        if self._clean_at is not None and self._clean_at > len(self._done):
            self._clean_at = None  # the saved state can no longer be reached by redo
        if self._done and len(self._done) != self._clean_at and self._done[-1].merge(edit):
            return
        self._done.append(edit)

    def undo(self) -> bool:
        if not self._done:
            return False
        edit = self._done.pop()
        edit.revert(self.story)
        self._undone.append(edit)
        return True

    def redo(self) -> bool:
        if not self._undone:
            return False
        edit = self._undone.pop()
        edit.apply(self.story)
        self._done.append(edit)
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo_text(self) -> str:
        return self._done[-1].description if self._done else ""

    def mark_clean(self) -> None:
        self._clean_at = len(self._done)

    @property
    def is_clean(self) -> bool:
        return self._clean_at == len(self._done)
