"""Every edit tells listeners exactly what it did, and its revert tells them exactly what
it undid: a view that follows only the events (the editor's tray, the inspector, the
article pane) stays equal to the story through apply, revert and re-apply."""

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
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story, StoryEvent


def make_story() -> Story:
    story = Story(title="Plant visit")
    story.photos = [Photo(path=Path(f"/photos/{i}.jpg"), id=f"p{i}", caption=f"c{i}")
                    for i in range(6)]
    story.body = [Paragraph("One", id="t1"), PhotoGroup(["p1", "p2"], id="g1"),
                  Paragraph("Two", id="t2"), PhotoGroup(["p4"], id="g2")]
    return story


def new_photos(*ids: str) -> list[Photo]:
    return [Photo(path=Path(f"/new/{pid}.jpg"), id=pid) for pid in ids]


class Mirror:
    """A listener that keeps its own list of photo ids from the events alone, as the
    editor's models do, and refuses events that cannot be right."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids = [p.id for p in story.photos]
        self.events: list[tuple[StoryEvent, tuple[str, ...]]] = []  # with the inserted ids
        story.subscribe(self)

    def take(self) -> list[tuple[StoryEvent, tuple[str, ...]]]:
        events, self.events = self.events, []
        return events

    def __call__(self, event: StoryEvent) -> None:
        now = [p.id for p in self.story.photos]
        inserted: tuple[str, ...] = ()
        if event.kind == "photos_inserted":
            assert 0 <= event.index <= len(self.ids) and event.count > 0, event
            inserted = tuple(now[event.index:event.index + event.count])
            assert len(inserted) == event.count, event
            assert not set(inserted) & set(self.ids), f"{event} inserts photos already shown"
            self.ids[event.index:event.index] = inserted
        elif event.kind == "photos_removed":
            assert set(event.ids) <= set(self.ids), f"{event} removes photos not shown"
            self.ids = [pid for pid in self.ids if pid not in set(event.ids)]
        elif event.kind == "photos_reordered":
            # A reorder keeps the same photos: anything else needs insert/remove events.
            assert sorted(self.ids) == sorted(now), (
                f"photos_reordered changed which photos there are: shown {self.ids}, story {now}")
            self.ids = now
        self.events.append((event, inserted))


def signature(events: list[tuple[StoryEvent, tuple[str, ...]]]) -> Counter:
    """What the events did, direction-free: inserting ids and removing the same ids
    count as the same change, so apply's events must equal revert's."""
    seen: Counter = Counter()
    for event, inserted in events:
        if event.kind == "photos_inserted":
            seen.update(("photos in/out", pid) for pid in inserted)
        elif event.kind == "photos_removed":
            seen.update(("photos in/out", pid) for pid in event.ids)
        else:
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
    assert applied and mirror.ids == [p.id for p in story.photos]
    after = story.snapshot()

    edit.revert(story)
    reverted = mirror.take()
    assert story == before
    assert mirror.ids == [p.id for p in story.photos]
    assert signature(reverted) == signature(applied)

    edit.apply(story)
    assert story == after
    assert mirror.ids == [p.id for p in story.photos]
    assert signature(mirror.take()) == signature(applied)


def test_undoing_remove_all_reinserts_every_photo_where_it_was() -> None:
    story = make_story()
    mirror = Mirror(story)
    edit = RemovePhotos(story, ["p0", "p2", "p3", "p5"])
    edit.apply(story)
    mirror.take()
    edit.revert(story)
    inserted = [(e.index, e.count) for e, _ in mirror.take() if e.kind == "photos_inserted"]
    # Runs in gallery order, at their final rows: [p0] at 0, [p2, p3] at 2, [p5] at 5.
    assert inserted == [(0, 1), (2, 2), (5, 1)]
