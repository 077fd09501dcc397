"""The main window: its three panes, the menus with their shortcuts, and the wiring
between the panes, the story's commands and the background work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QEvent, QItemSelection, Qt, QTimer
from PySide6.QtGui import (QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon,
                           QKeySequence)
from PySide6.QtWidgets import QMainWindow, QSplitter, QStyle, QVBoxLayout, QWidget

from photostory import __version__
from photostory.core.i18n import _
from photostory.core.story import Photo
from photostory.core.storyfile import SUFFIX
from photostory.errors import PhotostoryError
from photostory.resources import resource
from photostory.ui import dialogs, mime
from photostory.ui.article_actions import ArticleActions
from photostory.ui.article_view import ArticleView
from photostory.ui.autosave import AUTOSAVE_MS, Autosaver
from photostory.ui.caption_shortcuts import ShortcutStore
from photostory.ui.document import StoryDocument
from photostory.ui.inspector import Inspector
from photostory.ui.preferences import PreferencesDialog
from photostory.ui.preflight import PreflightChecker, PreflightPanel, count_text
from photostory.ui.settings import Settings
from photostory.ui.site_fields import attach_licence_rows, use_as_cover
from photostory.ui.status import StatusBar, summary_text
from photostory.ui.story_actions import StoryActions
from photostory.ui.story_files import StoryFiles
from photostory.ui.story_model import PhotoListModel
from photostory.ui.tasks import Task, TaskRunner
from photostory.ui.thumbnail_view import TrayPanel
from photostory.ui.thumbnails import ThumbnailCache
from photostory.ui.version_actions import VersionActions

DEFAULT_SIZE = (1366, 768)
PANE_SHARES = (3, 4, 3)  # tray, article, inspector: their parts of the window's width


def warm_up() -> None:
    """Load Pillow's format plugins now, not in the first import's worker thread: loading
    their native libraries holds the interpreter lock for tens of milliseconds, which
    would freeze the window in the middle of that import."""
    Image.init()


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, thumbnail_threads: int = 2,
                 autosave_ms: int = AUTOSAVE_MS, recovery_dir: Path | None = None) -> None:
        """``autosave_ms`` and ``recovery_dir`` (where untitled stories autosave) are for
        tests; the defaults are 30 s and the per-user data folder's ``recovery/``."""
        super().__init__()
        self.settings = settings or Settings()
        self.document = StoryDocument(self)
        self.thumbnails = ThumbnailCache(self, threads=thumbnail_threads)
        # Import and export: a failure no command handles itself is shown in a dialog.
        self.tasks = TaskRunner(self, show_error=lambda message: dialogs.error(self, message))
        self.model = PhotoListModel(self.document, self.thumbnails, self)
        self.shortcuts = ShortcutStore(lambda: self.settings.shortcuts_file)
        self.preflight = PreflightChecker(self.document, self.settings.preflight, parent=self)
        self.autosave = Autosaver(self.document, autosave_ms, recovery_dir, self)
        self._shown_once = False
        self._shortcuts_problem = ""

        self.tray = TrayPanel(self.model)
        self.preflight_panel = PreflightPanel(self.preflight)
        self.article = ArticleView(self.document, self.thumbnails)
        self.inspector = Inspector(self.document, self.thumbnails, self.settings.used_credits,
                                   lambda photo: self.model.is_missing(photo.id),
                                   shortcuts=self._shortcut_table)
        attach_licence_rows(self.inspector)
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
        for index, share in enumerate(PANE_SHARES):
            self.splitter.setStretchFactor(index, share)
        self.setCentralWidget(self.splitter)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.setAcceptDrops(True)
        icon = resource("icons", "photostory.svg")
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))

        self.files = StoryFiles(self.document, self.settings, self.status, self,
                                thumbnails=self.thumbnails, autosave=self.autosave,
                                is_missing=self.model.is_missing)
        self.story_actions = StoryActions(self.document, self.tasks, self.status, self.settings, self,
                                          preflight=self.preflight, shortcuts=self.shortcuts,
                                          selection=self.tray.selected_ids,
                                          last_folder=self.files.last_folder)
        self.article_actions = ArticleActions(self.document, self.status, self,
                                              self.story_actions.last_folder)
        self.versions = VersionActions(self.document, self.status, self,
                                       self.story_actions.last_folder)
        warm_up()
        self._build_actions()
        self._build_menus()
        self._connect()
        self.files.new_story()
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
        files, story = self.files, self.story_actions
        self.act_new = self._action(_("&New"), files.new_story, K.New, icon=P.SP_FileIcon)
        self.act_open = self._action(_("&Open…"), files.open_story_dialog, K.Open, icon=P.SP_DialogOpenButton)
        self.act_save = self._action(_("&Save"), files.save, K.Save, icon=P.SP_DialogSaveButton)
        self.act_save_as = self._action(_("Save &As…"), files.save_as, K.SaveAs)
        self.act_close = self._action(_("&Close"), files.new_story, K.Close)
        self.act_import_photos = self._action(_("&Import Photos…"), story.import_photos_dialog,
                                              "Ctrl+Shift+I",
                                              _("Add photo files to the story"))
        self.act_import_folder = self._action(_("Import Photo &Folder…"), story.import_folder_dialog,
                                              tip=_("Add every photo in a folder"))
        articles = self.article_actions
        self.act_import_article = self._action(_("Import &Article…"), articles.import_article_dialog,
                                               tip=_("Read a plain-text article into the version shown"))
        self.act_paste_article = self._action(_("Paste &Article"), articles.paste_article, "Ctrl+Shift+V",
                                              _("Read the article on the clipboard into the version shown"))
        self.act_import_captions = self._action(_("Import Captions S&heet…"), story.import_captions_dialog)
        self.act_export_captions = self._action(_("E&xport Captions Sheet…"), story.export_captions_dialog)
        self.act_publish = self._action(_("&Publish…"), story.publish_dialog, "Ctrl+Shift+P",
                                        _("Export the story and send what changed to the site"))
        self.act_quit = self._action(_("&Quit"), self.close, K.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)

        stack = self.document.undo_stack
        self.act_undo = stack.createUndoAction(self, _("&Undo"))
        self.act_undo.setShortcut(QKeySequence(K.Undo))
        self.act_redo = stack.createRedoAction(self, _("&Redo"))
        self.act_redo.setShortcut(QKeySequence(K.Redo))
        self.act_select_all = self._action(_("Select &All Photos"), self.tray.view.selectAll, K.SelectAll)
        self.act_delete = self._action(_("&Remove from Story"), story.remove_selected_photos, K.Delete,
                                       _("Remove the selected photos from the story"))
        prefs = QKeySequence(K.Preferences)
        self.act_preferences = self._action(_("&Preferences…"), self.preferences,
                                            prefs if not prefs.isEmpty() else "Ctrl+,")
        self.act_preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.act_relink = self._action(_("&Relink…"), story.relink_dialog,
                                       tip=_("Find photos whose files were moved"))
        self.act_sort = self._action(_("Sort by &Date"), story.sort_by_date,
                                     tip=_("Order the gallery as the photos were taken"))
        self.act_needs_caption = QAction(_("Show Only Photos &Needing Captions"), self)
        self.act_needs_caption.setCheckable(True)
        self.act_needs_caption.toggled.connect(self.tray.needs_caption.setChecked)
        self.tray.needs_caption.toggled.connect(self.act_needs_caption.setChecked)
        self.act_caption = self._action(_("&Caption Selected Photo"), self.inspector.focus_caption, "Ctrl+L")
        self.act_cover = self._action(
            _("Use as Co&ver Photo"), lambda: use_as_cover(self.document, self.tray.selected_ids(),
                                                            self.status.say),
            tip=_("Social cards show this photo (default: the first placed in the article)"))

        self.act_export = self._action(_("&Export Story…"), story.export_dialog, "Ctrl+E",
                                       _("Write the story as a web page with its photos"))
        self.act_preflight = QAction(_("Show &Preflight"), self)
        self.act_preflight.setCheckable(True)
        self.act_preflight.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.act_preflight.setStatusTip(_("What the story still needs before it is published"))
        self.act_preflight.toggled.connect(self._show_preflight)
        self.act_open_export = self._action(_("&Open Exported Story in Browser"), story.open_export_in_browser,
                                            "Ctrl+Shift+E")
        self.act_about = self._action(_("&About Photostory"), self.about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu(_("Open &Recent"))
        self.recent_menu.aboutToShow.connect(lambda: self.files.fill_recent_menu(self.recent_menu))
        file_menu.addActions([self.act_save, self.act_save_as, self.act_close])
        file_menu.addSeparator()
        file_menu.addActions([self.act_import_photos, self.act_import_folder, self.act_import_article,
                              self.act_import_captions, self.act_export_captions])
        file_menu.addSeparator()
        file_menu.addAction(self.act_publish)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = bar.addMenu(_("&Edit"))
        edit_menu.addActions([self.act_undo, self.act_redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_paste_article)
        edit_menu.addActions([self.act_select_all, self.act_delete])
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_preferences)
        self.versions.add_menu(bar)
        photos_menu = bar.addMenu(_("&Photos"))
        photos_menu.addActions([self.act_caption, self.act_cover, self.act_relink, self.act_sort])
        self.tray.view.addAction(self.act_cover)  # the tray's context menu
        self.tray.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        photos_menu.addSeparator()
        photos_menu.addAction(self.act_needs_caption)
        export_menu = bar.addMenu(_("E&xport"))
        export_menu.addActions([self.act_export, self.act_open_export])
        export_menu.addSeparator()
        export_menu.addAction(self.act_preflight)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.act_about)

    def _connect(self) -> None:
        doc = self.document
        doc.undo_stack.cleanChanged.connect(self._update_title)
        doc.path_changed.connect(self._update_title)
        doc.story_event.connect(self._schedule_summary)
        doc.story_reset.connect(self._update_summary)  # another story: its counts at once
        self.model.files_dropped.connect(self._files_dropped)
        selection = self.tray.view.selectionModel()
        selection.selectionChanged.connect(self._selection_changed)
        self.tray.view.caption_requested.connect(self.inspector.focus_caption)
        self.inspector.next_requested.connect(self._next_photo)
        self.inspector.relink_requested.connect(self.story_actions.relink_dialog)
        self.inspector.credit.editingFinished.connect(
            lambda: self.settings.add_used_credit(self.inspector.credit.text()))
        self.article.photo_clicked.connect(lambda pid: self.tray.select_ids([pid]))
        self.article.import_article_requested.connect(self.article_actions.import_article_dialog)
        self.article.paste_article_requested.connect(self.article_actions.paste_article)
        self.article.versions.add_requested.connect(self.versions.add_version_dialog)
        self.status.follow(self.tasks)
        self.tasks.task_started.connect(self._task_started)
        self.story_actions.photos_added.connect(self._photos_added)
        self.story_actions.preflight_wanted.connect(lambda: self.act_preflight.setChecked(True))
        self.files.select_requested.connect(self.tray.select_ids)
        self.preflight.updated.connect(self._update_preflight_count)
        self.preflight_panel.photo_requested.connect(self.show_photo)
        self.preflight_panel.hide_requested.connect(lambda: self.act_preflight.setChecked(False))
        self.status.preflight.clicked.connect(lambda: self.act_preflight.setChecked(True))
        self.autosave.failed.connect(lambda message: self.status.say(_("Autosave failed: {message}")
                                                                     .format(message=message)))
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(50)  # typing a caption updates the counts once, not per key
        self._summary_timer.timeout.connect(self._update_summary)

    # -- state shown in the window -----------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(_("{name}[*] — Photostory")
                            .format(name=self.document.display_name))
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
                self.status.say(_("Caption shortcuts are off: {reason}").format(reason=exc), 15000)
            return {}

    def _update_preflight_count(self) -> None:
        checker = self.preflight
        if not self.document.story.photos:
            self.status.set_preflight("", False)
            return
        if not checker.checked:
            self.status.set_preflight(_("checking…"), False)
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
        self.act_publish.setEnabled(has_photos and not busy)
        self.act_import_photos.setEnabled(not busy)
        self.act_import_folder.setEnabled(not busy)
        self.act_open_export.setEnabled(self.story_actions.last_export is not None)
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
            self.status.say(_("That was the last photo.") if step > 0
                            else _("That was the first photo."))

    # -- edit and help menus ---------------------------------------------------------------------
    def preferences(self) -> None:
        if PreferencesDialog(self.settings, self).exec():
            self.preflight.schedule()  # the caption limit or the widths may have changed

    def about(self) -> None:
        dialogs.report(self, f"Photostory {__version__}",
                       [], _("Caption, credit, place and export news photo stories."))

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
            QTimer.singleShot(0, lambda: self.files.open_story(stories[0]))
            return
        self.story_actions.start_import(paths, None if row < 0 else row)

    def _photos_added(self, photos: list[Photo]) -> None:
        # Selecting (which fills the inspector) and queueing thumbnails run as separate
        # event-loop turns, so a big import never holds the window for one long stretch.
        ids = [p.id for p in photos]
        QTimer.singleShot(0, self, lambda: self.tray.select_ids(ids))
        QTimer.singleShot(0, self, lambda: self.thumbnails.prefetch(photos))

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
            self._share_width(self.width())
        visible = self.settings.preflight_visible
        self.act_preflight.setChecked(visible)
        self.preflight_panel.setVisible(visible)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        if self.tasks.busy:
            if not dialogs.confirm(self, _("Work is still running. Stop it and close the window?"),
                                   _("A cancelled export leaves the previous export as it was."),
                                   _("Stop and Close")):
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
            if self.settings.splitter_state() is None:
                self._share_width(self.splitter.width())

    def _share_width(self, width: int) -> None:
        """The panes' first widths, before the user drags the splitter."""
        total = sum(PANE_SHARES)
        self.splitter.setSizes([width * share // total for share in PANE_SHARES])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.model.refresh_missing()  # files may have come back while we were away
            if self.document.story.photos:
                self.preflight.schedule()
