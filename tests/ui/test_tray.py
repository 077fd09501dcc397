"""The photo tray view: drops between cells, the "Needs caption" filter, keyboard habits."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt

from PySide6.QtWidgets import QApplication

from photostory.core.story import Photo, Story
from ui_support import send_drag, story_with_photos, write_jpeg


@pytest.fixture
def story(window, tmp_path: Path) -> Story:
    story = story_with_photos(tmp_path / "photos", 8)
    window.document.set_story(story, None)
    QApplication.processEvents()
    return story


def test_drop_between_cells_reorders_in_one_step(window, story: Story) -> None:
    view = window.tray.view
    model = view.model()
    names = [p.file_name for p in story.photos]
    cell = view.visualRect(model.index(3, 0))
    pos = QPointF(cell.left() + 2, cell.center().y())  # the left edge of cell 3: the gap before it
    data = model.mimeData([model.index(0, 0)])
    rows: list[int] = []
    _, _, drop = send_drag(view.viewport(), data, pos, Qt.DropAction.MoveAction,
                           between=lambda: rows.append(view.drop_indicator_row))
    assert rows == [3]
    assert drop.isAccepted() and view.drop_indicator_row == -1
    assert [p.file_name for p in story.photos] == names[1:3] + names[:1] + names[3:]
    assert window.document.undo_stack.count() == 1


def test_needs_caption_filter(window, story: Story, qtbot) -> None:
    tray = window.tray
    uncaptioned = [p.id for p in story.photos if not p.caption]
    assert tray.needs_caption.text() == f"Needs caption ({len(uncaptioned)})"
    window.act_needs_caption.trigger()  # Photos ▸ Show Only Photos Needing Captions
    assert tray.needs_caption.isChecked()
    assert tray.filter.rowCount() == len(uncaptioned)
    assert tray.title.text() == f"Photos ({len(uncaptioned)} of 8)"
    tray.select_ids([uncaptioned[0]])
    qtbot.keyClicks(window.inspector.caption, "Now captioned")
    # Still shown while it is being worked on; the count updates at once.
    assert tray.filter.rowCount() == len(uncaptioned)
    assert tray.needs_caption.text() == f"Needs caption ({len(uncaptioned) - 1})"
    tray.needs_caption.click()
    tray.needs_caption.click()
    assert tray.filter.rowCount() == len(uncaptioned) - 1


def test_enter_in_the_tray_goes_to_the_caption(window, story: Story, qtbot) -> None:
    view = window.tray.view
    window.tray.select_ids([story.photos[2].id])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.inspector.caption.hasFocus() or QApplication.focusWidget() is window.inspector.caption


def test_portrait_thumbnails_keep_their_shape(window, qtbot, tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "portrait.jpg", (300, 600))
    photo = Photo(path=path, width=300, height=600)
    window.document.set_story(Story(photos=[photo]), None)
    placeholder = window.thumbnails.placeholder(photo).deviceIndependentSize()
    qtbot.waitUntil(lambda: window.thumbnails.is_loaded(photo))
    real = window.thumbnails.pixmap(photo).deviceIndependentSize()
    assert real.height() == placeholder.height()  # the grid does not jump when it arrives
    assert abs(real.width() / real.height() - 0.5) < 0.02
    window.tray.view.grab()  # paints without errors


def test_select_all_and_remove_are_one_undo_step(window, story: Story) -> None:
    window.tray.view.setFocus()
    window.act_select_all.trigger()
    assert len(window.tray.selected_ids()) == 8
    window.act_delete.trigger()
    assert story.photos == [] and window.model.rowCount() == 0
    window.act_undo.trigger()
    assert len(story.photos) == 8 and window.model.rowCount() == 8


def test_sort_by_date(window, story: Story, qtbot) -> None:
    for number, photo in enumerate(story.photos):
        photo.date_taken = f"2026-10-05T10:{59 - number:02d}:00"
    qtbot.waitUntil(window.act_sort.isEnabled)
    window.act_sort.trigger()
    assert [p.date_taken[-5:-3] for p in story.photos] == sorted(p.date_taken[-5:-3] for p in story.photos)
    assert window.document.undo_stack.undoText() == "Sort photos by date"
