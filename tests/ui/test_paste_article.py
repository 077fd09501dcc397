"""Edit ▸ Paste Article: the article on the real clipboard (a page copied from a browser as
plain text, or its HTML) goes into the version shown as one undo step, and what the page
had around the article is said."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication

from core.test_article_paste import FIGURES_HTML as CMS_FIGURES_HTML
from core.test_article_paste import QAZAQ_TV
from photostory.core.story import Paragraph, PhotoGroup
from ui_support import three_versions
from ui_support import story_with_photos

# The Qazaq TV page as a browser copies it, and a CMS's HTML with figures: the samples the
# core's recognition is tested on.
COPIED_PAGE, FIGURES_HTML = QAZAQ_TV, CMS_FIGURES_HTML


def put_on_clipboard(text: str = "", html: str = "") -> None:
    data = QMimeData()
    if text:
        data.setText(text)
    if html:
        data.setHtml(html)
    QGuiApplication.clipboard().setMimeData(data)


def kinds(body) -> list[str]:  # noqa: ANN001
    return ["p" if isinstance(b, Paragraph) else f"g{len(b.photo_ids)}" for b in body]


def test_paste_article_reads_a_copied_page_and_says_what_it_left_out(window, tmp_path: Path,
                                                                      scripted) -> None:
    window.document.set_story(story_with_photos(tmp_path / "p", 3), None)
    put_on_clipboard(text=COPIED_PAGE)
    assert window.act_paste_article.shortcut().toString() == "Ctrl+Shift+V"
    window.act_paste_article.trigger()
    story = window.document.story
    assert (story.title, story.byline, story.published, story.dateline, story.default_credit) == (
        "Tokayev visits bus assembly plant in Saran", "Temirgaliyeva Arailym",
        "2022-10-05T15:44", "SARAN", "akorda.kz")
    assert kinds(story.body) == ["p", "g1", "p", "g2", "p", "p"]
    assert scripted.questions == []  # an empty article is filled without asking
    (text, notes), = scripted.reports
    assert text == "Pasted the article."
    assert any(n.startswith("Left out") and "after the credit" in n for n in notes), notes
    assert window.article.form.title.text() == story.title
    assert window.document.undo_stack.count() == 1
    window.act_undo.trigger()
    assert story.body == [] and story.title == "Test story"


def test_paste_article_prefers_the_html_and_offers_its_figure_captions(window, tmp_path: Path,
                                                                       scripted) -> None:
    window.document.set_story(story_with_photos(tmp_path / "p", 2), None)
    story = window.document.story
    story.photos[1].caption = "Written by the desk"
    put_on_clipboard(text="Not the article\n\nplain words", html=FIGURES_HTML)
    window.act_paste_article.trigger()
    assert story.title == "Токаев посетил завод по сборке автобусов в Сарани"
    assert (story.byline, story.published, story.dateline) == (
        "Темиргалиева Арайлым", "2022-10-05T15:44", "САРАНЬ")
    assert kinds(story.body) == ["p", "g2", "p"]
    assert story.body[0].text.startswith("КАЗИНФОРМ – Глава государства Касым-Жомарт Токаев")
    # The figcaption fills the empty caption; the one the desk wrote stays.
    assert [p.caption for p in story.photos] == ["Касым-Жомарт Токаев в сборочном цехе",
                                                 "Written by the desk"]
    (_text, notes), = scripted.reports
    assert "1 caption taken from the article's pictures, for photos that had none." in notes
    assert any("Читайте" in n or "after the credit" in n for n in notes), notes
    window.act_undo.trigger()
    assert story.photos[0].caption == "" and story.body == []


def test_ctrl_v_in_an_empty_article_pastes_the_article(window, tmp_path: Path, qtbot) -> None:
    window.document.set_story(story_with_photos(tmp_path / "p", 3), None)
    put_on_clipboard(text=COPIED_PAGE)
    body = window.article.body
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.document.story.title == "Tokayev visits bus assembly plant in Saran"
    assert len(window.article.body.blocks) == 6


def test_pasting_into_a_language_version_replaces_that_version_after_asking(
        window, tmp_path: Path, scripted) -> None:
    window.document.set_story(three_versions(tmp_path / "p"), None)
    story = window.document.story
    window.document.show_version("ru")
    put_on_clipboard(html=FIGURES_HTML)
    window.act_paste_article.trigger()
    assert scripted.questions == ["Replace the ru article with the new one?"]
    ru = story.translation("ru")
    assert ru.title == "Токаев посетил завод по сборке автобусов в Сарани"
    assert ru.byline == "Темиргалиева Арайлым"
    assert kinds(ru.body) == ["p", "g2", "p"]  # the slots take the source's placed photos
    assert ru.captions[story.photos[0].id] == "Подпись к фото"  # captions written stay
    assert story.title == "Test story"
    (text, notes), = scripted.reports
    assert text == "Pasted the article into the ru version."
    assert any("has no slot in the ru version" in n for n in notes), notes
    assert any("credit 'akorda.kz' was not applied" in n for n in notes), notes
    window.act_undo.trigger()
    assert story.translation("ru").title == "Визит на завод"


def test_a_clipboard_without_an_article_is_said_and_changes_nothing(window, tmp_path: Path,
                                                                    scripted) -> None:
    window.document.set_story(story_with_photos(tmp_path / "p", 2), None)
    QGuiApplication.clipboard().setMimeData(QMimeData())
    assert not window.article_actions.paste_article()
    assert scripted.errors == ["The clipboard holds no article. Copy the article's text, or the "
                               "whole page from the browser, then paste again."]
    assert window.document.undo_stack.count() == 0


def test_paste_article_is_in_the_edit_menu_and_the_empty_article_says_how(window, tmp_path: Path,
                                                                          qtbot) -> None:
    window.document.set_story(story_with_photos(tmp_path / "p", 3), None)
    assert "Ctrl+Shift+V" in window.article.body.empty.text()
    edit_menu = window.menuBar().actions()[1].menu()
    assert window.act_paste_article in edit_menu.actions()
    put_on_clipboard(text="Short story\n\nOne paragraph.\n\n[photo]\n")
    edit_menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitExposed(edit_menu)
    edit_menu.setActiveAction(window.act_paste_article)
    qtbot.keyClick(edit_menu, Qt.Key.Key_Return)
    story = window.document.story
    assert story.title == "Short story"
    assert isinstance(story.body[1], PhotoGroup)
