"""The version tabs over the story pane: one tab per language version, in its own name
and tag ("Русский · ru"), the source version first; choosing one shows that version."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QTabBar, QToolButton, QWidget

from photostory.core.i18n import _
from photostory.core.languages import language_name
from photostory.core.story import Story, StoryEvent, StoryEventKind
from photostory.errors import LanguageError
from photostory.ui.document import StoryDocument


def version_label(tag: str) -> str:
    """``Русский · ru``: the language's own name and its tag (a tag no registry knows,
    typed by hand, is shown alone)."""
    try:
        return f"{language_name(tag)} · {tag}"
    except LanguageError:
        return tag


def version_tip(story: Story, tag: str) -> str:
    if tag == story.language:
        return _("The source version: the story's own texts")
    translation = story.translation(tag)
    if translation.derived_from:
        return (_("Written from the {derived_from} version, except the texts "
                "edited here by hand").format(derived_from=translation.derived_from))
    return _("A language version: its own title, article, captions and alt texts")


class VersionTabs(QWidget):
    """Tabs for the versions and a "+" button (Story ▸ Add Language Version…)."""

    add_requested = Signal()

    def __init__(self, document: StoryDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.tabs = QTabBar()
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setAccessibleName(_("Language versions"))
        self.tabs.currentChanged.connect(self._chosen)
        self.add_button = QToolButton()
        self.add_button.setText("+")
        self.add_button.setAutoRaise(True)
        self.add_button.setToolTip(_("Add a language version (Story ▸ Add Language Version…)"))
        self.add_button.setAccessibleName(_("Add Language Version"))
        self.add_button.clicked.connect(self.add_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.add_button)
        self._loading = False
        document.story_event.connect(self._on_story_event)
        document.story_reset.connect(self.load)
        document.version_changed.connect(lambda _tag: self.load())
        self.load()

    def tags(self) -> list[str]:
        return [self.tabs.tabData(i) for i in range(self.tabs.count())]

    def labels(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def load(self) -> None:
        story = self.document.story
        self._loading = True
        try:
            tags = story.versions()
            if self.tags() != tags:
                while self.tabs.count():
                    self.tabs.removeTab(0)
                for tag in tags:
                    index = self.tabs.addTab(version_label(tag))
                    self.tabs.setTabData(index, tag)
            for index, tag in enumerate(tags):
                self.tabs.setTabToolTip(index, version_tip(story, tag))
            self.tabs.setCurrentIndex(tags.index(self.document.version))
        finally:
            self._loading = False

    def _chosen(self, index: int) -> None:
        if not self._loading and index >= 0:
            self.document.show_version(self.tabs.tabData(index))

    def _on_story_event(self, event: StoryEvent) -> None:
        if event.kind == StoryEventKind.VERSIONS_CHANGED or (
                event.kind == StoryEventKind.STORY_CHANGED and "language" in event.names):
            self.load()
