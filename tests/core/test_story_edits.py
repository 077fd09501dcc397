"""The story model and its reversible edits, with no Qt involved."""

from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from photostory.core.edits import (
    InsertPhotos, MovePhotos, NoChange, RemovePhotos, SetParagraphText, SetPhotoFields,
    SetStoryFields, add_to_group, move_block, place_photos, remove_from_group,
)
from edit_history import History
from photostory.core.story import (
    FILE_TEXT_FIELDS, PHOTO_INT_FIELDS, PHOTO_SITE_FIELDS, STORY_SITE_FIELDS, STORY_TEXT_FIELDS,
    TEXT_FIELDS, Paragraph, Photo, PhotoGroup, Story, StoryEvent, StoryEventKind,
)


def make_story(n: int = 5) -> Story:
    story = Story(title="Plant visit")
    story.photos = [Photo(path=Path(f"/photos/{i}.jpg"), id=f"p{i}") for i in range(n)]
    story.body = [Paragraph("One", id="t1"), Paragraph("Two", id="t2"), Paragraph("Three", id="t3")]
    return story


def order(story: Story) -> list[str]:
    return [p.id for p in story.photos]


@pytest.mark.parametrize("ids, dest, expected", [
    (["p0"], 3, ["p1", "p2", "p0", "p3", "p4"]),       # down: before the row that was 3
    (["p3"], 0, ["p3", "p0", "p1", "p2", "p4"]),       # up to the top
    (["p0", "p1"], 5, ["p2", "p3", "p4", "p0", "p1"]), # a block to the end
    (["p0", "p4"], 2, ["p1", "p0", "p4", "p2", "p3"]), # scattered rows keep their order
])
def test_move_photos_uses_positions_before_the_move(ids, dest, expected):
    story = make_story()
    history = History(story)
    history.push(MovePhotos(story, ids, dest))
    assert order(story) == expected
    history.undo()
    assert order(story) == ["p0", "p1", "p2", "p3", "p4"]


@given(st.permutations([f"p{i}" for i in range(7)]))
def test_any_order_is_reached_by_moves_and_undone_by_their_inverses(wanted):
    story = make_story(7)
    moves = story.reorder_photos(wanted)
    assert order(story) == wanted
    assert len(moves) < 7  # each move puts at least one more photo in place
    story.undo_moves(moves)
    assert order(story) == [f"p{i}" for i in range(7)]


def test_field_tables_cover_every_field():
    """Every photo field is in one table (or is the id, path, GPS flag or keywords), so
    code that saves or compares photos field by field from the tables misses none."""
    photo = [*TEXT_FIELDS, *FILE_TEXT_FIELDS, *PHOTO_INT_FIELDS, *PHOTO_SITE_FIELDS, "id", "path",
             "has_gps", "keywords"]
    assert sorted(photo) == sorted(f.name for f in fields(Photo))
    text = {f.name for f in fields(Story) if f.type == "str"}
    assert set(STORY_TEXT_FIELDS) | set(STORY_SITE_FIELDS) == text


@pytest.mark.parametrize("ids, dest", [(["p1"], 1), (["p1"], 2), (["p0", "p1"], 0)])
def test_a_move_that_changes_nothing_is_refused(ids, dest):
    with pytest.raises(NoChange):
        MovePhotos(make_story(), ids, dest)


def test_batch_credit_is_one_undo_step():
    story = make_story()
    story.photos[0].credit = "Reuters"
    history = History(story)
    history.push(SetPhotoFields.same(story, order(story), "credit", "akorda.kz"))
    assert {p.credit for p in story.photos} == {"akorda.kz"}
    assert history.undo()
    assert [p.credit for p in story.photos] == ["Reuters", "", "", "", ""]
    assert not history.can_undo


def test_caption_typing_merges_but_not_across_a_save():
    story = make_story()
    history = History(story)
    for text in ("W", "Wo", "Wor"):
        history.push(SetPhotoFields.same(story, ["p0"], "caption", text, typing=True))
    history.mark_clean()
    history.push(SetPhotoFields.same(story, ["p0"], "caption", "Work", typing=True))
    history.undo()
    assert story.photos[0].caption == "Wor" and history.is_clean
    history.undo()
    assert story.photos[0].caption == "" and not history.is_clean


def test_insert_and_remove_photos_restore_groups():
    story = make_story(3)
    history = History(story)
    history.push(place_photos(story, ["p1", "p2"], 1))
    history.push(RemovePhotos(story, ["p1"]))
    assert order(story) == ["p0", "p2"]
    assert [b.photo_ids for b in story.groups()] == [["p2"]]
    history.undo()
    assert order(story) == ["p0", "p1", "p2"]
    assert [b.photo_ids for b in story.groups()] == [["p1", "p2"]]
    new = Photo(path=Path("/photos/new.jpg"), id="pn")
    history.push(InsertPhotos([new], index=1))
    assert order(story) == ["p0", "pn", "p1", "p2"]
    history.undo()
    assert order(story) == ["p0", "p1", "p2"]


def test_removing_the_last_photo_of_a_group_removes_the_group():
    story = make_story(2)
    History(story).push(place_photos(story, ["p0"], 1))
    RemovePhotos(story, ["p0"]).apply(story)
    assert list(story.groups()) == []


def test_place_photos_between_paragraphs_and_move_them():
    story = make_story()
    history = History(story)
    history.push(place_photos(story, ["p0"], 1))  # after "One"
    history.push(place_photos(story, ["p1", "p2", "p3", "p4"], 3))  # after "Two" (index counts the group)
    kinds = [b.text if isinstance(b, Paragraph) else b.photo_ids for b in story.body]
    assert kinds == ["One", ["p0"], "Two", ["p1", "p2", "p3", "p4"], "Three"]
    # placing a photo again moves it out of its old group
    history.push(place_photos(story, ["p2"], 5))
    assert [b.photo_ids for b in story.groups()] == [["p0"], ["p1", "p3", "p4"], ["p2"]]
    group = story.body[1]
    history.push(move_block(story, group.id, len(story.body)))
    assert isinstance(story.body[-1], PhotoGroup) and story.body[-1].photo_ids == ["p0"]
    history.undo(); history.undo()
    assert [b.photo_ids for b in story.groups()] == [["p0"], ["p1", "p2", "p3", "p4"]]


def test_remove_from_group_keeps_photo_in_story():
    story = make_story()
    history = History(story)
    history.push(place_photos(story, ["p0", "p1"], 1))
    group_id = story.body[1].id
    history.push(remove_from_group(story, group_id, "p0"))
    assert story.body[1].photo_ids == ["p1"]
    assert "p0" in order(story)
    history.push(add_to_group(story, group_id, ["p3"], 0))
    assert story.body[1].photo_ids == ["p3", "p1"]


def test_story_and_paragraph_edits_notify_and_revert():
    story = make_story()
    events: list[StoryEvent] = []
    story.subscribe(events.append)
    history = History(story)
    history.push(SetStoryFields(story, {"title": "New title", "language": "kk"}))
    history.push(SetParagraphText(story, "t2", "Two, edited"))
    assert story.body[1].text == "Two, edited"
    assert [e.kind for e in events] == [StoryEventKind.STORY_CHANGED, StoryEventKind.BODY_CHANGED]
    history.undo(); history.undo()
    assert story.title == "Plant visit" and story.language == "en" and story.body[1].text == "Two"
    with pytest.raises(ValueError):
        SetStoryFields(story, {"nonsense": 1})


def test_credit_line_follows_language_and_shared_credit():
    story = make_story(3)
    story.default_credit = "akorda.kz"
    assert story.shared_credit() == "akorda.kz"
    assert story.credit_line("akorda.kz") == "Photo: akorda.kz"
    story.language = "kk"
    assert story.credit_line("akorda.kz") == "Фото: akorda.kz"
    story.photos[1].credit = "Reuters"
    assert story.shared_credit() is None
    story.credit_prefix = "Photograph:"
    assert story.credit_line("x") == "Photograph: x"


def test_snapshot_is_independent_of_later_edits():
    story = make_story()
    History(story).push(place_photos(story, ["p0", "p1"], 1))
    story.subscribe(lambda event: None)
    copy = story.snapshot()
    SetPhotoFields.same(story, ["p0"], "caption", "changed").apply(story)
    story.body[1].photo_ids.append("p2")
    MovePhotos(story, ["p4"], 0).apply(story)
    assert copy.photos[0].caption == "" and copy.body[1].photo_ids == ["p0", "p1"]
    assert [p.id for p in copy.photos] == ["p0", "p1", "p2", "p3", "p4"]
    assert copy._listeners == []
