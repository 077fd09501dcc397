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
