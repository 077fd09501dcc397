"""The story's site fields (base URL, cover photo, licences): checked, saved only when
set, read back, and hostile values refused with one line."""

import json
from pathlib import Path

import pytest

from photostory.core.export.urls import absolute, base_url, page_root, web_address
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.core.storyfile import load_story, save_story, story_bytes
from photostory.errors import StoryFileError


def small_story(tmp_path: Path) -> Story:
    story = Story(title="Saran", language="en")
    story.photos = [Photo(path=tmp_path / f"{i}.jpg", id=f"p{i}") for i in range(3)]
    story.body = [Paragraph("One."), PhotoGroup(["p2", "p1"])]
    return story


@pytest.mark.parametrize("text, expected", [
    ("https://static.example.kz/stories/saran-2022", "https://static.example.kz/stories/saran-2022/"),
    ("  http://127.0.0.1:8080/a/b/ ", "http://127.0.0.1:8080/a/b/"),
    ("HTTPS://Example.kz", "HTTPS://Example.kz/"),
    ("", ""),
])
def test_base_urls_are_normalised_to_end_in_a_slash(text, expected):
    assert base_url(text) == expected


@pytest.mark.parametrize("text", [
    "javascript:alert(1)//", "file:///var/www/", "ftp://example.kz/", "example.kz/stories/",
    "https://", "https://user:secret@example.kz/", "https://example.kz/a b/",
    'https://example.kz/"><script>alert(1)</script>', "https://example.kz/\n/x",
    "https://example.kz/?utm=1", "https://example.kz/#top", "https://example.kz:port/",
    "https://example.kz/" + "a" * 2100,
])
def test_hostile_base_urls_are_refused_in_one_sentence(text):
    with pytest.raises(ValueError) as caught:
        base_url(text)
    assert "\n" not in str(caught.value) and "base URL" in str(caught.value)


def test_pages_use_the_base_url_or_their_relative_way():
    assert page_root("", "../") == "../"
    assert page_root("https://x.kz/s/", "../") == "https://x.kz/s/"
    assert absolute("https://x.kz/s/", "images/a-480.jpg") == "https://x.kz/s/images/a-480.jpg"
    assert absolute("", "images/a-480.jpg") == "images/a-480.jpg"
    assert web_address(" https://creativecommons.org/licenses/by/4.0/ ") == \
        "https://creativecommons.org/licenses/by/4.0/"


def test_site_fields_are_saved_and_read_back(tmp_path):
    story = small_story(tmp_path)
    story.base_url = "https://static.example.kz/stories/saran/"
    story.cover_photo = "p1"
    story.license = "https://creativecommons.org/licenses/by/4.0/"
    story.acquire_license_page = "https://akorda.kz/en/licensing"
    story.photos[0].license = "https://example.kz/rights/p0"
    story.photos[0].acquire_license_page = "https://example.kz/buy/p0"
    path = tmp_path / "s.photostory"
    save_story(story, path)
    loaded = load_story(path)
    for name in ("base_url", "cover_photo", "license", "acquire_license_page"):
        assert getattr(loaded, name) == getattr(story, name)
    assert [vars(p) for p in loaded.photos] == [vars(p) for p in story.photos]
    assert loaded.cover().id == "p1"


def test_a_story_without_site_fields_saves_exactly_as_before(tmp_path):
    story = small_story(tmp_path)
    data = json.loads(story_bytes(story, tmp_path))
    for key in ("base_url", "cover_photo", "license", "acquire_license_page"):
        assert key not in data["story"]
        assert all(key not in photo for photo in data["photos"])


def test_the_cover_is_the_chosen_photo_else_the_first_placed(tmp_path):
    story = small_story(tmp_path)
    assert story.cover().id == "p2"  # the article places p2 first; p0 is only in the gallery
    story.cover_photo = "p0"
    assert story.cover().id == "p0"
    assert story.cover(among=["p1", "p2"]).id == "p2"  # the chosen one failed to export
    story.body = []
    story.cover_photo = "gone"
    assert story.cover().id == "p0"
    assert Story().cover() is None


def write_story(tmp_path: Path, story_keys: dict, photo_keys: dict | None = None) -> Path:
    path = tmp_path / "hostile.photostory"
    path.write_text(json.dumps({
        "format": "photostory", "version": 2, "story": {"title": "X", **story_keys},
        "photos": [{"id": "p1", "path": "a.jpg", **(photo_keys or {})}]}), encoding="utf-8")
    return path


@pytest.mark.parametrize("story_keys, photo_keys", [
    ({"base_url": "javascript:alert(1)//"}, None),
    ({"base_url": "https://x.kz/\"><script>"}, None),
    ({"base_url": 42}, None),
    ({"license": "data:text/html,<script>alert(1)</script>"}, None),
    ({"acquire_license_page": "//example.kz/buy"}, None),
    ({}, {"license": "javascript:alert(1)"}),
])
def test_hostile_site_fields_in_a_story_file_are_refused_with_one_line(tmp_path, story_keys,
                                                                      photo_keys):
    path = write_story(tmp_path, story_keys, photo_keys)
    with pytest.raises(StoryFileError) as caught:
        load_story(path)
    message = str(caught.value)
    assert message.startswith("hostile.photostory: ") and "\n" not in message
    key = next(iter(story_keys or photo_keys))
    assert repr(key) in message


def test_a_base_url_read_from_a_file_is_normalised(tmp_path):
    path = write_story(tmp_path, {"base_url": "https://x.kz/stories/saran"})
    assert load_story(path).base_url == "https://x.kz/stories/saran/"


def test_a_cover_photo_the_story_lacks_is_dropped_with_a_warning(tmp_path):
    path = write_story(tmp_path, {"cover_photo": "p404"})
    warnings: list[str] = []
    story = load_story(path, warnings)
    assert story.cover_photo == "" and story.cover().id == "p1"
    assert any("cover photo" in w for w in warnings)


def test_every_version_shares_the_cover_the_tray_marks(tmp_path):
    from photostory.core.story import Paragraph, PhotoGroup, Translation

    story = small_story(tmp_path)
    story.translations = [Translation("ru", body=[Paragraph("Абзац."), PhotoGroup(["p1", "p2"])])]
    assert story.cover().id == "p2"  # what the tray marks: the source article's first photo
    assert story.version("ru").cover().id == "p2"  # not the Russian article's first
    assert story.version("ru").cover(among=["p1"]).id == "p1"  # p2 failed: this version's next
