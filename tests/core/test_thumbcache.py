"""The freedesktop thumbnail cache: names, keys, staleness, sharing, failures."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from photostory.core import atomic, thumbcache
from photostory.core.images import decoding
from photostory.core.thumbcache import cache_path, cache_root, cached_thumbnail, file_uri, thumbnail_for
from photostory.errors import ImageReadError


def _photo(path: Path, size: tuple[int, int] = (1200, 800), colour: str = "steelblue",
           orientation: int | None = None) -> Path:
    image = Image.new("RGB", size, colour)
    image.paste("orange", (0, 0, size[0] // 4, size[1] // 4))  # top-left marker
    options = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = orientation
        options["exif"] = exif.tobytes()
    image.save(path, "JPEG", quality=90, **options)
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    return root / "thumbnails"


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, int]]:
    """Records every call of decoding.make_thumbnail (the photo decode)."""
    calls: list[tuple[Path, int]] = []
    real = decoding.make_thumbnail

    def spy(path: Path, size: int) -> Image.Image:
        calls.append((Path(path), size))
        return real(path, size)

    monkeypatch.setattr(decoding, "make_thumbnail", spy)
    return calls


def test_cache_root_follows_xdg_cache_home(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache_root() == cache
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # invalid per the XDG spec: ignored
    assert cache_root() == Path.home() / ".cache" / "thumbnails"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_root() == Path.home() / ".cache" / "thumbnails"


def test_file_name_is_md5_of_the_file_uri_in_the_flavour_folder(tmp_path: Path, cache: Path) -> None:
    photo = _photo(tmp_path / "Bus plant 1.jpg")
    thumb = thumbnail_for(photo, 256)
    uri = photo.absolute().as_uri()
    assert uri == file_uri(photo) and uri.startswith("file:///") and "%20" in uri
    entry = cache / "large" / (hashlib.md5(uri.encode()).hexdigest() + ".png")
    assert entry.is_file()
    assert cache_path(photo, 256) == entry
    assert max(thumb.size) == 256 and thumb.mode == "RGB"
    assert [p.name for p in (cache / "large").iterdir()] == [entry.name]  # no temp file left
    for size, flavour in ((100, "normal"), (128, "normal"), (300, "x-large"), (1024, "xx-large")):
        assert cache_path(photo, size).parent.name == flavour
    assert cache_path(photo, 2000) is None


def test_entry_carries_the_standard_text_keys_and_mode_0600(tmp_path: Path, cache: Path) -> None:
    photo = _photo(tmp_path / "a.jpg")
    thumbnail_for(photo, 256)
    entry = cache_path(photo, 256)
    with Image.open(entry) as png:
        assert png.format == "PNG"
        assert png.size == (256, 171)
        text = png.text
    assert text["Thumb::URI"] == photo.absolute().as_uri()
    assert text["Thumb::MTime"] == str(int(photo.stat().st_mtime))
    assert text["Thumb::Size"] == str(photo.stat().st_size)
    assert text["Software"].startswith("Photostory")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700


def test_a_hit_does_not_decode_the_photo(tmp_path: Path, cache: Path,
                                         decodes: list[tuple[Path, int]]) -> None:
    photo = _photo(tmp_path / "a.jpg")
    assert cached_thumbnail(photo, 256) is None  # cold: a miss, and no decode either
    assert decodes == []
    first = thumbnail_for(photo, 256)
    assert len(decodes) == 1
    again = thumbnail_for(photo, 256)
    hit = cached_thumbnail(photo, 256)
    assert len(decodes) == 1
    assert hit is not None and again.size == hit.size == first.size
    assert hit.tobytes() == first.tobytes()  # PNG is lossless
    # A smaller request served from the same flavour, scaled down.
    small = cached_thumbnail(photo, 200)
    assert small is not None and max(small.size) == 200 and len(decodes) == 1


def test_stale_mtime_regenerates(tmp_path: Path, cache: Path, decodes: list[tuple[Path, int]]) -> None:
    photo = _photo(tmp_path / "a.jpg", colour="steelblue")
    thumbnail_for(photo, 128)
    before = photo.stat().st_mtime
    _photo(photo, colour="darkred")  # the photographer re-saved the file
    os.utime(photo, (before + 10, before + 10))
    assert cached_thumbnail(photo, 128) is None  # stale: not served
    fresh = thumbnail_for(photo, 128)
    assert len(decodes) == 2
    assert fresh.getpixel((fresh.width - 1, fresh.height - 1))[0] > 100  # red now, not blue
    with Image.open(cache_path(photo, 128)) as png:
        assert png.text["Thumb::MTime"] == str(int(before + 10))
    assert cached_thumbnail(photo, 128) is not None


def test_other_programs_entries_are_used(tmp_path: Path, cache: Path,
                                         decodes: list[tuple[Path, int]]) -> None:
    # As a file manager (GLib) writes it: RGBA, its own Software key, a name with
    # characters GLib leaves unescaped in the URI.
    photo = _photo(tmp_path / "Akorda (2024), day+1.jpg")
    glib_uri = "file://" + str(photo.absolute()).replace(" ", "%20")
    assert glib_uri != file_uri(photo)  # Python escapes ( ) , +, GLib does not
    folder = cache / "large"
    folder.mkdir(parents=True)
    from PIL import PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    meta.add_text("Thumb::URI", glib_uri)
    meta.add_text("Thumb::MTime", str(int(photo.stat().st_mtime)))
    meta.add_text("Software", "GNOME::ThumbnailFactory")
    Image.new("RGBA", (256, 171), (0, 128, 0, 255)).save(
        folder / (hashlib.md5(glib_uri.encode()).hexdigest() + ".png"), pnginfo=meta)
    thumb = thumbnail_for(photo, 256)
    assert decodes == []
    assert thumb.mode == "RGB" and thumb.getpixel((10, 10)) == (0, 128, 0)


def test_wrong_or_damaged_entries_are_misses(tmp_path: Path, cache: Path,
                                             decodes: list[tuple[Path, int]]) -> None:
    photo = _photo(tmp_path / "a.jpg")
    entry = cache_path(photo, 256)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    assert cached_thumbnail(photo, 256) is None
    thumbnail_for(photo, 256)  # made again over the damaged entry
    assert len(decodes) == 1 and cached_thumbnail(photo, 256) is not None
    # An entry without Thumb::MTime is not trusted.
    Image.new("RGB", (256, 171), "black").save(entry)
    assert cached_thumbnail(photo, 256) is None


def test_unwritable_cache_still_returns_a_thumbnail(tmp_path: Path) -> None:
    photo = _photo(tmp_path / "a.jpg")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")  # fails even for root
    thumb = thumbnail_for(photo, 256, cache_dir=blocked)
    assert max(thumb.size) == 256
    assert cached_thumbnail(photo, 256, cache_dir=blocked) is None
    assert blocked.read_text().startswith("a file")


def test_read_only_cache_folder_still_returns_a_thumbnail(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    photo = _photo(tmp_path / "a.jpg")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    thumb = thumbnail_for(photo, 128, cache_dir=tmp_path / "thumbs")
    assert max(thumb.size) == 128


def test_portrait_aspect_and_orientation_are_kept(tmp_path: Path, cache: Path) -> None:
    portrait = _photo(tmp_path / "portrait.jpg", size=(800, 1200))
    thumb = thumbnail_for(portrait, 256)
    assert thumb.size == (171, 256)
    assert cached_thumbnail(portrait, 256).size == (171, 256)
    # Stored landscape, shown portrait through EXIF orientation 6 (rotate 90° clockwise).
    turned = _photo(tmp_path / "turned.jpg", size=(1200, 800), orientation=6)
    thumb = thumbnail_for(turned, 256)
    assert thumb.size == (171, 256)
    hit = cached_thumbnail(turned, 256)
    assert hit.size == (171, 256)
    # The stored top-left marker is now top-right.
    assert hit.getpixel((hit.width - 10, 10))[0] > 200 and hit.getpixel((10, 10))[2] > 150


def test_small_originals_are_not_upscaled(tmp_path: Path, cache: Path) -> None:
    photo = _photo(tmp_path / "small.jpg", size=(200, 100))
    assert thumbnail_for(photo, 256).size == (200, 100)
    assert cached_thumbnail(photo, 256).size == (200, 100)


def test_sizes_beyond_the_largest_flavour_are_not_cached(tmp_path: Path, cache: Path) -> None:
    photo = _photo(tmp_path / "a.jpg", size=(3000, 2000))
    assert thumbnail_for(photo, 1500).size == (1500, 1000)
    assert not cache.exists()
    assert cached_thumbnail(photo, 1500) is None


def test_broken_files_raise_and_store_nothing(tmp_path: Path, cache: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with pytest.raises(ImageReadError, match=r"^bad\.jpg: "):
        thumbnail_for(bad, 256)
    assert cached_thumbnail(bad, 256) is None
    assert cached_thumbnail(tmp_path / "missing.jpg", 256) is None
    assert not (cache / "large").exists() or not any((cache / "large").iterdir())


def test_thumbnails_of_the_cache_itself_are_not_stored(cache: Path) -> None:
    folder = cache / "large"
    folder.mkdir(parents=True)
    inside = _photo(folder / "x.jpg")
    thumbnail_for(inside, 256)
    assert [p.name for p in folder.iterdir()] == ["x.jpg"]
