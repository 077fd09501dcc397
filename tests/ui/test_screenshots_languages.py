"""The editor in Russian and Kazakh, as a desk would see it: the main window on the sample
story, every menu, the export, preferences and Add Language Version dialogs and the
translator's view, each with no text cut off and no English left, and saved as pictures
(the README links those of the window and the two dialogs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import (QLabel, QLineEdit, QMenuBar, QSizePolicy, QTabBar, QVBoxLayout,
                               QWidget)

from photostory.core.i18n import _, current_language
from photostory.resources import sample_story
from photostory.ui.screenshots import (EDITOR_LANGUAGES, LANGUAGE_SHOTS, SIZE, editor_language,
                                       language_views, take_language_screenshots)
from support import photo_shown_in
from test_screenshots import tray_box
from text_fit import text_problems, english_left

VIEWS = ["editor-main", "editor-mixed", "menu-1", "menu-2", "menu-3", "menu-4", "menu-5",
         "menu-6", "export-dialog", "preferences", "publish-dialog", "add-version",
         "editor-translator-view", "editor-empty"]


def sample_words() -> list[str]:
    """What the sample story itself says (its file, article and captions files, file
    names): its words may be Latin in any language."""
    folder = sample_story().parent
    files = [path for path in folder.rglob("*") if path.is_file()]
    return [str(folder), *(path.name for path in files),
            *(path.read_text(encoding="utf-8") for path in files
              if path.suffix in {".photostory", ".txt", ".csv"})]


@pytest.mark.parametrize("language", ["en", *EDITOR_LANGUAGES])
def test_the_editor_in_the_desks_language_shows_every_text_whole(qapp, tmp_path: Path,
                                                                 language: str) -> None:
    problems: list[str] = []
    seen = []
    panes: dict[str, list[int]] = {}
    for name, widget in language_views(language):
        assert current_language() == language
        seen.append(name)
        if name.startswith("editor-"):
            panes[name] = widget.splitter.sizes()
        widget.grab().save(str(tmp_path / f"{name}-{language}.png"))
        problems += [f"{name}: {problem}" for problem in text_problems(widget)]
        if language != "en":
            problems += [f"{name}: English left: {problem}"
                         for problem in english_left(widget, sample_words())]
    assert seen == VIEWS
    # Selecting several photos does not push the panes about (a long heading once did).
    assert panes["editor-mixed"] == panes["editor-main"], panes
    assert current_language() == "en"  # the language before comes back
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", EDITOR_LANGUAGES)
def test_screenshots_for_the_readme(qapp, tmp_path: Path, language: str) -> None:
    saved = take_language_screenshots(tmp_path, language)
    assert [p.name for p in saved] == [f"{name}-{language}.png" for name in LANGUAGE_SHOTS]
    with Image.open(saved[0]) as window:
        assert window.size == SIZE
        assert photo_shown_in(window, tray_box(SIZE)) == ""
    for dialog in saved[1:]:
        with Image.open(dialog) as image:
            assert image.width > 300 and image.height > 150, dialog.name
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for path in saved:
        assert f"docs/screenshots/{path.name}" in readme, path.name
        assert (Path(__file__).resolve().parents[2] / "docs" / "screenshots" / path.name).is_file()


def test_editor_language_is_the_one_the_app_would_choose(qapp) -> None:
    with editor_language("kk"):
        assert current_language() == "kk"
        assert _("Preferences") != "Preferences"
    assert current_language() == "en"


# -- the checks themselves, on widgets made to fail them ---------------------------------

def _window_with(widget: QWidget, qtbot, width: int) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(widget)
    window.show()
    window.setFixedWidth(width)
    qtbot.waitExposed(window)
    return window


def test_a_label_squeezed_below_its_text_is_found(qtbot) -> None:
    label = QLabel("Альтернативный текст для незрячих читателей")
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # squeezable
    window = _window_with(label, qtbot, 120)
    found = text_problems(window)
    assert len(found) == 1 and "Альтернативный текст" in found[0] and "QLabel" in found[0]
    window.setFixedWidth(600)
    qtbot.wait(10)
    assert text_problems(window) == []


def test_a_wrapped_label_too_short_for_its_lines_is_found(qtbot) -> None:
    label = QLabel("Перетаскивайте, чтобы изменить порядок фотогалереи, или на статью, "
                   "чтобы разместить фотографии.")
    label.setWordWrap(True)
    label.setFixedHeight(label.fontMetrics().height())
    window = _window_with(label, qtbot, 200)
    assert any("lines need" in problem for problem in text_problems(window))


def test_a_menu_bar_too_narrow_for_its_menus_is_found(qtbot) -> None:
    bar = QMenuBar()
    for title in ("&Файл", "&Правка", "&Материал", "Ф&отографии", "&Экспорт", "&Справка"):
        bar.addMenu(title)
    window = _window_with(bar, qtbot, 160)
    assert any("not on the bar" in problem for problem in text_problems(window))


def test_tabs_squeezed_behind_their_scroll_buttons_are_found(qtbot) -> None:
    tabs = QTabBar()
    for title in ("English · en", "Қазақша · kk", "Русский · ru"):
        tabs.addTab(title)
    window = _window_with(tabs, qtbot, 150)
    assert any("Русский · ru" in problem for problem in text_problems(window))


def test_english_among_russian_is_found(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    for text in ("Подпись", "Needs caption", "Файл rocket-on-launch-pad.jpg"):
        layout.addWidget(QLabel(text))
    window.show()
    found = english_left(window, ["photos/rocket-on-launch-pad.jpg"])
    assert len(found) == 1 and "Needs, caption" in found[0]


def test_a_placeholder_longer_than_its_field_is_found(qtbot) -> None:
    field = QLineEdit()
    field.setPlaceholderText("Нет: текстовый файл со строками код<Tab>расшифровка")
    window = _window_with(field, qtbot, 160)
    assert any("placeholder" in problem for problem in text_problems(window))
    field.setText("shortcuts.txt")
    assert text_problems(window) == []


def test_a_label_showing_its_shortcuts_ampersand_is_found(qtbot) -> None:
    label = QLabel("&Папка экспорта")
    window = _window_with(label, qtbot, 300)
    assert any("&" in problem and "buddy" in problem for problem in text_problems(window))
    label.setBuddy(QLineEdit(window))
    assert text_problems(window) == []


def test_a_long_text_scrolled_to_its_end_is_found(qtbot) -> None:
    field = QLineEdit()
    window = _window_with(field, qtbot, 160)
    field.setText("Делегация осмотрела ракетный завод в Калдермуре")  # the cursor goes to the end
    assert any("end of its text" in problem for problem in text_problems(window))
    field.setCursorPosition(0)
    assert text_problems(window) == []


@pytest.mark.parametrize("language", EDITOR_LANGUAGES)
def test_a_paragraphs_menu_leaves_out_the_widgets_own_undo_in_any_language(qapp, qtbot,
                                                                           language: str) -> None:
    """The story's undo stack owns undo: the paragraph's menu hides the text widget's own
    Undo and Redo whatever Qt calls them."""
    from photostory.ui.article_blocks import ParagraphEdit

    with editor_language(language):
        editor = ParagraphEdit("b1", "Делегация осмотрела завод.")
        qtbot.addWidget(editor)
        menu = editor.context_menu()
        shown = {action.objectName() or action.text(): action.text() for action in menu.actions()
                 if action.isVisible() and not action.isSeparator()}
        assert "edit-undo" not in shown and "edit-redo" not in shown, shown
        assert "edit-copy" in shown and not shown["edit-copy"].replace("&", "").startswith("Copy")
        assert _("Delete Paragraph") in shown and _("Delete Paragraph") != "Delete Paragraph"
