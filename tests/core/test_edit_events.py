"""Every edit tells listeners exactly what it did, and its revert tells them exactly what
it undid: a view that follows only the events (the editor's tray, the inspector, the
article pane) stays equal to the story through apply, revert and re-apply. Photo list
changes arrive as "-ing"/"-ed" pairs, the "-ing" half while the story is still as it
was, as a Qt model needs them."""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from photostory.core import edits
from photostory.core.edits import (
    CompositeEdit, Edit, InsertPhotos, MovePhotos, RemovePhotos, SetBody, SetParagraphText,
    SetPhotoFields, SetStoryFields, SortPhotos, place_photos,
)
from photostory.core.story import (
    Paragraph, Photo, PhotoGroup, PhotoMove, Story, StoryEvent, StoryEventKind,
)

K = StoryEventKind
# Each "-ing" kind and the "-ed" kind that must follow it, with the same fields.
PAIRS = {K.PHOTOS_INSERTING: K.PHOTOS_INSERTED, K.PHOTOS_REMOVING: K.PHOTOS_REMOVED,
         K.PHOTOS_MOVING: K.PHOTOS_MOVED}


def make_story() -> Story:
    story = Story(title="Plant visit")
    story.photos = [Photo(path=Path(f"/photos/{i}.jpg"), id=f"p{i}", caption=f"c{i}")
                    for i in range(6)]
    story.body = [Paragraph("One", id="t1"), PhotoGroup(["p1", "p2"], id="g1"),
                  Paragraph("Two", id="t2"), PhotoGroup(["p4"], id="g2")]
    return story


def new_photos(*ids: str) -> list[Photo]:
    return [Photo(path=Path(f"/new/{pid}.jpg"), id=pid) for pid in ids]


def ids_of(story: Story) -> list[str]:
    return [p.id for p in story.photos]


class Mirror:
    """A listener that keeps its own list of photo ids from the events alone, as a Qt
    view of the editor's models does, and refuses events that cannot be right: an "-ed"
    event without its "-ing" half, a "-ing" event sent after the story changed, rows
    that are not where the event says."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids = ids_of(story)
        self.pending: StoryEvent | None = None  # the "-ing" half waiting for its "-ed"
        self.events: list[StoryEvent] = []
        story.subscribe(self)

    def take(self) -> list[StoryEvent]:
        assert self.pending is None, f"{self.pending} never got its counterpart"
        events, self.events = self.events, []
        return events

    def __call__(self, event: StoryEvent) -> None:
        assert isinstance(event.kind, StoryEventKind), event
        now = ids_of(self.story)
        if event.kind in PAIRS:
            assert self.pending is None, f"{event} arrived inside {self.pending}"
            assert now == self.ids, f"{event} arrived after the story changed"
            self._check_rows(event)
            self.pending = event
        elif self.pending is not None:
            assert event == StoryEvent(PAIRS[self.pending.kind], self.pending.ids,
                                       self.pending.names, self.pending.index,
                                       self.pending.count, self.pending.dest), (
                f"{event} does not close {self.pending}")
            self.pending = None
            self._apply(event, now)
            assert self.ids == now, f"{event} does not say what changed: {self.ids} != {now}"
        else:
            assert now == self.ids, f"{event} changed the photo list without saying how"
        self.events.append(event)

    def _check_rows(self, event: StoryEvent) -> None:
        assert event.count == len(event.ids) > 0, event
        if event.kind == K.PHOTOS_INSERTING:
            assert 0 <= event.index <= len(self.ids), event
            assert not set(event.ids) & set(self.ids), f"{event} inserts photos already shown"
        else:
            shown = tuple(self.ids[event.index:event.index + event.count])
            assert shown == event.ids, f"{event}: rows {event.index}.. hold {shown}"
        if event.kind == K.PHOTOS_MOVING:
            end = event.index + event.count
            assert 0 <= event.dest <= len(self.ids), event
            assert not event.index <= event.dest <= end, f"{event} moves rows onto themselves"

    def _apply(self, event: StoryEvent, now: list[str]) -> None:
        first, end = event.index, event.index + event.count
        if event.kind == K.PHOTOS_INSERTED:
            self.ids[first:first] = now[first:end]
        elif event.kind == K.PHOTOS_REMOVED:
            del self.ids[first:end]
        elif event.kind == K.PHOTOS_MOVED:
            rows = self.ids[first:end]
            del self.ids[first:end]
            at = event.dest if event.dest < first else event.dest - event.count
            self.ids[at:at] = rows


def signature(events: list[StoryEvent]) -> Counter:
    """What the events did, direction-free: inserting ids and removing the same ids count
    as the same change, and so do moving rows and moving the same rows back, so apply's
    events must equal revert's."""
    seen: Counter = Counter()
    for event in events:
        if event.kind in (K.PHOTOS_INSERTED, K.PHOTOS_REMOVED):
            seen.update(("photos in/out", pid) for pid in event.ids)
        elif event.kind == K.PHOTOS_MOVED:
            seen[("photos moved", tuple(sorted(event.ids)))] += 1
        elif event.kind not in PAIRS:
            seen[(event.kind, tuple(sorted(event.ids)), tuple(sorted(event.names)))] += 1
    return seen


# One case per edit class (and the article helpers, which build SetBody edits).
CASES: dict[str, Callable[[Story], Edit]] = {
    "insert at the end": lambda s: InsertPhotos(new_photos("n1", "n2")),
    "insert in the middle": lambda s: InsertPhotos(new_photos("n1"), index=2),
    "remove all photos": lambda s: RemovePhotos(s, [p.id for p in s.photos]),
    "remove scattered photos": lambda s: RemovePhotos(s, ["p0", "p2", "p3", "p5"]),
    "remove one placed photo": lambda s: RemovePhotos(s, ["p4"]),
    "move photos": lambda s: MovePhotos(s, ["p0", "p3"], 5),
    "sort photos": lambda s: SortPhotos(s, [p.id for p in reversed(s.photos)]),
    "set photo fields": lambda s: SetPhotoFields(s, {"p1": {"caption": "x", "alt": "y"},
                                                    "p3": {"credit": "akorda.kz"}}),
    "set story fields": lambda s: SetStoryFields(s, {"title": "New", "byline": "By me"}),
    "set body": lambda s: place_photos(s, ["p0", "p5"], 1),
    "set paragraph text": lambda s: SetParagraphText(s, "t2", "Changed"),
    "composite": lambda s: CompositeEdit(
        [InsertPhotos(new_photos("n1")), RemovePhotos(s, ["p1", "p2"]),
         SetBody(s, [Paragraph("Only", id="t9")], "Replace the article")], "Import"),
}


def test_every_edit_class_has_a_case() -> None:
    classes = {cls for _, cls in inspect.getmembers(edits, inspect.isclass)
               if issubclass(cls, Edit) and not inspect.isabstract(cls) and cls.__module__ == edits.__name__}
    covered = {type(make(make_story())) for make in CASES.values()}
    assert classes <= covered, f"edits without an event test: {sorted(c.__name__ for c in classes - covered)}"


@pytest.mark.parametrize("name", list(CASES))
def test_revert_sends_the_counterpart_of_what_apply_sent(name: str) -> None:
    story = make_story()
    before = story.snapshot()
    mirror = Mirror(story)
    edit = CASES[name](story)

    edit.apply(story)
    applied = mirror.take()
    assert applied and mirror.ids == ids_of(story)
    after = story.snapshot()

    edit.revert(story)
    reverted = mirror.take()
    assert story == before
    assert mirror.ids == ids_of(story)
    assert signature(reverted) == signature(applied)

    edit.apply(story)
    assert story == after
    assert mirror.ids == ids_of(story)
    assert signature(mirror.take()) == signature(applied)


def test_moves_are_taken_back_by_their_inverses_in_reverse_order() -> None:
    story = make_story()
    mirror = Mirror(story)
    edit = MovePhotos(story, ["p0", "p3"], 5)
    edit.apply(story)
    moved = [(e.index, e.count, e.dest) for e in mirror.take() if e.kind == K.PHOTOS_MOVED]
    edit.revert(story)
    back = [(e.index, e.count, e.dest) for e in mirror.take() if e.kind == K.PHOTOS_MOVED]
    assert back == [tuple(PhotoMove(*m).inverse()) for m in reversed(moved)]


def test_a_reorder_is_moves_only() -> None:
    story = make_story()
    mirror = Mirror(story)
    SortPhotos(story, ["p5", "p3", "p1", "p0", "p2", "p4"]).apply(story)
    kinds = {e.kind for e in mirror.take()}
    assert kinds == {K.PHOTOS_MOVING, K.PHOTOS_MOVED}
    assert ids_of(story) == ["p5", "p3", "p1", "p0", "p2", "p4"]


def test_removing_photos_sends_one_pair_per_run_from_the_last() -> None:
    story = make_story()
    mirror = Mirror(story)
    RemovePhotos(story, ["p0", "p2", "p3", "p5"]).apply(story)
    removed = [(e.index, e.ids) for e in mirror.take() if e.kind == K.PHOTOS_REMOVED]
    assert removed == [(5, ("p5",)), (2, ("p2", "p3")), (0, ("p0",))]


def test_undoing_remove_all_reinserts_every_photo_where_it_was() -> None:
    story = make_story()
    mirror = Mirror(story)
    edit = RemovePhotos(story, ["p0", "p2", "p3", "p5"])
    edit.apply(story)
    mirror.take()
    edit.revert(story)
    inserted = [(e.index, e.count) for e in mirror.take() if e.kind == K.PHOTOS_INSERTED]
    # Runs in gallery order, at their final rows: [p0] at 0, [p2, p3] at 2, [p5] at 5.
    assert inserted == [(0, 1), (2, 2), (5, 1)]


def test_the_article_never_names_a_photo_the_story_lacks() -> None:
    """Listeners run between the steps of an edit; removing placed photos must not show
    them an article that refers to photos already gone (the article pane would fail)."""
    story = make_story()
    dangling: list[set[str]] = []
    story.subscribe(lambda _event: dangling.append(story.placed_ids() - set(ids_of(story))))
    edit = RemovePhotos(story, ["p1", "p4"])
    edit.apply(story)
    edit.revert(story)
    assert dangling and not any(dangling)

