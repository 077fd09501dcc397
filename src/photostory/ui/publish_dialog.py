"""File ▸ Publish…: where to send the story, and what was sent when it is done.

The destination is checked with the core's own parser before the dialog closes, so a
destination the publish would refuse (an unknown kind, a password in the address) is
refused here already, with the same words, before anything is exported.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QVBoxLayout, QWidget)

from photostory.core.i18n import N_, _
from photostory.core.publish import Destination, PublishReport, parse_destination
from photostory.errors import PublishError
from photostory.ui.widgets import ProblemLabel

EXAMPLE = N_("For example sftp://desk@www.example.kz/var/www/stories/saran")
KINDS_TIP = N_("sftp://user@host[:port]/path logs in with ssh-agent or the keys in ~/.ssh; "
             "s3://bucket/prefix uses the AWS configuration; file:///path is a local or "
             "mounted folder. Passwords are never used or stored.")


class PublishDialog(QDialog):
    """Asks for a destination (and an S3 endpoint); closes only on one the core accepts."""

    def __init__(self, destination: str, endpoint_url: str, export_folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Publish Story"))
        self.destination = QLineEdit(destination)
        self.destination.setPlaceholderText(_("sftp://, s3:// or file://"))
        self.destination.setToolTip(_(KINDS_TIP))
        self.destination.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 60))
        example = QLabel(_(EXAMPLE))
        example.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        example.setEnabled(False)  # drawn greyed: a hint, not a value
        self.endpoint = QLineEdit(endpoint_url)
        self.endpoint.setPlaceholderText(_("Only for S3-compatible stores: https://storage.example.kz"))
        self.problem = ProblemLabel()
        form = QFormLayout()
        form.addRow(_("&Destination"), self.destination)
        form.addRow("", example)
        form.addRow(_("S3 &endpoint URL"), self.endpoint)
        note = QLabel(_("The story is exported first into {export_folder} (only what changed is "
                      "made again), then only the files whose content changed since the last "
                      "publish are sent.").format(export_folder=export_folder))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.publish_button = buttons.addButton(_("Publish"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.publish_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def chosen(self) -> Destination | None:
        """The destination, or None (with the reason shown) when it can't be used."""
        text = self.destination.text().strip()
        if not text:
            return self._fail(_("Enter where to publish the story.") + " " + _(EXAMPLE) + ".")
        try:
            return parse_destination(text, self.endpoint.text().strip() or None)
        except PublishError as exc:
            return self._fail(str(exc))

    def _fail(self, message: str) -> None:
        self.problem.show_problem(message)
        return None

    def accept(self) -> None:
        if self.chosen() is not None:
            super().accept()


def ask_publish(parent: QWidget | None, destination: str, endpoint_url: str,
                export_folder: Path) -> Destination | None:
    """The destination the user chose, starting from the remembered one (or None)."""
    dialog = PublishDialog(destination, endpoint_url, export_folder, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen()


def embed_code(report: PublishReport, export_dir: Path, title: str, absolute: bool = False) -> str:
    """What the site's CMS gets: the export's ``embed.html`` when its addresses are absolute
    (the story has a base URL: the fragment works pasted anywhere); else a frame showing the
    published page when its web address is known; else that same ``embed.html``, relative
    (a ``file://`` address is no use to a site)."""
    url = report.public_url or ""
    if not absolute and url.startswith(("https://", "http://")):
        return (f'<iframe src="{escape(url)}" title="{escape(title or "Photo story")}" '
                'loading="lazy" style="width: 100%; height: 80vh; border: 0"></iframe>\n')
    return (export_dir / "embed.html").read_text(encoding="utf-8")


class PublishedDialog(QDialog):
    """What a publish sent, where readers find it, and a button copying the embed code."""

    def __init__(self, report: PublishReport, embed: str, notes: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Story Published"))
        self.embed = embed
        summary = QLabel(report.summary())
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        if report.public_url:
            self.address = QLabel(f'<a href="{escape(report.public_url)}">'
                                  f'{escape(report.public_url)}</a>')
            self.address.setTextFormat(Qt.TextFormat.RichText)
            self.address.setOpenExternalLinks(True)
            self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            self.address.setWordWrap(True)
            layout.addWidget(QLabel(_("Readers find it at:")))
            layout.addWidget(self.address)
        if notes:
            problems = QLabel("\n".join(f"• {line}" for line in notes))
            problems.setWordWrap(True)
            layout.addWidget(problems)
        self.copied = QLabel()
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(_("Copy Embed Code"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_embed_code)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 72))

    def copy_embed_code(self) -> None:
        QApplication.clipboard().setText(self.embed)
        self.copied.setText(_("The embed code is on the clipboard: paste it into the site's page."))


def show_published(parent: QWidget | None, report: PublishReport, embed: str,
                   notes: Sequence[str] = ()) -> None:
    PublishedDialog(report, embed, notes, parent).exec()
