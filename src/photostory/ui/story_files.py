"""The story file in the editor: New, Open, Save, Save As, Close and Open Recent, the
question before unsaved changes go, and the offer of the changes an autosave kept."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QWidget

from photostory.core.i18n import _, ngettext
from photostory.core.recovery import (describe_changes, modified_at, pending_recovery,
                                      read_recovery, recovery_message, remove_recovery)
from photostory.core.slug import slugify
from photostory.core.story import Story
from photostory.core.storyfile import SUFFIX, Revision, read_story, save_story
from photostory.errors import PhotostoryError, StoryConflictError
from photostory.ui import dialogs
from photostory.ui.autosave import Autosaver, orphaned_untitled
from photostory.ui.document import StoryDocument
from photostory.ui.settings import Settings
from photostory.ui.status import StatusBar
from photostory.ui.thumbnails import ThumbnailCache

log = logging.getLogger(__name__)



class StoryFiles(QObject):
    """Puts stories into the document and saves them; unsaved work is never lost silently."""

    select_requested = Signal(list)  # photo ids to select (the first photo of a story opened)

    def __init__(self, document: StoryDocument, settings: Settings, status: StatusBar,
                 parent: QWidget, *, thumbnails: ThumbnailCache, autosave: Autosaver,
                 is_missing: Callable[[str], bool]) -> None:
        """``parent`` owns the dialogs; ``is_missing`` says whether a photo's file is gone."""
        super().__init__(parent)
        self.document = document
        self.settings = settings
        self.status = status
        self.widget = parent
        self.thumbnails = thumbnails
        self.autosave = autosave
        self.is_missing = is_missing
        self._last_folder: Path | None = None

    def last_folder(self) -> Path:
        """Where file dialogs start: the folder of the story last opened or saved."""
        if self._last_folder is not None and self._last_folder.is_dir():
            return self._last_folder
        return self.document.story_dir or Path.home()

    def _put(self, story: Story, path: Path | None, revision: Revision | None = None) -> None:
        self.thumbnails.clear()
        self.document.set_story(story, path, revision)

    # -- new and open -------------------------------------------------------------------------
    def new_story(self) -> None:
        if self.maybe_save():
            self._put(Story(default_credit=self.settings.default_credit,
                            credit_prefix=self.settings.credit_prefix or None), None)

    def open_story_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = dialogs.open_file(self.widget, _("Open Story"), self.last_folder(), _("Photostory stories ({pattern})").format(pattern=f"*{SUFFIX}"))
        if path is not None:
            self.open_story(path, ask=False)

    def open_story(self, path: Path, ask: bool = True) -> bool:
        """Open ``path``; on failure the current story stays and the reason is shown."""
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        warnings: list[str] = []
        try:
            story, revision = read_story(path, warnings)
        except PhotostoryError as exc:
            dialogs.error(self.widget, str(exc))
            return False
        recovered, recovery = self._offer_recovery(path, story)
        # Restored changes are unsaved changes to the file as it is now: saved over it.
        self._put(recovered or story, path.absolute(), revision)
        self.thumbnails.prefetch_when_idle(self.document.story.photos)
        self._last_folder = path.absolute().parent
        self.settings.add_recent_file(path)
        if recovered is not None and recovery is not None:
            self.document.undo_stack.resetClean()  # unsaved changes: the title shows *
            self.autosave.adopt(recovery)
        photos = self.document.story.photos
        missing = sum(1 for p in photos if self.is_missing(p.id))
        if missing:
            self.status.say(ngettext("{count} photo file is missing: use Photos ▸ Relink… to "
                                     "find it.",
                                     "{count} photo files are missing: use Photos ▸ Relink… to "
                                     "find them.", missing).format(count=missing), 0)
        elif recovered is not None:
            self.status.say(_("Restored the unsaved changes of {file}; save to keep them.")
                            .format(file=path.name), 0)
        else:
            self.status.say(_("Opened {file}.").format(file=path.name))
        if photos:
            self.select_requested.emit([photos[0].id])
        if warnings:
            dialogs.report(self.widget, _("{file} was opened with repairs.")
                                        .format(file=path.name), warnings,
                           _("Save the story to keep the repaired version."))
        return True

    # -- recovered changes ----------------------------------------------------------------------
    def _offer_recovery(self, path: Path, saved: Story) -> tuple[Story | None, Path | None]:
        """If an autosave newer than the story file is beside it, offer to restore it:
        (the recovered story, its file) when the user restores, else (None, None)."""
        recovery = pending_recovery(path)
        if recovery is None:
            return None, None
        try:
            recovered = read_recovery(recovery)
        except PhotostoryError as exc:
            dialogs.error(self.widget, _("Unsaved changes of {file} were found but cannot be "
                                       "read: {reason}").format(file=path.name, reason=exc),
                          _("The story opens as last saved; the file {name} is left in "
                          "place beside it.").format(name=recovery.name))
            return None, None
        items = describe_changes(saved, recovered)
        if not items:  # the autosave holds what the file holds
            remove_recovery(recovery)
            return None, None
        if dialogs.ask_restore(self.widget, path.name, recovery_message(items, modified_at(recovery))):
            return recovered, recovery
        remove_recovery(recovery)
        return None, None

    def offer_orphaned_recovery(self) -> bool:
        """At start-up: restore the changes of an untitled story whose editor died."""
        for recovery, lock in orphaned_untitled(self.autosave.untitled_dir):
            try:
                recovered = read_recovery(recovery)
            except PhotostoryError as exc:
                log.warning("unreadable recovery file %s: %s", recovery, exc)
                lock.unlock()
                continue
            items = describe_changes(None, recovered)
            if items and dialogs.ask_restore(self.widget, _("Untitled"),
                                             recovery_message(items, modified_at(recovery))):
                self._put(recovered, None)
                self.document.undo_stack.resetClean()
                self.autosave.adopt(recovery, lock)
                self.status.say(_("Restored an unsaved story; save it to keep it."), 0)
                return True
            remove_recovery(recovery)
            lock.unlock()
        return False

    # -- save -------------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path, self.document.revision)

    def save_as(self) -> bool:
        story = self.document.story
        suggested = (self.document.path or
                     self.last_folder() / f"{slugify(story.title, fallback='story')}{SUFFIX}")
        path = dialogs.save_file(self.widget, _("Save Story As"), suggested, _("Photostory stories ({pattern})").format(pattern=f"*{SUFFIX}"))
        if path is None:
            return False
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        return self._save_to(path, None)  # the file dialog asked before replacing a file

    def _save_to(self, path: Path, expected: Revision | None) -> bool:
        """Save to ``path``; with ``expected``, only over the file as it was opened or
        last saved here (someone else's change meanwhile is asked about)."""
        try:
            revision = save_story(self.document.story, path, expected)
        except StoryConflictError:
            return self._save_conflict(path)
        except PhotostoryError as exc:
            dialogs.error(self.widget, str(exc), _("Choose File ▸ Save As… to save somewhere else."))
            return False
        self.document.mark_saved(path.absolute(), revision)
        self.settings.add_recent_file(path)
        self._last_folder = path.absolute().parent
        self.status.say(_("Saved {file}.").format(file=path.name))
        return True

    def _save_conflict(self, path: Path) -> bool:
        """The story file changed on disk since it was opened or saved here. True when
        nothing unsaved is left (saved after all, or their version reloaded)."""
        answer = dialogs.ask_save_conflict(self.widget, path.name)
        if answer == "overwrite":
            return self._save_to(path, None)
        if answer == "save_as":
            return self.save_as()
        if answer == "reload":
            self.autosave.discard()  # the unsaved changes go, and their recovery file
            return self.open_story(path, ask=False)
        return False

    def maybe_save(self) -> bool:
        """True when the current story may be closed (saved, discarded, or unchanged)."""
        if not self.document.is_modified:
            return True
        answer = dialogs.ask_save_changes(self.widget, self.document.display_name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.autosave.discard()  # closing without saving: the autosave goes too
            return True
        return False

    # -- open recent ------------------------------------------------------------------------------
    def fill_recent_menu(self, menu: QMenu) -> None:
        """File ▸ Open Recent, filled as it opens (a story moved since is greyed out)."""
        menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            action = menu.addAction(path.name, lambda p=path: self.open_story(p))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setEnabled(path.is_file())
        if not recent:
            menu.addAction(_("No recent stories")).setEnabled(False)
        menu.addSeparator()
        menu.addAction(_("Clear Menu"), self.settings.clear_recent_files).setEnabled(bool(recent))
