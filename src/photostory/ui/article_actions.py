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
from photostory.errors import ArticleError, PhotostoryError
from photostory.ui import dialogs
from photostory.ui.document import DocumentCommands

NO_ARTICLE = ("The clipboard holds no article. Copy the article's text, or the whole page "
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
    raise ArticleError(NO_ARTICLE)


class ArticleActions(DocumentCommands):
    """Import Article and Paste Article, for the version the document shows."""

    def import_article_dialog(self) -> None:
        path = dialogs.open_file(self.widget, "Import Article", self.last_folder(),
                                 "Text articles (*.txt *.md);;All files (*)")
        if path is not None:
            self.import_article(path)

    def import_article(self, path: Path) -> bool:
        try:
            article = article_mod.read_article(path)
        except PhotostoryError as exc:
            dialogs.error(self.widget, str(exc))
            return False
        return self.apply(article, path.name, f"Imported the article {path.name}")

    def paste_article(self) -> bool:
        """Edit ▸ Paste Article: the clipboard's article into the version shown."""
        try:
            article = clipboard_article(QGuiApplication.clipboard().mimeData())
        except PhotostoryError as exc:
            dialogs.error(self.widget, str(exc))
            return False
        return self.apply(article, "the clipboard", "Pasted the article")

    def apply(self, article: Article, name: str, done: str) -> bool:
        """Put ``article`` in the version shown (asking first when that version already has
        an article); one undo step. ``name`` says where it came from, ``done`` what
        happened, for the undo history and the status line."""
        story, tag = self.document.story, self.document.version
        which = "the article" if is_source(story, tag) else f"the {tag} article"
        if body_of(story, tag) and not dialogs.confirm(
                self.widget, f"Replace {which} with the one from {name}?",
                "Its paragraphs and photo groups are replaced; the photos stay in the story. "
                "Edit ▸ Undo brings the current article back.", "Replace"):
            return False
        change = article_change(story, tag, article, name)
        if change.edit is not None:
            self.document.apply_edit(change.edit)
        done += "." if is_source(story, tag) else f" into the {tag} version."
        self.status.say(done)
        if change.notes:
            dialogs.report(self.widget, done, change.notes)
        return True
