"""Fixtures for the editor tests: a window with settings in tmp_path, scripted dialogs,
and photos generated with Pillow."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from photostory.core.story import Story
from photostory.ui import dialogs, export_dialog, publish_dialog
from ui_support import closing_unexpected_message_boxes, story_with_photos


@dataclass
class ScriptedDialogs:
    """Stands in for every modal dialog: records what the user would have seen and
    answers from a script (nobody can click in an offscreen test)."""

    errors: list[str] = field(default_factory=list)
    reports: list[tuple[str, list[str]]] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    files: list[Any] = field(default_factory=list)  # answers for the next file dialogs
    save_changes: str = "discard"
    confirm_answer: bool = True
    export_request: Any = None
    opened: list[Path] = field(default_factory=list)
    export_anyway: bool = False  # the answer when preflight found errors before an export
    export_problems: list[tuple[list[str], str]] = field(default_factory=list)
    restore_answer: bool = True  # restore recovered changes?
    restore_offers: list[tuple[str, str]] = field(default_factory=list)  # (story name, message)
    publish_to: Any = None  # the Destination the Publish dialog answers (None: Cancel)
    publish_offers: list[tuple[str, str]] = field(default_factory=list)  # what it was filled with
    published: list[tuple[Any, str, list[str]]] = field(default_factory=list)  # report, embed, notes

    def error(self, parent: Any, text: str, hint: str = "") -> None:
        self.errors.append(f"{text} {hint}".strip())

    def report(self, parent: Any, text: str, lines: Any, hint: str = "") -> None:
        self.reports.append((text, list(lines)))

    def ask_save_changes(self, parent: Any, name: str) -> str:
        self.questions.append(f"save changes to {name}")
        return self.save_changes

    def confirm(self, parent: Any, text: str, hint: str, action: str) -> bool:
        self.questions.append(text)
        return self.confirm_answer

    def _next_file(self) -> Any:
        assert self.files, "a file dialog opened that the test did not expect"
        return self.files.pop(0)

    def open_file(self, *args: Any) -> Path | None:
        return self._next_file()

    def open_files(self, *args: Any) -> list[Path]:
        return self._next_file()

    def save_file(self, *args: Any) -> Path | None:
        return self._next_file()

    def choose_folder(self, *args: Any) -> Path | None:
        return self._next_file()

    def open_in_browser(self, path: Path) -> bool:
        self.opened.append(path)
        return True

    def ask_export(self, *args: Any, **kwargs: Any) -> Any:
        return self.export_request

    def confirm_export_problems(self, parent: Any, errors: Any, warnings: str,
                                action: str = "Export") -> bool:
        self.export_problems.append((list(errors), warnings))
        return self.export_anyway

    def ask_publish(self, parent: Any, destination: str, endpoint_url: str, folder: Path) -> Any:
        self.publish_offers.append((destination, endpoint_url))
        return self.publish_to

    def show_published(self, parent: Any, report: Any, embed: str, notes: Any = ()) -> None:
        self.published.append((report, embed, list(notes)))

    def ask_restore(self, parent: Any, name: str, message: str) -> bool:
        self.restore_offers.append((name, message))
        return self.restore_answer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_dialogs: the real ui/dialogs.py, answered by "
                            "clicking (ui_support.answer_message_box), not the script")


@pytest.fixture(autouse=True)
def scripted(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedDialogs]:
    fake = ScriptedDialogs()
    if request.node.get_closest_marker("real_dialogs"):
        # Nothing replaced: the test answers the real dialogs itself, and one it did not
        # expect (even while the window closes after it) fails it instead of hanging.
        request.getfixturevalue("qapp")
        with closing_unexpected_message_boxes() as unexpected:
            yield fake
        assert unexpected == [], f"dialogs nobody answered: {unexpected}"
        return
    for name in ("error", "report", "ask_save_changes", "confirm", "open_file", "open_files",
                 "save_file", "choose_folder", "open_in_browser", "confirm_export_problems",
                 "ask_restore"):
        monkeypatch.setattr(dialogs, name, getattr(fake, name))
    monkeypatch.setattr(export_dialog, "ask_export", fake.ask_export)
    monkeypatch.setattr(publish_dialog, "ask_publish", fake.ask_publish)
    monkeypatch.setattr(publish_dialog, "show_published", fake.show_published)
    yield fake


@pytest.fixture(autouse=True)
def private_thumbnail_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The freedesktop thumbnail cache goes to tmp_path, never the user's ~/.cache."""
    cache = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache / "thumbnails"


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    """Even code that builds its own QSettings() writes under tmp_path, never the user's."""
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "user-settings"))


@pytest.fixture
def settings(tmp_path: Path):
    from PySide6.QtCore import QSettings

    from photostory.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, settings, tmp_path: Path) -> Iterator[Any]:
    from photostory.ui.main_window import MainWindow

    win = MainWindow(settings, recovery_dir=tmp_path / "recovery")
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.tasks.cancel_all()
    win.shutdown_workers()
    win.document.undo_stack.setClean()  # nothing to ask about when the test closes it


@pytest.fixture
def photo_story(tmp_path: Path) -> Story:
    return story_with_photos(tmp_path / "photos", 6, paragraphs=3)
