"""Preferences: default credit and prefix for new stories, export widths and JPEG quality."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QSpinBox, QVBoxLayout, QWidget)

from photostory.ui.settings import Settings, parse_widths


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.default_credit = QLineEdit(settings.default_credit)
        self.default_credit.setPlaceholderText("e.g. akorda.kz")
        self.credit_prefix = QLineEdit(settings.credit_prefix)
        self.credit_prefix.setPlaceholderText("From the story's language (Photo:, Фото:)")
        self.widths = QLineEdit(", ".join(map(str, settings.export_widths)))
        self.quality = QSpinBox()
        self.quality.setRange(1, 100)
        self.quality.setSuffix(" %")
        self.quality.setValue(settings.jpeg_quality)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b91c1c;")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("Default &credit", self.default_credit)
        form.addRow("Credit &prefix", self.credit_prefix)
        form.addRow("Export &widths", self.widths)
        form.addRow("JPEG &quality", self.quality)
        note = QLabel("The default credit and prefix apply to stories you create from now on.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            widths = parse_widths(self.widths.text())
        except ValueError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        if not widths:
            self.problem.setText("Enter at least one export width, for example 960.")
            self.problem.show()
            return
        self.settings.default_credit = self.default_credit.text()
        self.settings.credit_prefix = self.credit_prefix.text()
        self.settings.export_widths = widths
        self.settings.jpeg_quality = self.quality.value()
        super().accept()
