"""Preflight in the editor: the panel under the tray, its count in the status
bar, clicking a finding, and the check before an export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from photostory.core.export.options import ExportOptions
from photostory.core.story import Photo, Story
from photostory.ui.export_dialog import ExportRequest
from ui_support import make_photos

FAST = ExportOptions(widths=(240,), quality=70, workers=1)


@pytest.fixture
def story(window, settings, tmp_path: Path, qtbot) -> Story:
    """Three photos: #2 has a placeholder caption (error), #3 no alt text (warning)."""
    settings.export_widths = (480,)  # the 640 px test photos are wide enough
    paths = make_photos(tmp_path / "photos", 3)
    photos = [Photo(path=p, width=640, height=480, caption=f"Workers at the plant, frame {i}.",
                    alt=f"Two workers fit a valve, frame {i}.", credit="akorda.kz")
              for i, p in enumerate(paths)]
    photos[1].caption = "XXX to come"
    photos[2].alt = ""
    story = Story(title="Bus plant", photos=photos)
    window.document.set_story(story, None)
    qtbot.waitUntil(window.act_export.isEnabled)
    return story


def rules(window) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(f.severity, f.rule) for f in window.preflight_panel.model.findings]


def test_panel_lists_an_error_and_a_warning_and_updates_after_the_fix(window, story: Story,
                                                                      qtbot) -> None:
    panel = window.preflight_panel
    assert panel.isVisible() and window.act_preflight.isChecked()
    qtbot.waitUntil(lambda: rules(window) == [("error", "placeholder"), ("warning", "missing_alt")])
    head, detail = panel.model.index(0, 0).data().split("\n")
    assert head == "Photo 2 · photo-001.jpg"
    assert detail == "The caption still holds placeholder text 'XXX'."
    assert panel.count.text() == "1 error · 1 warning"
    assert panel.view.isVisible() and panel.height() > 2 * panel.view.sizeHintForRow(0)
    assert window.status.preflight.text() == "Preflight: 1 error · 1 warning"
    assert window.status.preflight.isVisible()

    # Fix the caption by typing it in the inspector: the panel follows (debounced).
    window.tray.select_ids([story.photos[1].id])
    window.inspector.caption.selectAll()
    qtbot.keyClicks(window.inspector.caption, "Workers fit the last valve.")
    assert story.photos[1].caption == "Workers fit the last valve."
    qtbot.waitUntil(lambda: rules(window) == [("warning", "missing_alt")])
    assert window.status.preflight.text() == "Preflight: 1 warning"
    # Undo brings the error back.
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: ("error", "placeholder") in rules(window))


def test_clicking_a_finding_selects_its_photo(window, story: Story, qtbot) -> None:
    window.tray.select_ids([story.photos[0].id])
    panel = window.preflight_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    index = panel.model.index(1, 0)  # the missing alt text of photo 3
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tray.selected_ids() == [story.photos[2].id]
    assert window.inspector.ids == [story.photos[2].id]


def test_clicking_a_finding_shows_a_photo_the_filter_hid(window, story: Story, qtbot) -> None:
    window.tray.needs_caption.setChecked(True)  # every photo has a caption: the tray is empty
    assert window.tray.filter.rowCount() == 0
    window.show_photo(story.photos[2].id)
    assert not window.tray.needs_caption.isChecked()
    assert window.tray.selected_ids() == [story.photos[2].id]


def test_panel_hides_and_comes_back_from_the_status_bar(window, story: Story, settings, qtbot) -> None:
    window.preflight_panel.hide_button.click()
    assert not window.preflight_panel.isVisible() and not window.act_preflight.isChecked()
    assert settings.preflight_visible is False
    qtbot.waitUntil(lambda: window.status.preflight.isVisible())
    window.status.preflight.click()
    assert window.preflight_panel.isVisible() and settings.preflight_visible is True


def test_empty_story_and_a_clean_story(window, story: Story, qtbot) -> None:
    panel = window.preflight_panel
    story.photos[1].caption = "Workers fit the last valve."
    story.photos[2].alt = "A worker holds a valve."
    window.preflight.schedule()
    qtbot.waitUntil(lambda: panel.count.text().startswith("Ready to publish"))
    assert not panel.view.isVisible()
    assert panel.height() < 40  # nothing to list: one line under the tray
    assert window.status.preflight.text() == "Preflight: No problems"
    window.files.new_story()
    qtbot.waitUntil(lambda: panel.count.text() == "Nothing to check yet")
    assert not window.status.preflight.isVisible()


def test_export_with_an_error_asks_and_answered_no_exports_nothing(window, story: Story, qtbot,
                                                                   tmp_path: Path, scripted) -> None:
    out = tmp_path / "exports" / "bus-plant"
    scripted.export_request = ExportRequest(out, FAST, open_after=False)
    scripted.export_anyway = False
    window.act_export.trigger()
    (errors, warnings), = scripted.export_problems
    assert errors == ["Photo 2 (photo-001.jpg): the caption still holds placeholder text 'XXX'."]
    assert warnings == "no alt text (1)"
    assert window.status.task is None and not window.tasks.busy
    assert not out.exists()
    assert "Export cancelled" in window.status.message.text()

    # Answered "Export Anyway", it exports.
    scripted.export_anyway = True
    window.act_export.trigger()
    with qtbot.waitSignal(window.status.task.succeeded, timeout=60000):
        pass
    assert (out / "index.html").is_file()


def test_export_with_warnings_only_asks_nothing_and_says_so(window, story: Story, qtbot,
                                                            tmp_path: Path, scripted) -> None:
    story.photos[1].caption = "Workers fit the last valve."
    out = tmp_path / "out"
    scripted.export_request = ExportRequest(out, FAST, open_after=False)
    window.act_export.trigger()
    assert scripted.export_problems == []
    assert "Preflight: 1 warning (no alt text (1))" in window.status.message.text()
    with qtbot.waitSignal(window.status.task.succeeded, timeout=60000):
        pass


def test_export_preflight_uses_the_exports_own_widths(window, story: Story, tmp_path: Path,
                                                      scripted) -> None:
    story.photos[1].caption = "Workers fit the last valve."
    wide = ExportOptions(widths=(480, 1200), quality=70, workers=1)
    scripted.export_request = ExportRequest(tmp_path / "out", wide, open_after=False)
    scripted.export_anyway = False
    window.act_export.trigger()  # 640 px photos are smaller than 1200: warnings, no question
    assert scripted.export_problems == []
    assert "smaller than the export width (3)" in window.status.message.text()
    window.tasks.cancel_all()


def test_caption_limit_comes_from_the_preferences(window, story: Story, settings, qtbot) -> None:
    story.photos[1].caption = "A caption of fifty characters or so, for the limit."
    settings.max_caption = 40
    window.preflight.schedule()
    qtbot.waitUntil(lambda: ("warning", "caption_too_long") in rules(window))
