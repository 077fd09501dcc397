"""The editor's commands on the open story: importing photos or a captions sheet,
exporting, publishing, relinking, sorting and removing photos (articles: article_actions).

Each command reads the story, builds core edits and applies them through the document
(one undo step each); import and export run as background tasks. :class:`StoryActions`
is given what it works with, not the window, so it runs (and is tested) without one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from photostory.core.i18n import _, ngettext
from photostory.core import captions_csv
from photostory.core.edits import InsertPhotos, NoChange, RemovePhotos, SortPhotos
from photostory.core.export.options import ExportOptions, ExportReport
from photostory.core.export.pipeline import export_story
from photostory.core.images.opening import SUPPORTED_SUFFIXES
from photostory.core.importing import ImportReport, import_photos
from photostory.core.progress import CancelToken, Progress
from photostory.core.publish import Destination, PublishReport, publish
from photostory.core.relink import missing_photo_ids, relink_edit
from photostory.core.story import sort_by_date_then_name
from photostory.errors import PhotostoryError
from photostory.ui import dialogs, export_dialog, publish_dialog
from photostory.ui import preflight as preflight_ui
from photostory.ui.caption_shortcuts import ShortcutStore
from photostory.ui.document import StoryDocument
from photostory.ui.settings import Settings
from photostory.ui.site_fields import apply_story_site
from photostory.ui.status import StatusBar
from photostory.ui.tasks import Task, TaskRunner

# Reading metadata is partly pure Python: two readers keep the disk busy without starving
# the GUI thread of the interpreter lock.
IMPORT_WORKERS = 2
_PATTERNS = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))


def image_filter() -> str:
    """The file dialogs' filter for photos, in the user's language."""
    return _("Photos ({patterns});;All files (*)").format(patterns=_PATTERNS)


class StoryActions(QObject):
    """What the Import, Export and Photos commands do to the document's story."""

    photos_added = Signal(list)  # the Photos an import added (to select, then thumbnail)
    preflight_wanted = Signal()  # preflight errors held an export back: show its findings

    def __init__(self, document: StoryDocument, tasks: TaskRunner, status: StatusBar,
                 settings: Settings, parent: QWidget, *, preflight: preflight_ui.PreflightChecker,
                 shortcuts: ShortcutStore, selection: Callable[[], list[str]] = list,
                 last_folder: Callable[[], Path] | None = None) -> None:
        """``parent`` owns the dialogs; ``selection`` gives the selected photo ids and
        ``last_folder`` where file dialogs start (the story's folder by default)."""
        super().__init__(parent)
        self.document = document
        self.tasks = tasks
        self.status = status
        self.settings = settings
        self.widget = parent
        self.preflight = preflight
        self.shortcuts = shortcuts
        self.selection = selection
        self.last_folder = last_folder or (lambda: document.story_dir or Path.home())
        self.last_export: ExportReport | None = None  # of the story open now
        document.story_reset.connect(self._forget_export)

    def _forget_export(self) -> None:
        self.last_export = None

    def can_start_work(self) -> bool:
        if self.tasks.busy:
            self.status.say(_("Wait for the current work to finish, or cancel it."))
            return False
        return True

    # -- photos in ------------------------------------------------------------------------
    def import_photos_dialog(self) -> None:
        paths = dialogs.open_files(self.widget, _("Import Photos"), self.last_folder(), image_filter())
        if paths:
            self.start_import(paths)

    def import_folder_dialog(self) -> None:
        folder = dialogs.choose_folder(self.widget, _("Import All Photos in a Folder"), self.last_folder())
        if folder is not None:
            self.start_import([folder])

    def start_import(self, paths: Sequence[Path], row: int | None = None) -> Task | None:
        """Read photos in the background; they join the story as one undo step."""
        if not self.can_start_work():
            return None
        paths = list(paths)
        return (self.tasks.run(_("Importing photos"),
                               lambda progress, cancel: import_photos(paths, progress, cancel,
                                                                      workers=IMPORT_WORKERS))
                .on_success(lambda report: self._import_done(report, row))
                .on_cancel(lambda: self.status.say(_("Import cancelled; no photos were added."))))

    def _import_done(self, report: ImportReport, row: int | None) -> None:
        story = self.document.story
        # Paths are absolute and normalised on import and load: compare them without disk access.
        have = {os.path.normcase(os.path.abspath(p.path)) for p in story.photos}
        fresh = [p for p in report.photos if os.path.normcase(os.path.abspath(p.path)) not in have]
        already = len(report.photos) - len(fresh)
        if fresh:
            self.document.apply_edit(InsertPhotos(fresh, row, texts=report.texts))
            self.photos_added.emit(fresh)
        parts = [ngettext("Imported {count} photo", "Imported {count} photos", len(fresh))
                 .format(count=len(fresh))]
        if already:
            parts.append(ngettext("{count} photo already in the story",
                                  "{count} photos already in the story", already)
                         .format(count=already))
        lines = [reason for _file, reason in report.skipped] + list(report.warnings)
        if report.skipped:
            skipped = len(report.skipped)
            parts.append(ngettext("{count} file could not be used",
                                  "{count} files could not be used", skipped).format(count=skipped))
        text = "; ".join(parts) + "."
        self.status.say(text)
        if lines:
            dialogs.report(self.widget, text, lines,
                           _("Those files were skipped and the others imported. Check or copy "
                             "them again, then import just those.") if report.skipped else "")

    def remove_selected_photos(self) -> None:
        ids = self.selection()
        story = self.document.story
        if self.document.try_edit(lambda: RemovePhotos(story, ids)):
            self.status.say(ngettext("Removed {count} photo from the story. Edit ▸ Undo brings "
                                     "it back.",
                                     "Removed {count} photos from the story. Edit ▸ Undo brings "
                                     "them back.", len(ids)).format(count=len(ids)))

    def sort_by_date(self) -> None:
        story = self.document.story
        order = [p.id for p in sort_by_date_then_name(story.photos)]
        if not self.document.try_edit(lambda: SortPhotos(story, order, _("Sort photos by date"))):
            self.status.say(_("The photos are already in the order they were taken."))

    # -- captions sheet -----------------------------------------------------------------------
    def _ask_for_file(self, title: str, filters: str) -> Path | None:
        return dialogs.open_file(self.widget, title, self.last_folder(), filters)

    def import_captions_dialog(self) -> None:
        path = self._ask_for_file(_("Import Captions Sheet"), _("Captions sheets (*.csv);;All files (*)"))
        if path is not None:
            self.import_captions(path)

    def import_captions(self, path: Path) -> bool:
        story = self.document.story
        try:
            # A malformed row refuses the whole sheet here, before anything is applied.
            rows = captions_csv.read_sheet(path)
        except PhotostoryError as exc:
            dialogs.error(self.widget, exc.message, exc.hint)
            return False
        try:
            shortcuts = self.shortcuts.load()  # =kt= in the sheet expands as when typed
        except PhotostoryError as exc:
            dialogs.error(self.widget, _("The captions sheet was not imported: the caption shortcuts "
                                       "file cannot be used. {message}")
                                       .format(message=exc.message), exc.hint)
            return False
        try:  # a column for a language version the story lacks refuses the sheet
            match = captions_csv.match_sheet(story, rows, self.document.story_dir, shortcuts or None)
        except PhotostoryError as exc:
            dialogs.error(self.widget, exc.message, exc.hint)
            return False
        changed = self.document.try_edit(
            lambda: captions_csv.sheet_edit(story, match, _("Import captions sheet {file}")
                                                          .format(file=path.name)))
        notes = [_("Line {line}: no photo named “{file}” in the story.")
                 .format(line=row.line, file=row.file) for row in match.unknown]
        notes += [_("Line {line}: several photos are named “{file}”; write the path relative "
                  "to the story file instead.")
                  .format(line=row.line, file=row.file) for row in match.ambiguous]
        updated = len(match.changes)
        text = (ngettext("Updated {count} photo from {file}.", "Updated {count} photos from {file}.",
                         updated).format(count=updated, file=path.name) if changed
                else _("{file} changed nothing: the captions already match.").format(file=path.name))
        self.status.say(text)
        if notes:
            dialogs.report(self.widget, text, notes)
        return changed

    def export_captions_dialog(self) -> None:
        base = self.document.story_dir or self.last_folder()
        path = dialogs.save_file(self.widget, _("Export Captions Sheet"), base / "captions.csv",
                                 _("Captions sheets (*.csv)"))
        if path is None:
            return
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
            # The dialog asked about the name as typed, not about this one.
            if (path.exists() or path.is_symlink()) and not dialogs.confirm(
                    self.widget, _("Replace “{file}”?").format(file=path.name),
                    _("A file of that name is already in the folder; the sheet replaces it."), _("Replace")):
                return
        try:
            # The save dialog asked before replacing a file; the story file and the photos
            # are refused even so.
            captions_csv.write_sheet(self.document.story, path, self.document.story_dir,
                                     story_file=self.document.path, force=True)
        except PhotostoryError as exc:
            dialogs.error(self.widget, exc.message, exc.hint)
            return
        count = len(self.document.story.photos)
        self.status.say(ngettext("Wrote the caption of {count} photo to {path}.",
                                 "Wrote the captions of {count} photos to {path}.", count)
                        .format(count=count, path=path.name))

    # -- export ---------------------------------------------------------------------------------
    def _export_folder(self) -> Path:
        """Where the story was last exported, else where it would be by default."""
        if self.last_export is not None:
            return self.last_export.out_dir
        return export_dialog.default_export_folder(self.document.story, self.document.path)

    def export_dialog(self) -> None:
        if not self.document.story.photos:
            dialogs.error(self.widget, _("The story has no photos to export yet."),
                          _("Import photos first (File ▸ Import Photos…)."))
            return
        request = export_dialog.ask_export(
            self.widget, self._export_folder(), self.settings.export_widths, self.settings.jpeg_quality,
            story_file=self.document.path, photos=[p.path for p in self.document.story.photos],
            story=self.document.story)
        if request is not None:
            apply_story_site(self.document, request.site)  # saved with the story
        if request is not None and self.preflight_allows_export(request.options):
            self.start_export(request.folder, request.options, request.open_after)

    def preflight_allows_export(self, options: ExportOptions, action: str = "Export") -> bool:
        """Preflight before an export (or a publish: ``action``): errors need the user's
        go-ahead; warnings are summed up."""
        findings = self.preflight.check_now(self.settings.preflight(options.widths))
        errors, warnings = preflight_ui.split(findings)
        summary = preflight_ui.rule_summary(warnings)
        if errors:
            if not dialogs.confirm_export_problems(self.widget, [f.message for f in errors], summary,
                                                   action):
                self.status.say(
                    _("Publish cancelled: fix the problems the Preflight panel lists, then "
                      "publish again.") if action == "Publish" else
                    _("Export cancelled: fix the problems the Preflight panel lists, then export "
                      "again."))
                self.preflight_wanted.emit()
                return False
        elif warnings:
            count = len(warnings)
            text = (ngettext("Preflight: {count} warning ({summary}); publishing.",
                             "Preflight: {count} warnings ({summary}); publishing.", count)
                    if action == "Publish" else
                    ngettext("Preflight: {count} warning ({summary}); exporting.",
                             "Preflight: {count} warnings ({summary}); exporting.", count))
            self.status.say(text.format(count=count, summary=summary))
        return True

    def start_export(self, folder: Path, options: ExportOptions,
                     open_after: bool = False) -> Task | None:
        """Export a snapshot of the story in the background (editing may go on)."""
        if not self.can_start_work():
            return None
        return (self.tasks.run(_("Exporting"), self._export_work(folder, options))
                .on_success(lambda report: self._export_done(report, open_after))
                .on_cancel(lambda: self.status.say(
                    _("Export cancelled; the previous export, if any, is unchanged."))))

    def _export_work(self, folder: Path, options: ExportOptions
                     ) -> Callable[[Progress, CancelToken], ExportReport]:
        """The export of the story as it is now, to run in the background."""
        story = self.document.story.snapshot()
        story_file = self.document.path
        return lambda progress, cancel: export_story(story, folder, options, progress, cancel,
                                                     story_file=story_file)

    def _export_done(self, report: ExportReport, open_after: bool) -> None:
        self.last_export = report
        self.status.say(report.summary())
        if report.failed:
            dialogs.report(self.widget, report.summary(),
                           [reason for _file, reason in report.failed] + report.warnings,
                           _("Relink or replace these photos, then export again."))
        elif report.warnings:
            dialogs.report(self.widget, report.summary(), report.warnings)
        if open_after:
            self.open_export_in_browser()

    def open_export_in_browser(self) -> None:
        index = self._export_folder() / "index.html"
        if not index.is_file():
            dialogs.error(self.widget, _("The story has not been exported yet."),
                          _("Choose Export ▸ Export Story… first."))
            return
        if not dialogs.open_in_browser(index):
            dialogs.error(self.widget, _("No web browser could open {index}.").format(index=index),
                          _("Open the file from your file manager instead."))

    # -- publish -------------------------------------------------------------------------------
    def publish_dialog(self) -> None:
        """Ask where to (the story's last destination first), then export and publish."""
        story_file = self.document.path
        if not self.document.story.photos:
            dialogs.error(self.widget, _("The story has no photos to publish yet."),
                          _("Import photos first (File ▸ Import Photos…)."))
            return
        if story_file is None:
            # Its export folder and its destination are kept by the story file's path.
            dialogs.error(self.widget, _("Save the story before publishing it."),
                          _("Its export folder and its destination go with the story file."))
            return
        folder = export_dialog.default_export_folder(self.document.story, story_file)
        destination = publish_dialog.ask_publish(
            self.widget, *self.settings.publish_destination(story_file), folder)
        if destination is None:
            return
        self.settings.remember_publish_destination(story_file, destination.text,
                                                   destination.endpoint_url or "")
        options = ExportOptions(widths=self.settings.export_widths,
                                quality=self.settings.jpeg_quality)
        if self.preflight_allows_export(options, "Publish"):
            self.start_publish(destination, folder, options)

    def start_publish(self, destination: Destination, folder: Path,
                      options: ExportOptions) -> Task | None:
        """Export into ``folder`` (only what changed), then send what changed to
        ``destination``: one background task, cancelled between files."""
        if not self.can_start_work():
            return None
        export = self._export_work(folder, options)
        title = self.document.story.title
        base = self.document.story.base_url

        def work(progress: Progress, cancel: CancelToken
                 ) -> tuple[ExportReport, PublishReport, str]:
            exported = export(progress, cancel)
            report = publish(exported.out_dir, destination, progress, cancel,
                             public_url=base + "index.html" if base else None)
            return exported, report, publish_dialog.embed_code(report, exported.out_dir, title,
                                                               absolute=bool(base))

        return (self.tasks.run(_("Publishing"), work)
                .on_success(lambda result: self._publish_done(*result))
                .on_cancel(lambda: self.status.say(
                    _("Publish cancelled; the site keeps a complete story. Publish again to "
                    "finish."))))

    def _publish_done(self, exported: ExportReport, report: PublishReport, embed: str) -> None:
        self.last_export = exported
        self.status.say(report.summary())
        notes = [reason for _file, reason in exported.failed] + list(exported.warnings)
        publish_dialog.show_published(self.widget, report, embed, notes)

    # -- relink --------------------------------------------------------------------------------
    def relink_dialog(self, photo_id: str = "") -> None:
        story = self.document.story
        missing = missing_photo_ids(story)
        if not missing:
            self.status.say(_("Every photo's file is where the story expects it."))
            return
        selected = [pid for pid in self.selection() if pid in missing]
        photo_id = photo_id or (selected[0] if selected else missing[0])
        photo = story.photo(photo_id)
        start = photo.path.parent if photo.path.parent.is_dir() else self.last_folder()
        path = dialogs.open_file(self.widget, _("Where is {file_name} now?")
                                              .format(file_name=photo.file_name), start,
                                 f"{photo.file_name};;{image_filter()}")
        if path is not None:
            self.relink(photo_id, path)

    def relink(self, photo_id: str, new_path: Path) -> int:
        """Relink the photo (and its missing folder-mates); returns how many were found."""
        story = self.document.story
        try:
            edit = relink_edit(story, photo_id, new_path)
        except NoChange:
            return 0
        self.document.apply_edit(edit)
        count = len(edit.changes)
        still = len(missing_photo_ids(story))
        text = ngettext("Relinked {count} photo.", "Relinked {count} photos.", count).format(
            count=count)
        if still:
            text += " " + ngettext("{count} photo still missing: use Photos ▸ Relink… again.",
                                   "{count} photos still missing: use Photos ▸ Relink… again.",
                                   still).format(count=still)
        self.status.say(text)
        return count
