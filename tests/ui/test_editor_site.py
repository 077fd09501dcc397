"""The editor's site controls: base URL and licences in the export dialog, a photo's
licence in the inspector, the cover photo from the tray's context menu (and its mark),
and Publish's embed code with absolute addresses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from photostory.core.publish import parse_destination
from photostory.core.story import PhotoGroup
from photostory.core.storyfile import load_story, save_story
from photostory.ui.export_dialog import ExportDialog
from photostory.ui.story_model import Role, State
from photostory.ui.widgets import ERROR_COLOR
from test_publish import fast_settings, publish_and_wait
from ui_support import story_with_photos

BASE = "https://static.example.kz/stories/saran/"


def test_export_dialog_takes_the_base_url_and_licences_checked(qtbot, tmp_path: Path) -> None:
    story = story_with_photos(tmp_path / "photos", 1)
    story.license = "https://creativecommons.org/licenses/by/4.0/"
    dialog = ExportDialog(tmp_path / "out", (480,), 82, story=story)
    qtbot.addWidget(dialog)
    edits = dialog.site.edits
    assert edits["license"].text() == story.license  # shows what the story says
    edits["base_url"].setText("javascript:alert(1)//")
    assert dialog.request() is None
    assert dialog.problem.text().startswith("Base URL: The base URL 'javascript:alert(1)//' must")
    edits["base_url"].setText(BASE.rstrip("/"))
    request = dialog.request()
    assert request is not None
    assert request.site == {"base_url": BASE, "license": story.license,
                            "acquire_license_page": ""}


def test_exporting_from_the_editor_saves_the_base_url_with_the_story(window, qtbot, scripted,
                                                                      tmp_path: Path) -> None:
    from photostory.ui.export_dialog import ExportRequest
    from photostory.core.export.options import ExportOptions

    window.document.set_story(story_with_photos(tmp_path / "photos", 2), None)
    scripted.export_anyway = True
    scripted.export_request = ExportRequest(tmp_path / "out", ExportOptions(widths=(240,)), False,
                                            {"base_url": BASE, "license": "",
                                             "acquire_license_page": ""})
    window.act_export.trigger()
    task = window.status.task
    with qtbot.waitSignal(task.finished, timeout=120000):
        pass
    assert window.document.story.base_url == BASE
    assert window.document.undo_stack.undoText() == "Set site addresses"
    embed = (tmp_path / "out" / "embed.html").read_text(encoding="utf-8")
    assert f'src="{BASE}images/' in embed


def test_a_photo_licence_is_set_only_once_it_is_an_address(window, qtbot, tmp_path: Path) -> None:
    story = story_with_photos(tmp_path / "photos", 3)
    window.document.set_story(story, None)
    window.tray.select_ids([story.photos[1].id])
    QApplication.processEvents()
    edit = next(f.widget for f in window.inspector.fields if f.name == "license")
    qtbot.keyClicks(edit, "https://example.kz/rights")
    assert story.photos[1].license == "https://example.kz/rights"
    assert story.photos[0].license == ""
    edit.clear()
    qtbot.keyClicks(edit, "javascript:x")
    assert story.photos[1].license == "https://example.kz/rights"  # the last good address
    assert ERROR_COLOR in edit.styleSheet()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert story.photos[1].license == "" and edit.styleSheet() == ""


def test_use_as_cover_photo_from_the_tray_marks_it(window, tmp_path: Path) -> None:
    story = story_with_photos(tmp_path / "photos", 4, paragraphs=1)
    story.body.append(PhotoGroup([story.photos[2].id]))
    window.document.set_story(story, None)
    model = window.model

    def covers() -> list[int]:
        return [row for row in range(model.rowCount())
                if model.index(row, 0).data(Role.STATE) & State.COVER]

    assert covers() == [2]  # the first placed photo, until one is chosen
    assert window.act_cover in window.tray.view.actions()
    assert window.tray.view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    window.tray.select_ids([story.photos[3].id])
    window.act_cover.trigger()
    assert story.cover_photo == story.photos[3].id and covers() == [3]
    window.act_undo.trigger()
    assert story.cover_photo == "" and covers() == [2]
    window.tray.select_ids([p.id for p in story.photos[:2]])
    window.act_cover.trigger()
    assert story.cover_photo == "" and "Select one photo" in window.status.message.text()


def test_publish_offers_the_fragment_with_absolute_addresses(window, qtbot, settings, scripted,
                                                               tmp_path: Path) -> None:
    fast_settings(settings)
    scripted.export_anyway = True
    story = story_with_photos(tmp_path / "photos", 2)
    story.base_url = BASE
    path = tmp_path / "story.photostory"
    save_story(story, path)
    assert window.files.open_story(path, ask=False)
    scripted.publish_to = parse_destination((tmp_path / "site").as_uri())
    publish_and_wait(window, qtbot)
    [(report, embed, _)] = scripted.published
    assert report.public_url == BASE + "index.html"
    assert embed.startswith('<div class="photostory-embed">')
    assert f'<link rel="stylesheet" href="{BASE}assets/photostory.css">' in embed
    assert load_story(path).base_url == BASE


def test_licence_rows_give_way_to_the_translators_reference(window, tmp_path: Path) -> None:
    from photostory.core.story import Translation

    story = story_with_photos(tmp_path / "photos", 2)
    story.translations = [Translation("ru", title="Заголовок")]
    window.document.set_story(story, None)
    window.tray.select_ids([story.photos[0].id])
    edits = [f.widget for f in window.inspector.fields if f.name in ("license", "acquire_license_page")]
    assert len(edits) == 2
    form = window.inspector.form
    assert all(form.isRowVisible(edit) for edit in edits)
    window.document.show_version("ru")
    assert not any(form.isRowVisible(edit) for edit in edits)
    window.document.show_version(story.language)
    assert all(form.isRowVisible(edit) for edit in edits)
