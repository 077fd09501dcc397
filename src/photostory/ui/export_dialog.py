"""Export settings: where to, which widths, what JPEG quality.

A folder the export would refuse (holding files Photostory did not make, the story file
or a photo) is refused here already, with the same words, before anything is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from photostory.core.i18n import _
from photostory.core.export.folder import check_export_folder
from photostory.core.export.options import ExportOptions
from photostory.core.slug import slugify
from photostory.core.story import Story
from photostory.errors import ExportError
from photostory.ui import dialogs
from photostory.ui.settings import parse_widths
from photostory.ui.site_fields import StorySiteRows
from photostory.ui.widgets import ProblemLabel


@dataclass(frozen=True)
class ExportRequest:
    folder: Path
    options: ExportOptions
    open_after: bool
    site: dict[str, str] = field(default_factory=dict)  # the story's base URL and licences


def project_dir(story_path: Path | None) -> Path:
    """The folder whose ``exports/`` receives exports: the nearest ancestor of the story
    file that has one, else the story's folder; the working folder for an unsaved story."""
    if story_path is None:
        return Path.cwd()
    folder = Path(story_path).absolute().parent
    for candidate in (folder, *folder.parents):
        if (candidate / "exports").is_dir():
            return candidate
    return folder


def default_export_folder(story: Story, story_path: Path | None) -> Path:
    name = slugify(story.title or (story_path.stem if story_path else ""), fallback="story")
    return project_dir(story_path) / "exports" / name


class ExportDialog(QDialog):
    def __init__(self, folder: Path, widths: tuple[int, ...], quality: int,
                 parent: QWidget | None = None, *, story_file: Path | None = None,
                 photos: Sequence[Path] = (), story: Story | None = None) -> None:
        super().__init__(parent)
        self.story_file = story_file
        self.photos = list(photos)
        self.setWindowTitle(_("Export Story"))
        self.folder = QLineEdit(str(folder))
        self.folder.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 52))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.widths = QLineEdit(", ".join(map(str, widths)))
        self.widths.setToolTip(_("Image widths in pixels; browsers pick the best one for each screen."))
        self.quality = QSpinBox()
        self.quality.setRange(1, 100)
        self.quality.setValue(quality)
        self.quality.setSuffix(" %")
        self.open_after = QCheckBox(_("Open the story in the browser when the export is done"))
        self.problem = ProblemLabel()
        form = QFormLayout()
        folder_label = QLabel(_("Export &folder"))
        folder_label.setBuddy(self.folder)  # a row of two widgets gets no buddy by itself
        form.addRow(folder_label, row)
        form.addRow(_("Image &widths"), self.widths)
        form.addRow(_("JPEG &quality"), self.quality)
        form.addRow("", self.open_after)
        self.site = StorySiteRows(form, story or Story())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(_("Export"), QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel(_("The folder is replaced as a whole when the export is complete, so it "
                      "may hold only what Photostory made: a folder with other files in it is "
                      "refused. A cancelled export leaves the previous one as it was."))
        note.setWordWrap(True)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        current = Path(self.folder.text()).expanduser()
        chosen = dialogs.choose_folder(self, _("Export the story into"), current.parent)
        if chosen is not None:
            self.folder.setText(str(chosen))

    def request(self) -> ExportRequest | None:
        """The settings, or None (with the reason shown) when they can't be used."""
        text = self.folder.text().strip()
        if not text:
            return self._fail(_("Choose a folder to export into."))
        try:
            widths = parse_widths(self.widths.text())
        except ValueError as exc:
            return self._fail(str(exc))
        if not widths:
            return self._fail(_("Enter at least one image width, for example 960."))
        folder = Path(text).expanduser()
        try:
            check_export_folder(folder, self.story_file, self.photos)
        except ExportError as exc:
            return self._fail(str(exc))
        try:
            site = self.site.values()
        except ValueError as exc:
            return self._fail(str(exc))
        options = ExportOptions(widths=widths, quality=self.quality.value())
        return ExportRequest(folder, options, self.open_after.isChecked(), site)

    def _fail(self, message: str) -> None:
        self.problem.show_problem(message)
        return None

    def accept(self) -> None:
        if self.request() is not None:
            super().accept()


def ask_export(parent: QWidget | None, folder: Path, widths: tuple[int, ...], quality: int, *,
               story_file: Path | None = None, photos: Sequence[Path] = (),
               story: Story | None = None) -> ExportRequest | None:
    """The export settings the user chose; ``story_file`` and ``photos`` (the story's) are
    refused as part of the export folder; ``story`` gives the base URL and licences shown."""
    dialog = ExportDialog(folder, widths, quality, parent, story_file=story_file, photos=photos,
                          story=story)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.request()
