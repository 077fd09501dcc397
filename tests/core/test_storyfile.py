"""Story files: round trip, relative paths, atomic saves and damaged files."""

import json
import os
from pathlib import Path

import pytest

from photostory.core.storyfile import NO_FILE, FORMAT_VERSION, load_story, read_story, save_story
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.errors import StoryConflictError, StoryFileError


def sample(tmp_path: Path) -> Story:
    (tmp_path / "photos").mkdir(exist_ok=True)
    story = Story(title="Президент зауытта", byline="Staff", dateline="SARAN", published="2022-10-05",
                  language="kk", tags=["industry"], default_credit="akorda.kz")
    story.photos = [
        Photo(path=tmp_path / "photos" / "a b.jpg", caption="<b>Caption</b> & “quotes”", alt="Alt",
              width=6000, height=4000, orientation=6, keywords=("bus", "plant"), has_gps=True),
        Photo(path=tmp_path / "photos" / "Суреті.jpg", credit="Reuters"),
    ]
    story.body = [Paragraph("First."), PhotoGroup([story.photos[0].id]), Paragraph("Second.")]
    return story


def test_round_trip_keeps_everything(tmp_path):
    story = sample(tmp_path)
    path = tmp_path / "story.photostory"
    save_story(story, path)
    loaded = load_story(path)
    assert loaded.title == story.title and loaded.tags == ["industry"]
    assert [vars(p) for p in loaded.photos] == [vars(p) for p in story.photos]
    assert loaded.body == story.body


def test_photo_paths_are_relative_so_the_folder_can_move(tmp_path):
    (tmp_path / "old").mkdir()
    story = sample(tmp_path / "old")
    save_story(story, tmp_path / "old" / "story.photostory")
    data = json.loads((tmp_path / "old" / "story.photostory").read_text(encoding="utf-8"))
    assert data["photos"][0]["path"] == "photos/a b.jpg"
    assert data["format"] == "photostory" and data["version"] == FORMAT_VERSION
    os.rename(tmp_path / "old", tmp_path / "new")
    loaded = load_story(tmp_path / "new" / "story.photostory")
    assert loaded.photos[0].path == tmp_path / "new" / "photos" / "a b.jpg"


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path, monkeypatch):
    path = tmp_path / "story.photostory"
    story = sample(tmp_path)
    save_story(story, path)
    before = path.read_bytes()
    story.title = "Changed"

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StoryFileError, match="No space left on device"):
        save_story(story, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos", "story.photostory"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b'{"format": "photostory", "version": 1, "story": {"title": "x"', "damaged or incomplete"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"format": "photostory", "version": 99}', "newer Photostory"),
    (b'{"format": "something-else"}', "not a Photostory story file"),
    (b'[1, 2, 3]', "not a Photostory story file"),
    (b'{"format": "photostory", "version": 1, "photos": [{"path": 5}]}', "'path' should be text"),
    (b'{"format": "photostory", "version": 1, "story": {"title": 3}}', "'title' should be text"),
    (b'{"format": "photostory", "version": 1, "photos": {}}', "should be a list"),
])
def test_damaged_files_give_a_clear_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "broken.photostory"
    path.write_bytes(content)
    with pytest.raises(StoryFileError) as err:
        load_story(path)
    assert "broken.photostory" in str(err.value)
    assert message in str(err.value)


def test_truncated_copy_of_a_real_file_is_reported(tmp_path):
    path = tmp_path / "story.photostory"
    save_story(sample(tmp_path), path)
    data = path.read_bytes()
    for cut in (1, len(data) // 3, len(data) - 3):
        path.write_bytes(data[:cut])
        with pytest.raises(StoryFileError, match="story.photostory"):
            load_story(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(StoryFileError, match="nothere.photostory: file not found"):
        load_story(tmp_path / "nothere.photostory")


def test_duplicate_ids_are_repaired_with_a_warning(tmp_path):
    doc = {"format": "photostory", "version": 1, "story": {"title": "t"},
           "photos": [{"id": "p1", "path": "a.jpg"}, {"id": "p1", "path": "b.jpg"}],
           "body": [{"type": "photos", "photos": ["p1", "ghost"]}]}
    path = tmp_path / "dup.photostory"
    path.write_text(json.dumps(doc), encoding="utf-8")
    warnings: list[str] = []
    story = load_story(path, warnings)
    assert len({p.id for p in story.photos}) == 2
    assert [p.path.name for p in story.photos] == ["a.jpg", "b.jpg"]  # nothing dropped
    assert any("repeats the id" in w for w in warnings)
    assert any("not in the story" in w for w in warnings)


def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    """Saving used to replace the link with a regular file, so the shared copy it
    pointed at never got the changes."""
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "story.photostory"
    story = sample(shared)
    save_story(story, target)
    target.chmod(0o640)
    link = shared / "link.photostory"
    link.symlink_to("story.photostory")
    chain = tmp_path / "chain.photostory"
    chain.symlink_to(link)  # a link to a link

    story.title = "Through the link"
    save_story(story, link)
    story.byline = "Through the chain"
    save_story(story, chain)
    assert link.is_symlink() and os.readlink(link) == "story.photostory"
    assert chain.is_symlink() and os.readlink(chain) == str(link)
    saved = load_story(target)
    assert (saved.title, saved.byline) == ("Through the link", "Through the chain")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in shared.iterdir()) == ["link.photostory", "photos", "story.photostory"]


def test_saving_through_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.photostory"
    link.symlink_to("real.photostory")
    save_story(sample(tmp_path), link)
    assert link.is_symlink() and load_story(tmp_path / "real.photostory").title == sample(tmp_path).title


def test_links_in_a_circle_are_refused_and_left_as_they_are(tmp_path):
    (tmp_path / "a.photostory").symlink_to("b.photostory")
    (tmp_path / "b.photostory").symlink_to("a.photostory")
    with pytest.raises(StoryFileError, match="a.photostory: could not be saved"):
        save_story(sample(tmp_path), tmp_path / "a.photostory")
    assert os.readlink(tmp_path / "a.photostory") == "b.photostory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.photostory", "b.photostory", "photos"]


# -- saving over a file that changed since it was read ---------------------------------------


def _changed_elsewhere(path: Path, title: str) -> bytes:
    """Another program saves ``path`` with another title; what it wrote."""
    other = load_story(path)
    other.title = title
    save_story(other, path)
    return path.read_bytes()


def test_saving_over_a_story_changed_since_it_was_read_is_refused(tmp_path):
    """The second of two saves said nothing and the first one's change was lost."""
    path = tmp_path / "story.photostory"
    save_story(sample(tmp_path), path)
    mine, revision = read_story(path)
    theirs = _changed_elsewhere(path, "Their title")
    mine.byline = "My byline"
    with pytest.raises(StoryConflictError) as err:
        save_story(mine, path, expected=revision)
    assert str(err.value).startswith("story.photostory: was changed")
    assert "nothing was saved" in str(err.value)
    assert path.read_bytes() == theirs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos", "story.photostory"]


def test_a_story_saved_again_with_the_same_bytes_is_no_conflict(tmp_path):
    path = tmp_path / "story.photostory"
    save_story(sample(tmp_path), path)
    mine, revision = read_story(path)
    same = path.read_bytes()
    path.unlink()
    path.write_bytes(same)  # another program saved the same story: new inode, new time
    os.utime(path, (1, 1))
    mine.title = "Mine"
    save_story(mine, path, expected=revision)
    assert load_story(path).title == "Mine"


def test_own_saves_give_the_revision_for_the_next_save(tmp_path):
    path = tmp_path / "story.photostory"
    story = sample(tmp_path)
    revision = save_story(story, path)
    assert revision == read_story(path)[1] != NO_FILE
    for title in ("One", "Two"):
        story.title = title
        revision = save_story(story, path, expected=revision)
    assert load_story(path).title == "Two"


def test_a_story_deleted_meanwhile_is_saved_again(tmp_path):
    path = tmp_path / "story.photostory"
    save_story(sample(tmp_path), path)
    mine, revision = read_story(path)
    path.unlink()  # nothing on disk to lose
    save_story(mine, path, expected=revision)
    assert load_story(path).title == mine.title


def test_a_new_story_is_not_saved_over_one_created_meanwhile(tmp_path):
    path = tmp_path / "story.photostory"
    theirs = sample(tmp_path)
    theirs.title = "Theirs"
    save_story(theirs, path)
    before = path.read_bytes()
    with pytest.raises(StoryConflictError, match="story.photostory: was created by another"):
        save_story(sample(tmp_path), path, expected=NO_FILE)
    assert path.read_bytes() == before


def test_a_socket_named_as_a_story_is_called_a_socket(tmp_path):
    import socket

    from photostory.core.storyfile import load_story
    from photostory.errors import StoryFileError

    path = tmp_path / "listening.photostory"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(StoryFileError, match=r"listening.photostory: is not a regular file \(a socket\)"):
            load_story(path)
