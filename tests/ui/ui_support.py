"""Photos and stories generated for the editor tests (Pillow, into tmp_path)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from photostory.core.story import Paragraph, Photo, PhotoGroup, Story, Translation


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


@dataclass
class MessageBoxSeen:
    """What a message box showed, and whether it was still open after each key or click."""

    text: str = ""
    informative: str = ""
    details: str = ""
    buttons: list[str] = field(default_factory=list)
    default: str = ""
    still_open: list[bool] = field(default_factory=list)


_answering = [0]  # answering_message_box blocks open now


@contextmanager
def closing_unexpected_message_boxes() -> Iterator[list[str]]:
    """While the block runs, a real message box that opens outside answering_message_box
    is closed as if its window were closed, and its text is listed: a test of the real
    dialogs then fails, naming the box, instead of waiting forever for a click."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    unexpected: list[str] = []

    def check() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and not _answering[0]:
            unexpected.append(box.text())
            box.done(0)

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(100)
    try:
        yield unexpected
    finally:
        timer.stop()


@contextmanager
def answering_message_box(*actions: Any) -> Iterator[MessageBoxSeen]:
    """Answer the next modal QMessageBox opened inside the block as a person would: each
    action in turn is a button to click (its text, or a ``QMessageBox.StandardButton``)
    or a key to press (``Qt.Key``); a timer does it inside the box's own event loop.
    Yields what the box showed (filled in as it opens); after the block, no later box
    is answered."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen = MessageBoxSeen()
    todo = list(actions)
    watching = [True]

    def label(button) -> str:  # noqa: ANN001
        return button.text().replace("&", "")

    def act(box: QMessageBox) -> None:
        action = todo.pop(0)
        if isinstance(action, Qt.Key):
            QTest.keyClick(box, action)
        elif isinstance(action, QMessageBox.StandardButton):
            box.button(action).click()
        else:
            matches = [b for b in box.buttons() if label(b) == action]
            assert matches, f"no button {action!r} in {seen.buttons}"
            matches[0].click()
        QTimer.singleShot(50, lambda: after(box))

    def after(box: QMessageBox) -> None:
        if not watching[0]:  # the block is over: the box closed with the last action
            return
        open_now = box.isVisible()
        seen.still_open.append(open_now)
        if open_now and todo:
            act(box)

    def find() -> None:
        if not watching[0]:
            return
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(10, find)
            return
        seen.text, seen.informative, seen.details = box.text(), box.informativeText(), box.detailedText()
        seen.buttons = [label(b) for b in box.buttons()]
        seen.default = label(box.defaultButton()) if box.defaultButton() else ""
        act(box)

    QTimer.singleShot(0, find)
    _answering[0] += 1
    try:
        yield seen
    finally:
        watching[0] = False
        _answering[0] -= 1


def three_versions(folder: Path) -> Story:
    """An English story of four photos with Russian and Kazakh versions."""
    story = story_with_photos(folder, 4, paragraphs=2)
    ids = [p.id for p in story.photos]
    story.body.insert(1, PhotoGroup(ids[:2]))
    story.body.append(PhotoGroup(ids[2:]))
    story.translations = [
        Translation("ru", title="Визит на завод", byline="Корреспондент", dateline="САРАНЬ",
                    body=[Paragraph("Первый абзац."), PhotoGroup(ids[:2]), Paragraph("Второй."),
                          PhotoGroup(ids[2:])],
                    captions={ids[0]: "Подпись к фото", ids[1]: "Вторая подпись"},
                    alts={ids[0]: "Что видно"}),
        Translation("kk", title="Зауытқа сапар", dateline="САРАН",
                    body=[Paragraph("Бірінші абзац."), PhotoGroup(ids)],
                    captions={ids[0]: "Суреттің жазуы", ids[2]: "Үшінші"},
                    alts={ids[0]: "Не көрінеді"}),
    ]
    return story
