"""Status bar: what the story still needs, passing messages, and long work with Cancel."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QToolButton,
    QWidget,
)

from photostory.core.story import Story
from photostory.core.i18n import _, ngettext
from photostory.ui.tasks import Task, TaskRunner
from photostory.ui.widgets import ERROR_COLOR

PROGRESS_INTERVAL_MS = 100


def summary_text(story: Story, missing_files: int) -> str:
    """``24 photos · 2 need captions · 1 missing alt`` (counts of zero are left out)."""
    photos = story.photos
    if not photos:
        return _("No photos yet")
    parts = [ngettext("{count} photo", "{count} photos", len(photos)).format(count=len(photos))]
    captions = sum(1 for p in photos if not p.caption.strip())
    alts = sum(1 for p in photos if not p.alt.strip())
    if captions:
        parts.append(ngettext("{count} needs a caption", "{count} need captions", captions)
                     .format(count=captions))
    if alts:
        parts.append(ngettext("{count} missing alt", "{count} missing alt", alts).format(count=alts))
    if missing_files:
        parts.append(ngettext("{count} file missing", "{count} files missing", missing_files)
                     .format(count=missing_files))
    return " · ".join(parts)


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.work_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setFixedWidth(160)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v/%m")
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.setToolTip(_("Stop this work; nothing half-done is kept"))
        # "Preflight: 1 error · 3 warnings"; clicking it shows the preflight panel.
        self.preflight = QToolButton()
        self.preflight.setAutoRaise(True)
        self.preflight.setToolTip(_("What the story still needs before it is published "
                                  "(click to show the list)"))
        self.preflight.hide()
        self.addWidget(self.summary)
        self.addWidget(self.message, 1)
        for widget in (self.work_label, self.progress, self.cancel):
            self.addPermanentWidget(widget)
            widget.hide()
        self.addPermanentWidget(self.preflight)
        self.cancel.clicked.connect(self._cancel)
        self._clear = QTimer(self)
        self._clear.setSingleShot(True)
        self._clear.timeout.connect(lambda: self.message.setText(""))
        self.task: Task | None = None
        self._since = QElapsedTimer()

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)

    def set_preflight(self, text: str, errors: bool) -> None:
        """The preflight count ("" hides it)."""
        self.preflight.setText(_("Preflight: {text}").format(text=text) if text else "")
        self.preflight.setStyleSheet(f"color: {ERROR_COLOR};" if errors else "")
        self.preflight.setVisible(bool(text))

    def say(self, text: str, msecs: int = 8000) -> None:
        """A passing message beside the summary (the summary stays visible)."""
        self.message.setText(f"   {text}" if text else "")
        if msecs > 0:
            self._clear.start(msecs)

    def follow(self, runner: TaskRunner) -> None:
        """Show every task ``runner`` starts: its label, progress and a Cancel button."""
        runner.task_started.connect(self.track)

    def track(self, task: Task) -> None:
        """Show ``task``'s progress with a Cancel button until it finishes."""
        self.task = task
        self._since.invalidate()
        self.work_label.setText(f"{task.label}…")
        self.progress.setRange(0, 0)  # busy until the first count arrives
        for widget in (self.work_label, self.progress, self.cancel):
            widget.show()
        self.cancel.setEnabled(True)
        task.progress.connect(self._on_progress)
        task.finished.connect(self._done)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel.setEnabled(False)
            self.work_label.setText(_("Cancelling…"))

    def _on_progress(self, done: int, total: int, message: str) -> None:
        # QProgressBar repaints synchronously on every setValue: update a few times a second.
        if done < total and self._since.isValid() and self._since.elapsed() < PROGRESS_INTERVAL_MS:
            return
        self._since.start()
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setToolTip(message)

    def _done(self) -> None:
        for widget in (self.work_label, self.progress, self.cancel):
            widget.hide()
        self.task = None
