"""Recovery files: where they go, when they count, and the summary of
what restoring one would bring back."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from photostory.core.recovery import (RECOVERY_SUFFIX, describe_changes, pending_recovery,
                                      read_recovery, recovery_message, recovery_path,
                                      remove_recovery, summary, write_recovery)
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.core.storyfile import load_story, read_story, save_story


def make_story(folder: Path) -> Story:
    photos = [Photo(path=folder / f"p{i}.jpg", id=f"p{i}", caption=f"Caption {i}", alt=f"Alt {i}")
              for i in range(4)]
    return Story(title="Bus plant", photos=photos,
                 body=[Paragraph("First.", id="t1"), PhotoGroup(["p0", "p1"], id="g1"),
                       Paragraph("Second.", id="t2")])


def copy_of(story: Story) -> Story:
    return story.snapshot()


def test_recovery_file_is_hidden_beside_the_story(tmp_path: Path) -> None:
    assert recovery_path(tmp_path / "trip.photostory") == tmp_path / ".trip.photostory-recovery"
    assert recovery_path(tmp_path / "Сапар в Астану.photostory").name == \
        ".Сапар в Астану.photostory-recovery"
    assert recovery_path(tmp_path / "odd-name") == tmp_path / ".odd-name.photostory-recovery"


def test_written_recovery_reads_back_and_never_replaces_the_story(tmp_path: Path) -> None:
    story_file = tmp_path / "trip.photostory"
    story = make_story(tmp_path)
    save_story(story, story_file)
    saved_bytes = story_file.read_bytes()
    edited = copy_of(story)
    edited.title = "Bus plant opens"
    recovery = recovery_path(story_file)
    write_recovery(edited, recovery)
    assert story_file.read_bytes() == saved_bytes  # the user's own file is untouched
    back = read_recovery(recovery)
    assert back.title == "Bus plant opens"
    assert [p.path for p in back.photos] == [p.path for p in story.photos]  # same relative base
    with pytest.raises(ValueError):
        write_recovery(edited, story_file)  # never over a story file
    assert load_story(story_file).title == "Bus plant"


def test_a_recovery_is_pending_whenever_it_is_there(tmp_path: Path) -> None:
    story_file = tmp_path / "trip.photostory"
    save_story(make_story(tmp_path), story_file)
    assert pending_recovery(story_file) is None
    recovery = recovery_path(story_file)
    write_recovery(make_story(tmp_path), recovery)
    now = story_file.stat().st_mtime
    os.utime(recovery, (now + 60, now + 60))
    assert pending_recovery(story_file) == recovery
    # Older than the story: the editor died, then a colleague saved the story. The
    # autosave is still the only copy of this editor's work, so it is still offered
    # (the editor compares it with the file and drops it when they hold the same).
    os.utime(recovery, (now - 60, now - 60))
    assert pending_recovery(story_file) == recovery
    story_file.unlink()  # the story is gone: the recovery is all there is
    assert pending_recovery(story_file) == recovery


def test_remove_recovery_removes_only_recovery_files(tmp_path: Path) -> None:
    recovery = tmp_path / f".a{RECOVERY_SUFFIX}"
    recovery.write_text("{}")
    story_file = tmp_path / "a.photostory"
    story_file.write_text("{}")
    assert remove_recovery(recovery) and not recovery.exists()
    assert not remove_recovery(recovery)  # already gone: no error
    assert not remove_recovery(story_file) and story_file.exists()
    assert not remove_recovery(None)


def test_summary_names_title_captions_and_added_photos(tmp_path: Path) -> None:
    saved = make_story(tmp_path)
    recovered = copy_of(saved)
    recovered.title = "Bus plant opens its doors"
    for photo in recovered.photos[:3]:
        photo.caption += " (edited)"
    recovered.photos.append(Photo(path=tmp_path / "new.jpg", id="p9"))
    items = describe_changes(saved, recovered)
    assert items == ["title", "3 captions", "1 photo added"]
    when = datetime(2026, 10, 5, 14, 32)
    assert recovery_message(items, when, now=datetime(2026, 10, 5, 18, 0)) == \
        "Recovered changes from 14:32: title, 3 captions, 1 photo added"


def test_summary_of_every_kind_of_change(tmp_path: Path) -> None:
    saved = make_story(tmp_path)
    recovered = copy_of(saved)
    recovered.default_credit = "akorda.kz"
    recovered.published = "2026-10-05"
    recovered.photos[0].credit = "AP"
    recovered.photos[1].alt = "Changed"
    recovered.photos[2].alt = "Changed too"
    recovered.photos[3].path = tmp_path / "moved" / "p3.jpg"
    recovered.photos.reverse()
    del recovered.photos[0]  # p3 removed
    recovered.body[0].text = "First, rewritten."
    recovered.body.append(Paragraph("Third.", id="t3"))
    items = describe_changes(saved, recovered)
    assert items == ["date", "default credit", "1 credit", "2 alt texts", "1 photo removed",
                     "photo order", "1 paragraph edited", "1 paragraph added"]


def test_summary_of_article_photo_changes_and_of_no_change(tmp_path: Path) -> None:
    saved = make_story(tmp_path)
    assert describe_changes(saved, copy_of(saved)) == []
    assert summary([]) == "no changes"
    moved = copy_of(saved)
    moved.body[1] = PhotoGroup(["p1", "p0"], id="g1")
    assert describe_changes(saved, moved) == ["photos in the article"]
    reordered = copy_of(saved)
    reordered.body.reverse()
    assert describe_changes(saved, reordered) == ["article order"]


def test_summary_of_a_story_that_was_never_saved(tmp_path: Path) -> None:
    recovered = make_story(tmp_path)
    assert describe_changes(None, recovered) == ["title", "4 photos added", "2 paragraphs added",
                                                  "photos in the article"]


def test_message_dates_changes_from_another_day() -> None:
    now = datetime(2026, 10, 5, 9, 0)
    assert recovery_message(["title"], datetime(2026, 10, 4, 23, 5), now) == \
        "Recovered changes from 4 Oct 23:05: title"
    assert recovery_message([], datetime(2025, 12, 31, 8, 0), now) == \
        "Recovered changes from 31 Dec 2025 08:00: no changes"


def test_an_autosave_neither_changes_the_story_nor_trips_its_conflict_check(tmp_path: Path) -> None:
    story_file = tmp_path / "trip.photostory"
    save_story(make_story(tmp_path), story_file)
    story, revision = read_story(story_file)
    story.title = "Edited"
    write_recovery(story, recovery_path(story_file))
    write_recovery(story, recovery_path(story_file))
    assert read_story(story_file)[1] == revision
    save_story(story, story_file, expected=revision)
    assert load_story(story_file).title == "Edited"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".trip.photostory-recovery",
                                                          "trip.photostory"]  # no lock file


def test_a_link_planted_as_the_recovery_file_is_replaced_not_followed(tmp_path: Path) -> None:
    """Saving follows links (a shared story reached by a link), but the recovery file is the
    editor's own: a link left in its place in a shared folder must not aim the autosave
    at someone else's file."""
    story_file = tmp_path / "trip.photostory"
    save_story(make_story(tmp_path), story_file)
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours", encoding="utf-8")
    recovery = recovery_path(story_file)
    recovery.symlink_to(victim.name)
    write_recovery(make_story(tmp_path), recovery)
    assert victim.read_text(encoding="utf-8") == "not yours"
    assert not recovery.is_symlink() and read_recovery(recovery).title == "Bus plant"


def test_the_recovery_summary_names_every_field_of_the_story_and_its_photos() -> None:
    """A field added to the story model must get a name in the summary, or a restore
    would bring back a change the user was never told about."""
    from photostory.core import recovery
    from photostory.core.story import PHOTO_SITE_FIELDS, STORY_FIELDS, TEXT_FIELDS

    assert {name for name, _ in recovery._STORY_NAMES} == set(STORY_FIELDS)
    assert {name for name, _ in recovery._PHOTO_NAMES} == set(TEXT_FIELDS) | set(PHOTO_SITE_FIELDS)


def test_the_summary_names_language_versions_changed_added_and_removed(tmp_path: Path) -> None:
    from photostory.core.story import Translation

    saved = make_story(tmp_path)
    saved.translations = [Translation("ru", title="Автобусный завод"), Translation("en")]
    recovered = saved.snapshot()
    recovered.translations[0].title = "Завод автобусов"
    recovered.translations.pop()  # en
    recovered.translations.append(Translation("kk-Latn", derived_from="kk"))
    assert describe_changes(saved, recovered) == [
        "ru version", "kk-Latn version added", "en version removed"]
    assert describe_changes(saved, saved.snapshot()) == []
