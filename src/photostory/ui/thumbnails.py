"""Thumbnails made off the GUI thread, cached in memory and on disk, keyed by photo id and path.

Workers (tasks of a private :class:`~photostory.ui.tasks.TaskRunner`) first look in
the persistent freedesktop thumbnail cache (:mod:`photostory.core.thumbcache`, shared
with file managers: a hit never decodes the photo); on a miss they show the file's
embedded EXIF thumbnail, if any, then decode with draft mode and store the result in
the cache. Images come back as QImages on the GUI thread, where QPixmaps are made.
While a thumbnail is on its way, callers draw a placeholder of the photo's aspect, so
the grid never jumps.

Order: what a view paints now goes first. Each request a view makes carries the
current *urgency*, which :meth:`ThumbnailCache.bump` raises when the view scrolls, so
the cells on screen outrank ones that scrolled away; prefetching (the rest of the
story) runs at the lowest priority, once the visible ones are done.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QObject, QRectF, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPixmap

from photostory.core.i18n import _
from photostory.core import thumbcache
from photostory.core.images.decoding import embedded_thumbnail
from photostory.core.story import Photo
from photostory.errors import Cancelled
from photostory.ui.tasks import Reporter, TaskRunner

log = logging.getLogger(__name__)

TRAY_SIZE = 118  # logical pixels: three columns fit a 30% tray at 1366 px
PREVIEW_SIZE = 480
# The disk cache is asked for at least the freedesktop "large" flavour (256 px), what
# file managers make and read today; smaller sizes are reduced from it in the worker.
DISK_CACHE_MIN = 256
# Prefetch this long after asking, even if visible thumbnails are still coming (they
# keep their higher priority) or no view asked for any.
PREFETCH_FALLBACK_MS = 300
# Prefetch requests queued per turn of the event loop: each is a task with its signals,
# and hundreds at once held the window for a visible moment.
PREFETCH_BATCH = 24
Key = tuple[str, str, int]  # photo id, path, size in device pixels


def pil_to_qimage(image: Image.Image) -> QImage:
    """An independent RGB888 QImage copy of a PIL image (safe to build in any thread)."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    return QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()


Maker = Callable[[Path, int], Image.Image]  # (file, longest side) -> RGB image; raises PhotostoryError
Lookup = Callable[[Path, int], "Image.Image | None"]  # a cache hit, or None; never decodes the photo


def cached_thumbnail(path: Path, size: int) -> Image.Image | None:
    """A thumbnail from the freedesktop cache, or None (a stat and a small PNG decode)."""
    image = thumbcache.cached_thumbnail(path, max(size, DISK_CACHE_MIN))
    return thumbcache.fit_within(image, size) if image is not None else None


def disk_cached_thumbnail(path: Path, size: int) -> Image.Image:
    """From the freedesktop cache, else made (draft-mode decode) and stored there."""
    return thumbcache.fit_within(thumbcache.thumbnail_for(path, max(size, DISK_CACHE_MIN)), size)


def _unshowable(path: Path, exc: Exception) -> str:
    """A bug, not the user's file: the tray draws "unreadable" with this reason."""
    return _("{file}: cannot be shown ({problem}).").format(file=path.name,
                                                            problem=type(exc).__name__)


class ThumbnailCache(QObject):
    """Ask for a photo's pixmap; get it now if cached, else ``ready(photo_id)`` later."""

    ready = Signal(str)  # photo id whose thumbnail (or failure) arrived

    def __init__(self, parent: QObject | None = None, threads: int = 2,
                 capacity: int = 1500, make: Maker | None = None,
                 lookup: Lookup | None = None) -> None:
        super().__init__(parent)
        # By default the freedesktop disk cache; a test's own ``make`` bypasses it.
        if make is None:
            make, lookup = disk_cached_thumbnail, lookup or cached_thumbnail
        self._make = make
        self._lookup = lookup
        # Leave a core to the GUI thread (and the GIL to it most of the time).
        self._tasks = TaskRunner(self, max(1, min(threads, QThreadPool.globalInstance().maxThreadCount())))
        self._pixmaps: OrderedDict[Key, QPixmap] = OrderedDict()
        self._final: set[Key] = set()
        self._wanted: set[Key] = set()  # queued or being made; shared with the workers
        # Held while a worker gives a key up and while the GUI thread asks for one again, so
        # a thumbnail just made (and on its way here) is never queued to be made twice.
        self._wanted_lock = threading.Lock()
        self._queued: dict[Key, int] = {}  # key -> highest priority it was queued at
        self._failed: dict[Key, str] = {}
        self._placeholders: dict[tuple[int, int, int], QPixmap] = {}
        self._capacity = capacity
        self._urgency = 1  # priority of what views ask for now; prefetches run at 0
        self._generation = 0  # counts clear() and shutdown(): batches of an old story stop
        self._later: list[tuple[list[Photo], int]] = []  # prefetches waiting for the visible ones
        self._later_timer = QTimer(self)
        self._later_timer.setSingleShot(True)
        self._later_timer.setInterval(PREFETCH_FALLBACK_MS)
        self._later_timer.timeout.connect(self._prefetch_later)

    # -- queries -----------------------------------------------------------------------
    def pixmap(self, photo: Photo, size: int = TRAY_SIZE, *, urgent: bool = True) -> QPixmap | None:
        """The best pixmap we have (maybe the embedded preview); schedules the real one."""
        key = self._key(photo, size)
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
        if key not in self._final and key not in self._failed:
            self._request(key, photo.path, urgent)
        return pixmap

    def error(self, photo: Photo, size: int = TRAY_SIZE) -> str:
        """Why the thumbnail could not be made ("" when it could, or is still coming)."""
        return self._failed.get(self._key(photo, size), "")

    def is_loaded(self, photo: Photo, size: int = TRAY_SIZE) -> bool:
        key = self._key(photo, size)
        return key in self._final or key in self._failed

    def prefetch(self, photos: list[Photo], size: int = TRAY_SIZE) -> None:
        """Queue thumbnails behind anything a view asked for (so visible ones come first),
        a batch per turn of the event loop."""
        generation = self._generation
        batch, rest = photos[:PREFETCH_BATCH], photos[PREFETCH_BATCH:]
        for photo in batch:
            key = self._key(photo, size)
            if key not in self._final and key not in self._failed:
                self._request(key, photo.path, urgent=False)
        if rest:
            QTimer.singleShot(0, self, lambda: self._prefetch_rest(generation, rest, size))

    def _prefetch_rest(self, generation: int, photos: list[Photo], size: int) -> None:
        if generation == self._generation:  # not for a story closed since
            self.prefetch(photos, size)

    def prefetch_when_idle(self, photos: list[Photo], size: int = TRAY_SIZE) -> None:
        """Prefetch once what views asked for is done (a just-opened story: its visible
        cells first, then the rest for scrolling)."""
        self._later.append((list(photos), size))
        self._later_timer.start()

    def bump(self) -> None:
        """A view scrolled: what it asks for from now on goes before earlier requests."""
        self._urgency += 1

    def placeholder(self, photo: Photo, size: int = TRAY_SIZE) -> QPixmap:
        """A neutral tile with the photo's aspect ratio, the size its thumbnail will have."""
        fitted = fit_size(photo.width, photo.height, size)
        cache_key = (fitted.width(), fitted.height(), size)
        pixmap = self._placeholders.get(cache_key)
        if pixmap is None:
            dpr = _dpr()
            pixmap = QPixmap(fitted * dpr)
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 28))
            painter.drawRoundedRect(QRectF(0, 0, fitted.width(), fitted.height()), 3, 3)
            painter.end()
            self._placeholders[cache_key] = pixmap
        return pixmap

    @property
    def pending(self) -> int:
        return len(self._wanted)

    # -- lifecycle ----------------------------------------------------------------------
    def clear(self) -> None:
        """Forget everything (another story was opened); queued work is dropped."""
        self._generation += 1
        self._later.clear()
        self._later_timer.stop()
        self._tasks.clear()
        self._wanted.clear()
        self._queued.clear()
        self._pixmaps.clear()
        self._final.clear()
        self._failed.clear()

    def shutdown(self) -> None:
        self._generation += 1
        self._later.clear()
        self._later_timer.stop()
        self._wanted.clear()
        self._queued.clear()
        self._tasks.clear()
        self._tasks.wait()

    # -- internals ------------------------------------------------------------------------
    def _key(self, photo: Photo, size: int) -> Key:
        return (photo.id, str(photo.path), int(size * _dpr()))

    def _prefetch_later(self) -> None:
        self._later_timer.stop()
        later, self._later = self._later, []
        for photos, size in later:
            self.prefetch(photos, size)

    def _request(self, key: Key, path: Path, urgent: bool) -> None:
        priority = self._urgency if urgent else 0
        if self._queued.get(key, -1) >= priority:
            return  # views repaint often; queue each key once per priority
        with self._wanted_lock:
            if key in self._queued and key not in self._wanted:
                return  # made already: the thumbnail is on its way to this thread
            self._wanted.add(key)
        self._queued[key] = priority
        # An urgent request for a queued prefetch starts a twin at high priority; whichever
        # runs second finds the key done and returns at once.
        embedded_first = key[2] <= 2 * TRAY_SIZE * _dpr()
        (self._tasks.run(_("Thumbnail of {path}").format(path=path),
                         lambda progress, _cancel: self._thumbnail(key, path, embedded_first, progress),
                         priority=priority, explain_bug=lambda exc: _unshowable(path, exc))
         .on_partial(lambda image: self._on_done(key, image, False))
         .on_success(lambda image: self._on_done(key, image, True))
         .on_failure(lambda reason: self._on_failed(key, reason)))

    def _thumbnail(self, key: Key, path: Path, embedded_first: bool, progress: Reporter) -> QImage:
        """In a worker: the cached thumbnail, else the embedded preview (sent early) and
        then the one ``make`` decodes."""
        if key not in self._wanted:
            raise Cancelled()  # made by a twin request meanwhile, or the story was closed
        size = key[2]
        try:
            image = self._lookup(path, size) if self._lookup is not None else None
            if image is None:
                if embedded_first:
                    quick = embedded_thumbnail(path)
                    if quick is not None:
                        quick.thumbnail((size, size))
                        progress.partial(pil_to_qimage(quick))
                image = self._make(path, size)
            return pil_to_qimage(image)
        finally:
            with self._wanted_lock:
                self._wanted.discard(key)

    def _on_done(self, key: Key, image: QImage, final: bool) -> None:
        if key in self._final:
            return  # a late embedded preview after the real thumbnail
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(_dpr())
        self._pixmaps[key] = pixmap
        if final:
            self._final.add(key)
            self._queued.pop(key, None)
        while len(self._pixmaps) > self._capacity:
            old, _pixmap = self._pixmaps.popitem(last=False)
            self._final.discard(old)
        self.ready.emit(key[0])
        if self._later and not self._wanted:
            self._prefetch_later()

    def _on_failed(self, key: Key, reason: str) -> None:
        self._failed[key] = reason
        self._queued.pop(key, None)
        self.ready.emit(key[0])
        if self._later and not self._wanted:
            self._prefetch_later()


def fit_size(width: int, height: int, box: int) -> QSize:
    """The size a ``width`` x ``height`` image has when fitted into ``box`` x ``box``."""
    if width <= 0 or height <= 0:
        width, height = 4, 3
    scale = box / max(width, height)
    return QSize(max(1, round(width * scale)), max(1, round(height * scale)))


def _dpr() -> float:
    app = QGuiApplication.instance()
    return app.devicePixelRatio() if app is not None else 1.0
