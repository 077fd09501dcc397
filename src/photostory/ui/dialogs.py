"""Every modal question and message the editor puts to the user, in one place.

Windows call these functions instead of QMessageBox/QFileDialog directly, so tests can
replace them (offscreen, nobody clicks) and every message is reviewed in one file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from photostory.core.i18n import _, ngettext

APP = "Photostory"
INLINE_DETAILS = 6  # more lines than this go behind "Show Details…"


def error(parent: QWidget | None, text: str, hint: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, APP, text, QMessageBox.StandardButton.Ok, parent)
    if hint:
        box.setInformativeText(hint)
    box.exec()


def _more(count: int) -> str:
    return ngettext("…and {count} more (Show Details…).", "…and {count} more (Show Details…).",
                    count).format(count=count)


def report(parent: QWidget | None, text: str, lines: Sequence[str], hint: str = "") -> None:
    """A summary with a list of problems (skipped files, unmatched rows)."""
    box = QMessageBox(QMessageBox.Icon.Information if not lines else QMessageBox.Icon.Warning,
                      APP, text, QMessageBox.StandardButton.Ok, parent)
    shown = list(lines[:INLINE_DETAILS])
    informative = "\n".join(f"• {line}" for line in shown)
    if len(lines) > INLINE_DETAILS:
        informative += "\n" + _more(len(lines) - INLINE_DETAILS)
        box.setDetailedText("\n".join(lines))
    if hint:
        informative = f"{informative}\n\n{hint}" if informative else hint
    box.setInformativeText(informative)
    box.exec()


def ask_save_changes(parent: QWidget | None, name: str) -> str:
    """"save", "discard" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Question, APP,
                      _("Save the changes to “{name}” before closing it?")
                      .format(name=name), parent=parent)
    box.setInformativeText(_("If you don't save, your changes since the last save are lost."))
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def confirm(parent: QWidget | None, text: str, hint: str, action: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, APP, text, parent=parent)
    box.setInformativeText(hint)
    ok = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok


def open_file(parent: QWidget | None, caption: str, directory: Path, filters: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, caption, str(directory), filters)
    return Path(name) if name else None


def open_files(parent: QWidget | None, caption: str, directory: Path, filters: str) -> list[Path]:
    names, _filter = QFileDialog.getOpenFileNames(parent, caption, str(directory), filters)
    return [Path(n) for n in names]


def save_file(parent: QWidget | None, caption: str, suggested: Path, filters: str) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, caption, str(suggested), filters)
    return Path(name) if name else None


def choose_folder(parent: QWidget | None, caption: str, directory: Path) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, caption, str(directory))
    return Path(name) if name else None


def open_in_browser(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def confirm_export_problems(parent: QWidget | None, errors: Sequence[str], warnings: str,
                            action: str = "Export") -> bool:
    """Preflight found errors: export (or publish: ``action``) anyway? ``warnings`` is a
    one-line summary or ""."""
    count = len(errors)
    box = QMessageBox(QMessageBox.Icon.Warning, APP,
                      ngettext("Preflight found {count} problem that should be fixed before "
                               "the story is published.",
                               "Preflight found {count} problems that should be fixed before "
                               "the story is published.", count).format(count=count),
                      parent=parent)
    informative = "\n".join(f"• {line}" for line in errors[:INLINE_DETAILS])
    if count > INLINE_DETAILS:
        informative += "\n" + _more(count - INLINE_DETAILS)
        box.setDetailedText("\n".join(errors))
    if warnings:
        informative += "\n\n" + _("Also to check: {warnings}.").format(warnings=warnings)
    informative += "\n\n" + _("The Preflight panel lists them; click one to go to its photo.")
    box.setInformativeText(informative)
    anyway = _("Publish Anyway") if action == "Publish" else _("Export Anyway")
    export = box.addButton(anyway, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is export


def ask_restore(parent: QWidget | None, name: str, message: str) -> bool:
    """A recovery file was found: True to restore its changes, False to discard them."""
    box = QMessageBox(QMessageBox.Icon.Question, APP,
                      _("“{name}” has changes that were never saved: Photostory closed before "
                      "they were.").format(name=name), parent=parent)
    box.setInformativeText(_("{message}.\n\nRestore them to go on where you left off (they stay "
                           "unsaved until you save), or discard them for good.")
                           .format(message=message))
    restore = box.addButton(_("Restore Changes"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Discard Them"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def ask_save_conflict(parent: QWidget | None, name: str) -> str:
    """The story file was changed on disk by someone else since it was opened or saved
    here: "reload", "save_as", "overwrite" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Warning, APP,
                      _("“{name}” was changed by someone else since you opened or saved it.")
                      .format(name=name),
                      parent=parent)
    box.setInformativeText(_("Saving now would replace their changes with yours.\n\n"
                           "Reload opens their version and discards your unsaved changes; "
                           "Save As… keeps yours in another file and theirs in this one; "
                           "Overwrite replaces their version with yours."))
    reload = box.addButton(_("Reload Their Version"), QMessageBox.ButtonRole.DestructiveRole)
    save_as = box.addButton(_("Save As…"), QMessageBox.ButtonRole.AcceptRole)
    overwrite = box.addButton(_("Overwrite"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as)  # the answer that loses nobody's work
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload:
        return "reload"
    if clicked is save_as:
        return "save_as"
    if clicked is overwrite:
        return "overwrite"
    return "cancel"
