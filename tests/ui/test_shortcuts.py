"""Caption shortcuts in the editor: ``=kt=`` expands as its closing ``=`` is
typed in the caption, credit or alt field, in one undo step with the typing; captions
sheets expand too; a bad shortcuts file is a sentence, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from photostory.core.story import Story
from photostory.ui.preferences import PreferencesDialog
from ui_support import story_with_photos

KT = "Kassym-Jomart Tokayev"


@pytest.fixture
def glossary(tmp_path: Path, settings) -> Path:
    path = tmp_path / "glossary.txt"
    path.write_text("# newsroom glossary\nkt\tKassym-Jomart Tokayev\nak\takorda.kz\n"
                    "ast\tАстана\n", encoding="utf-8")
    settings.shortcuts_file = path
    return path


@pytest.fixture
def story(window, tmp_path: Path) -> Story:
    story = story_with_photos(tmp_path / "photos", 3)
    window.document.set_story(story, None)
    window.tray.select_ids([story.photos[0].id])
    return story


def test_code_in_the_caption_expands_as_typed_and_undo_takes_it_back(window, story: Story, glossary,
                                                                     qtbot) -> None:
    photo = story.photos[0]
    caption = window.inspector.caption
    caption.setFocus()
    qtbot.keyClicks(caption, "President =kt")
    assert caption.toPlainText() == "President =kt"  # nothing until the closing "="
    qtbot.keyClicks(caption, "=")
    assert caption.toPlainText() == f"President {KT}"
    assert caption.textCursor().position() == len(f"President {KT}")  # typing goes on after it
    qtbot.keyClicks(caption, " visits =ast=.")
    assert photo.caption == f"President {KT} visits Астана."
    stack = window.document.undo_stack
    assert stack.count() == 1  # the typing and its expansions are one step
    window.act_undo.trigger()
    assert photo.caption == "" and caption.toPlainText() == ""


def test_code_typed_in_the_middle_keeps_the_cursor_after_the_expansion(window, story: Story,
                                                                       glossary, qtbot) -> None:
    caption = window.inspector.caption
    caption.insertPlainText("🇰🇿 Visit of  today")  # (QTest cannot type characters beyond the BMP)
    cursor = caption.textCursor()
    cursor.setPosition(len("🇰🇿 Visit of ".encode("utf-16-le")) // 2)  # Qt counts UTF-16 units
    caption.setTextCursor(cursor)
    qtbot.keyClicks(caption, "=kt=")
    assert caption.toPlainText() == f"🇰🇿 Visit of {KT} today"
    assert caption.textCursor().position() == len(f"🇰🇿 Visit of {KT}".encode("utf-16-le")) // 2
    assert story.photos[0].caption == f"🇰🇿 Visit of {KT} today"


def test_credit_and_alt_expand_too(window, story: Story, glossary, qtbot) -> None:
    photo = story.photos[0]
    inspector = window.inspector
    inspector.credit.clear()
    inspector.credit.setFocus()
    qtbot.keyClicks(inspector.credit, "=ak=")
    assert inspector.credit.text() == "akorda.kz" and photo.credit == "akorda.kz"
    assert inspector.credit.cursorPosition() == len("akorda.kz")
    inspector.alt.setFocus()
    qtbot.keyClicks(inspector.alt, "=kt= shakes hands")
    assert photo.alt == f"{KT} shakes hands"
    window.act_undo.trigger()  # the alt text's typing
    assert photo.alt == ""
    window.act_undo.trigger()  # the credit's
    assert photo.credit == "Agency 0"


def test_unknown_codes_and_other_equals_signs_stay_as_typed(window, story: Story, glossary,
                                                            qtbot) -> None:
    caption = window.inspector.caption
    qtbot.keyClicks(caption, "a=b= and =zz= and x == y")
    assert story.photos[0].caption == "a=b= and =zz= and x == y"


def test_glossary_edited_while_the_editor_runs_is_used(window, story: Story, glossary,
                                                       qtbot) -> None:
    qtbot.keyClicks(window.inspector.caption, "=kt=")
    glossary.write_text("kt\tTokayev\n", encoding="utf-8")
    qtbot.keyClicks(window.inspector.caption, " and =kt=")
    assert story.photos[0].caption == f"{KT} and Tokayev"


def test_a_bad_shortcuts_file_never_breaks_typing(window, story: Story, settings, tmp_path: Path,
                                                  qtbot) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("kt Kassym-Jomart Tokayev\n", encoding="utf-8")  # a space, not a tab
    settings.shortcuts_file = bad
    qtbot.keyClicks(window.inspector.caption, "=kt=")
    assert story.photos[0].caption == "=kt="
    assert "line 1: expected a code, a tab" in window.shortcuts.error
    assert window.status.message.text().strip().startswith(
        "Caption shortcuts are off: bad.txt line 1: expected a code, a tab")


def test_preferences_report_a_bad_shortcuts_file_and_keep_the_old_one(qtbot, settings, glossary,
                                                                       tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"kt\t\xff\xfe broken\n")
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.shortcuts.setText(str(bad))
    dialog.max_caption.setValue(300)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem.text() == "The shortcuts file cannot be used: bad.txt: is not UTF-8 text."
    assert "Traceback" not in dialog.problem.text()
    assert settings.shortcuts_file == glossary and settings.max_caption == 400

    missing = tmp_path / "nowhere.txt"
    dialog.shortcuts.setText(str(missing))
    dialog.accept()
    assert "nowhere.txt: file not found." in dialog.problem.text()

    dialog.shortcuts.setText(str(glossary))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.max_caption == 300


def test_preferences_choose_and_clear_the_shortcuts_file(window, settings, glossary, scripted,
                                                         qtbot) -> None:
    dialog = PreferencesDialog(settings, window)
    qtbot.addWidget(dialog)
    assert dialog.shortcuts.text() == str(glossary)
    other = glossary.with_name("other.txt")
    other.write_text("x\tExpanded\n", encoding="utf-8")
    scripted.files.append(other)
    dialog._browse()
    assert dialog.shortcuts.text() == str(other)
    dialog.shortcuts.clear()
    dialog.accept()
    assert settings.shortcuts_file is None


def test_captions_sheet_import_expands_codes(window, story: Story, glossary, tmp_path: Path,
                                             scripted) -> None:
    sheet = tmp_path / "captions.csv"
    sheet.write_text("file,caption,credit\nphoto-001.jpg,=kt= in =ast=,=ak=\n", encoding="utf-8")
    scripted.files.append(sheet)
    window.act_import_captions.trigger()
    assert story.photos[1].caption == f"{KT} in Астана"
    assert story.photos[1].credit == "akorda.kz"


def test_captions_sheet_import_with_a_bad_shortcuts_file_says_why(window, story: Story, settings,
                                                                  tmp_path: Path, scripted) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("kt\n", encoding="utf-8")
    settings.shortcuts_file = bad
    sheet = tmp_path / "captions.csv"
    sheet.write_text("file,caption\nphoto-001.jpg,=kt=\n", encoding="utf-8")
    assert not window.story_actions.import_captions(sheet)
    assert story.photos[1].caption == "Caption 1"
    (error,) = scripted.errors
    assert error.startswith("The captions sheet was not imported: the caption shortcuts file "
                            "cannot be used. bad.txt line 1: expected a code, a tab")
    assert "Preferences" in error and "Traceback" not in error
