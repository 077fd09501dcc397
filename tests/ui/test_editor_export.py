"""Export from the editor: progress, the caption in the page, Cancel leaving nothing half-done."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from PySide6.QtWidgets import QApplication

from photostory.core.edits import SetPhotoFields
from photostory.core.export.options import ExportOptions
from photostory.ui.export_dialog import ExportRequest, default_export_folder
from ui_support import story_with_photos


class Captions(HTMLParser):
    """Collects the text of every <span class="ps-caption">."""

    def __init__(self) -> None:
        super().__init__()
        self.captions: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span" and ("class", "ps-caption") in attrs:
            self._inside = True
            self.captions.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.captions[-1] += data


def captions_in(index_html: Path) -> list[str]:
    parser = Captions()
    parser.feed(index_html.read_text(encoding="utf-8"))
    return parser.captions


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


FAST = ExportOptions(widths=(240,), quality=70, workers=1)


def test_caption_typed_in_the_inspector_is_in_the_exported_page(window, qtbot, tmp_path: Path,
                                                                 scripted) -> None:
    story = story_with_photos(tmp_path / "photos", 3)
    window.document.set_story(story, None)
    window.tray.select_ids([story.photos[0].id])
    qtbot.keyClicks(window.inspector.caption, "Workers assemble <an> electric bus & more.")
    out = tmp_path / "exports" / "story"
    scripted.export_request = ExportRequest(out, FAST, open_after=True)

    qtbot.waitUntil(window.act_export.isEnabled)
    window.act_export.trigger()  # Export ▸ Export Story… (settings answered by the script)
    task = window.status.task
    progress: list[tuple[int, int]] = []
    task.progress.connect(lambda done, total, _msg: progress.append((done, total)))
    with qtbot.waitSignal(task.succeeded, timeout=60000):
        pass

    assert progress and progress[-1] == (3, 3)  # progress reached the GUI thread, and the end
    assert "Workers assemble <an> electric bus & more." in captions_in(out / "index.html")
    assert window.story_actions.last_export is not None and window.act_open_export.isEnabled()
    assert scripted.opened == [out / "index.html"]  # "open in browser when done"
    assert "Exported 3 photos" in window.status.message.text()


def test_export_shows_progress_in_the_status_bar(window, qtbot, tmp_path: Path) -> None:
    window.document.set_story(story_with_photos(tmp_path / "photos", 8), None)
    task = window.story_actions.start_export(tmp_path / "out", FAST)
    # Editing goes on during the export; the export shows the story as it was when it began.
    story = window.document.story
    window.document.apply_edit(SetPhotoFields.same(story, [story.photos[0].id], "caption", "Later"))
    assert window.status.progress.isVisible() and window.status.cancel.isVisible()
    assert not window.act_export.isEnabled()  # one long job at a time
    with qtbot.waitSignal(task.progress, timeout=60000) as first:
        pass
    assert first.args[1] == 8
    with qtbot.waitSignal(task.finished, timeout=60000):
        pass
    assert not window.status.progress.isVisible()
    assert "Later" not in captions_in(tmp_path / "out" / "index.html")
    assert window.act_export.isEnabled()


def test_cancelled_export_leaves_the_previous_export_untouched(window, qtbot, tmp_path: Path) -> None:
    story = story_with_photos(tmp_path / "photos", 30, size=(1600, 1200))
    window.document.set_story(story, None)
    out = tmp_path / "exports" / "story"
    with qtbot.waitSignal(window.story_actions.start_export(out, FAST).succeeded, timeout=120000):
        pass
    before = folder_state(out)
    html_before = (out / "index.html").read_text(encoding="utf-8")

    story_caption = "A caption that must not reach the previous export."
    window.tray.select_ids([story.photos[0].id])
    window.inspector.caption.setPlainText(story_caption)
    # New settings make every photo render again, so there is work to cancel.
    slow = ExportOptions(widths=(480, 960), quality=80, workers=1)
    task = window.story_actions.start_export(out, slow)
    messages: list[str] = []

    def cancel_once_rendering(done: int, _total: int, message: str) -> None:
        messages.append(message)
        if done >= 1:
            window.status.cancel.click()

    task.progress.connect(cancel_once_rendering)
    with qtbot.waitSignal(task.cancelled, timeout=120000):
        pass

    assert any(m.startswith("Exported ") for m in messages), messages  # rendering had begun
    assert task.last_progress[0] < 30  # it really stopped part-way
    assert folder_state(out) == before
    assert (out / "index.html").read_text(encoding="utf-8") == html_before
    assert sorted(p.name for p in out.parent.iterdir()) == ["story"]  # no half-written folder
    assert "Export cancelled" in window.status.message.text()
    QApplication.processEvents()


def test_default_export_folder_is_the_projects_exports(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "exports").mkdir(parents=True)
    (project / "stories").mkdir()
    story = story_with_photos(tmp_path / "photos", 1)
    story.title = "President visits bus plant"
    assert default_export_folder(story, project / "stories" / "a.photostory") == \
        project / "exports" / "president-visits-bus-plant"
    assert default_export_folder(story, None) == Path.cwd() / "exports" / "president-visits-bus-plant"


def test_export_error_is_shown_as_a_sentence(window, qtbot, tmp_path: Path, scripted) -> None:
    window.document.set_story(story_with_photos(tmp_path / "photos", 2), None)
    blocked = tmp_path / "not-ours"
    blocked.mkdir()
    (blocked / "notes.txt").write_text("keep me")
    with qtbot.waitSignal(window.story_actions.start_export(blocked, FAST).failed, timeout=60000):
        pass
    assert scripted.errors and "not a Photostory export" in scripted.errors[-1]
    assert "Traceback" not in scripted.errors[-1]
    assert (blocked / "notes.txt").read_text() == "keep me"
