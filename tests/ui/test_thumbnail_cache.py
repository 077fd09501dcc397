"""Thumbnails in the editor: the freedesktop disk cache, visible cells first,
and placeholders of the photo's shape while thumbnails come."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QRect, Qt

from photostory.core import thumbcache
from photostory.core.images.decoding import make_thumbnail
from photostory.core.story import Photo
from photostory.core.storyfile import save_story
from photostory.ui import thumbnails as thumbnails_mod
from photostory.ui.thumbnails import TRAY_SIZE, ThumbnailCache
from ui_support import make_photos, story_with_photos


def visible_rows(window) -> list[int]:  # noqa: ANN001
    view = window.tray.view
    area = view.viewport().rect()
    model = view.model()
    return [row for row in range(model.rowCount())
            if view.visualRect(model.index(row, 0)).intersects(area)]


def test_thumbnails_are_stored_in_the_freedesktop_cache_and_reused(window, qtbot, tmp_path: Path,
                                                                   private_thumbnail_cache: Path) -> None:
    story = story_with_photos(tmp_path / "photos", 4)
    window.document.set_story(story, None)
    window.thumbnails.prefetch(story.photos)
    qtbot.waitUntil(lambda: all(window.thumbnails.is_loaded(p) for p in story.photos), timeout=30000)
    entries = sorted((private_thumbnail_cache / "large").glob("*.png"))
    assert len(entries) == 4  # "large" (256 px): what file managers make and read too
    with Image.open(entries[0]) as entry:
        assert entry.info["Thumb::URI"].startswith("file://")
        assert max(entry.size) == 256

    def never(path: Path, size: int) -> Image.Image:
        raise AssertionError(f"{path.name} was decoded although its thumbnail is cached")

    # A re-opened story: every thumbnail is a cache hit, no photo is decoded.
    cache = ThumbnailCache(threads=1, make=never, lookup=thumbnails_mod.cached_thumbnail)
    try:
        for photo in story.photos:
            assert cache.pixmap(photo) is None  # not in memory yet: on its way
        qtbot.waitUntil(lambda: all(cache.is_loaded(p) for p in story.photos), timeout=30000)
        assert all(cache.error(p) == "" for p in story.photos)
        size = cache.pixmap(story.photos[0]).deviceIndependentSize()
        assert max(size.width(), size.height()) == TRAY_SIZE
    finally:
        cache.shutdown()


def test_a_changed_file_gets_a_new_thumbnail(tmp_path: Path) -> None:
    story = story_with_photos(tmp_path / "photos", 1)
    photo = story.photos[0]
    first = thumbnails_mod.disk_cached_thumbnail(photo.path, TRAY_SIZE)
    Image.new("RGB", (480, 640), "red").save(photo.path, "JPEG")  # replaced by a portrait
    os.utime(photo.path, (photo.path.stat().st_mtime + 10,) * 2)
    assert thumbnails_mod.cached_thumbnail(photo.path, TRAY_SIZE) is None  # stale entry
    second = thumbnails_mod.disk_cached_thumbnail(photo.path, TRAY_SIZE)
    assert first.size[0] > first.size[1] and second.size[0] < second.size[1]


def test_reopened_story_loads_visible_cells_first(settings, qtbot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from photostory.ui.main_window import MainWindow

    made: list[str] = []

    def recording(path: Path, size: int) -> Image.Image:
        if size == TRAY_SIZE:  # (not the inspector's preview of the selected photo)
            made.append(path.name)
        return make_thumbnail(path, size)

    monkeypatch.setattr(thumbnails_mod, "disk_cached_thumbnail", recording)
    story = story_with_photos(tmp_path / "photos", 90, size=(320, 240))
    path = tmp_path / "big.photostory"
    save_story(story, path)
    window = MainWindow(settings, thumbnail_threads=1, recovery_dir=tmp_path / "recovery")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.files.open_story(path, ask=False)
        photos = window.document.story.photos
        qtbot.waitUntil(lambda: all(window.thumbnails.is_loaded(p) for p in photos), timeout=60000)
        visible = visible_rows(window)
        assert 6 <= len(visible) < 60
        names = {photos[row].file_name for row in visible}
        assert set(made[: len(names)]) == names  # the cells on screen came first
        assert len(made) == 90  # then the rest, for scrolling
    finally:
        window.document.undo_stack.setClean()
        window.shutdown_workers()


def test_scrolled_to_cells_outrank_earlier_requests(qtbot, tmp_path: Path) -> None:
    paths = make_photos(tmp_path / "photos", 5, size=(64, 48))
    photos = [Photo(path=p, width=64, height=48) for p in paths]
    gate = threading.Event()
    started = threading.Event()
    order: list[str] = []

    def gated(path: Path, size: int) -> Image.Image:
        started.set()
        gate.wait(30)
        order.append(path.name)
        return Image.new("RGB", (size, size * 3 // 4))

    cache = ThumbnailCache(threads=1, make=gated)
    try:
        cache.pixmap(photos[0])  # runs first and waits at the gate
        qtbot.waitUntil(started.is_set)
        cache.prefetch([photos[4]])  # the rest of the story: lowest priority
        cache.pixmap(photos[1])
        cache.pixmap(photos[2])  # on screen before the scroll
        cache.bump()  # the view scrolled
        cache.pixmap(photos[3])  # on screen now
        gate.set()
        qtbot.waitUntil(lambda: all(cache.is_loaded(p) for p in photos), timeout=30000)
        assert order == [p.file_name for p in (photos[0], photos[3], photos[1], photos[2], photos[4])]
    finally:
        gate.set()
        cache.shutdown()


def test_placeholders_have_the_photos_shape_so_the_grid_never_jumps(window, qtbot,
                                                                    tmp_path: Path) -> None:
    gate = threading.Event()
    portrait = Photo(path=make_photos(tmp_path / "p", 1, size=(300, 400))[0], width=300, height=400)

    def gated(path: Path, size: int) -> Image.Image:
        gate.wait(30)
        return make_thumbnail(path, size)

    cache = ThumbnailCache(threads=1, make=gated)
    try:
        assert cache.pixmap(portrait) is None
        placeholder = cache.placeholder(portrait).deviceIndependentSize()
        gate.set()
        qtbot.waitUntil(lambda: cache.is_loaded(portrait), timeout=30000)
        real = cache.pixmap(portrait).deviceIndependentSize()
        assert (placeholder.width(), placeholder.height()) == (88, 118)
        assert abs(real.width() - placeholder.width()) <= 1 and real.height() == placeholder.height()
    finally:
        gate.set()
        cache.shutdown()
    # Every cell of the tray has the same size, whatever its thumbnail.
    story = story_with_photos(tmp_path / "photos", 3)
    window.document.set_story(story, None)
    view = window.tray.view
    rects = [view.visualRect(view.model().index(r, 0)) for r in range(3)]
    assert len({(r.width(), r.height()) for r in rects}) == 1 and isinstance(rects[0], QRect)
    assert view.model().index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    assert thumbcache.flavour_for(thumbnails_mod.DISK_CACHE_MIN)[0] == "large"


def test_a_thumbnail_made_while_the_view_asks_again_is_made_once(qtbot, tmp_path: Path) -> None:
    """A prefetched thumbnail that a worker has just made, but the GUI thread has not yet
    received, is not queued again when the tray asks for it (its decode is not repeated)."""
    photo = Photo(path=make_photos(tmp_path / "photos", 1, size=(64, 48))[0], width=64, height=48)
    made: list[str] = []

    def counting(path: Path, size: int) -> Image.Image:
        made.append(path.name)
        return Image.new("RGB", (size, size * 3 // 4))

    cache = ThumbnailCache(threads=1, make=counting)
    try:
        cache.prefetch([photo])
        while cache.pending:  # made in the worker; nothing delivered (no events processed)
            time.sleep(0.001)
        assert cache.pixmap(photo) is None  # the tray paints it: still on its way
        qtbot.waitUntil(lambda: cache.is_loaded(photo), timeout=30000)
        while cache.pending:  # (a second request would be made by now)
            time.sleep(0.001)
        assert made == [photo.path.name]
    finally:
        cache.shutdown()
