"""Importing photos through the window: files, folders, drops; broken files are reported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QUrl

from photostory.ui.story_model import Role
from ui_support import make_photos, send_drag, write_truncated_jpeg


def test_import_reports_and_skips_a_broken_file(window, qtbot, tmp_path: Path, scripted) -> None:
    good = make_photos(tmp_path / "card", 4)
    broken = write_truncated_jpeg(tmp_path / "card" / "broken.jpg")
    scripted.files.append(good + [broken])

    window.act_import_photos.trigger()  # File ▸ Import Photos… (dialog answered by the script)
    task = window.status.task
    assert task is not None and window.status.cancel.isVisible()
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass

    story = window.document.story
    assert sorted(p.file_name for p in story.photos) == sorted(p.name for p in good)
    assert window.model.rowCount() == 4
    assert window.document.undo_stack.count() == 1  # the whole import is one undo step
    text, lines = scripted.reports[-1]
    assert "could not be used" in text
    assert any(line.startswith("broken.jpg:") and "truncated" in line for line in lines)
    assert not scripted.errors
    qtbot.waitUntil(lambda: window.status.summary.text().startswith("4 photos · 4 need captions"))
    assert not window.status.cancel.isVisible()  # progress and Cancel go away when done


def test_folder_dropped_from_the_file_manager_imports_at_the_drop_row(window, qtbot, tmp_path: Path) -> None:
    make_photos(tmp_path / "first", 3, prefix="a")
    make_photos(tmp_path / "second", 2, prefix="b")
    with qtbot.waitSignal(window.story_actions.start_import([tmp_path / "first"]).finished, timeout=30000):
        pass

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "second"))])
    assert window.model.dropMimeData(data, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    # Wait for what the user sees: the import may finish before a signal could be awaited.
    qtbot.waitUntil(lambda: len(window.document.story.photos) == 5, timeout=30000)

    assert [p.file_name for p in window.document.story.photos] == [
        "a-000.jpg", "b-000.jpg", "b-001.jpg", "a-001.jpg", "a-002.jpg"]
    new_ids = [p.id for p in window.document.story.photos[1:3]]
    qtbot.waitUntil(lambda: window.tray.selected_ids() == new_ids)  # the new photos, ready to caption


def test_importing_the_same_files_again_adds_nothing(window, qtbot, tmp_path: Path, scripted) -> None:
    make_photos(tmp_path / "card", 2)
    for _ in range(2):
        with qtbot.waitSignal(window.story_actions.start_import([tmp_path / "card"]).finished, timeout=30000):
            pass
    assert len(window.document.story.photos) == 2
    assert "already in the story" in window.status.message.text()


def test_import_can_be_cancelled(window, qtbot, tmp_path: Path) -> None:
    make_photos(tmp_path / "card", 30)
    task = window.story_actions.start_import([tmp_path / "card"])
    with qtbot.waitSignal(task.cancelled, timeout=30000):
        window.status.cancel.click()  # the Cancel button beside the progress bar
    assert window.document.story.photos == []
    assert window.document.undo_stack.count() == 0
    assert "Import cancelled" in window.status.message.text()


def test_badges_show_for_imported_photos_without_captions(window, qtbot, tmp_path: Path) -> None:
    make_photos(tmp_path / "card", 2)
    with qtbot.waitSignal(window.story_actions.start_import([tmp_path / "card"]).finished, timeout=30000):
        pass
    index = window.model.index(0, 0)
    assert index.data(Role.NEEDS_CAPTION) and index.data(Role.NEEDS_ALT)
    assert window.tray.needs_caption.text() == "Needs caption (2)"


def test_files_dropped_anywhere_on_the_window_are_imported(window, qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QPointF

    make_photos(tmp_path / "card", 2)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "card"))])
    pos = QPointF(window.width() - 50, window.height() - 60)  # over the inspector
    enter, _, _ = send_drag(window, data, pos, Qt.DropAction.CopyAction)
    assert enter.isAccepted()
    with qtbot.waitSignal(window.status.task.finished, timeout=30000):
        pass
    assert len(window.document.story.photos) == 2


def test_captions_sheet_round_trip(window, tmp_path: Path, scripted) -> None:
    from ui_support import story_with_photos

    story = story_with_photos(tmp_path / "photos", 3)
    window.document.set_story(story, None)
    sheet = tmp_path / "captions.csv"
    sheet.write_text("file,caption,credit\nphoto-000.jpg,From the sheet,AP\nnope.jpg,x,y\n",
                     encoding="utf-8")
    scripted.files.append(sheet)
    window.act_import_captions.trigger()
    assert story.photos[0].caption == "From the sheet" and story.photos[0].credit == "AP"
    assert window.document.undo_stack.count() == 1
    text, lines = scripted.reports[-1]
    assert text == "Updated 1 photo from captions.csv."
    assert lines == ["Line 3: no photo named “nope.jpg” in the story."]

    out = tmp_path / "out"
    scripted.files.append(out)  # "out" without a suffix gets .csv
    window.act_export_captions.trigger()
    assert "From the sheet" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")


def test_captions_written_in_the_files_show_in_the_inspector_without_typing(window, qtbot,
                                                                            tmp_path: Path) -> None:
    """What the photographer wrote in Photo Mechanic (XMP) is there on import."""
    from PIL import Image

    from photostory.core.metadata.xmp import build_xmp

    card = tmp_path / "card"
    card.mkdir()
    written = {
        "a.jpg": {"caption": "Президент Казахстана на заводе в Костанае.", "credit": "akorda.kz",
                  "alt_text": "Мужчина в костюме у сборочной линии.", "creator": "Жанна Омарова"},
        "b.jpg": {"caption": "Workers assemble a bus in Kostanay.", "credit": "Reuters"},
    }
    for name, fields in written.items():
        Image.new("RGB", (640, 480), (90, 120, 160)).save(card / name, "JPEG", quality=80,
                                                           xmp=build_xmp(fields))
    with qtbot.waitSignal(window.story_actions.start_import([card]).finished, timeout=30000):
        pass

    inspector = window.inspector
    story = window.document.story
    for photo in story.photos:
        window.tray.select_ids([photo.id])
        fields = written[photo.file_name]
        assert inspector.caption.toPlainText() == fields["caption"]
        assert inspector.credit.text() == fields["credit"]
        assert inspector.alt.toPlainText() == fields.get("alt_text", "")
        assert inspector.creator.text() == fields.get("creator", "")
    assert window.document.undo_stack.count() == 1  # the import only: nothing was typed
    assert window.tray.needs_caption.text() == "Needs caption (0)"


def test_photos_imported_into_a_story_with_versions_bring_their_captions_by_language(
        window, qtbot, tmp_path: Path) -> None:
    from PIL import Image

    from photostory.core.metadata.xmp import build_xmp
    from photostory.core.story import Translation

    story = window.document.story
    story.language = "kk"
    story.translations.append(Translation("ru"))
    path = tmp_path / "akorda.jpg"
    Image.new("RGB", (64, 48), "gray").save(
        path, xmp=build_xmp({"caption": {"kk": "Ақорда", "ru": "Акорда"}, "alt_text": {"ru": "Здание"}}))
    with qtbot.waitSignal(window.story_actions.start_import([path]).finished, timeout=30000):
        pass
    (photo,) = story.photos
    assert photo.caption == "Ақорда"
    assert story.translation("ru").captions == {photo.id: "Акорда"}
    assert story.translation("ru").alts == {photo.id: "Здание"}
    window.document.undo_stack.undo()  # the import and its texts are one undo step
    assert story.photos == [] and story.translation("ru").captions == {}
