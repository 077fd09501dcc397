"""The story form's date: a date, or a date and a time, typed as YYYY-MM-DD or
YYYY-MM-DDTHH:MM; anything else is said under the field and the story keeps its date."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from ui_support import story_with_photos


def type_date(window, qtbot, text: str) -> None:  # noqa: ANN001
    field = window.article.form.published
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def test_a_date_and_a_time_are_taken_as_one_undo_step(window, tmp_path: Path, qtbot) -> None:
    window.document.set_story(story_with_photos(tmp_path / "p", 1), None)
    story = window.document.story
    type_date(window, qtbot, "2022-10-05T15:44")
    assert story.published == "2022-10-05T15:44"
    assert not window.article.form.problem.isVisibleTo(window)
    assert window.document.undo_stack.count() == 1
    window.act_undo.trigger()
    assert story.published == ""
    type_date(window, qtbot, "2022-10-05 09:05")
    assert story.published == "2022-10-05T09:05"  # written as the story keeps it
    type_date(window, qtbot, "2022-10-06")
    assert story.published == "2022-10-06"


def test_a_date_that_is_no_date_is_said_under_the_field(window, tmp_path: Path, qtbot) -> None:
    window.document.set_story(story_with_photos(tmp_path / "p", 1), None)
    story = window.document.story
    story.published = "2022-10-05"
    window.article.form.load()
    problem = window.article.form.problem
    type_date(window, qtbot, "2022-13-05")
    assert problem.isVisibleTo(window)
    assert problem.text().startswith("2022-13-05 is not a date in the calendar: write the date as "
                                     "YYYY-MM-DD, or with the time as YYYY-MM-DDTHH:MM")
    assert story.published == "2022-10-05"
    type_date(window, qtbot, "5 Oct")
    assert problem.text().startswith("5 Oct is not a date")  # said at once: it cannot become one
    type_date(window, qtbot, "2022-1")
    assert not problem.isVisibleTo(window)  # half typed is not wrong yet
    qtbot.keyClick(window.article.form.published, Qt.Key.Key_Return)
    assert problem.isVisibleTo(window)
    assert problem.text().endswith("The story keeps 2022-10-05.")
    assert story.published == "2022-10-05"
    type_date(window, qtbot, "2022-10-07")
    assert not problem.isVisibleTo(window) and story.published == "2022-10-07"


def test_a_source_language_another_version_has_is_refused_in_words(window, tmp_path: Path) -> None:
    from ui_support import three_versions

    window.document.set_story(three_versions(tmp_path / "p"), None)
    form = window.article.form
    form.language.setCurrentIndex(form.language.findData("ru"))
    assert window.document.story.language == "en"
    assert form.problem.isVisibleTo(window)
    assert form.problem.text() == ("The story already has a ru version (remove that version "
                                   "first).")
    assert form.language.currentData() == "en"
    assert window.document.undo_stack.count() == 0
