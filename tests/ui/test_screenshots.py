"""The screenshot script runs on the sample story and saves 1366x768 pictures of the
editor with its photos painted (a blank or half-drawn window is caught), the translator's
view among them."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QApplication

from photostory.ui.screenshots import (SIZE, take_screenshots, take_translator_screenshot,
                                       translator_view)
from support import photo_shown_in


def tray_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where the photo tray's first two rows of thumbnails are, at the screenshot size."""
    width, height = size
    return 0, int(0.07 * height), int(0.29 * width), int(0.45 * height)


def inspector_preview_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The inspector's preview of the selected photo (one photo selected)."""
    width, height = size
    return int(0.78 * width), int(0.07 * height), int(0.92 * width), int(0.31 * height)


def test_screenshots_of_the_sample_story(qapp, tmp_path: Path) -> None:
    saved = take_screenshots(tmp_path)
    assert [p.name for p in saved] == ["editor-main.png", "editor-mixed.png"]
    for path in saved:
        with Image.open(path) as image:
            assert image.size == SIZE
            assert photo_shown_in(image, tray_box(SIZE)) == "", path.name
    with Image.open(saved[0]) as image:
        assert photo_shown_in(image, inspector_preview_box(SIZE)) == ""


def test_a_window_without_photos_fails_the_screenshot_check(window, tmp_path: Path) -> None:
    """The check above, proven on the editor with no story open (nothing in the tray)."""
    window.resize(*SIZE)
    path = tmp_path / "empty.png"
    window.grab().save(str(path))
    with Image.open(path) as image:
        assert image.size == SIZE
        assert "no photo there" in photo_shown_in(image, tray_box(SIZE))
        assert "no photo there" in photo_shown_in(image, inspector_preview_box(SIZE))


def test_screenshot_of_the_translators_view(qapp, tmp_path: Path) -> None:
    path = take_translator_screenshot(tmp_path)
    assert path.name == "editor-translator-view.png"
    with Image.open(path) as image:
        assert image.size == SIZE
        assert photo_shown_in(image, tray_box(SIZE)) == ""
        assert photo_shown_in(image, inspector_preview_box(SIZE)) == ""


def test_the_translators_view_shows_every_text_whole(window) -> None:
    """What the screenshot shows, checked on the window: Russian shown, Kazakh as the
    reference, and no tab, combo or reference text cut short at the screenshot size."""
    from photostory.resources import sample_story

    window.resize(*SIZE)
    window.files.open_story(sample_story(), ask=False)
    photo_id = translator_view(window)
    QApplication.processEvents()
    story = window.document.story
    tabs = window.article.versions.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "English · en", "Қазақша · kk", "Русский · ru"]
    assert tabs.tabText(tabs.currentIndex()) == "Русский · ru"
    for index in range(tabs.count()):
        text_width = tabs.fontMetrics().horizontalAdvance(tabs.tabText(index))
        assert tabs.tabRect(index).width() > text_width, tabs.tabText(index)
    reference = window.inspector.reference
    kk = story.translation("kk")
    assert reference.caption.text() == kk.captions[photo_id]
    assert reference.alt.text() == kk.alts[photo_id]
    for label in (reference.caption, reference.alt):
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    assert reference.combo.width() >= reference.combo.sizeHint().width()
    assert window.inspector.caption.toPlainText() == story.translation("ru").captions[photo_id]
    assert window.tray.needs_caption.text() == "Needs ru caption (1)"
    assert window.article.credit_line.text() == "Credit line: Фото: Photostory sample"
    title = window.article.form.title
    assert title.fontMetrics().horizontalAdvance(title.text()) < title.width()
