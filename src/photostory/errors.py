"""Errors whose text is what the user reads.

Core code raises these; the CLI prints ``error: <str(err)>`` and the editor shows
the same text in a dialog. Anything else that escapes is a bug: it is logged with
its traceback and summarised to the user.
"""

from __future__ import annotations

from photostory.core.i18n import _


class PhotostoryError(Exception):
    """An error the user can act on: ``message`` says what, ``hint`` what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class StoryFileError(PhotostoryError):
    """A story file cannot be read or written."""


class StoryConflictError(StoryFileError):
    """The story file changed on disk since it was read; saving would lose that change."""


class ImageReadError(PhotostoryError):
    """An image file cannot be opened or decoded."""


class MetadataError(PhotostoryError):
    """An image's metadata cannot be written (reading never raises it: a damaged block
    is a warning)."""


class XmpError(MetadataError):
    """XMP cannot be written into a file (packet too large, bad value, not a JPEG, the
    file unreadable or not writable)."""


class ArticleError(PhotostoryError):
    """An article text cannot be imported."""


class ShortcutsError(PhotostoryError):
    """A caption shortcuts file cannot be read."""


class CaptionsSheetError(PhotostoryError):
    """A captions sheet (CSV) cannot be read or written."""


class ExportError(PhotostoryError):
    """An export cannot be completed."""


class PublishError(PhotostoryError):
    """A story cannot be published to its destination (a bad destination, a refused host
    key, a lost connection); the site keeps a complete story, old or new."""


class Cancelled(PhotostoryError):
    """Long work was cancelled by the user; nothing half-done is kept."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("Cancelled."))


class LanguageError(PhotostoryError):
    """A language is given as something that is not a BCP 47 language tag."""
