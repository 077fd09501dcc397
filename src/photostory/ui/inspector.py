"""The inspector: caption, credit, alt and rights of the selected photo(s).

Caption and alt text are the shown language version's; while a version other than the
source is shown, another version's caption and alt sit read-only under them (the
translator's view, ``reference_texts``). Credit, creator and copyright are shared.
Several selected photos are edited together: a field whose values differ shows
"(mixed)" and is left alone unless the user types into it; whatever is typed goes to
every selected photo as one edit (typing merges into one undo step).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QRectF, QStringListModel, Qt, Signal
from PySide6.QtGui import (
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from photostory.core.story import TEXT_FIELDS, Photo, StoryEvent, StoryEventKind
from photostory.core.version_fields import photo_text, set_photo_text_edit
from photostory.core.storyfile import relative_path
from photostory.core.i18n import N_, _, ngettext
from photostory.ui.caption_shortcuts import expand_line_edit, expand_text_edit
from photostory.ui.document import StoryDocument
from photostory.ui.reference_texts import REFERENCE_PREVIEW_HEIGHT, ReferenceTexts
from photostory.ui.thumbnails import PREVIEW_SIZE, ThumbnailCache
from photostory.ui.widgets import ERROR_COLOR, ElidedLabel, LineEdit, TextEdit

MIXED = N_("(mixed)")  # translated where shown
PREVIEW_HEIGHT = 200


class PhotoField:
    """Binds one text widget to one photo field for the current selection."""

    def __init__(self, name: str, widget: LineEdit | TextEdit, commit: Callable[[str, str], None],
                 placeholder: str = "", shortcuts: Callable[[], dict[str, str]] | None = None) -> None:
        self.name = name
        self.widget = widget
        self.placeholder = placeholder
        self.mixed = False
        self._loading = False
        self._commit = commit
        self._shortcuts = shortcuts
        if isinstance(widget, LineEdit):
            widget.textEdited.connect(self._line_edited)
        else:
            widget.textChanged.connect(self._text_changed)

    # Typing "=kt=" expands before the text is committed, so the expansion and the typing
    # are one undo step.
    def _line_edited(self, text: str) -> None:
        assert isinstance(self.widget, QLineEdit)
        if self._shortcuts is not None and expand_line_edit(self.widget, self._shortcuts):
            text = self.widget.text()
        self._commit(self.name, text)

    def _text_changed(self) -> None:
        if self._loading:
            return
        if self._shortcuts is not None and isinstance(self.widget, TextEdit):
            self._loading = True  # the replacement emits textChanged again
            try:
                expand_text_edit(self.widget, self._shortcuts)
            finally:
                self._loading = False
        self._commit(self.name, self.text())

    def text(self) -> str:
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    def load(self, values: Sequence[str], placeholder: str | None = None) -> None:
        distinct = set(values)
        self.mixed = len(distinct) > 1
        value = "" if self.mixed or not distinct else next(iter(distinct))
        self._loading = True
        try:
            w = self.widget
            w.setPlaceholderText(_(MIXED) if self.mixed else (placeholder or self.placeholder))
            if self.text() != value:
                if isinstance(w, QLineEdit):
                    if w.hasFocus():
                        position = w.cursorPosition()
                        w.setText(value)
                        w.setCursorPosition(min(position, len(value)))
                    else:
                        w.setText(value)
                else:
                    w.set_text_keeping_cursor(value)
        finally:
            self._loading = False


class Inspector(QWidget):
    next_requested = Signal(int)  # +1 next photo, -1 previous (Ctrl+Enter / Alt+Down / Alt+Up)
    relink_requested = Signal(str)  # photo id

    def __init__(self, document: StoryDocument, thumbnails: ThumbnailCache | None,
                 credit_suggestions: Callable[[], list[str]] = list,
                 is_missing: Callable[[Photo], bool] | None = None,
                 parent: QWidget | None = None,
                 shortcuts: Callable[[], dict[str, str]] | None = None) -> None:
        super().__init__(parent)
        self.document = document
        # Caption shortcuts (=kt=) for the caption, credit and alt fields.
        self.shortcuts = shortcuts or dict
        self.thumbnails = thumbnails
        self.credit_suggestions = credit_suggestions
        # The tray model caches which files are missing; asking it avoids a disk check per photo.
        self.is_missing = is_missing or (lambda photo: not photo.path.is_file())
        self.ids: list[str] = []
        self._build()
        document.story_event.connect(self._on_story_event)
        document.story_reset.connect(lambda: self.show_photos([]))
        document.version_changed.connect(lambda _tag: self.show_photos(self.ids))
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_thumbnail)
        self.show_photos([])

    # -- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)  # a long heading ("4 photos selected — …") never widens the pane
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedHeight(PREVIEW_HEIGHT)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

        self.caption = TextEdit()
        self.caption.setAccessibleName(_("Caption"))
        self.caption.setPlaceholderText(_("What, who, where, when"))
        self.caption.setMinimumHeight(self.caption.fontMetrics().lineSpacing() * 5 + 12)
        self.caption_count = QLabel()
        self.caption_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.caption_count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.credit = LineEdit()
        self.credit.setAccessibleName(_("Credit"))
        self._credit_model = QStringListModel(self)
        completer = QCompleter(self._credit_model, self.credit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.credit.setCompleter(completer)
        self.alt = TextEdit()
        self.alt.setAccessibleName(_("Alt text"))
        self.alt.setPlaceholderText(_("What the photo shows, for readers who can't see it"))
        self.alt.setMinimumHeight(self.alt.fontMetrics().lineSpacing() * 4 + 12)
        self.creator = LineEdit()
        self.creator.setAccessibleName(_("Creator"))
        self.copyright = LineEdit()
        self.copyright.setAccessibleName(_("Copyright"))
        self.taken = QLabel()
        self.camera = QLabel()
        self.file = ElidedLabel()
        self.relink = QPushButton(_("Relink…"))
        self.relink.setToolTip(_("Find this photo's file where it is now"))
        self.relink.clicked.connect(lambda: self.ids and self.relink_requested.emit(self.ids[0]))
        self.reference = ReferenceTexts(self.document, self)

        self.fields = [
            PhotoField("caption", self.caption, self._commit, shortcuts=self._shortcut_table),
            PhotoField("credit", self.credit, self._commit, shortcuts=self._shortcut_table),
            PhotoField("alt", self.alt, self._commit, shortcuts=self._shortcut_table),
            PhotoField("creator", self.creator, self._commit),
            PhotoField("copyright", self.copyright, self._commit),
        ]
        self.caption.textChanged.connect(self._update_count)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow(_("&Caption"), self.caption)
        form.addRow("", self.caption_count)
        form.addRow(_("Re&ference"), self.reference.combo)
        form.addRow("", self.reference.caption)
        form.addRow(_("C&redit"), self.credit)
        form.addRow(_("&Alt text"), self.alt)
        form.addRow("", self.reference.alt)
        form.addRow(_("Cr&eator"), self.creator)
        form.addRow(_("Co&pyright"), self.copyright)
        form.addRow(_("Taken"), self.taken)
        form.addRow(_("Camera"), self.camera)
        file_row = QHBoxLayout()
        file_row.setContentsMargins(0, 0, 0, 0)
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.relink)
        form.addRow(_("File"), file_row)
        self.form = form

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.preview)
        layout.addLayout(form, 1)
        self.setTabOrder(self.caption, self.credit)
        self.setTabOrder(self.credit, self.alt)
        self.setTabOrder(self.alt, self.creator)
        self.setTabOrder(self.creator, self.copyright)

        for keys, step in (("Ctrl+Return", 1), ("Ctrl+Enter", 1), ("Alt+Down", 1), ("Alt+Up", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self._next(step))
        self.credit.editingFinished.connect(self.document.seal_typing)
        for widget in (self.caption, self.alt):
            widget.installEventFilter(self)

    def _shortcut_table(self) -> dict[str, str]:
        return self.shortcuts()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.document.seal_typing()  # leaving a field ends its typing step
        return super().eventFilter(watched, event)

    # -- showing -----------------------------------------------------------------------
    def show_photos(self, ids: Sequence[str]) -> None:
        """Show (and edit) these photos; called when the tray selection changes."""
        self.document.seal_typing()
        story = self.document.story
        known = {p.id for p in story.photos}
        self.ids = [pid for pid in ids if pid in known]
        if not self.ids:
            self.caption_count.clear()
        enabled = bool(self.ids)
        for field in self.fields:
            field.widget.setEnabled(enabled)
        self._credit_model.setStringList(self._credits())
        self._refresh()

    def focus_caption(self) -> None:
        self.caption.setFocus(Qt.FocusReason.OtherFocusReason)
        self.caption.moveCursor(self.caption.textCursor().MoveOperation.End)

    def _photos(self) -> list[Photo]:
        by_id = {p.id: p for p in self.document.story.photos}
        return [by_id[pid] for pid in self.ids if pid in by_id]

    def _refresh(self, full: bool = True) -> None:
        photos = self._photos()
        story = self.document.story
        count = len(story.photos)
        if not photos:
            self.heading.setText(_("No photo selected") if count else _("No photos yet"))
            for field in self.fields:
                field.load([], placeholder="")
            self.caption.setPlaceholderText(_("Select a photo in the tray to caption it.")
                                            if count else _("Import photos to start captioning."))
            self.taken.setText("")
            self.camera.setText("")
            self.file.set_full_text("")
            self.relink.hide()
            self._show_reference(photos)
            self.preview.clear()
            self._update_count()
            return
        tag, number = self.document.version, story.photo_index(photos[0].id) + 1
        if len(photos) > 1:
            self.heading.setText(ngettext("{count} photo selected — edits apply to all of them",
                                          "{count} photos selected — edits apply to all of them",
                                          len(photos)).format(count=len(photos)))
        elif tag == story.language:
            self.heading.setText(_("Photo {number} of {count}").format(number=number, count=count))
        else:  # which version's caption is being written
            self.heading.setText(_("Photo {number} of {count} · {language}").format(
                number=number, count=count, language=tag))
        default = story.default_credit.strip()
        for field in self.fields:
            placeholder = None
            if field.name == "credit" and default:
                placeholder = _("Story default: {credit}").format(credit=default)
            field.load([photo_text(story, tag, p, field.name) for p in photos], placeholder)
        self._update_count()
        self._show_reference(photos)
        if not full:
            return
        self.taken.setText(_common([_format_date(p.date_taken) for p in photos], "—"))
        self.camera.setText(_common([p.camera for p in photos], "—"))
        self._show_file(photos)
        self._show_preview(photos)

    def _show_reference(self, photos: list[Photo]) -> None:
        visible = self.reference.active and bool(photos)
        for widget in (self.reference.combo, self.reference.caption, self.reference.alt):
            self.form.setRowVisible(widget, visible)
        if visible:
            self.reference.show(photos)
        height = REFERENCE_PREVIEW_HEIGHT if visible else PREVIEW_HEIGHT
        if self.preview.maximumHeight() != height:
            self.preview.setFixedHeight(height)
            if photos:
                self._show_preview(photos)

    def _show_file(self, photos: list[Photo]) -> None:
        missing = [p for p in photos if self.is_missing(p)]
        if len(photos) == 1:
            photo = photos[0]
            base = self.document.story_dir
            shown = relative_path(photo.path, base) if base else str(photo.path)
            self.file.set_full_text(_("Missing: {path}").format(path=shown) if missing else shown)
            self.file.setToolTip(str(photo.path))
        else:
            folders = {p.path.parent for p in photos}
            count = len(photos)
            if len(folders) == 1:
                text = ngettext("{count} file in {folder}/", "{count} files in {folder}/",
                                count).format(count=count, folder=next(iter(folders)).name)
            else:
                text = ngettext("{count} file", "{count} files", count).format(count=count)
            if missing:
                text += ", " + _("{count} missing").format(count=len(missing))
            self.file.set_full_text(text)
        self.file.setStyleSheet(f"color: {ERROR_COLOR};" if missing else "")
        self.relink.setVisible(bool(missing) and len(photos) == 1)

    def _show_preview(self, photos: list[Photo]) -> None:
        if self.thumbnails is None:
            return
        shown = photos[:4]
        pixmaps = []
        for photo in shown:
            pixmap = None if self.is_missing(photo) else self.thumbnails.pixmap(photo, PREVIEW_SIZE)
            pixmaps.append(pixmap or self.thumbnails.placeholder(photo, PREVIEW_SIZE))
        width = max(1, self.preview.width() - 4)
        canvas = _compose(pixmaps, width, self.preview.maximumHeight() - 4)
        if len(photos) == 1 and self.is_missing(photos[0]):
            painter = QPainter(canvas)
            painter.setPen(self.palette().color(QPalette.ColorRole.Text))
            painter.drawText(QRectF(0, 0, width, self.preview.maximumHeight() - 4),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             _("The file is missing.\nUse Relink… to find it."))
            painter.end()
        self.preview.setPixmap(canvas)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        photos = self._photos() if self.ids else []
        if photos:
            self._show_preview(photos)

    def _update_count(self) -> None:
        field = self.fields[0]
        if field.mixed and not self.caption.toPlainText():
            self.caption_count.setText(_("Captions differ"))
            return
        n = len(self.caption.toPlainText())
        self.caption_count.setText(ngettext("{count} character", "{count} characters", n)
                                   .format(count=n))

    def _credits(self) -> list[str]:
        story = self.document.story
        seen: dict[str, None] = {}
        for credit in [story.default_credit, *(p.credit for p in story.photos),
                       *self.credit_suggestions()]:
            if credit.strip():
                seen.setdefault(credit.strip(), None)
        return list(seen)

    # -- editing -------------------------------------------------------------------------
    def _commit(self, name: str, value: str) -> None:
        if not self.ids:
            return
        story, tag = self.document.story, self.document.version
        ids = list(self.ids)
        self.document.try_edit(lambda: set_photo_text_edit(story, tag, ids, name, value, typing=True))

    def _next(self, step: int) -> None:
        self.document.seal_typing()
        self.next_requested.emit(step)

    def _on_story_event(self, event: StoryEvent) -> None:
        kind = event.kind
        if not self.ids:
            # "No photos yet" or "No photo selected": the count of photos decides.
            if kind in (StoryEventKind.PHOTOS_INSERTED, StoryEventKind.PHOTOS_REMOVED):
                self._refresh()
            return
        if kind == StoryEventKind.PHOTOS_CHANGED and set(event.ids) & set(self.ids):
            # Typing changes text fields only: skip the file check and preview redraw.
            self._refresh(full=not set(event.names) <= set(TEXT_FIELDS))
        elif kind == StoryEventKind.STORY_CHANGED and "default_credit" in event.names:
            self._refresh()
        elif kind == StoryEventKind.VERSIONS_CHANGED:
            self._refresh(full=False)  # this version's texts, or the reference's
        elif kind == StoryEventKind.PHOTOS_REMOVED:
            gone = set(event.ids)
            self.ids = [pid for pid in self.ids if pid not in gone]
            self._refresh()
        elif kind in (StoryEventKind.PHOTOS_INSERTED, StoryEventKind.PHOTOS_MOVED):
            self._refresh(full=False)  # the heading's "Photo 3 of 12" changes, nothing else

    def _on_thumbnail(self, photo_id: str) -> None:
        if photo_id in self.ids[:4]:
            self._show_preview(self._photos())


def _common(values: list[str], empty: str) -> str:
    distinct = set(values)
    return _(MIXED) if len(distinct) > 1 else next(iter(distinct), "") or empty


def _format_date(iso: str) -> str:
    """``2022-10-05T15:12:30+06:00`` -> ``2022-10-05 15:12``; "" stays ""."""
    return iso[:16].replace("T", " ")


def _compose(pixmaps: list[QPixmap], width: int, height: int) -> QPixmap:
    """Fit one pixmap, or several side by side, into width x height without distortion."""
    gap = 6
    count = len(pixmaps)
    cell_w = max(1, (width - gap * (count - 1)) // count)
    dpr = pixmaps[0].devicePixelRatio() if pixmaps else 1.0
    canvas = QPixmap(int(width * dpr), int(height * dpr))
    canvas.setDevicePixelRatio(dpr)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    scaled = []
    for pixmap in pixmaps:
        size = pixmap.deviceIndependentSize().scaled(cell_w, height, Qt.AspectRatioMode.KeepAspectRatio)
        scaled.append((pixmap, size))
    total = sum(s.width() for _pixmap, s in scaled) + gap * (count - 1)
    x = (width - total) / 2
    for pixmap, size in scaled:
        y = (height - size.height()) / 2
        painter.drawPixmap(QRectF(x, y, size.width(), size.height()), pixmap,
                           QRectF(pixmap.rect()))
        x += size.width() + gap
    painter.end()
    return canvas
