"""The translator's view in the inspector: while a version other than the source is
shown, another version's caption and alt text of the selected photos, read-only under
the fields being written, that version chosen in a small combo (the source by default)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QLabel

from photostory.core.i18n import _
from photostory.core.story import Photo
from photostory.core.version_fields import photo_text
from photostory.ui.document import StoryDocument
from photostory.ui.version_tabs import version_label

# The inspector's preview is this high while the reference texts show, down from 200: the
# two texts need the room (a Russian or Kazakh label column leaves them narrower, so
# taller), and the photo only has to be recognised.
REFERENCE_PREVIEW_HEIGHT = 120


def _reference_label(what: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    # Selectable: a translator copies a name or a number from the other version.
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFrameShape(QLabel.Shape.StyledPanel)
    label.setAutoFillBackground(True)
    label.setBackgroundRole(QPalette.ColorRole.AlternateBase)
    label.setMargin(4)
    label.setAccessibleName(what)
    return label


class ReferenceTexts(QObject):
    """The combo choosing the reference version and the two read-only texts."""

    def __init__(self, document: StoryDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.combo = QComboBox()
        self.combo.setAccessibleName(_("Reference version"))
        self.combo.setToolTip(_("The version whose caption and alt text are shown under the "
                              "fields, to translate from"))
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.caption = _reference_label(_("Reference caption"))
        self.alt = _reference_label(_("Reference alt text"))
        self._chosen = ""  # the tag picked in the combo; "" (or one gone): the source version
        self._photos: list[Photo] = []
        self._loading = False
        self.combo.currentIndexChanged.connect(self._picked)

    @property
    def active(self) -> bool:
        """Shown while a version other than the source is written."""
        return self.document.version != self.document.story.language

    def reference(self) -> str:
        """The tag of the version shown for reference."""
        story, shown = self.document.story, self.document.version
        if self._chosen in story.versions() and self._chosen != shown:
            return self._chosen
        return story.language

    def choose(self, tag: str) -> None:
        self._chosen = tag
        self.show(self._photos)

    def show(self, photos: Sequence[Photo]) -> None:
        self._photos = list(photos)
        if not self.active:
            return
        story, shown, reference = self.document.story, self.document.version, self.reference()
        others = [tag for tag in story.versions() if tag != shown]
        self._loading = True
        try:
            if [self.combo.itemData(i) for i in range(self.combo.count())] != others:
                self.combo.clear()
                for tag in others:
                    self.combo.addItem(version_label(tag), tag)
            self.combo.setCurrentIndex(others.index(reference))
        finally:
            self._loading = False
        name = version_label(reference)
        self.caption.setText(self._text(photos, reference, "caption") or _("(no caption)"))
        self.caption.setToolTip(_("The caption in the {version} version (read-only)")
                                .format(version=name))
        self.alt.setText(self._text(photos, reference, "alt") or _("(no alt text)"))
        self.alt.setToolTip(_("The alt text in the {version} version (read-only)")
                            .format(version=name))

    def _text(self, photos: Sequence[Photo], tag: str, field: str) -> str:
        values = {photo_text(self.document.story, tag, photo, field).strip() for photo in photos}
        if len(values) > 1:
            return _("(differs between the selected photos)")
        return next(iter(values), "")

    def _picked(self, index: int) -> None:
        if not self._loading and index >= 0:
            self.choose(self.combo.itemData(index))
