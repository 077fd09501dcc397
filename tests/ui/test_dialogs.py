"""Export settings and preferences dialogs: validation speaks in sentences, values persist."""

from __future__ import annotations

from pathlib import Path

from photostory.core.export.options import DEFAULT_WIDTHS
from photostory.ui.export_dialog import ExportDialog
from photostory.ui.preferences import PreferencesDialog


def test_export_dialog_checks_its_fields(qtbot, tmp_path: Path) -> None:
    dialog = ExportDialog(tmp_path / "exports" / "story", (480, 960), 82)
    qtbot.addWidget(dialog)
    dialog.widths.setText("480, wide")
    assert dialog.request() is None
    assert dialog.problem.text() == ("Enter widths as whole numbers separated by commas, "
                                     "for example 480, 960, 1600.")
    dialog.widths.setText("1600 480")
    dialog.quality.setValue(75)
    request = dialog.request()
    assert request is not None
    assert request.folder == tmp_path / "exports" / "story"
    assert request.options.widths == (480, 1600) and request.options.quality == 75


def test_preferences_are_saved(qtbot, settings) -> None:
    assert settings.export_widths == DEFAULT_WIDTHS and settings.jpeg_quality == 82
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.default_credit.setText("akorda.kz")
    dialog.credit_prefix.setText("Фото:")
    dialog.widths.setText("640, 1280")
    dialog.quality.setValue(90)
    dialog.accept()
    assert (settings.default_credit, settings.credit_prefix) == ("akorda.kz", "Фото:")
    assert settings.export_widths == (640, 1280) and settings.jpeg_quality == 90


def test_new_stories_take_the_preferred_credit(window, settings) -> None:
    settings.default_credit = "akorda.kz"
    window.act_new.trigger()
    assert window.document.story.default_credit == "akorda.kz"
    assert window.article.form.default_credit.text() == "akorda.kz"
