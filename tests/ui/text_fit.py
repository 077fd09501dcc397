"""What a user would see go wrong in a translated window: text cut off (a widget given less
room than its text asks for, a placeholder longer than its field), a label showing the
``&`` meant for its shortcut, and English words left among the translated ones."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from PySide6 import QtGui  # Qt.mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox,
                               QLabel, QLineEdit, QMenu, QMenuBar, QPlainTextEdit, QStyle,
                               QStyleOptionComboBox, QStyleOptionFrame, QTabBar, QTextEdit,
                               QToolButton, QWidget)

from photostory.ui.widgets import ElidedLabel

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Addresses, paths and URLs are written in Latin letters in any language.
ADDRESS = re.compile(r"\S*[/@~]\S*")
HTML_TAG = re.compile(r"<[^>]*>")
LONE_AMPERSAND = re.compile(r"(?<!&)&(?!&)")
# Latin words that stay as they are in any language: the product, formats and units, the
# language list's own names, key names.
NOT_ENGLISH = {"Photostory", "JPEG", "PNG", "XMP", "IPTC", "EXIF", "BCP", "NASA", "URL",
               "HTML", "CSV", "TSV", "UTF", "txt", "tsv", "csv", "jpg", "English", "Latn",
               "Ctrl", "Shift", "Tab", "sftp", "http", "https", "file", "akorda",
               "ssh", "agent", "AWS"}


def _plain(text: str) -> str:
    return HTML_TAG.sub(" ", text).replace("&", "").strip()


def describe(widget: QWidget, text: str) -> str:
    """``QLabel 'Caption' in Inspector > QScrollArea``: the widget, its text, where it is."""
    chain = []
    parent = widget.parentWidget()
    while parent is not None and len(chain) < 3:
        chain.append(parent.objectName() or type(parent).__name__)
        parent = parent.parentWidget()
    return f"{type(widget).__name__} {text!r} in {' > '.join(chain) or 'the window'}"


def _shown(root: QWidget) -> Iterator[QWidget]:
    yield root
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and not widget.isWindow():
            yield widget


def _label_problem(label: QLabel) -> str:
    if isinstance(label, ElidedLabel) or not label.text() or label.pixmap() and not label.pixmap().isNull():
        return ""  # an ElidedLabel shortens on purpose and shows the whole text as its tooltip
    if label.buddy() is None and label.textFormat() != Qt.TextFormat.RichText \
            and not QtGui.Qt.mightBeRichText(label.text()) and LONE_AMPERSAND.search(label.text()):
        return "shows the & of a shortcut it has no field (buddy) for"
    if label.wordWrap():
        need_height = label.heightForWidth(label.width())
        if label.width() < label.minimumSizeHint().width():
            return f"{label.width()} px wide, its longest word needs {label.minimumSizeHint().width()}"
        if label.height() < need_height:
            return f"{label.height()} px high, its lines need {need_height}"
        return ""
    return _smaller_than_hint(label)


def _smaller_than_hint(widget: QWidget) -> str:
    hint = widget.sizeHint()
    if widget.width() < hint.width() or widget.height() < hint.height():
        return f"{widget.width()}x{widget.height()} px, its text needs {hint.width()}x{hint.height()}"
    return ""


def _button_problem(button: QAbstractButton) -> str:
    icon_only = (isinstance(button, QToolButton)
                 and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly)
    return "" if not button.text() or icon_only else _smaller_than_hint(button)


def _combo_problem(combo: QComboBox) -> str:
    if combo.isEditable() or not combo.currentText():
        return ""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    need = combo.fontMetrics().horizontalAdvance(combo.currentText())
    if not combo.itemIcon(combo.currentIndex()).isNull():
        need += combo.iconSize().width() + 4
    if field.width() < need:
        return f"its field is {field.width()} px wide, the text needs {need}"
    return ""


def _line_edit_problem(field: QLineEdit) -> str:
    if field.text():
        scrolled = not field.hasFocus() and field.cursorPosition() > 0 \
            and field.cursorRect().right() >= field.width() - 8
        return "shows the end of its text, not the start" if scrolled else ""
    if not field.placeholderText():
        return ""
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    room = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field)
    margins = field.textMargins()
    room_width = room.width() - margins.left() - margins.right() - 4  # QLineEdit's own margin
    need = field.fontMetrics().horizontalAdvance(field.placeholderText())
    if room_width < need:
        return f"its placeholder needs {need} px, the field has {room_width}"
    return ""


def _tab_problems(tabs: QTabBar) -> Iterator[tuple[str, str]]:
    for index in range(tabs.count()):
        text, rect = tabs.tabText(index), tabs.tabRect(index)
        need = tabs.fontMetrics().horizontalAdvance(_plain(text))
        if not tabs.rect().contains(rect):
            yield text, "the tab is outside the bar (behind its scroll buttons)"
        elif rect.width() <= need:
            yield text, f"the tab is {rect.width()} px wide, its text needs more than {need}"


def _menu_bar_problems(bar: QMenuBar) -> Iterator[tuple[str, str]]:
    for action in bar.actions():
        if not action.isVisible() or action.isSeparator():
            continue
        rect, need = bar.actionGeometry(action), bar.fontMetrics().horizontalAdvance(_plain(action.text()))
        if rect.isEmpty() or not bar.rect().contains(rect):
            yield action.text(), "the menu is not on the bar (moved behind its » button)"
        elif rect.width() < need:
            yield action.text(), f"{rect.width()} px wide, its title needs {need}"


def text_problems(root: QWidget) -> list[str]:
    """Every shown widget under ``root`` (``root`` too) whose text does not fit the room
    the layout gave it or shows a shortcut's ``&``, named with its text and why."""
    found = []
    for widget in _shown(root):
        problems: list[tuple[str, str]] = []
        if isinstance(widget, QLabel):
            problems.append((widget.text(), _label_problem(widget)))
        elif isinstance(widget, QAbstractButton):
            problems.append((widget.text(), _button_problem(widget)))
        elif isinstance(widget, QComboBox):
            problems.append((widget.currentText(), _combo_problem(widget)))
        elif isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QComboBox):
            problems.append((widget.text() or widget.placeholderText(), _line_edit_problem(widget)))
        elif isinstance(widget, QGroupBox) and widget.title():
            short = widget.width() < widget.minimumSizeHint().width()
            problems.append((widget.title(), "narrower than its title" if short else ""))
        elif isinstance(widget, QTabBar):
            problems.extend(_tab_problems(widget))
        elif isinstance(widget, QMenuBar):
            problems.extend(_menu_bar_problems(widget))
        elif isinstance(widget, QMenu) and widget.width() < widget.sizeHint().width():
            problems.append((widget.title(), f"{widget.width()} px wide, its items need "
                                             f"{widget.sizeHint().width()}"))
        found += [f"{describe(widget, text)}: {why}" for text, why in problems if why]
    return found


def _menu_texts(menu: QMenu) -> Iterator[str]:
    yield menu.title()
    for action in menu.actions():
        yield from (action.text(), action.toolTip(), action.statusTip())
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    for row in range(model.rowCount(QModelIndex())):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = model.index(row, 0).data(role)
            if isinstance(value, str):
                yield value


def shown_texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    """Every text a user can read on ``root``: labels, buttons, tabs, combo items, menus
    (with their tooltips), placeholders, tooltips, the rows of lists."""
    for widget in _shown(root):
        texts: list[str] = [widget.toolTip(), widget.windowTitle() if widget is root else ""]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
            texts += [widget.tabToolTip(i) for i in range(widget.count())]
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                texts += list(_menu_texts(action.menu())) if action.menu() else [action.text()]
        elif isinstance(widget, QMenu):
            texts += list(_menu_texts(widget))
        elif isinstance(widget, QAbstractItemView):
            texts += list(_model_texts(widget))
        for text in texts:
            if text:
                yield widget, _plain(text)


def english_left(root: QWidget, content: Iterable[str]) -> list[str]:
    """Texts on ``root`` with Latin words that are neither the story's own (``content``:
    its title, paragraphs, captions, file names) nor names that stay Latin everywhere."""
    known = NOT_ENGLISH | {word for text in content for word in LATIN_WORD.findall(text)}
    found = []
    for widget, text in shown_texts(root):
        english = [word for word in LATIN_WORD.findall(ADDRESS.sub(" ", text))
                   if word not in known]
        if english:
            found.append(f"{describe(widget, text)}: {', '.join(dict.fromkeys(english))}")
    return sorted(set(found))
