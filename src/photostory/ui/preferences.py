"""Preferences: default credit and prefix for new stories, export widths and JPEG quality,
the preflight's caption length limit and the caption shortcuts file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from photostory.core.i18n import N_, _
from photostory.core.shortcuts import load_shortcuts
from photostory.errors import PhotostoryError
from photostory.ui import dialogs
from photostory.ui.settings import MAX_CAPTION_LIMIT, MIN_CAPTION_LIMIT, Settings, parse_widths
from photostory.ui.widgets import ProblemLabel

SHORTCUTS_FILTER = N_("Shortcuts files (*.txt *.tsv);;All files (*)")


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Preferences"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 72)
        self.default_credit = QLineEdit(settings.default_credit)
        self.default_credit.setPlaceholderText(_("e.g. akorda.kz"))
        self.credit_prefix = QLineEdit(settings.credit_prefix)
        self.credit_prefix.setPlaceholderText(_("From the story's language (Photo:, Фото:)"))
        self.widths = QLineEdit(", ".join(map(str, settings.export_widths)))
        self.quality = QSpinBox()
        self.quality.setRange(1, 100)
        self.quality.setSuffix(" %")
        self.quality.setValue(settings.jpeg_quality)
        self.max_caption = QSpinBox()
        self.max_caption.setRange(MIN_CAPTION_LIMIT, MAX_CAPTION_LIMIT)
        self.max_caption.setSingleStep(50)
        self.max_caption.setSuffix(" " + _("characters"))
        self.max_caption.setValue(settings.max_caption)
        self.max_caption.setToolTip(_("Preflight warns about captions longer than this."))
        self.shortcuts = QLineEdit(str(settings.shortcuts_file or ""))
        self.shortcuts.setPlaceholderText(_("None: a text file of code<Tab>expansion lines"))
        self.shortcuts.setMinimumWidth(  # the placeholder says what the file is: all of it
            self.shortcuts.fontMetrics().horizontalAdvance(self.shortcuts.placeholderText()) + 16)
        self.shortcuts.setToolTip(_("Typing =code= in a caption, credit or alt text puts in the "
                                  "expansion; captions sheets are expanded on import too."))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        shortcuts_row = QHBoxLayout()
        shortcuts_row.setContentsMargins(0, 0, 0, 0)
        shortcuts_row.addWidget(self.shortcuts, 1)
        shortcuts_row.addWidget(browse)
        self.language = QComboBox()
        # Each language in itself, so whoever reads the list finds their own.
        for name, code in ((_("The system's language"), ""), ("English", "en"),
                           ("Русский", "ru"), ("Қазақша", "kk")):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language.setToolTip(_("Takes effect when Photostory starts again."))
        self.problem = ProblemLabel()
        form = QFormLayout()
        form.addRow(_("Editor &language"), self.language)
        form.addRow(_("Default &credit"), self.default_credit)
        form.addRow(_("Credit &prefix"), self.credit_prefix)
        form.addRow(_("Export &widths"), self.widths)
        form.addRow(_("JPEG &quality"), self.quality)
        form.addRow(_("Caption &limit"), self.max_caption)
        shortcuts_label = QLabel(_("Caption s&hortcuts"))
        shortcuts_label.setBuddy(self.shortcuts)
        form.addRow(shortcuts_label, shortcuts_row)
        note = QLabel(_("The default credit and prefix apply to stories you create from now on."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # Never narrower than the rows need (the minimum width set above would otherwise win).
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        current = self.shortcuts.text().strip()
        start = Path(current).expanduser().parent if current else Path.home()
        path = dialogs.open_file(self, _("Caption Shortcuts File"), start, _(SHORTCUTS_FILTER))
        if path is not None:
            self.shortcuts.setText(str(path))

    def accept(self) -> None:
        try:
            widths = parse_widths(self.widths.text())
        except ValueError as exc:
            self.problem.show_problem(str(exc))
            return
        if not widths:
            self.problem.show_problem(_("Enter at least one export width, for example 960."))
            return
        shortcuts_text = self.shortcuts.text().strip()
        shortcuts = Path(shortcuts_text).expanduser() if shortcuts_text else None
        if shortcuts is not None:
            try:
                count = len(load_shortcuts(shortcuts))
            except PhotostoryError as exc:
                self.problem.show_problem(_("The shortcuts file cannot be used: {reason}")
                                          .format(reason=exc))
                return
            if not count:
                self.problem.show_problem(_("{name} holds no shortcuts: write one per "
                                          "line, a code, a Tab, then the text.")
                                          .format(name=shortcuts.name))
                return
        self.settings.shortcuts_file = shortcuts
        self.settings.max_caption = self.max_caption.value()
        self.settings.default_credit = self.default_credit.text()
        self.settings.credit_prefix = self.credit_prefix.text()
        self.settings.export_widths = widths
        self.settings.jpeg_quality = self.quality.value()
        self.settings.language = self.language.currentData() or ""
        super().accept()
