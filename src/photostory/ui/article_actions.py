"""The editor's article commands: Import Article (a file) and Paste Article (the clipboard:
a page copied from a browser as HTML or text, or a clean article), applied to the language
version shown as one undo step, with a notice of what the page had around the article."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from photostory.core import article as article_mod
from photostory.core.article import Article
from photostory.core.article_to_version import article_change
from photostory.core.version_fields import body_of, is_source
from photostory.core.i18n import N_, _
from photostory.errors import ArticleError, PhotostoryError
from photostory.ui import dialogs
from photostory.ui.document import DocumentCommands

NO_ARTICLE = N_("The clipboard holds no article. Copy the article's text, or the whole page "
              "from the browser, then paste again.")


def clipboard_article(data: QMimeData | None) -> Article:
    """The article in clipboard data: its HTML (paragraphs, figures and their captions)
    when there is some, else its plain text; ArticleError when neither holds one."""
    if data is not None and data.hasHtml():
        article = article_mod.article_from_html(data.html())
        if article.title:
            return article
    if data is not None and data.hasText():
        article = article_mod.article_from_text(data.text())
        if article.title:
            return article
    raise ArticleError(_(NO_ARTICLE))


class ArticleActions(DocumentCommands):
    """Import Article and Paste Article, for the version the document shows."""

    def import_article_dialog(self) -> None:
        path = dialogs.open_file(self.widget, _("Import Article"), self.last_folder(),
                                 _("Text articles (*.txt *.md);;All files (*)"))
        if path is not None:
            self.import_article(path)

    def import_article(self, path: Path) -> bool:
        try:
            article = article_mod.read_article(path)
        except PhotostoryError as exc:
            dialogs.error(self.widget, str(exc))
            return False
        return self.apply(article, path.name, (_("Imported the article {file}."),
                                               _("Imported the article {file} into the {language} "
                                                 "version.")))

    def paste_article(self) -> bool:
        """Edit ▸ Paste Article: the clipboard's article into the version shown."""
        try:
            article = clipboard_article(QGuiApplication.clipboard().mimeData())
        except PhotostoryError as exc:
            dialogs.error(self.widget, str(exc))
            return False
        return self.apply(article, _("the clipboard"), (_("Pasted the article."),
                                                        _("Pasted the article into the {language} "
                                                          "version.")))

    def apply(self, article: Article, name: str, done: tuple[str, str]) -> bool:
        """Put ``article`` in the version shown (asking first when that version already has
        an article); one undo step. ``name`` says where it came from, ``done`` what
        happened (into the source version, into another), for the undo history and the
        status line."""
        story, tag = self.document.story, self.document.version
        question = (_("Replace the article with the one from {name}?") if is_source(story, tag)
                    else _("Replace the {language} article with the one from {name}?"))
        if body_of(story, tag) and not dialogs.confirm(
                self.widget, question.format(name=name, language=tag),
                _("Its paragraphs and photo groups are replaced; the photos stay in the story. "
                  "Edit ▸ Undo brings the current article back."), _("Replace")):
            return False
        change = article_change(story, tag, article, name)
        if change.edit is not None:
            self.document.apply_edit(change.edit)
        said = (done[0] if is_source(story, tag) else done[1]).format(file=name, language=tag)
        self.status.say(said)
        if change.notes:
            dialogs.report(self.widget, said, change.notes)
        return True
