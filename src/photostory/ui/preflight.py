"""Preflight in the editor: the core's checks, kept current as the story changes.

:class:`PreflightChecker` runs :func:`photostory.core.preflight.check_story` on a
snapshot of the story off the GUI thread (the checks stat every file and hash
same-sized ones to find duplicates), a moment after the last change, so typing a
caption costs nothing while it is typed. :class:`PreflightPanel` lists the findings
under the tray, errors first: those of the language version shown (with what every
version shares), or of all versions; clicking one selects its photo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from photostory.core.preflight import RULE_NAMES, Finding, PreflightSettings, check_story
from photostory.core.version_fields import findings_for
from photostory.core.i18n import _, ngettext, sentence_start
from photostory.ui.document import StoryDocument
from photostory.ui.tasks import TaskRunner
from photostory.ui.widgets import ERROR_COLOR

log = logging.getLogger(__name__)

DELAY_MS = 400  # after the last change: a caption being typed is checked once, not per key
VISIBLE_ROWS = 4  # the panel grows to this many findings, then scrolls

def split(findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings)."""
    errors = [f for f in findings if f.is_error]
    return errors, [f for f in findings if not f.is_error]


def rule_summary(findings: Sequence[Finding]) -> str:
    """``no alt text (3), caption too long (1)``, most frequent first."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    return ", ".join(f"{_(RULE_NAMES[rule])} ({count})" for rule, count in ordered)


def count_text(errors: int, warnings: int) -> str:
    """``2 errors · 5 warnings`` / ``No problems``."""
    if not errors and not warnings:
        return _("No problems")
    parts = []
    if errors:
        parts.append(ngettext("{count} error", "{count} errors", errors).format(count=errors))
    if warnings:
        parts.append(ngettext("{count} warning", "{count} warnings", warnings)
                     .format(count=warnings))
    return " · ".join(parts)


class PreflightChecker(QObject):
    """The story's current findings; ``updated`` when they change."""

    updated = Signal()

    def __init__(self, document: StoryDocument, settings: Callable[[], PreflightSettings],
                 delay_ms: int = DELAY_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.settings = settings
        self.findings: list[Finding] = []
        self._generation = 0  # bumped by every change; a result for an older one is stale
        self._done_generation = -1
        self.checked = False  # a check of this story has finished (reset with the story)
        self._running = False
        self._tasks = TaskRunner(self, threads=1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        document.story_event.connect(self.schedule)
        document.story_reset.connect(self._on_reset)

    @property
    def current(self) -> bool:
        """Whether ``findings`` describe the story as it is now."""
        return self._done_generation == self._generation

    @property
    def errors(self) -> list[Finding]:
        return split(self.findings)[0]

    @property
    def warnings(self) -> list[Finding]:
        return split(self.findings)[1]

    def schedule(self, *_args: Any) -> None:
        """The story (or the files, or the settings) changed: check again shortly."""
        self._generation += 1
        self._timer.start()

    def _on_reset(self) -> None:
        self.findings = []
        self.checked = False
        self.updated.emit()
        self.schedule()

    def _start(self) -> None:
        if self._running:
            return  # _on_done starts the next run
        self._running = True
        generation, story, settings = self._generation, self.document.story.snapshot(), self.settings()
        (self._tasks.run(_("Preflight"), lambda _progress, _cancel: check_story(story, settings))
         .on_success(lambda findings: self._on_done(generation, findings))
         .on_failure(lambda _message: self._on_done(generation, None)))

    def _on_done(self, generation: int, findings: list[Finding] | None) -> None:
        self._running = False
        if generation == self._generation:
            self._done_generation = generation
            self.checked = True
            if findings is not None:  # (None: the check failed; the log has why)
                self.findings = findings
            self.updated.emit()
        elif not self._timer.isActive():
            self._timer.start()  # changed while checking: check the story as it is now

    def check_now(self, settings: PreflightSettings | None = None) -> list[Finding]:
        """Findings for the story as it is now, on this thread (before an export)."""
        settings = settings or self.settings()
        if settings == self.settings() and self.current:
            return list(self.findings)
        return check_story(self.document.story, settings)

    def shutdown(self) -> None:
        self._timer.stop()
        self._tasks.clear()
        self._tasks.wait()


class FindingsModel(QAbstractListModel):
    """Findings as two-line rows: ``Photo 2 · file.jpg`` and what is wrong."""

    PHOTO_ID = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []
        self._icons: dict[str, QIcon] = {}

    def set_findings(self, findings: Sequence[Finding], icons: dict[str, QIcon]) -> None:
        self.beginResetModel()
        # Errors first, then warnings, each in story order (sorted() is stable).
        self.findings = sorted(findings, key=lambda f: not f.is_error)
        self._icons = icons
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.findings)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.findings):
            return None
        finding = self.findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            head, detail = lines(finding)
            return f"{head}\n{detail}"
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = _("Error (blocks export unless confirmed)") if finding.is_error else _("Warning")
            return f"{kind}: {finding.message}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.get(finding.severity)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{finding.severity}: {finding.message}"
        if role == self.PHOTO_ID:
            return finding.photo_id
        return None


def lines(finding: Finding) -> tuple[str, str]:
    """The two lines a finding is shown as: where, and what (the core's message split)."""
    head, sep, detail = finding.message.partition(f" ({finding.file_name}): ")
    if not sep:
        return finding.file_name or _("Story"), finding.message
    return f"{head} · {finding.file_name}", sentence_start(detail)


class _RowDelegate(QStyledItemDelegate):
    """Rows as wide as the list (the view stretches them), text elided to fit."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(1, super().sizeHint(option, index).height())


class PreflightPanel(QWidget):
    """"Preflight" under the tray: a one-line state and, when there are findings, a list
    of up to four rows (scrolling beyond); clicking a finding goes to its photo. The
    panel is as tall as what it shows, so a story with nothing to fix costs one line."""

    photo_requested = Signal(str)
    hide_requested = Signal()

    def __init__(self, checker: PreflightChecker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checker = checker
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        title = QLabel(_("Preflight"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.count = QLabel()
        self.count.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.hide_button = QToolButton()
        self.hide_button.setText(_("Hide"))
        self.hide_button.setAutoRaise(True)
        self.hide_button.setToolTip(_("Hide the preflight panel (Export ▸ Show Preflight brings it back)"))
        self.hide_button.clicked.connect(self.hide_requested)
        self.all_versions = QToolButton()
        self.all_versions.setText(_("All versions"))
        self.all_versions.setCheckable(True)
        self.all_versions.setAutoRaise(True)
        self.all_versions.setToolTip(_("List the findings of every language version, not only "
                                     "the version shown"))
        self.all_versions.toggled.connect(self.refresh)
        header = QHBoxLayout()
        header.setContentsMargins(8, 2, 4, 2)
        header.setSpacing(8)
        header.addWidget(title)
        header.addWidget(self.count, 1)
        header.addWidget(self.all_versions)
        header.addWidget(self.hide_button)

        self.model = FindingsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setWordWrap(False)
        self.view.setIconSize(QSize(16, 16))
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setItemDelegate(_RowDelegate(self.view))
        self.view.setAccessibleName(_("Preflight findings"))
        self.view.clicked.connect(self._activated)
        self.view.activated.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addWidget(line)
        layout.addLayout(header)
        layout.addWidget(self.view)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        checker.updated.connect(self.refresh)
        checker.document.version_changed.connect(lambda _tag: self.refresh())
        self.refresh()

    def _icons(self) -> dict[str, QIcon]:
        style = self.style()
        return {"error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
                "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)}

    def shown_findings(self) -> list[Finding]:
        """The findings listed: the shown version's (and the shared ones), or all."""
        document = self.checker.document
        if self.all_versions.isChecked() or len(document.story.versions()) == 1:
            return list(self.checker.findings)
        return findings_for(document.story, self.checker.findings, document.version)

    def state_text(self) -> str:
        """What the header says beside "Preflight"."""
        findings = self.shown_findings()
        if findings:
            errors, warnings = split(findings)
            return count_text(len(errors), len(warnings))
        if not self.checker.document.story.photos:
            return _("Nothing to check yet")
        if not self.checker.checked:
            return _("Checking…")
        if self.checker.findings:  # in versions not shown
            errors, warnings = split(self.checker.findings)
            return _("Nothing to fix in the {language} version; other versions: {counts}").format(
                language=self.checker.document.version,
                counts=count_text(len(errors), len(warnings)))
        return _("Ready to publish: every photo has what it needs")

    def refresh(self) -> None:
        self.all_versions.setVisible(len(self.checker.document.story.versions()) > 1)
        findings = self.shown_findings()
        errors, _warnings = split(findings)
        self.count.setText(self.state_text())
        self.count.setStyleSheet(f"color: {ERROR_COLOR};" if errors else "")
        ordered = sorted(findings, key=lambda f: not f.is_error)
        if ordered != self.model.findings:
            scroll = self.view.verticalScrollBar().value()
            self.model.set_findings(findings, self._icons())
            self.view.verticalScrollBar().setValue(scroll)  # no jump while a caption is typed
        self.view.setVisible(bool(findings))
        self._fit_height()

    def _fit_height(self) -> None:
        rows = min(len(self.model.findings), VISIBLE_ROWS)
        list_height = 0
        if rows:
            frame = self.view.frameWidth() * 2
            list_height = self.view.sizeHintForRow(0) * rows + frame + self.layout().spacing()
        header = self.layout().itemAt(1).sizeHint().height()
        margins = self.layout().contentsMargins()
        self.setFixedHeight(2 + self.layout().spacing() + header + list_height
                            + margins.top() + margins.bottom())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_height()

    def _activated(self, index: QModelIndex) -> None:
        photo_id = index.data(FindingsModel.PHOTO_ID)
        if photo_id:
            self.photo_requested.emit(photo_id)

    def rows(self) -> list[tuple[str, str]]:
        """(severity, message) as listed, for tests and accessibility checks."""
        return [(f.severity, f.message) for f in self.model.findings]
