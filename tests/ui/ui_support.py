"""Photos and stories generated for the editor tests (Pillow, into tmp_path)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from photostory.core.story import Paragraph, Photo, PhotoGroup, Story


def write_jpeg(path: Path, size: tuple[int, int] = (640, 480), color: tuple[int, int, int] = (90, 120, 160),
               quality: int = 85) -> Path:
    """A small JPEG with a gradient (so it compresses like a photo, not a flat tile)."""
    width, height = size
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), color)
    Image.blend(image, tint, 0.6).save(path, "JPEG", quality=quality)
    return path


def write_truncated_jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(buffer, "JPEG")
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_photos(folder: Path, count: int, size: tuple[int, int] = (640, 480),
                prefix: str = "photo") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_jpeg(folder / f"{prefix}-{i:03d}.jpg", size,
                       ((i * 37) % 255, (i * 91) % 255, (i * 53) % 255))
            for i in range(count)]


def story_with_photos(folder: Path, count: int, paragraphs: int = 0,
                      size: tuple[int, int] = (640, 480)) -> Story:
    """A story of ``count`` generated photos (files on disk) and ``paragraphs`` paragraphs."""
    paths = make_photos(folder, count, size)
    photos = [Photo(path=p, width=size[0], height=size[1], caption=f"Caption {i}" if i % 2 else "",
                    credit=f"Agency {i % 3}", alt="Alt" if i % 3 else "")
              for i, p in enumerate(paths)]
    body: list[Paragraph | PhotoGroup] = [Paragraph(f"Paragraph {i + 1}.") for i in range(paragraphs)]
    return Story(title="Test story", photos=photos, body=body)


def send_drag(widget, data, pos, actions, *, drop: bool = True, between=None):  # noqa: ANN001
    """Send what a real drag sends to ``widget``: enter, move, then (optionally) drop.

    ``between`` is called after the move, before the drop (to look at the drop
    indicator). Returns (enter, move, drop) events; drop is None when not sent.
    """
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    point = QPoint(round(pos.x()), round(pos.y()))  # enter/move take QPoint, drop QPointF
    enter = QDragEnterEvent(point, actions, data, buttons, mods)
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(point, actions, data, buttons, mods)
    QApplication.sendEvent(widget, move)
    if between is not None:
        between()
    dropped = None
    if drop:
        dropped = QDropEvent(QPointF(point), actions, data, buttons, mods)
        QApplication.sendEvent(widget, dropped)
    return enter, move, dropped
