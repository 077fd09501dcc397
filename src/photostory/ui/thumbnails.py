"""Thumbnails made off the GUI thread, cached in memory, keyed by photo id and path.

Workers (QRunnable on a private QThreadPool) decode with the core's make_thumbnail and
hand back a QImage through a signal; QPixmaps are made only on the GUI thread. While a
thumbnail is on its way, callers draw a placeholder of the photo's aspect, so the grid
never jumps; a file's embedded EXIF thumbnail stands in when it has one.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QObject, QRectF, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPixmap

from photostory.core.imaging import embedded_thumbnail, make_thumbnail
from photostory.core.story import Photo
from photostory.errors import PhotostoryError
from photostory.ui.tasks import lower_thread_priority

log = logging.getLogger(__name__)

TRAY_SIZE = 118  # logical pixels: three columns fit a 30% tray at 1366 px
PREVIEW_SIZE = 480
Key = tuple[str, str, int]  # photo id, path, size in device pixels


def pil_to_qimage(image: Image.Image) -> QImage:
    """An independent RGB888 QImage copy of a PIL image (safe to build in any thread)."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    return QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()


class _Relay(QObject):
    """Lives on the GUI thread; workers emit on it, so the slots run on the GUI thread."""

    done = Signal(object, QImage, bool)  # key, image, final
    failed = Signal(object, str)  # key, user-ready reason


Maker = Callable[[Path, int], Image.Image]  # (file, longest side) -> RGB image; raises PhotostoryError


class _Job(QRunnable):
    def __init__(self, relay: _Relay, key: Key, path: Path, wanted: set[Key],
                 embedded_first: bool, make: Maker) -> None:
        super().__init__()
        self.make = make
        self.relay = relay
        self.key = key
        self.path = path
        self.wanted = wanted
        self.embedded_first = embedded_first

    def run(self) -> None:
        lower_thread_priority()
        if self.key not in self.wanted:  # done by a twin job, or the story was closed
            return
        size = self.key[2]
        try:
            if self.embedded_first:
                quick = embedded_thumbnail(self.path)
                if quick is not None:
                    quick.thumbnail((size, size))
                    self.relay.done.emit(self.key, pil_to_qimage(quick), False)
            image = self.make(self.path, size)
            self.wanted.discard(self.key)
            self.relay.done.emit(self.key, pil_to_qimage(image), True)
        except PhotostoryError as exc:
            self.wanted.discard(self.key)
            self.relay.failed.emit(self.key, str(exc))
        except Exception as exc:  # a bug, not the user's file: log it and draw "unreadable"
            log.exception("thumbnail of %s failed", self.path)
            self.wanted.discard(self.key)
            self.relay.failed.emit(self.key, f"{self.path.name}: cannot be shown ({type(exc).__name__}).")


class ThumbnailCache(QObject):
    """Ask for a photo's pixmap; get it now if cached, else ``ready(photo_id)`` later."""

    ready = Signal(str)  # photo id whose thumbnail (or failure) arrived

    def __init__(self, parent: QObject | None = None, threads: int = 2,
                 capacity: int = 1500, make: Maker = make_thumbnail) -> None:
        super().__init__(parent)
        self._make = make  # a persistent (disk) cache can be plugged in here
        self._pool = QThreadPool(self)
        # Leave a core to the GUI thread (and the GIL to it most of the time).
        self._pool.setMaxThreadCount(max(1, min(threads, QThreadPool.globalInstance().maxThreadCount())))
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._pixmaps: OrderedDict[Key, QPixmap] = OrderedDict()
        self._final: set[Key] = set()
        self._wanted: set[Key] = set()  # queued or running; shared with workers (GIL-atomic ops)
        self._queued: dict[Key, int] = {}  # key -> highest priority it was queued at
        self._failed: dict[Key, str] = {}
        self._placeholders: dict[tuple[int, int, int], QPixmap] = {}
        self._capacity = capacity

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
        """Queue thumbnails behind anything a view asked for (so visible ones come first)."""
        for photo in photos:
            key = self._key(photo, size)
            if key not in self._final and key not in self._failed:
                self._request(key, photo.path, urgent=False)

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
        self._pool.clear()
        self._wanted.clear()
        self._queued.clear()
        self._pixmaps.clear()
        self._final.clear()
        self._failed.clear()

    def shutdown(self) -> None:
        self._wanted.clear()
        self._queued.clear()
        self._pool.clear()
        self._pool.waitForDone()

    # -- internals ------------------------------------------------------------------------
    def _key(self, photo: Photo, size: int) -> Key:
        return (photo.id, str(photo.path), int(size * _dpr()))

    def _request(self, key: Key, path: Path, urgent: bool) -> None:
        priority = 1 if urgent else 0
        if self._queued.get(key, -1) >= priority:
            return  # views repaint often; queue each key once per priority
        self._queued[key] = priority
        self._wanted.add(key)
        # An urgent request for a queued prefetch starts a twin at high priority; whichever
        # runs second finds the key done and returns at once.
        job = _Job(self._relay, key, path, self._wanted,
                   embedded_first=key[2] <= 2 * TRAY_SIZE * _dpr(), make=self._make)
        self._pool.start(job, priority)

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
            old, _ = self._pixmaps.popitem(last=False)
            self._final.discard(old)
        self.ready.emit(key[0])

    def _on_failed(self, key: Key, reason: str) -> None:
        self._failed[key] = reason
        self._queued.pop(key, None)
        self.ready.emit(key[0])


def fit_size(width: int, height: int, box: int) -> QSize:
    """The size a ``width`` x ``height`` image has when fitted into ``box`` x ``box``."""
    if width <= 0 or height <= 0:
        width, height = 4, 3
    scale = box / max(width, height)
    return QSize(max(1, round(width * scale)), max(1, round(height * scale)))


def _dpr() -> float:
    app = QGuiApplication.instance()
    return app.devicePixelRatio() if app is not None else 1.0
