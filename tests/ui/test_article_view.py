"""The story pane: dropping photos between paragraphs, moving groups, removing photos."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt

from PySide6.QtWidgets import QApplication

from photostory.core.story import Paragraph, Story
from photostory.ui import mime
from photostory.ui.article_blocks import GroupStrip, ParagraphEdit
from photostory.ui.story_model import Role
from ui_support import send_drag


@pytest.fixture
def pane(window, photo_story: Story):
    window.document.set_story(photo_story, None)
    QApplication.processEvents()
    return window.article


def drag_and_drop(widget, data: QMimeData, pos: QPoint,
                  action: Qt.DropAction = Qt.DropAction.CopyAction) -> tuple[bool, bool]:
    """Send the events a real drag would: enter, move (indicator shown), drop.
    Returns (indicator shown during the move, drop accepted)."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    seen: list[bool] = []
    _, move, drop = send_drag(widget, data, pos, actions,
                              between=lambda: seen.append(widget.drop_gap >= 0 or bool(widget.drop_group)))
    shown = seen[0]
    return shown and move.isAccepted(), drop.isAccepted()


def kinds(story: Story) -> list[str]:
    return ["p" if isinstance(b, Paragraph) else f"g{len(b.photo_ids)}" for b in story.body]


def test_drop_a_photo_between_two_paragraphs(pane, window) -> None:
    story = window.document.story
    photo = story.photos[2]
    body = pane.body
    gap_point = body.gap_point(1)  # between paragraph 1 and paragraph 2
    assert body.target_at(gap_point, photos=True) == (1, "")

    shown, accepted = drag_and_drop(body, mime.photo_ids_mime([photo.id]), gap_point)

    assert shown and accepted
    assert kinds(story) == ["p", "g1", "p", "p"]
    assert story.body[1].photo_ids == [photo.id]
    assert body.drop_gap == -1  # the indicator goes away after the drop
    strip = pane.block_widget(story.body[1].id)
    assert isinstance(strip, GroupStrip) and [p.id for p in strip.photos] == [photo.id]
    assert window.document.undo_stack.undoText() == "Place 1 photo in the article"
    window.document.undo_stack.undo()
    assert kinds(story) == ["p", "p", "p"]


def test_drop_from_the_tray_uses_the_tray_models_payload(pane, window) -> None:
    model = window.model
    data = model.mimeData([model.index(0, 0), model.index(1, 0)])  # what a tray drag carries
    _, accepted = drag_and_drop(pane.body, data, pane.body.gap_point(3))  # after the last paragraph
    assert accepted
    story = window.document.story
    assert kinds(story) == ["p", "p", "p", "g2"]
    assert window.model.index(0, 0).data(Role.PLACED) and not window.model.index(2, 0).data(Role.PLACED)


def test_a_group_is_dragged_to_another_gap(pane, window) -> None:
    story = window.document.story
    pane.place([story.photos[0].id, story.photos[1].id], 0)
    assert kinds(story) == ["g2", "p", "p", "p"]
    group_id = story.body[0].id
    QApplication.processEvents()

    _, accepted = drag_and_drop(pane.body, mime.block_id_mime(group_id), pane.body.gap_point(3),
                                Qt.DropAction.MoveAction)

    assert accepted
    assert kinds(story) == ["p", "p", "g2", "p"]
    assert story.body[2].id == group_id


def test_photos_dropped_onto_a_group_join_it(pane, window) -> None:
    story = window.document.story
    pane.place([story.photos[0].id], 1)
    QApplication.processEvents()
    strip = pane.block_widget(story.body[1].id)
    centre = strip.geometry().center()
    assert pane.body.target_at(centre, photos=True) == (-1, strip.group_id)
    shown, accepted = drag_and_drop(pane.body, mime.photo_ids_mime([story.photos[3].id]), centre)
    assert shown and accepted
    assert story.body[1].photo_ids == [story.photos[0].id, story.photos[3].id]


def test_remove_a_photo_from_a_group_keeps_it_in_the_story(pane, window, qtbot) -> None:
    story = window.document.story
    pane.place([story.photos[0].id, story.photos[1].id], 1)
    QApplication.processEvents()
    strip = pane.block_widget(story.body[1].id)
    rects = strip.chip_rects()
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=rects[1][1].center())
    assert strip.selected == story.photos[1].id
    assert window.tray.selected_ids() == [story.photos[1].id]  # clicking shows it in the tray

    strip.setFocus()
    qtbot.keyClick(strip, Qt.Key.Key_Delete)

    assert story.body[1].photo_ids == [story.photos[0].id]
    assert len(story.photos) == 6  # still in the story and its gallery


def test_typing_a_paragraph_is_one_undo_step(pane, window, qtbot) -> None:
    story = window.document.story
    editor = pane.block_widget(story.body[0].id)
    assert isinstance(editor, ParagraphEdit)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " More")
    assert story.body[0].text == "Paragraph 1. More"
    assert window.document.undo_stack.count() == 1
    window.act_undo.trigger()
    assert story.body[0].text == "Paragraph 1."
    assert editor.toPlainText() == "Paragraph 1."


def test_import_article_fills_the_pane(window, tmp_path: Path, scripted, qtbot) -> None:
    from ui_support import story_with_photos

    window.document.set_story(story_with_photos(tmp_path / "p", 3), None)
    article = tmp_path / "article.txt"
    article.write_text("Bus plant visit\n\nSARAN. The head of state visited the plant.\n\n[photo]\n\n"
                       "Workers showed the line.\n\n[photo]\n[photo]\n\nPhoto: akorda.kz\n", encoding="utf-8")
    scripted.files.append(article)
    window.article.import_button.click()
    story = window.document.story
    assert story.title == "Bus plant visit" and story.dateline == "SARAN"
    assert story.default_credit == "akorda.kz"
    assert kinds(story) == ["p", "g1", "p", "g2"]
    assert window.article.form.title.text() == "Bus plant visit"
    assert window.document.undo_stack.count() == 1
    window.act_undo.trigger()
    assert story.body == [] and story.title == "Test story"


def test_importing_a_copied_page_takes_its_byline_and_date_and_says_what_it_left_out(
        window, tmp_path: Path, scripted) -> None:
    from ui_support import story_with_photos

    window.document.set_story(story_with_photos(tmp_path / "p", 2), None)
    page = tmp_path / "page.txt"
    page.write_text("Qazaq TV\nMain Page  >\n  News  >\n\nBus plant visit\n\nАвтор:\nArailym T.\n"
                    "5 October 2022, 15:44\n\nSARAN. KAZINFORM The head of state visited the plant."
                    "\n\nphoto\n\nWorkers showed the line.\n\nPhoto:akorda.kz\n\nNews\nRead also\n"
                    "Another headline\nYet another headline\n", encoding="utf-8")
    scripted.files.append(page)
    window.article.import_button.click()
    story = window.document.story
    assert (story.title, story.byline, story.published) == (
        "Bus plant visit", "Arailym T.", "2022-10-05T15:44")
    assert story.default_credit == "akorda.kz"
    (text, notes), = scripted.reports
    assert any(note.startswith("Left out") and "after the credit" in note for note in notes), notes


def test_a_long_article_is_laid_out_once_not_once_per_paragraph(window, qtbot) -> None:
    from PySide6.QtCore import QEvent, QObject

    class Moves(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Move and isinstance(watched, ParagraphEdit):
                Moves.count += 1
            return False

    moves = Moves()
    QApplication.instance().installEventFilter(moves)
    try:
        paragraphs = 300
        window.document.set_story(
            Story(title="T", body=[Paragraph(f"Paragraph {n}.") for n in range(paragraphs)]), None)
        qtbot.waitUntil(lambda: all(w.isVisible() for w in window.article.body.blocks))
        QApplication.processEvents()
    finally:
        QApplication.instance().removeEventFilter(moves)
    # Laid out once per paragraph shown, every paragraph below moved each time: ~45,000
    # moves, and an article of a few thousand paragraphs stalled the editor for minutes.
    assert Moves.count < 10 * paragraphs
    last = window.article.body.blocks[-1]
    assert last.geometry().top() > window.article.body.blocks[0].geometry().bottom()
