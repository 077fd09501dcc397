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
from photostory.core.i18n import _
from photostory.errors import ArticleError, PhotostoryError
from photostory.ui import dialogs
from photostory.ui.document import DocumentCommands

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
    raise ArticleError(_("The clipboard holds no article. Copy the article's text, or the whole "
                       "page from the browser, then paste again."))


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
        return self.apply(article, path.name)

    def paste_article(self) -> bool:
        """Edit ▸ Paste Article: the clipboard's article into the version shown."""
        try:
            article = clipboard_article(QGuiApplication.clipboard().mimeData())
        except PhotostoryError as exc:
            dialogs.error(self.widget, str(exc))
            return False
        return self.apply(article, "")

    def apply(self, article: Article, file_name: str) -> bool:
        """Put ``article`` (from the file ``file_name``, or "" for the clipboard) in the
        version shown, asking first when that version already has an article; one undo
        step."""
        story, tag = self.document.story, self.document.version
        source = is_source(story, tag)
        if source:
            question = _("Replace the article with the new one?")
        else:
            question = _("Replace the {language} article with the new one?").format(language=tag)
        if body_of(story, tag) and not dialogs.confirm(
                self.widget, question,
                _("Its paragraphs and photo groups are replaced; the photos stay in the story. "
                "Edit ▸ Undo brings the current article back."), _("Replace")):
            return False
        change = article_change(story, tag, article, file_name or _("the clipboard"))
        if change.edit is not None:
            self.document.apply_edit(change.edit)
        if file_name:
            done = (_("Imported the article {file}.") if source else
                    _("Imported the article {file} into the {language} version."))
        else:
            done = (_("Pasted the article.") if source else
                    _("Pasted the article into the {language} version."))
        done = done.format(file=file_name, language=tag)
        self.status.say(done)
        if change.notes:
            dialogs.report(self.widget, done, change.notes)
        return True
