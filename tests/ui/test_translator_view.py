"""The translator's view: while a language version is shown, the inspector writes its
caption and alt text beside a reference version's, and the tray's "Needs caption" and the
preflight panel speak of that version."""

from __future__ import annotations

from pathlib import Path

from ui_support import three_versions


def show(window, tag: str) -> None:  # noqa: ANN001
    window.document.show_version(tag)


def test_the_inspector_writes_the_shown_version_beside_the_reference(window, tmp_path: Path,
                                                                     qtbot) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    story = window.document.story
    first = story.photos[0]
    show(window, "ru")
    window.tray.select_ids([first.id])
    inspector = window.inspector
    assert inspector.caption.toPlainText() == "Подпись к фото"
    assert inspector.alt.toPlainText() == "Что видно"
    assert inspector.heading.text() == "Photo 1 of 4 · ru"
    reference = inspector.reference
    assert reference.combo.isVisibleTo(window) and reference.caption.isVisibleTo(window)
    assert reference.combo.currentText() == "English · en"  # the source by default
    assert reference.caption.text() == "(no caption)"
    reference.combo.setCurrentIndex(reference.combo.findData("kk"))
    assert reference.caption.text() == "Суреттің жазуы"
    assert reference.alt.text() == "Не көрінеді"

    inspector.caption.setFocus()
    inspector.caption.moveCursor(inspector.caption.textCursor().MoveOperation.End)
    qtbot.keyClicks(inspector.caption, " 2022")
    assert story.translation("ru").captions[first.id] == "Подпись к фото 2022"
    assert first.caption == ""  # the source version's caption is its own
    assert window.document.undo_stack.count() == 1

    inspector.credit.setFocus()
    qtbot.keyClicks(inspector.credit, "X")
    assert first.credit == "Agency 0X"  # the credit is shared by every version
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert story.translation("ru").captions[first.id] == "Подпись к фото"
    assert inspector.caption.toPlainText() == "Подпись к фото"

    show(window, "en")
    assert not reference.combo.isVisibleTo(window)
    assert not reference.caption.isVisibleTo(window)
    assert inspector.caption.toPlainText() == ""


def test_the_reference_follows_the_selection_and_says_when_photos_differ(window,
                                                                        tmp_path: Path) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    story = window.document.story
    show(window, "kk")
    window.tray.select_ids([story.photos[1].id])
    reference = window.inspector.reference
    assert reference.caption.text() == "Caption 1"
    reference.combo.setCurrentIndex(reference.combo.findData("ru"))
    assert reference.caption.text() == "Вторая подпись"
    window.tray.select_ids([p.id for p in story.photos[:2]])
    assert reference.caption.text() == "(differs between the selected photos)"
    assert reference.combo.currentData() == "ru"  # the choice stays while photos change


def test_needs_caption_counts_and_filters_the_version_shown(window, tmp_path: Path) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    story = window.document.story
    tray = window.tray
    assert tray.needs_caption.text() == "Needs caption (2)"  # photos 1 and 3 (en)
    show(window, "ru")
    assert tray.needs_caption.text() == "Needs ru caption (2)"
    tray.needs_caption.setChecked(True)
    shown = [tray.model.photo_id(tray.filter.mapToSource(tray.filter.index(row, 0)).row())
             for row in range(tray.filter.rowCount())]
    assert shown == [story.photos[2].id, story.photos[3].id]
    show(window, "kk")
    shown = [tray.model.photo_id(tray.filter.mapToSource(tray.filter.index(row, 0)).row())
             for row in range(tray.filter.rowCount())]
    assert shown == [story.photos[1].id, story.photos[3].id]
    assert tray.needs_caption.text() == "Needs kk caption (2)"
    window.tray.needs_caption.setChecked(False)
    window.tray.select_ids([story.photos[1].id])
    window.inspector.caption.setPlainText("Екінші")
    assert story.translation("kk").captions[story.photos[1].id] == "Екінші"
    assert tray.needs_caption.text() == "Needs kk caption (1)"


def test_the_preflight_panel_lists_the_findings_of_the_version_shown(window, tmp_path: Path,
                                                                     qtbot) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    window.act_preflight.setChecked(True)
    qtbot.waitUntil(lambda: window.preflight.checked and window.preflight.current)
    panel = window.preflight_panel
    source_rows = [message for _severity, message in panel.rows()]
    assert source_rows and not any("(ru)" in m or "(kk)" in m for m in source_rows)
    show(window, "ru")
    ru_rows = [message for _severity, message in panel.rows()]
    assert "Photo 3 (ru): has no caption." in ru_rows
    assert not any("(kk)" in m for m in ru_rows)
    assert not any(m == "Photo 1 (photo-000.jpg): has no caption." for m in ru_rows)
    assert panel.all_versions.isVisibleTo(window)
    panel.all_versions.setChecked(True)
    every = [message for _severity, message in panel.rows()]
    assert any("(kk)" in m for m in every) and any("(ru)" in m for m in every)
    assert "Photo 1 (photo-000.jpg): has no caption." in every


def test_typing_a_versions_caption_does_not_lay_out_the_article_again(window, tmp_path: Path,
                                                                      qtbot, monkeypatch) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    show(window, "ru")
    window.tray.select_ids([window.document.story.photos[0].id])
    rebuilt: list[int] = []
    monkeypatch.setattr(window.article, "rebuild", lambda: rebuilt.append(1))
    window.inspector.focus_caption()
    qtbot.keyClicks(window.inspector.caption, "abc")
    assert window.document.story.translation("ru").captions[window.document.story.photos[0].id] \
        == "Подпись к фотоabc"
    assert rebuilt == []
