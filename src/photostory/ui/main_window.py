"""The main window: three panes, menus with standard shortcuts, and the story file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QEvent, QItemSelection, Qt, QTimer
from PySide6.QtGui import (QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon,
                           QKeySequence)
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QStyle, QVBoxLayout, QWidget

from photostory import __version__
from photostory.core.recovery import (describe_changes, modified_at, pending_recovery,
                                      read_recovery, recovery_message, remove_recovery)
from photostory.core.story import Story
from photostory.core.storyfile import SUFFIX, Revision, read_story, save_story
from photostory.core.slug import slugify
from photostory.errors import PhotostoryError, StoryConflictError
from photostory.resources import resource
from photostory.ui import dialogs, mime
from photostory.ui.article_view import ArticleView
from photostory.ui.autosave import AUTOSAVE_MS, Autosaver, orphaned_untitled
from photostory.ui.caption_shortcuts import ShortcutStore
from photostory.ui.document import StoryDocument
from photostory.ui.inspector import Inspector
from photostory.ui.operations import Operations
from photostory.ui.preferences import PreferencesDialog
from photostory.ui.preflight import PreflightChecker, PreflightPanel, count_text
from photostory.ui.settings import Settings
from photostory.ui.status import StatusBar, summary_text
from photostory.ui.story_model import PhotoListModel
from photostory.ui.tasks import Task, TaskRunner
from photostory.ui.thumbnail_view import TrayPanel
from photostory.ui.thumbnails import ThumbnailCache

log = logging.getLogger(__name__)

STORY_FILTER = f"Photostory stories (*{SUFFIX})"
DEFAULT_SIZE = (1366, 768)


def warm_up() -> None:
    """Load Pillow's format plugins now, not in the first import's worker thread: loading
    their native libraries holds the interpreter lock for tens of milliseconds, which
    would freeze the window in the middle of that import."""
    Image.init()


class MainWindow(QMainWindow, Operations):
    def __init__(self, settings: Settings | None = None, thumbnail_threads: int = 2,
                 autosave_ms: int = AUTOSAVE_MS, recovery_dir: Path | None = None) -> None:
        """``autosave_ms`` and ``recovery_dir`` (where untitled stories autosave) are for
        tests; the defaults are 30 s and the per-user data folder's ``recovery/``."""
        super().__init__()
        self.settings = settings or Settings()
        self.document = StoryDocument(self)
        self.thumbnails = ThumbnailCache(self, threads=thumbnail_threads)
        self.tasks = TaskRunner(self)
        self.model = PhotoListModel(self.document, self.thumbnails, self)
        self.shortcuts = ShortcutStore(lambda: self.settings.shortcuts_file)
        self.preflight = PreflightChecker(self.document, self.settings.preflight, parent=self)
        self.autosave = Autosaver(self.document, autosave_ms, recovery_dir, self)
        self.last_import_report = None
        self.last_export = None
        self._last_folder: Path | None = None
        self._shown_once = False
        self._shortcuts_problem = ""

        self.tray = TrayPanel(self.model)
        self.preflight_panel = PreflightPanel(self.preflight)
        self.article = ArticleView(self.document, self.thumbnails)
        self.inspector = Inspector(self.document, self.thumbnails, self.settings.used_credits,
                                   lambda photo: self.model.is_missing(photo.id),
                                   shortcuts=self._shortcut_table)
        # The tray and, under it, the preflight panel (as tall as its findings, up to four).
        self.left = QWidget()
        left_layout = QVBoxLayout(self.left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.tray, 1)
        left_layout.addWidget(self.preflight_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for pane in (self.left, self.article, self.inspector):
            self.splitter.addWidget(pane)
            self.splitter.setCollapsible(self.splitter.indexOf(pane), False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.setCentralWidget(self.splitter)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.setAcceptDrops(True)
        icon = resource("icons", "photostory.svg")
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))

        warm_up()
        self._build_actions()
        self._build_menus()
        self._connect()
        self._new_story()
        self._restore_geometry()

    # -- construction ------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "", icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        P = QStyle.StandardPixmap
        self.act_new = self._action("&New", self.new_story, K.New, icon=P.SP_FileIcon)
        self.act_open = self._action("&Open…", self.open_story_dialog, K.Open, icon=P.SP_DialogOpenButton)
        self.act_save = self._action("&Save", self.save, K.Save, icon=P.SP_DialogSaveButton)
        self.act_save_as = self._action("Save &As…", self.save_as, K.SaveAs)
        self.act_close = self._action("&Close", self.close_story, K.Close)
        self.act_import_photos = self._action("&Import Photos…", self.import_photos_dialog,
                                              "Ctrl+Shift+I",
                                              "Add photo files to the story")
        self.act_import_folder = self._action("Import Photo &Folder…", self.import_folder_dialog,
                                              tip="Add every photo in a folder")
        self.act_import_article = self._action("Import &Article…", self.import_article_dialog,
                                               tip="Read a plain-text article into the story pane")
        self.act_import_captions = self._action("Import Captions S&heet…", self.import_captions_dialog)
        self.act_export_captions = self._action("E&xport Captions Sheet…", self.export_captions_dialog)
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        stack = self.document.undo_stack
        self.act_undo = stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(K.Undo))
        self.act_redo = stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcut(QKeySequence(K.Redo))
        self.act_select_all = self._action("Select &All Photos", self.select_all, K.SelectAll)
        self.act_delete = self._action("&Remove from Story", self.delete_selection, K.Delete,
                                       "Remove the selected photos from the story")
        prefs = QKeySequence(K.Preferences)
        self.act_preferences = self._action("&Preferences…", self.preferences,
                                            prefs if not prefs.isEmpty() else "Ctrl+,")
        self.act_preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.act_relink = self._action("&Relink…", self.relink_dialog,
                                       tip="Find photos whose files were moved")
        self.act_sort = self._action("Sort by &Date", self.sort_by_date,
                                     tip="Order the gallery as the photos were taken")
        self.act_needs_caption = QAction("Show Only Photos &Needing Captions", self)
        self.act_needs_caption.setCheckable(True)
        self.act_needs_caption.toggled.connect(self.tray.needs_caption.setChecked)
        self.tray.needs_caption.toggled.connect(self.act_needs_caption.setChecked)
        self.act_caption = self._action("&Caption Selected Photo", self.inspector.focus_caption, "Ctrl+L")

        self.act_export = self._action("&Export Story…", self.export_dialog, "Ctrl+E",
                                       "Write the story as a web page with its photos")
        self.act_preflight = QAction("Show &Preflight", self)
        self.act_preflight.setCheckable(True)
        self.act_preflight.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.act_preflight.setStatusTip("What the story still needs before it is published")
        self.act_preflight.toggled.connect(self._show_preflight)
        self.act_open_export = self._action("&Open Exported Story in Browser", self.open_export_in_browser,
                                            "Ctrl+Shift+E")
        self.act_about = self._action("&About Photostory", self.about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addActions([self.act_save, self.act_save_as, self.act_close])
        file_menu.addSeparator()
        file_menu.addActions([self.act_import_photos, self.act_import_folder, self.act_import_article,
                              self.act_import_captions, self.act_export_captions])
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.act_undo, self.act_redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.act_select_all, self.act_delete])
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_preferences)
        photos_menu = bar.addMenu("&Photos")
        photos_menu.addActions([self.act_caption, self.act_relink, self.act_sort])
        photos_menu.addSeparator()
        photos_menu.addAction(self.act_needs_caption)
        export_menu = bar.addMenu("E&xport")
        export_menu.addActions([self.act_export, self.act_open_export])
        export_menu.addSeparator()
        export_menu.addAction(self.act_preflight)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_about)

    def _connect(self) -> None:
        doc = self.document
        doc.undo_stack.cleanChanged.connect(self._update_title)
        doc.path_changed.connect(self._update_title)
        doc.story_event.connect(self._schedule_summary)
        doc.story_reset.connect(self._schedule_summary)
        self.model.files_dropped.connect(self._files_dropped)
        selection = self.tray.view.selectionModel()
        selection.selectionChanged.connect(self._selection_changed)
        self.tray.view.caption_requested.connect(self.inspector.focus_caption)
        self.inspector.next_requested.connect(self._next_photo)
        self.inspector.relink_requested.connect(self.relink_dialog)
        self.inspector.credit.editingFinished.connect(
            lambda: self.settings.add_used_credit(self.inspector.credit.text()))
        self.article.photo_clicked.connect(lambda pid: self.tray.select_ids([pid]))
        self.article.import_article_requested.connect(self.import_article_dialog)
        self.tasks.task_started.connect(self._task_started)
        self.preflight.updated.connect(self._update_preflight_count)
        self.preflight_panel.photo_requested.connect(self.show_photo)
        self.preflight_panel.hide_requested.connect(lambda: self.act_preflight.setChecked(False))
        self.status.preflight.clicked.connect(lambda: self.act_preflight.setChecked(True))
        self.autosave.failed.connect(lambda message: self.status.say(f"Autosave failed: {message}"))
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(50)  # typing a caption updates the counts once, not per key
        self._summary_timer.timeout.connect(self._update_summary)

    # -- state shown in the window -----------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.display_name}[*] — Photostory")
        self.setWindowModified(self.document.is_modified)

    def _schedule_summary(self, *_args: object) -> None:
        if not self._summary_timer.isActive():
            self._summary_timer.start()

    def _update_summary(self) -> None:
        story = self.document.story
        missing = sum(1 for p in story.photos if self.model.is_missing(p.id))
        self.status.set_summary(summary_text(story, missing))
        self.update_actions()

    def _shortcut_table(self) -> dict[str, str]:
        """The caption shortcuts for the inspector; a bad file is said once, not raised."""
        try:
            return self.shortcuts.load()
        except PhotostoryError as exc:
            if str(exc) != self._shortcuts_problem:
                self._shortcuts_problem = str(exc)
                self.status.say(f"Caption shortcuts are off: {exc}", 15000)
            return {}

    def _update_preflight_count(self) -> None:
        checker = self.preflight
        if not self.document.story.photos:
            self.status.set_preflight("", False)
            return
        if not checker.checked:
            self.status.set_preflight("checking…", False)
            return
        errors, warnings = len(checker.errors), len(checker.warnings)
        self.status.set_preflight(count_text(errors, warnings), errors > 0)

    def _show_preflight(self, visible: bool) -> None:
        self.preflight_panel.setVisible(visible)
        self.settings.preflight_visible = visible

    def show_photo(self, photo_id: str) -> None:
        """Select one photo in the tray (showing it even if the filter hid it)."""
        if not self.tray.filter.mapFromSource(self.model.index_of(photo_id)).isValid():
            self.tray.needs_caption.setChecked(False)
        self.tray.select_ids([photo_id])

    def update_actions(self) -> None:
        has_photos = bool(self.document.story.photos)
        busy = self.tasks.busy
        self.act_export.setEnabled(has_photos and not busy)
        self.act_import_photos.setEnabled(not busy)
        self.act_import_folder.setEnabled(not busy)
        self.act_open_export.setEnabled(self.last_export is not None)
        self.act_sort.setEnabled(len(self.document.story.photos) > 1)
        self.act_relink.setEnabled(any(self.model.is_missing(p.id) for p in self.document.story.photos))

    def _task_started(self, task: Task) -> None:
        self.update_actions()
        task.finished.connect(self.update_actions)  # failed or cancelled work changes no story

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.inspector.show_photos(self.tray.selected_ids())

    def _next_photo(self, step: int) -> None:
        if self.tray.select_next(step):
            self.inspector.focus_caption()
        else:
            self.status.say("That was the last photo." if step > 0 else "That was the first photo.")

    def can_start_work(self) -> bool:
        if self.tasks.busy:
            self.status.say("Wait for the current work to finish, or cancel it.")
            return False
        return True

    def last_folder(self) -> Path:
        if self._last_folder is not None and self._last_folder.is_dir():
            return self._last_folder
        return self.document.story_dir or Path.home()

    # -- edit menu ---------------------------------------------------------------------------
    def select_all(self) -> None:
        self.tray.view.selectAll()

    def delete_selection(self) -> None:
        self.remove_selected_photos()

    def preferences(self) -> None:
        if PreferencesDialog(self.settings, self).exec():
            self.preflight.schedule()  # the caption limit or the widths may have changed

    def about(self) -> None:
        dialogs.report(self, f"Photostory {__version__}",
                       [], "Caption, credit, place and export news photo stories.")

    # -- the story file ------------------------------------------------------------------------
    def _new_story(self) -> None:
        story = Story(default_credit=self.settings.default_credit,
                      credit_prefix=self.settings.credit_prefix or None)
        self.thumbnails.clear()
        self.last_export = None
        self.document.set_story(story, None)
        self._update_title()
        self._update_summary()

    def new_story(self) -> None:
        if self.maybe_save():
            self._new_story()

    def close_story(self) -> None:
        self.new_story()

    def open_story_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = dialogs.open_file(self, "Open Story", self.last_folder(), STORY_FILTER)
        if path is not None:
            self.open_story(path, ask=False)

    def open_story(self, path: Path, ask: bool = True) -> bool:
        """Open ``path``; on failure the current story stays and the reason is shown."""
        if ask and not self.maybe_save():
            return False
        warnings: list[str] = []
        try:
            story, revision = read_story(Path(path), warnings)
        except PhotostoryError as exc:
            dialogs.error(self, str(exc))
            return False
        recovered, recovery = self._offer_recovery(Path(path), story)
        self.thumbnails.clear()
        self.last_export = None
        # Restored changes are unsaved changes to the file as it is now: saved over it.
        self.document.set_story(recovered or story, Path(path).absolute(), revision)
        self.thumbnails.prefetch_when_idle(self.document.story.photos)
        self._last_folder = Path(path).absolute().parent
        self.settings.add_recent_file(Path(path))
        if recovered is not None and recovery is not None:
            self.document.undo_stack.resetClean()  # unsaved changes: the title shows *
            self.autosave.adopt(recovery)
            self._update_title()
        self._update_summary()
        missing = sum(1 for p in self.document.story.photos if self.model.is_missing(p.id))
        if missing:
            self.status.say(f"{missing} photo file{'s are' if missing != 1 else ' is'} missing: "
                            "use Photos ▸ Relink… to find them.", 0)
        elif recovered is not None:
            self.status.say(f"Restored the unsaved changes of {Path(path).name}; save to keep them.",
                            0)
        else:
            self.status.say(f"Opened {Path(path).name}.")
        if self.model.rowCount():
            self.tray.select_ids([self.model.photo_id(0)])
        if warnings:
            dialogs.report(self, f"{Path(path).name} was opened with repairs.", warnings,
                           "Save the story to keep the repaired version.")
        return True

    def _offer_recovery(self, path: Path, saved: Story) -> tuple[Story | None, Path | None]:
        """If an autosave newer than the story file is beside it, offer to restore it:
        (the recovered story, its file) when the user restores, else (None, None)."""
        recovery = pending_recovery(path)
        if recovery is None:
            return None, None
        try:
            recovered = read_recovery(recovery)
        except PhotostoryError as exc:
            dialogs.error(self, f"Unsaved changes of {path.name} were found but cannot be read: {exc}",
                          f"The story opens as last saved; the file {recovery.name} is left in "
                          "place beside it.")
            return None, None
        items = describe_changes(saved, recovered)
        if not items:  # the autosave holds what the file holds
            remove_recovery(recovery)
            return None, None
        if dialogs.ask_restore(self, path.name, recovery_message(items, modified_at(recovery))):
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
            if items and dialogs.ask_restore(self, "Untitled",
                                             recovery_message(items, modified_at(recovery))):
                self.thumbnails.clear()
                self.document.set_story(recovered, None)
                self.document.undo_stack.resetClean()
                self.autosave.adopt(recovery, lock)
                self._update_title()
                self._update_summary()
                self.status.say("Restored an unsaved story; save it to keep it.", 0)
                return True
            remove_recovery(recovery)
            lock.unlock()
        return False

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path, self.document.revision)

    def save_as(self) -> bool:
        story = self.document.story
        suggested = (self.document.path or
                     self.last_folder() / f"{slugify(story.title, fallback='story')}{SUFFIX}")
        path = dialogs.save_file(self, "Save Story As", suggested, STORY_FILTER)
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
            dialogs.error(self, str(exc), "Choose File ▸ Save As… to save somewhere else.")
            return False
        self.document.mark_saved(path.absolute(), revision)
        self.settings.add_recent_file(path)
        self._last_folder = path.absolute().parent
        self.status.say(f"Saved {path.name}.")
        return True

    def _save_conflict(self, path: Path) -> bool:
        """The story file changed on disk since it was opened or saved here. True when
        nothing unsaved is left (saved after all, or their version reloaded)."""
        answer = dialogs.ask_save_conflict(self, path.name)
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
        answer = dialogs.ask_save_changes(self, self.document.display_name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.autosave.discard()  # closing without saving: the autosave goes too
            return True
        return False

    def _fill_recent_menu(self) -> None:
        menu: QMenu = self.recent_menu
        menu.clear()
        recent = self.settings.recent_files()
        for path in recent:
            action = menu.addAction(path.name, lambda p=path: self.open_story(p))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setEnabled(path.is_file())
        if not recent:
            menu.addAction("No recent stories").setEnabled(False)
        menu.addSeparator()
        menu.addAction("Clear Menu", self.settings.clear_recent_files).setEnabled(bool(recent))

    # -- files from the file manager ------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if mime.local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = mime.local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self._files_dropped(paths, -1)

    def _files_dropped(self, paths: list[Path], row: int) -> None:
        stories = [p for p in paths if p.suffix == SUFFIX]
        if stories:
            # Deferred: a modal question must not run inside the drop event.
            QTimer.singleShot(0, lambda: self.open_story(stories[0]))
            return
        self.start_import(paths, None if row < 0 else row)

    # -- window lifecycle -----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter_state()
        if splitter is None or not self.splitter.restoreState(splitter):
            width = self.width()
            self.splitter.setSizes([int(width * 0.3), int(width * 0.4), int(width * 0.3)])
        visible = self.settings.preflight_visible
        self.act_preflight.setChecked(visible)
        self.preflight_panel.setVisible(visible)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        if self.tasks.busy:
            if not dialogs.confirm(self, "Work is still running. Stop it and close the window?",
                                   "A cancelled export leaves the previous export as it was.",
                                   "Stop and Close"):
                event.ignore()
                return
            self.tasks.cancel_all()
        self.settings.save_window(self.saveGeometry(), self.saveState(), self.splitter.saveState())
        self.settings.sync()
        self.shutdown_workers()
        event.accept()

    def shutdown_workers(self) -> None:
        """Wait for background work to stop (closing; test teardown)."""
        self.tasks.wait()
        self.thumbnails.shutdown()
        self.preflight.shutdown()
        self.autosave.shutdown()

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            width = self.splitter.width()
            if self.settings.splitter_state() is None:
                self.splitter.setSizes([int(width * 0.3), int(width * 0.4), int(width * 0.3)])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.model.refresh_missing()  # files may have come back while we were away
            if self.document.story.photos:
                self.preflight.schedule()
