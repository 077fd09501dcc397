"""Publishing to a folder, and the destinations the command line accepts or refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import assert_refused, photostory
from publish_support import (OPTIONS, PAGES, change_caption, export_files, exported_story,
                             folder_files, missing_files)

from photostory.core.export.pipeline import export_story
from photostory.core.progress import CancelToken
from photostory.core.publish import parse_destination, publish
from photostory.core.storyfile import save_story
from photostory.errors import Cancelled, PublishError


def test_file_publish_sends_only_what_changed_and_keeps_what_it_did_not_make(
        tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\n")  # the site's own file
    destination = parse_destination(site.as_uri())
    first = publish(export_dir, destination)
    assert first.public_url == (site / "index.html").as_uri()
    renditions = change_caption(story, export_dir)
    again = publish(export_dir, destination)
    assert set(again.sent) == renditions | PAGES
    assert again.summary().startswith(f"Sent {len(renditions) + len(PAGES)} files (")
    assert ", 0 removed to file://" in again.summary()
    assert folder_files(site) == {**export_files(export_dir), "robots.txt": b"User-agent: *\n"}
    assert publish(export_dir, destination).sent == []


def test_the_command_line_exports_then_publishes(tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path, count=2)
    story_file = tmp_path / "story.photostory"
    save_story(story, story_file)
    site = tmp_path / "site"
    result = photostory("publish", story_file, "--to", site.as_uri(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    default_export = tmp_path / "exports" / "noise"
    assert folder_files(site) == export_files(default_export)
    assert (site / "index.html").as_uri() in result.stdout


@pytest.mark.parametrize("dest, words", [
    ("ftp://host/x", ["ftp://host/x", "unknown kind"]),
    ("sftp://editor:hunter2@host/www", ["holds a password"]),
    ("sftp://host", ["names no folder"]),
    ("file://server/share", ["local folder"]),
    ("s3://", ["names no bucket"]),
])
def test_a_bad_destination_is_refused_before_anything_is_exported(
        tmp_path: Path, dest: str, words: list[str]) -> None:
    story, _ = exported_story(tmp_path, count=1)
    story_file = tmp_path / "story.photostory"
    save_story(story, story_file)
    result = photostory("publish", story_file, "--to", dest, cwd=tmp_path)
    assert_refused(result, *words)
    assert "hunter2" not in result.stderr + result.stdout
    assert not (tmp_path / "exports").exists()


def test_a_damaged_manifest_at_the_destination_is_named(tmp_path: Path) -> None:
    _, export_dir = exported_story(tmp_path, count=1)
    site = tmp_path / "site"
    site.mkdir()
    (site / ".photostory-publish.json").write_text("{not json")
    with pytest.raises(PublishError, match="photostory-publish.json is damaged"):
        publish(export_dir, parse_destination(site.as_uri()))


def test_a_cancelled_publish_stops_between_files_and_the_next_one_finishes(
        tmp_path: Path) -> None:
    story, export_dir = exported_story(tmp_path)
    site = tmp_path / "site"
    destination = parse_destination(site.as_uri())
    publish(export_dir, destination)
    for photo in story.photos:
        photo.caption += " (updated)"
    export_story(story, export_dir, OPTIONS)
    cancel = CancelToken()

    def cancel_at_third(done: int, total: int, message: str) -> None:
        if done == 3:
            cancel.cancel()

    with pytest.raises(Cancelled):
        publish(export_dir, destination, cancel_at_third, cancel)
    halfway = folder_files(site)
    assert halfway != export_files(export_dir) and missing_files(halfway) == []
    assert len(publish(export_dir, destination).sent) > 0
    assert folder_files(site) == export_files(export_dir)
