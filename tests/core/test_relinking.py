"""Relinking without Qt: a moved photo and the missing photos of its old folder that the
new folder holds are relinked as one edit; photos found nowhere stay missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from photostory.core.edits import NoChange
from photostory.core.relink import missing_photo_ids, relink_edit
from photostory.core.story import Photo, Story


def story_in(folder: Path, count: int) -> Story:
    folder.mkdir(parents=True)
    photos = []
    for i in range(count):
        path = folder / f"photo-{i}.jpg"
        Image.new("RGB", (8, 6)).save(path, "JPEG")
        photos.append(Photo(path=path, width=8, height=6))
    return Story(title="Plant", photos=photos)


def test_a_moved_folder_is_relinked_as_one_edit_that_undoes(tmp_path: Path) -> None:
    story = story_in(tmp_path / "card", 3)
    old_paths = [p.path for p in story.photos]
    shutil.move(tmp_path / "card", tmp_path / "moved")
    assert missing_photo_ids(story) == [p.id for p in story.photos]

    edit = relink_edit(story, story.photos[1].id, tmp_path / "moved" / "photo-1.jpg")
    assert edit.description == "Relink 3 photos"
    edit.apply(story)
    assert [p.path for p in story.photos] == [tmp_path / "moved" / f"photo-{i}.jpg" for i in range(3)]
    assert missing_photo_ids(story) == []
    edit.revert(story)
    assert [p.path for p in story.photos] == old_paths


def test_only_files_that_exist_are_taken(tmp_path: Path) -> None:
    story = story_in(tmp_path / "card", 3)
    (tmp_path / "elsewhere").mkdir()
    moved = tmp_path / "elsewhere" / "photo-0.jpg"
    shutil.move(story.photos[0].path, moved)
    story.photos[1].path.unlink()  # gone for good
    edit = relink_edit(story, story.photos[0].id, moved)
    assert edit.description == "Relink 1 photo"
    edit.apply(story)
    assert missing_photo_ids(story) == [story.photos[1].id]
    with pytest.raises(NoChange):
        relink_edit(story, story.photos[0].id, moved)  # already there
