"""Every sentence a user reads goes through the catalogue: a plain string or f-string with
words in it, handed straight to a Qt text call in ``ui/``, to the command line's
``say``/``warn``, or to an error the user reads, is a message nobody can translate."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from photostory import errors
from support import PROJECT_ROOT

SRC = PROJECT_ROOT / "src" / "photostory"
TRANSLATING = {"_", "ngettext", "pgettext", "N_"}
LETTER = re.compile(r"[^\W\d_]")
# Shortcuts are not words for a translator ("Ctrl+Shift+I"); a date pattern is ("ГГГГ-ММ-ДД").
NOT_WORDS = re.compile(r"((Ctrl|Shift|Alt|Meta)\+)+\S+")
# Not words either: HTML tags, %-codes and {placeholders}, the product's name, and the
# "error:"/"warning:" prefixes scripts look for (docs/architecture.md: never translated).
NOT_TEXT = re.compile(r"<[^>]*>|%[a-zA-Z]|\{[^}]*\}|\bPhotostory\b|^(error|warning): ")

# The calls whose arguments a user reads, and which arguments those are (positions; None:
# every positional one). Qt's text setters and constructors, and the editor's own helpers
# that put text on screen (the status bar, the dialogs, the menus' actions).
UI_TEXT_CALLS: dict[str, tuple[int, ...] | None] = {
    "setText": (0,), "setToolTip": (0,), "setPlaceholderText": (0,), "setWindowTitle": (0,),
    "setStatusTip": (0,), "setWhatsThis": (0,), "setTitle": (0,), "setInformativeText": (0,),
    "setDetailedText": (0,), "setLabelText": (0,), "setSuffix": (0,), "setPrefix": (0,),
    "setSpecialValueText": (0,), "setTabText": (1,), "setTabToolTip": (1,), "setItemText": (1,),
    "addTab": (1,), "insertTab": (2,), "addAction": None, "addMenu": None, "addItem": (0,),
    "insertItem": (1,), "addItems": None, "addRow": (0,), "insertRow": (1,), "addButton": (0,),
    "addSection": None, "showMessage": (0,), "setFormat": (0,),
    "QLabel": (0,), "QPushButton": (0,), "QCheckBox": (0,), "QRadioButton": (0,),
    "QGroupBox": (0,), "QAction": None, "QMenu": (0,), "QMessageBox": (1, 2),
    "QCommandLinkButton": (0, 1), "QProgressDialog": (0, 1), "QWizardPage": (0,),
    "question": (1, 2), "information": (1, 2), "warning": (1, 2), "critical": (1, 2),
    "about": (1, 2), "getText": (1, 2), "getItem": (1, 2), "getInt": (1, 2),
    "getOpenFileName": (1, 3), "getOpenFileNames": (1, 3), "getSaveFileName": (1, 3),
    "getExistingDirectory": (1,),
    # ui/: the status bar, the dialogs module, the window's action helper, problem labels
    "say": (0,), "set_summary": (0,), "set_preflight": (0,), "show_problem": (0,),
    "error": (1, 2), "report": (1, 3), "confirm": (1, 2, 3), "open_file": (1, 3),
    "open_files": (1, 3), "save_file": (1, 3), "choose_folder": (1,), "_action": (0, 3),
    "run": (0,),  # a background task's label, shown beside its progress
}
UI_TEXT_KEYWORDS = {"text", "title", "tip", "hint", "label", "caption", "message", "action"}
# The command line prints through say() and warn() (cli/terminal.py).
CLI_TEXT_CALLS: dict[str, tuple[int, ...] | None] = {"say": (0,), "warn": (0,)}
# Errors whose text a user reads: PhotostoryError and every subclass.
USER_ERRORS = {cls.__name__ for cls in vars(errors).values()
               if isinstance(cls, type) and issubclass(cls, errors.PhotostoryError)}
ERROR_CALLS: dict[str, tuple[int, ...] | None] = {name: (0, 1) for name in USER_ERRORS}


def has_words(node: ast.AST) -> bool:
    """Does ``node`` put literal words on screen that did not pass through the catalogue?
    A call to ``_``/``ngettext``/… is translated; ``"…".format()`` and ``"a" + x`` are not."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, str):
                return False
            text = node.value
        else:  # an f-string: its literal parts, a placeholder for each value
            text = "".join(part.value if isinstance(part, ast.Constant) else "{}"
                           for part in node.values)
        text = NOT_TEXT.sub("", text).strip()
        return bool(LETTER.search(text)) and not NOT_WORDS.fullmatch(text)
    if isinstance(node, ast.BinOp):
        return has_words(node.left) or has_words(node.right)
    if isinstance(node, ast.IfExp):
        return has_words(node.body) or has_words(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in TRANSLATING:
            return False
        if isinstance(func, ast.Attribute):  # "Photo {n}".format(n=n): the receiver is read
            return has_words(func.value)
    return False


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def untranslated(source: str, calls: dict[str, tuple[int, ...] | None],
                 keywords: set[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """(line, code) of every call in ``calls`` given literal words where a text goes."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _name(node.func) not in calls:
            continue
        positions = calls[_name(node.func)]
        args = [arg for index, arg in enumerate(node.args)
                if positions is None or index in positions]
        args += [kw.value for kw in node.keywords if kw.arg in keywords]
        if any(has_words(arg) for arg in args):
            yield node.lineno, ast.unparse(node)[:120]


def raised_words(source: str) -> Iterator[tuple[int, str]]:
    """(line, code) of ``raise self._helper(…, "words")``: a helper that builds the error
    glues its literal arguments into the message the user reads."""
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Attribute)
                and any(has_words(arg) for arg in node.exc.args)):
            yield node.lineno, ast.unparse(node.exc)[:120]


def _modules(folder: str) -> list[Path]:
    return sorted((SRC / folder).rglob("*.py"))


def _findings(paths: list[Path], calls: dict[str, tuple[int, ...] | None],
              keywords: set[str] = frozenset()) -> list[str]:
    return [f"{path.relative_to(SRC)}:{line}: {code}"
            for path in paths
            for line, code in untranslated(path.read_text(encoding="utf-8"), calls, keywords)]


def test_every_text_the_editor_shows_is_translatable() -> None:
    found = _findings(_modules("ui"), UI_TEXT_CALLS, UI_TEXT_KEYWORDS)
    assert not found, "wrap these in _() and translate them:\n" + "\n".join(found)


def test_every_line_the_command_prints_is_translatable() -> None:
    found = _findings(_modules("cli"), {**CLI_TEXT_CALLS, **ERROR_CALLS}, {"hint"})
    assert not found, "wrap these in _() and translate them:\n" + "\n".join(found)


def test_every_error_a_user_reads_is_translatable() -> None:
    paths = [*_modules("core"), SRC / "errors.py", SRC / "resources.py"]
    found = _findings(paths, ERROR_CALLS, {"message", "hint"})
    found += [f"{path.relative_to(SRC)}:{line}: {code}" for path in paths
              for line, code in raised_words(path.read_text(encoding="utf-8"))]
    assert not found, "wrap these in _() and translate them:\n" + "\n".join(found)


@pytest.mark.parametrize(("code", "calls"), [
    ('label.setText("Photos")', UI_TEXT_CALLS),
    ('self.status.say(f"{n} photos imported")', UI_TEXT_CALLS),
    ('box = QMessageBox(icon, APP, "Something failed", parent=self)', UI_TEXT_CALLS),
    ('menu.addAction(icon, "Open")', UI_TEXT_CALLS),
    ('form.addRow("Title", self.title)', UI_TEXT_CALLS),
    ('self.date.setPlaceholderText("YYYY-MM-DD")', UI_TEXT_CALLS),
    ('self.say("first" if step > 0 else "last")', UI_TEXT_CALLS),
    ('QAction(_("Save") + " all", self)', UI_TEXT_CALLS),
    ('say("{n} photos".format(n=n))', CLI_TEXT_CALLS),
    ('say(f"error: {path} not found", sys.stderr)', CLI_TEXT_CALLS),
    ('QLabel(f"<b>{count}</b> photos")', UI_TEXT_CALLS),
    ('raise ExportError("The folder is full.", hint=_("Empty it."))', ERROR_CALLS),
    ('raise StoryFileError(_("Bad file."), "Open another.")', ERROR_CALLS),
])
def test_an_unwrapped_message_is_found(code: str, calls: dict[str, tuple[int, ...] | None]) -> None:
    assert [line for line, _code in untranslated(code, calls, UI_TEXT_KEYWORDS)] == [1]


@pytest.mark.parametrize("code", [
    'label.setText(_("Photos"))',
    'self.status.say(ngettext("{count} photo", "{count} photos", n).format(count=n))',
    'label.setText("")',
    'spin.setSuffix(" %")',
    'act = self._action(_("&Import"), slot, "Ctrl+Shift+I", _("Add photos"))',
    'label.setText(story.title)',
    'combo.addItem(name, "en")',
    'say(f"error: {exc}", sys.stderr)',
    'QLabel(f\'<a href="{url}">{url}</a>\')',
    'bar.setFormat("%v/%m")',
    'dialogs.report(self, f"Photostory {__version__}", [], _("Caption stories."))',
    'raise ExportError(_("The folder {name} is full.").format(name=name))',
])
def test_a_translated_or_wordless_text_passes(code: str) -> None:
    calls = {**UI_TEXT_CALLS, **ERROR_CALLS}
    assert list(untranslated(code, calls, UI_TEXT_KEYWORDS)) == []


def test_words_glued_into_an_error_by_a_helper_are_found() -> None:
    assert [line for line, _code in raised_words(
        'raise self._lost("reading", path, exc) from None')] == [1]
    assert list(raised_words('raise self._lost(_("{name}: lost while reading."), exc)')) == []
