"""The command line's site fields: ``set``, ``export``/``publish --base-url`` and the
captions sheet's licence columns, as a desk would run them."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from cli_support import assert_refused, photostory, snapshot
from htmlcheck import Page
from photostory.core.importing import import_photos
from photostory.core.story import Paragraph, PhotoGroup, Story
from photostory.core.storyfile import load_story, save_story

BASE = "https://static.example.kz/stories/saran/"


def story_file(tmp_path: Path) -> Path:
    paths = []
    for i in range(3):
        path = tmp_path / f"photo {i + 1}.jpg"
        Image.new("RGB", (1400, 900), (60 * i, 100, 160)).save(path, quality=85)
        paths.append(path)
    story = Story(title="Saran", language="en", default_credit="akorda.kz")
    story.photos = import_photos(paths, workers=1).photos
    for photo in story.photos:
        photo.caption, photo.alt = f"Caption of {photo.file_name}", "A plant"
    story.body = [Paragraph("The president visited the plant."),
                  PhotoGroup([story.photos[1].id, story.photos[2].id])]
    path = tmp_path / "saran.photostory"
    save_story(story, path)
    return path


def test_set_saves_the_site_fields_and_export_uses_them(tmp_path):
    path = story_file(tmp_path)
    done = photostory("set", path, "--base-url", BASE.rstrip("/"), "--cover", "photo 3.jpg",
                      "--license", "https://creativecommons.org/licenses/by/4.0/")
    assert done.returncode == 0, done.stderr
    assert "cover photo photo 3.jpg" in done.stdout
    story = load_story(path)
    assert story.base_url == BASE  # normalised: ends in /
    assert story.cover().file_name == "photo 3.jpg"
    assert story.license == "https://creativecommons.org/licenses/by/4.0/"
    out = tmp_path / "out"
    exported = photostory("export", path, "-o", out, "--workers", "1")
    assert exported.returncode == 0, exported.stderr
    embed = Page((out / "embed.html").read_text(encoding="utf-8"))
    assert all(img.attrs["src"].startswith(BASE + "images/") for img in embed.find("img"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:image" content="{BASE}images/photo-3-' in index
    cleared = photostory("set", path, "--cover", "", "--base-url", "")
    assert cleared.returncode == 0, cleared.stderr
    story = load_story(path)
    assert (story.base_url, story.cover_photo) == ("", "")
    assert story.cover().file_name == "photo 2.jpg"  # the first placed


def test_export_base_url_overrides_for_that_export_only(tmp_path):
    path = story_file(tmp_path)
    before = path.read_bytes()
    other = "http://127.0.0.1:8000/preview/"
    done = photostory("export", path, "-o", tmp_path / "out", "--workers", "1", "--base-url", other)
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "out" / "story.json").read_text(encoding="utf-8"))
    assert data["photos"][0]["renditions"][0]["url"].startswith(other + "images/")
    assert path.read_bytes() == before


def test_hostile_addresses_are_refused_in_one_line_and_nothing_changes(tmp_path):
    path = story_file(tmp_path)
    before = snapshot(tmp_path)
    for args in (("set", path, "--base-url", "javascript:alert(1)//"),
                 ("set", path, "--license", "https://x.kz/\"><script>"),
                 ("set", path, "--cover", "nope.jpg"),
                 ("export", path, "-o", tmp_path / "out", "--base-url", "file:///etc/")):
        result = photostory(*args)
        assert result.returncode != 0
        assert len(result.error_lines) == 1, result.stderr
    assert snapshot(tmp_path) == before


def test_captions_sheet_carries_licences_and_refuses_a_bad_one(tmp_path):
    path = story_file(tmp_path)
    sheet = tmp_path / "captions.csv"
    sheet.write_text("file,caption,license,acquire_license_page\n"
                     "photo 1.jpg,First,https://example.kz/rights/1,https://example.kz/buy/1\n",
                     encoding="utf-8")
    done = photostory("captions", path, "--import", sheet)
    assert done.returncode == 0, done.stderr
    photo = load_story(path).photos[0]
    assert (photo.caption, photo.license, photo.acquire_license_page) == (
        "First", "https://example.kz/rights/1", "https://example.kz/buy/1")
    out = tmp_path / "out.csv"
    assert photostory("captions", path, "--export", out).returncode == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "file,caption,credit,alt,license,acquire_license_page"
    assert lines[1].endswith(",https://example.kz/rights/1,https://example.kz/buy/1")

    before = path.read_bytes()
    sheet.write_text("file,caption,license\nphoto 2.jpg,Second,javascript:alert(1)\n",
                     encoding="utf-8")
    assert_refused(photostory("captions", path, "--import", sheet), "captions.csv line 2")
    assert path.read_bytes() == before


def test_publish_names_the_public_url_under_the_base_url(tmp_path):
    path = story_file(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    done = photostory("publish", path, "--to", site.as_uri(), "-o", tmp_path / "out",
                      "--base-url", BASE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == BASE + "index.html"
    embed = Page((site / "embed.html").read_text(encoding="utf-8"))
    assert all(link.attrs["href"].startswith(BASE) for link in embed.find("link"))
