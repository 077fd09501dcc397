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

from photostory.core.wording import plural

APP = "Photostory"
INLINE_DETAILS = 6  # more lines than this go behind "Show Details…"


def error(parent: QWidget | None, text: str, hint: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, APP, text, QMessageBox.StandardButton.Ok, parent)
    if hint:
        box.setInformativeText(hint)
    box.exec()


def report(parent: QWidget | None, text: str, lines: Sequence[str], hint: str = "") -> None:
    """A summary with a list of problems (skipped files, unmatched rows)."""
    box = QMessageBox(QMessageBox.Icon.Information if not lines else QMessageBox.Icon.Warning,
                      APP, text, QMessageBox.StandardButton.Ok, parent)
    shown = list(lines[:INLINE_DETAILS])
    informative = "\n".join(f"• {line}" for line in shown)
    if len(lines) > INLINE_DETAILS:
        informative += f"\n…and {len(lines) - INLINE_DETAILS} more (Show Details…)."
        box.setDetailedText("\n".join(lines))
    if hint:
        informative = f"{informative}\n\n{hint}" if informative else hint
    box.setInformativeText(informative)
    box.exec()


def ask_save_changes(parent: QWidget | None, name: str) -> str:
    """"save", "discard" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Question, APP,
                      f"Save the changes to “{name}” before closing it?", parent=parent)
    box.setInformativeText("If you don't save, your changes since the last save are lost.")
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
    name, _ = QFileDialog.getOpenFileName(parent, caption, str(directory), filters)
    return Path(name) if name else None


def open_files(parent: QWidget | None, caption: str, directory: Path, filters: str) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, caption, str(directory), filters)
    return [Path(n) for n in names]


def save_file(parent: QWidget | None, caption: str, suggested: Path, filters: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), filters)
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
                      f"Preflight found {plural(count, 'problem')} that should be "
                      "fixed before the story is published.", parent=parent)
    informative = "\n".join(f"• {line}" for line in errors[:INLINE_DETAILS])
    if count > INLINE_DETAILS:
        informative += f"\n…and {count - INLINE_DETAILS} more (Show Details…)."
        box.setDetailedText("\n".join(errors))
    if warnings:
        informative += f"\n\nAlso to check: {warnings}."
    informative += "\n\nThe Preflight panel lists them; click one to go to its photo."
    box.setInformativeText(informative)
    export = box.addButton(f"{action} Anyway", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is export


def ask_restore(parent: QWidget | None, name: str, message: str) -> bool:
    """A recovery file was found: True to restore its changes, False to discard them."""
    box = QMessageBox(QMessageBox.Icon.Question, APP,
                      f"“{name}” has changes that were never saved: Photostory closed before "
                      "they were.", parent=parent)
    box.setInformativeText(f"{message}.\n\nRestore them to go on where you left off (they stay "
                           "unsaved until you save), or discard them for good.")
    restore = box.addButton("Restore Changes", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Discard Them", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def ask_save_conflict(parent: QWidget | None, name: str) -> str:
    """The story file was changed on disk by someone else since it was opened or saved
    here: "reload", "save_as", "overwrite" or "cancel"."""
    box = QMessageBox(QMessageBox.Icon.Warning, APP,
                      f"“{name}” was changed by someone else since you opened or saved it.",
                      parent=parent)
    box.setInformativeText("Saving now would replace their changes with yours.\n\n"
                           "Reload opens their version and discards your unsaved changes; "
                           "Save As… keeps yours in another file and theirs in this one; "
                           "Overwrite replaces their version with yours.")
    reload = box.addButton("Reload Their Version", QMessageBox.ButtonRole.DestructiveRole)
    save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
    overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
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
