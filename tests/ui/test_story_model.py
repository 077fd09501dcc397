"""PhotoListModel without any view: Qt's model checks, drag and drop, event translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, QUrl

from photostory.core.edits import InsertPhotos, RemovePhotos, SetPhotoFields
from photostory.core.story import Photo, Story
from photostory.ui import mime
from photostory.ui.document import StoryDocument
from photostory.ui.story_model import PhotoListModel, Role
from ui_support import story_with_photos

# The same table of edits that checks the core's events checks the model built on them.
from core.test_edit_events import CASES, make_story


@pytest.fixture
def doc(qapp, photo_story: Story) -> StoryDocument:
    document = StoryDocument()
    document.set_story(photo_story, None)
    return document


@pytest.fixture
def model(doc: StoryDocument, qtmodeltester) -> PhotoListModel:
    model = PhotoListModel(doc)
    qtmodeltester.check(model)  # stays attached: every later change is checked too
    return model


def order(doc: StoryDocument) -> list[str]:
    return [p.file_name for p in doc.story.photos]


def test_model_passes_qt_model_checks_through_edits(doc: StoryDocument, model: PhotoListModel,
                                                    tmp_path: Path, qtmodeltester) -> None:
    story = doc.story
    extra = story_with_photos(tmp_path / "more", 3).photos
    doc.apply_edit(InsertPhotos(extra, 2))
    doc.apply_edit(RemovePhotos(story, [story.photos[0].id, story.photos[4].id]))
    doc.apply_edit(SetPhotoFields.same(story, [story.photos[1].id], "caption", "New"))
    doc.undo_stack.undo()
    doc.undo_stack.undo()  # RemovePhotos.revert: the rows come back
    doc.undo_stack.undo()
    qtmodeltester.check(model)
    assert model.rowCount() == len(story.photos) == 6


class ViewMirror:
    """What a view knows: the rows it was told about through the model's row signals,
    reading data only for rows the model says are new. Counts the signals by name."""

    LIST_SIGNALS = ("rowsInserted", "rowsRemoved", "rowsMoved")
    WHOLESALE = ("modelReset", "layoutChanged")

    def __init__(self, model: PhotoListModel) -> None:
        self.model = model
        self.ids = self.rows()
        self.signals: list[str] = []
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)
        model.rowsMoved.connect(self._moved)
        for name in self.WHOLESALE:
            getattr(model, name).connect(lambda *_args, name=name: self.signals.append(name))

    def rows(self) -> list[str]:
        return [self.model.index(r, 0).data(Role.PHOTO_ID) for r in range(self.model.rowCount())]

    def take(self) -> list[str]:
        signals, self.signals = self.signals, []
        return signals

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.signals.append("rowsInserted")
        self.ids[first:first] = [self.model.index(r, 0).data(Role.PHOTO_ID)
                                 for r in range(first, last + 1)]

    def _removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.signals.append("rowsRemoved")
        del self.ids[first:last + 1]

    def _moved(self, _parent: QModelIndex, first: int, last: int, _dest_parent: QModelIndex,
               dest: int) -> None:
        self.signals.append("rowsMoved")
        rows = self.ids[first:last + 1]
        del self.ids[first:last + 1]
        at = dest if dest < first else dest - len(rows)
        self.ids[at:at] = rows


@pytest.mark.parametrize("name", list(CASES))
def test_every_edit_reaches_the_rows_as_row_signals(name: str, qapp, qtmodeltester) -> None:
    document = StoryDocument()
    document.set_story(make_story(), None)
    model = PhotoListModel(document)
    qtmodeltester.check(model)
    view = ViewMirror(model)
    story = document.story
    edit = CASES[name](story)

    for step in (lambda: document.apply_edit(edit), document.undo_stack.undo,
                 document.undo_stack.redo, document.undo_stack.undo):
        before = [p.id for p in story.photos]
        step()
        after = [p.id for p in story.photos]
        assert view.ids == view.rows() == after
        signals = view.take()
        assert not set(signals) & set(ViewMirror.WHOLESALE)
        if sorted(before) != sorted(after):
            assert {"rowsInserted", "rowsRemoved"} & set(signals)
        elif before != after:
            assert set(signals) == {"rowsMoved"}
        else:
            assert not signals


def test_reorder_by_drag_is_one_undo_step(doc: StoryDocument, model: PhotoListModel) -> None:
    before = order(doc)
    indexes = [model.index(0, 0), model.index(1, 0)]
    data = model.mimeData(indexes)
    assert data.hasFormat(mime.PHOTO_IDS)
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 4, 0, QModelIndex())

    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 4, 0, QModelIndex())

    assert order(doc) == [before[2], before[3], before[0], before[1], before[4], before[5]]
    assert [model.index(r, 0).data() for r in range(6)] == order(doc)
    assert doc.undo_stack.count() == 1 and doc.undo_stack.undoText() == "Move 2 photos"
    doc.undo_stack.undo()
    assert order(doc) == before


def test_a_drop_that_moves_nothing_is_refused(doc: StoryDocument, model: PhotoListModel) -> None:
    data = model.mimeData([model.index(2, 0)])
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert doc.undo_stack.count() == 0


def test_move_rows_pushes_a_move(doc: StoryDocument, model: PhotoListModel) -> None:
    before = order(doc)
    assert model.moveRows(QModelIndex(), 5, 1, QModelIndex(), 0)
    assert order(doc)[0] == before[5]
    assert doc.undo_stack.count() == 1


def test_selection_follows_a_moved_photo(doc: StoryDocument, model: PhotoListModel) -> None:
    first = doc.story.photos[0].id
    persistent = QPersistentModelIndex(model.index(0, 0))
    model.dropMimeData(model.mimeData([model.index(0, 0)]), Qt.DropAction.MoveAction, 6, 0,
                       QModelIndex())
    assert persistent.row() == 5 and persistent.data(Role.PHOTO_ID) == first


def test_files_from_the_file_manager_ask_for_an_import(model: PhotoListModel, qtbot,
                                                       tmp_path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.jpg"))])
    with qtbot.waitSignal(model.files_dropped) as blocker:
        assert model.dropMimeData(data, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert blocker.args == [[tmp_path / "a.jpg"], 1]


def test_roles_report_what_is_missing(doc: StoryDocument, model: PhotoListModel) -> None:
    story = doc.story
    story.photos[0].path.unlink()
    model.refresh_missing()
    first = model.index(0, 0)
    assert first.data(Role.MISSING_FILE) is True
    assert model.index(1, 0).data(Role.MISSING_FILE) is False
    assert first.data(Role.NEEDS_CAPTION) is True  # photo 0 has no caption in the fixture
    assert model.index(1, 0).data(Role.NEEDS_CAPTION) is False
    assert first.data(Role.NEEDS_ALT) is True
    assert "Relink" in first.data(Qt.ItemDataRole.ToolTipRole)


def test_invalid_index_accepts_drops_items_do_not(model: PhotoListModel) -> None:
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    flags = model.flags(model.index(0, 0))
    assert flags & Qt.ItemFlag.ItemIsDragEnabled and not flags & Qt.ItemFlag.ItemIsDropEnabled


def test_changes_arrive_as_data_changed(doc: StoryDocument, model: PhotoListModel, qtbot) -> None:
    photo = doc.story.photos[3]
    with qtbot.waitSignal(model.dataChanged) as blocker:
        doc.apply_edit(SetPhotoFields.same(doc.story, [photo.id], "caption", "Workers"))
    assert blocker.args[0].row() == 3
    assert model.index(3, 0).data(Role.CAPTION) == "Workers"


def test_a_photo_without_a_file_still_has_a_placeholder(qapp, qtmodeltester) -> None:
    from photostory.ui.thumbnails import ThumbnailCache

    document = StoryDocument()
    document.set_story(Story(photos=[Photo(path=Path("/nowhere/x.jpg"), width=300, height=600)]), None)
    model = PhotoListModel(document, ThumbnailCache())
    qtmodeltester.check(model)
    pixmap = model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    assert pixmap.deviceIndependentSize().toSize().height() > pixmap.deviceIndependentSize().toSize().width()
