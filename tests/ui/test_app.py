"""Starting the editor, unexpected errors, and the guard for the installed PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from photostory.errors import StoryFileError
from photostory.ui import app


def test_unexpected_errors_are_logged_and_summarised_without_a_traceback(qapp, monkeypatch, caplog,
                                                                          tmp_path: Path) -> None:
    shown: list[tuple[str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append((box.text(), box.informativeText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    hook = app.ExceptHook(tmp_path / "photostory.log")
    try:
        {}["missing"]
    except KeyError:
        hook(*sys.exc_info())
    text, hint = shown[0]
    assert text == "Something went wrong: KeyError: 'missing'."
    assert "save it" in hint and str(tmp_path / "photostory.log") in hint
    assert "Traceback" not in text + hint
    assert "Traceback" in caplog.text  # the details went to the log


def test_user_errors_show_their_own_sentence() -> None:
    text, hint = app.unexpected_error_text(StoryFileError("a.photostory: file not found."), None)
    assert (text, hint) == ("a.photostory: file not found.", "")


def test_run_editor_opens_the_story_and_returns_the_exit_code(qapp, monkeypatch, tmp_path: Path) -> None:
    from photostory.resources import sample_story
    from photostory.ui.main_window import MainWindow
    from photostory.ui.story_files import StoryFiles

    opened: list[Path] = []
    real_open = StoryFiles.open_story

    def open_story(self: StoryFiles, path: Path, ask: bool = True) -> bool:
        opened.append(path)
        return real_open(self, path, ask)

    monkeypatch.setattr(StoryFiles, "open_story", open_story)
    monkeypatch.setattr(type(qapp), "exec", lambda self: 0)
    monkeypatch.setattr(app, "configure_logging", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    before = set(qapp.topLevelWidgets())
    assert app.run_editor(sample_story()) == 0
    assert opened == [sample_story()]
    assert qapp.organizationName() == "Photostory" and qapp.applicationName() == "Photostory"
    for widget in set(qapp.topLevelWidgets()) - before:
        if isinstance(widget, MainWindow):
            widget.thumbnails.shutdown()
            widget.document.undo_stack.setClean()
            widget.close()


def test_many_qt_calls_do_not_exhaust_none_or_true() -> None:
    # PySide6 6.12.0 drops a reference to None/True on every void call and signal emit,
    # which aborts Python 3.11 after a few thousand calls; pyproject.toml excludes it.
    # Run in a subprocess so a regression is a failed test, not a crashed suite.
    probe = (
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "class E(QObject):\n    fired = Signal()\n"
        "app = QCoreApplication([])\ne = E()\n"
        "for _ in range(50_000):\n    e.setObjectName('x'); e.fired.emit()\n"
        "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-500:]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_qts_own_buttons_follow_the_language(qapp, language):
    from PySide6.QtWidgets import QDialogButtonBox

    try:
        assert app.install_qt_translation(qapp, language)
        cancel = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        text = cancel.button(QDialogButtonBox.StandardButton.Cancel).text()
        assert text.replace("&", "") == {"ru": "Отмена", "kk": "Бас тарту"}[language]
    finally:
        app.install_qt_translation(qapp, "en")


@pytest.mark.parametrize(("chosen", "locale_name", "language", "cancel"), [
    ("kk", "ru_RU.UTF-8", "kk", "Бас тарту"),  # Preferences ▸ Editor language wins
    ("", "ru_RU.UTF-8", "ru", "Отмена"),  # the system's language
    ("", "C.UTF-8", "en", "Cancel"),
])
def test_the_editor_speaks_the_language_preferences_name(qapp, settings, monkeypatch, chosen,
                                                         locale_name, language, cancel):
    from PySide6.QtWidgets import QDialogButtonBox

    from photostory.core import i18n

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale_name)
    settings.language = chosen
    try:
        assert app.use_preferred_language(qapp, settings) == language
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == cancel
        assert i18n.current_language() == language
    finally:
        i18n.use_language("en")
        app.install_qt_translation(qapp, "en")


def test_preferences_keep_the_chosen_language(qtbot, settings):
    from photostory.ui.preferences import PreferencesDialog

    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("kk"))
    dialog.accept()
    assert settings.language == "kk"
    again = PreferencesDialog(settings)
    qtbot.addWidget(again)
    assert again.language.currentData() == "kk"
