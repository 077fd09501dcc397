"""Language versions in the editor: the version tabs over the story pane, the form and the
article showing and editing the version chosen, versions added (empty, from an article
file), derived (Latin-script Kazakh) and removed, undo covering it all."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog

from photostory.core.story import PhotoGroup, Story, Translation
from photostory.ui.article_blocks import ParagraphEdit
from ui_support import three_versions


def paragraph_texts(window) -> list[str]:  # noqa: ANN001
    return [w.toPlainText() for w in window.article.body.blocks if isinstance(w, ParagraphEdit)]


def test_the_tabs_name_every_version_in_its_own_language(window, tmp_path: Path) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    tabs = window.article.versions
    assert tabs.labels() == ["English · en", "Русский · ru", "Қазақша · kk"]
    assert tabs.tabs.currentIndex() == 0  # the source version is shown first
    assert window.article.form.title.text() == "Test story"


def test_choosing_a_version_shows_its_texts_and_article(window, tmp_path: Path) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    window.article.versions.tabs.setCurrentIndex(1)
    form = window.article.form
    assert window.document.version == "ru"
    assert (form.title.text(), form.byline.text(), form.dateline.text()) == (
        "Визит на завод", "Корреспондент", "САРАНЬ")
    assert paragraph_texts(window) == ["Первый абзац.", "Второй."]
    assert not form.language.isEnabled()  # the source version's language is set there only
    window.article.versions.tabs.setCurrentIndex(0)
    assert paragraph_texts(window) == ["Paragraph 1.", "Paragraph 2."]
    assert form.title.text() == "Test story" and form.language.isEnabled()


def test_typing_into_a_version_changes_that_version_alone_and_undoes(window, tmp_path: Path,
                                                                     qtbot) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    story = window.document.story
    window.article.versions.tabs.setCurrentIndex(1)
    title = window.article.form.title
    title.setFocus()
    title.end(False)
    qtbot.keyClicks(title, " 2022")
    assert story.translation("ru").title == "Визит на завод 2022"
    assert story.title == "Test story"
    editor = window.article.body.blocks[0]
    assert isinstance(editor, ParagraphEdit)
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " More")
    assert story.translation("ru").body[0].text == "Первый абзац. More"
    assert story.body[0].text == "Paragraph 1."
    assert window.document.undo_stack.count() == 2  # one step per field typed into
    window.act_undo.trigger()
    assert story.translation("ru").body[0].text == "Первый абзац."
    assert paragraph_texts(window)[0] == "Первый абзац."
    window.act_undo.trigger()
    assert story.translation("ru").title == "Визит на завод"
    assert title.text() == "Визит на завод"


def test_article_edits_go_to_the_version_shown(window, tmp_path: Path) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    story = window.document.story
    window.article.versions.tabs.setCurrentIndex(2)  # kk: one group of all four photos
    kk_group = story.translation("kk").body[1].id
    assert window.article.remove_from_group(kk_group, story.photos[3].id)
    assert story.translation("kk").body[1].photo_ids == [p.id for p in story.photos[:3]]
    window.article.add_paragraph()
    assert len(story.translation("kk").body) == 3
    assert [type(b).__name__ for b in story.body] == ["Paragraph", "PhotoGroup", "Paragraph",
                                                      "PhotoGroup"]  # the source's unchanged
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert story.translation("kk").body[1].photo_ids == [p.id for p in story.photos]


def test_a_removed_version_sends_the_pane_back_to_the_source(window, tmp_path: Path,
                                                           scripted) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    window.article.versions.tabs.setCurrentIndex(1)
    assert window.versions.remove_version_dialog()
    assert scripted.questions == ["Remove the Русский · ru version?"]
    assert window.document.story.versions() == ["en", "kk"]
    assert window.document.version == "en"
    assert window.article.versions.labels() == ["English · en", "Қазақша · kk"]
    assert window.article.form.title.text() == "Test story"
    window.act_undo.trigger()
    assert window.document.story.versions() == ["en", "ru", "kk"]
    assert window.article.versions.labels()[1] == "Русский · ru"


def test_the_source_version_cannot_be_removed(window, tmp_path: Path, scripted) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    assert not window.versions.act_remove.isEnabled()
    assert not window.versions.remove_version_dialog()
    assert "is the source version and cannot be removed" in scripted.errors[0]
    window.article.versions.tabs.setCurrentIndex(2)
    assert window.versions.act_remove.isEnabled()
    QApplication.processEvents()
    assert window.menuBar().actions()[2].text() == "&Story"
    assert window.versions.act_add.shortcut().toString() == "Ctrl+Shift+L"


def source_only(folder: Path) -> Story:
    story = three_versions(folder)
    story.translations = []
    return story


def test_the_new_version_dialog_says_what_is_wrong_with_a_tag_and_stays_open(
        window, tmp_path: Path) -> None:
    from photostory.ui.version_actions import CLIPBOARD, NewVersion, NewVersionDialog

    window.document.set_story(three_versions(tmp_path / "p"), None)
    dialog = NewVersionDialog(window.document.story, window)
    assert [dialog.tag.itemText(i) for i in range(dialog.tag.count())] == ["zh", "uz", "kk-Latn"]
    dialog.tag.setEditText("not a tag")
    dialog.accept()
    assert dialog.problem.isVisibleTo(dialog)
    assert dialog.problem.text().startswith('"not a tag" is not a language tag')
    assert dialog.result_ is None and dialog.result() != QDialog.DialogCode.Accepted
    dialog.tag.setEditText("RU")
    assert dialog.name.text() == "Русский · ru"
    dialog.accept()
    assert dialog.problem.text() == ("The story already has the Русский · ru version. Choose it "
                                     "in the version tabs, or remove it first.")
    assert dialog.result_ is None
    dialog.tag.setEditText("kk-latn")
    dialog.sources.button(2).setChecked(True)
    dialog.accept()
    assert dialog.result_ == NewVersion("kk-Latn", CLIPBOARD)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_an_empty_version_takes_the_source_versions_photo_groups(window, tmp_path: Path) -> None:
    from photostory.ui.version_actions import EMPTY

    window.document.set_story(source_only(tmp_path / "p"), None)
    story = window.document.story
    assert window.versions.add_version("ru", EMPTY)
    assert story.versions() == ["en", "ru"] and window.document.version == "ru"
    assert window.article.versions.labels() == ["English · en", "Русский · ru"]
    assert [b.photo_ids for b in story.translation("ru").body] == [
        b.photo_ids for b in story.body if isinstance(b, PhotoGroup)]
    assert window.article.form.title.text() == ""
    window.act_undo.trigger()
    assert story.versions() == ["en"] and window.document.version == "en"
    assert window.article.versions.labels() == ["English · en"]


def test_a_version_from_an_article_file_reports_what_does_not_line_up(window, tmp_path: Path,
                                                                      scripted) -> None:
    from photostory.ui.version_actions import FILE

    window.document.set_story(source_only(tmp_path / "p"), None)
    story = window.document.story
    article = tmp_path / "ru.txt"
    article.write_text("Визит на завод\n\nСАРАНЬ. Глава государства посетил завод.\n\n[photo]\n"
                       "[photo]\n[photo]\n\nРабочие показали линию.\n", encoding="utf-8")
    assert window.versions.add_version("ru", FILE, article)
    ru = story.translation("ru")
    assert (ru.title, ru.dateline) == ("Визит на завод", "САРАНЬ")
    assert [type(b).__name__ for b in ru.body] == ["Paragraph", "PhotoGroup", "Paragraph"]
    assert ru.body[1].photo_ids == [p.id for p in story.photos[:3]]
    (text, notes), = scripted.reports
    assert text == "Added the Русский · ru version."
    assert notes == ["ru.txt: photo 4 (photo-003.jpg) is placed in the en version but has no "
                     "slot in the ru version."]
    assert window.article.form.title.text() == "Визит на завод"


def test_a_bad_tag_or_an_unreadable_article_adds_nothing(window, tmp_path: Path,
                                                        scripted) -> None:
    from photostory.ui.version_actions import EMPTY, FILE

    window.document.set_story(source_only(tmp_path / "p"), None)
    assert not window.versions.add_version("english please", EMPTY)
    assert not window.versions.add_version("ru", FILE, tmp_path / "missing.txt")
    assert scripted.errors[0].startswith('"english please" is not a language tag')
    assert "missing.txt" in scripted.errors[1]
    assert window.document.story.versions() == ["en"]
    assert window.document.undo_stack.count() == 0


def test_derive_latin_kazakh_from_the_kazakh_version(window, tmp_path: Path) -> None:
    from photostory.core.kazakh_latin import to_latin

    window.document.set_story(source_only(tmp_path / "p"), None)
    assert not window.versions.act_derive.isEnabled()
    window.document.set_story(three_versions(tmp_path / "q"), None)
    story = window.document.story
    assert window.versions.act_derive.isEnabled()
    window.versions.act_derive.trigger()
    assert story.versions() == ["en", "ru", "kk", "kk-Latn"]
    latin = story.translation("kk-Latn")
    assert latin.title == to_latin("Зауытқа сапар") and latin.derived_from == "kk"
    assert window.document.version == "kk-Latn"
    assert window.article.versions.labels()[3] == "Qazaqşa · kk-Latn"
    assert window.article.form.title.text() == latin.title
    window.act_undo.trigger()
    assert story.versions() == ["en", "ru", "kk"]


def test_the_plus_beside_the_tabs_asks_for_a_version_then_its_article(window, tmp_path: Path,
                                                                     scripted, monkeypatch) -> None:
    from photostory.ui import version_actions

    window.document.set_story(source_only(tmp_path / "p"), None)
    asked: list[list[str]] = []

    def answer(parent, story):  # noqa: ANN001, ANN202
        asked.append(story.versions())
        return version_actions.NewVersion("kk", version_actions.FILE)

    monkeypatch.setattr(version_actions, "ask_new_version", answer)
    article = tmp_path / "kk.txt"
    article.write_text("Зауытқа сапар\n\nБірінші абзац.\n\n[photo]\n[photo]\n\nЕкінші абзац.\n\n"
                       "[photo]\n[photo]\n", encoding="utf-8")
    scripted.files.append(article)
    window.article.versions.add_button.click()
    assert asked == [["en"]]
    story = window.document.story
    assert story.versions() == ["en", "kk"] and window.document.version == "kk"
    assert story.translation("kk").title == "Зауытқа сапар"
    assert scripted.reports == []  # every slot took a placed photo: nothing to say
    scripted.files.append(None)  # the file dialog cancelled: nothing added
    monkeypatch.setattr(version_actions, "ask_new_version",
                        lambda parent, story: version_actions.NewVersion("ru", version_actions.FILE))
    window.versions.act_add.trigger()
    assert story.versions() == ["en", "kk"]


def test_deriving_again_keeps_the_latin_texts_edited_by_hand(window, tmp_path: Path,
                                                           qtbot) -> None:
    from photostory.core.kazakh_latin import to_latin

    story = three_versions(tmp_path / "p")
    # A Latin-script version typed by hand before: deriving it keeps what was edited.
    story.translations.append(Translation("kk-Latn", title="Zauytqa sapar (qolmen)",
                                          edited={"title"}))
    window.document.set_story(story, None)
    window.versions.act_derive.trigger()
    latin = window.document.story.translation("kk-Latn")
    assert latin.title == "Zauytqa sapar (qolmen)" and latin.derived_from == "kk"
    assert latin.body[0].text == to_latin("Бірінші абзац.")
    assert window.status.message.text().strip() == (
        "Wrote the kk-Latn version from the kk version, keeping 1 text edited by hand.")
    window.versions.act_derive.trigger()
    assert window.status.message.text().strip() == (
        "The kk-Latn version already follows the kk version.")
    assert window.document.undo_stack.count() == 1


def test_ctrl_page_down_and_up_walk_the_versions(window, tmp_path: Path, qtbot) -> None:
    from PySide6.QtCore import Qt

    window.document.set_story(three_versions(tmp_path / "p"), None)
    window.activateWindow()
    window.tray.view.setFocus()
    qtbot.keyClick(window.tray.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.document.version == "ru"
    assert window.article.versions.tabs.currentIndex() == 1
    window.versions.act_next.trigger()
    window.versions.act_next.trigger()
    assert window.document.version == "en"  # round from the last to the first
    window.versions.act_previous.trigger()
    assert window.document.version == "kk"
