"""Starting the editor: the QApplication, logging, and a last line of defence for bugs.

Test hook: when the environment variable ``PHOTOSTORY_TEST_SCRIPT`` names a Python
file, :func:`run_editor` runs it once the window is up (the story, if any, opened),
with ``window`` and ``app`` in its namespace. End-to-end tests use it to make edits in
a real editor process (tests/ui/test_autosave.py kills one and recovers its edits).
Without the variable nothing happens; it adds nothing an environment able to set it
could not already do (PYTHONSTARTUP, PYTHONPATH).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QStandardPaths, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from photostory.core.i18n import _, current_language, use_language
from photostory.errors import PhotostoryError
from photostory.resources import resource
from photostory.ui.settings import Settings

log = logging.getLogger(__name__)

ORGANIZATION = "Photostory"
APPLICATION = "Photostory"
TEST_SCRIPT_ENV = "PHOTOSTORY_TEST_SCRIPT"
_qt_translator: QTranslator | None = None  # the one installed, to swap it for another language


def log_file() -> Path | None:
    """Where tracebacks go: the per-user data folder (None if it can't be created)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    if not folder:
        return None
    path = Path(folder) / "photostory.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def configure_logging() -> Path | None:
    path = log_file()
    root = logging.getLogger()
    if path is not None and not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        try:
            handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
        except OSError:
            return None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)
    return path


def unexpected_error_text(exc: BaseException, log_path: Path | None) -> tuple[str, str]:
    """The dialog's sentence and hint for an exception nobody caught."""
    if isinstance(exc, PhotostoryError):
        return str(exc), ""
    problem = f"{type(exc).__name__}: {exc}".rstrip(": ")
    text = _("Something went wrong: {problem}.").format(problem=problem)
    hint = _("Your story is still open: save it (File ▸ Save As… to be safe), and please report "
             "this problem.")
    if log_path:
        hint += " " + _("The details are in {path}.").format(path=log_path)
    return text, hint


class ExceptHook:
    """sys.excepthook: log the traceback, show the user one sentence (never a traceback)."""

    def __init__(self, log_path: Path | None) -> None:
        self.log_path = log_path
        self._showing = False
        self.shown: list[str] = []

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            app = QApplication.instance()
            if app is not None:
                app.quit()
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        text, hint = unexpected_error_text(exc, self.log_path)
        self.shown.append(text)
        if self._showing or QApplication.instance() is None:
            return  # one dialog at a time; the rest are in the log
        self._showing = True
        try:
            parent: QWidget | None = QApplication.activeWindow()
            box = QMessageBox(QMessageBox.Icon.Critical, APPLICATION, text, parent=parent)
            box.setInformativeText(hint)
            box.exec()
        finally:
            self._showing = False


def make_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setStyle("Fusion")
    icon = resource("icons", "photostory.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    install_qt_translation(app, current_language())
    return app


def use_preferred_language(app: QApplication, settings: Settings) -> str:
    """The language Preferences names, else the system's, for our messages and Qt's."""
    language = use_language(settings.language or None)
    install_qt_translation(app, language)
    return language


def install_qt_translation(app: QApplication, language: str) -> bool:
    """Qt's own words (standard buttons, file dialogs) in ``language``, from the
    ``qtbase_<language>.qm`` Qt ships; False when Qt has none (English needs none)."""
    global _qt_translator
    QLocale.setDefault(QLocale(language))
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language == "en" or not translator.load(f"qtbase_{language}", folder):
        return False
    app.installTranslator(translator)
    _qt_translator = translator
    return True


def run_editor(story_path: Path | None = None) -> int:
    """Open the editor (on ``story_path`` if given) and run until it is closed."""
    from photostory.ui.main_window import MainWindow  # after QApplication exists

    app = make_application()
    use_preferred_language(app, Settings())
    sys.excepthook = ExceptHook(configure_logging())
    window = MainWindow()
    window.show()
    if story_path is not None:
        window.files.open_story(Path(story_path), ask=False)
    else:
        window.files.offer_orphaned_recovery()  # an untitled story whose editor died
    script = os.environ.get(TEST_SCRIPT_ENV)
    if script:
        QTimer.singleShot(0, lambda: run_test_script(Path(script), window, app))
    return app.exec()


def run_test_script(path: Path, window: QWidget, app: QApplication) -> None:
    """Run the file ``PHOTOSTORY_TEST_SCRIPT`` names (see the module docstring)."""
    log.info("running the test script %s", path)
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    exec(code, {"__name__": "__photostory_test__", "window": window, "app": app})  # noqa: S102
