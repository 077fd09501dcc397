"""The inspector: batch edits of a selection, "(mixed)" values, typing as one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from photostory.core.edits import RemovePhotos
from photostory.core.story import Story
from photostory.core.i18n import _
from photostory.ui.inspector import MIXED
from ui_support import story_with_photos


@pytest.fixture
def story20(window, tmp_path: Path) -> Story:
    story = story_with_photos(tmp_path / "photos", 24)
    window.document.set_story(story, None)
    QApplication.processEvents()
    return story


def test_batch_credit_on_20_photos_is_one_undo_step(window, story20: Story, qtbot) -> None:
    chosen = [p.id for p in story20.photos[2:22]]
    before = {p.id: p.credit for p in story20.photos}
    assert len({before[pid] for pid in chosen}) > 1  # the fixture's credits differ
    window.tray.select_ids(chosen)
    inspector = window.inspector
    assert inspector.ids == chosen
    assert inspector.heading.text().startswith("20 photos selected")
    assert inspector.credit.text() == "" and inspector.credit.placeholderText() == _(MIXED)

    qtbot.keyClicks(inspector.credit, "akorda.kz")

    assert {story20.photo(pid).credit for pid in chosen} == {"akorda.kz"}
    assert story20.photos[0].credit == before[story20.photos[0].id]  # not selected: untouched
    stack = window.document.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Set credit of 20 photos"
    window.act_undo.trigger()
    assert {p.id: p.credit for p in story20.photos} == before
    assert inspector.credit.placeholderText() == _(MIXED)
    window.act_redo.trigger()
    assert {story20.photo(pid).credit for pid in chosen} == {"akorda.kz"}


def test_mixed_fields_stay_untouched_unless_typed_over(window, story20: Story, qtbot) -> None:
    chosen = [p.id for p in story20.photos[:4]]
    captions = {pid: story20.photo(pid).caption for pid in chosen}
    window.tray.select_ids(chosen)
    inspector = window.inspector
    assert inspector.caption.placeholderText() == _(MIXED)
    assert inspector.caption_count.text() == "Captions differ"
    qtbot.keyClicks(inspector.creator, "Jane Doe")  # edit another field only
    assert {pid: story20.photo(pid).caption for pid in chosen} == captions
    assert {story20.photo(pid).creator for pid in chosen} == {"Jane Doe"}


def test_caption_typing_merges_and_counts_characters(window, story20: Story, qtbot) -> None:
    photo = story20.photos[0]
    window.tray.select_ids([photo.id])
    inspector = window.inspector
    assert inspector.heading.text() == "Photo 1 of 24"
    qtbot.keyClicks(inspector.caption, "Workers assemble a bus.")
    assert photo.caption == "Workers assemble a bus."
    assert inspector.caption_count.text() == "23 characters"
    assert window.document.undo_stack.count() == 1
    # Leaving the photo ends the step: the next typing is a new undo step.
    window.tray.select_ids([story20.photos[1].id])
    qtbot.keyClicks(inspector.caption, "!")
    assert window.document.undo_stack.count() == 2


def test_ctrl_enter_moves_to_the_next_photo(window, story20: Story, qtbot) -> None:
    window.tray.select_ids([story20.photos[0].id])
    inspector = window.inspector
    inspector.focus_caption()
    qtbot.keyClicks(inspector.caption, "First.")
    qtbot.keyClick(inspector.caption, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert inspector.ids == [story20.photos[1].id]
    qtbot.keyClick(inspector.caption, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert inspector.ids == [story20.photos[2].id]
    qtbot.keyClick(inspector.caption, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert inspector.ids == [story20.photos[1].id]
    assert story20.photos[0].caption == "First."


def test_credit_completes_from_credits_used_before(window, story20: Story, settings) -> None:
    settings.add_used_credit("Reuters")
    window.tray.select_ids([story20.photos[0].id])
    completions = window.inspector.credit.completer().model().stringList()
    assert "Reuters" in completions and "Agency 1" in completions


def test_undo_in_a_text_field_is_the_storys_undo(window, story20: Story, qtbot) -> None:
    photo = story20.photos[1]
    window.tray.select_ids([photo.id])
    inspector = window.inspector
    inspector.alt.setFocus()
    original = photo.alt
    qtbot.keyClicks(inspector.alt, " more")
    qtbot.keyClick(inspector.alt, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert photo.alt == original and inspector.alt.toPlainText() == original


def test_undoing_remove_all_photos_brings_the_inspector_back(window, story20: Story, qtbot) -> None:
    inspector = window.inspector
    window.act_select_all.trigger()
    window.act_delete.trigger()
    assert not story20.photos
    assert inspector.heading.text() == "No photos yet"

    window.act_undo.trigger()

    assert len(story20.photos) == 24 and window.model.rowCount() == 24
    assert inspector.ids == []  # the photos are back, none of them selected
    assert inspector.heading.text() == "No photo selected"
    assert inspector.caption.placeholderText() == "Select a photo in the tray to caption it."


def test_the_heading_follows_the_photo_through_moves_and_removals(window, story20: Story) -> None:
    inspector = window.inspector
    first = story20.photos[0].id
    window.tray.select_ids([first])
    assert inspector.heading.text() == "Photo 1 of 24"

    window.model.move_photos([first], 24)
    assert inspector.heading.text() == "Photo 24 of 24"
    window.act_undo.trigger()
    assert inspector.heading.text() == "Photo 1 of 24"

    window.document.apply_edit(RemovePhotos(story20, [story20.photos[5].id]))
    assert inspector.ids == [first] and inspector.heading.text() == "Photo 1 of 23"
    window.document.apply_edit(RemovePhotos(story20, [first]))
    assert inspector.ids == [] and inspector.heading.text() == "No photo selected"
