"""The Russian and Kazakh catalogues hold every message the code has, translated, with the
plural forms CLDR gives each language, and the command line speaks the system's language."""

from __future__ import annotations

import string
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from cli_support import make_photo, photostory
from photostory.core import i18n
from support import PROJECT_ROOT

LOCALE = PROJECT_ROOT / "src" / "photostory" / "locale"
LANGUAGES = ["ru", "kk"]


def _po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "photostory.po"


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language)


@pytest.fixture(scope="module")
def source_msgids() -> set[str | tuple[str, ...]]:
    """Every msgid in the code now, as `make catalogs` extracts them (babel.cfg)."""
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: set[str | tuple[str, ...]] = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            PROJECT_ROOT / "src", method_map, options_map):
        msgid = message if isinstance(message, str) else tuple(message)
        found.add((context, msgid) if context else msgid)
    return found


def _key(message: Message) -> str | tuple[str, ...]:
    msgid = message.id if isinstance(message.id, str) else tuple(message.id)
    return (message.context, msgid) if message.context else msgid


def _problems(catalog: Catalog, wanted: set[str | tuple[str, ...]]) -> list[str]:
    by_key = {_key(m): m for m in catalog if m.id}
    problems = [f"missing: {key!r}" for key in sorted(wanted - by_key.keys(), key=repr)]
    for key, message in sorted(by_key.items(), key=lambda item: repr(item[0])):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        elif not all(strings):
            problems.append(f"untranslated: {key!r}")
        if key not in wanted:
            problems.append(f"no longer in the code: {key!r}")
    problems += [f"obsolete entry kept: {msgid!r}" for msgid in catalog.obsolete]
    return problems


def test_the_template_holds_every_message_of_the_code(source_msgids):
    template = _read(LOCALE / "photostory.pot")
    stale = sorted({repr(_key(m)) for m in template if m.id} ^ {repr(k) for k in source_msgids})
    assert not stale, "run `make catalogs`: the .pot differs from the code in\n" + "\n".join(stale)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language, source_msgids):
    problems = _problems(_read(_po_path(language), language), source_msgids)
    assert not problems, (f"{language}: {len(problems)} problems (`make catalogs`, then "
                          "translate):\n" + "\n".join(problems))


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_cldrs(language):
    catalog = _read(_po_path(language), language)
    cldr = get_plural(language)
    assert (catalog.num_plurals, catalog.plural_expr) == (cldr.num_plurals, cldr.plural_expr)
    wrong = [m.id[0] for m in catalog if m.pluralizable and len(m.string) != cldr.num_plurals]
    assert not wrong, f"{language}: plural entries without {cldr.num_plurals} forms: {wrong}"


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text)
            if name is not None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    """A translation naming a field the code does not pass would raise at run time."""
    wrong = []
    for message in _read(_po_path(language), language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*map(_fields, ids))
        wrong += [f"{ids[0]!r} -> {text!r}" for text in strings
                  if text and not _fields(text) <= expected]
    assert not wrong, f"{language}: placeholders the code does not fill:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_percent_formats_match(language):
    """argparse's own messages use %-formats; Babel checks that translations keep them."""
    catalog = _read(_po_path(language), language)
    wrong = [f"{message.id!r}: {errors}" for message, errors in catalog.check()]
    assert not wrong, "\n".join(wrong)


def test_a_placeholder_the_code_does_not_fill_is_caught():
    assert _fields("{count} фотографий из {where}") - _fields("{count} photos") == {"where"}


@pytest.fixture(scope="module")
def compiled() -> None:
    """The .mo files `make` builds, compiled the same way when pytest runs alone."""
    for language in LANGUAGES:
        po = _po_path(language)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with mo.open("wb") as f:
                write_mo(f, _read(po, language))


def _locale(name: str) -> dict[str, str]:
    return {"LANG": name, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.mark.parametrize(("locale_name", "expected"), [
    ("ru_RU.UTF-8", "nowhere.photostory: файл не найден."),
    ("kk_KZ.UTF-8", "nowhere.photostory: файл табылмады."),
    ("C.UTF-8", "nowhere.photostory: file not found."),
])
def test_the_command_line_speaks_the_system_language(tmp_path, compiled, locale_name, expected):
    result = photostory("check", tmp_path / "nowhere.photostory", env=_locale(locale_name))
    assert result.returncode == 1
    assert len(result.error_lines) == 1 and expected in result.error_lines[0], result.stderr


@pytest.mark.parametrize(("locale_name", "count", "expected"), [
    ("ru_RU.UTF-8", 1, "1 фотография"),
    ("ru_RU.UTF-8", 3, "3 фотографии"),
    ("ru_RU.UTF-8", 5, "5 фотографий"),
    ("ru_RU.UTF-8", 11, "11 фотографий"),
    ("ru_RU.UTF-8", 21, "21 фотография"),
    ("kk_KZ.UTF-8", 5, "5 фотосурет"),
    ("kk_KZ.UTF-8", 1, "1 фотосурет"),
    ("C.UTF-8", 1, "1 photo."),
    ("C.UTF-8", 5, "5 photos."),
])
def test_counts_take_the_languages_plural_forms(tmp_path, compiled, locale_name, count, expected):
    photos = tmp_path / "photos"
    for i in range(count):
        make_photo(photos / f"p{i:02}.jpg", (64, 48))
    result = photostory("new", tmp_path / "s.photostory", "--photos", photos, "--title", "T",
                        env=_locale(locale_name))
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout, result.stdout


def test_argparses_own_words_are_translated(compiled):
    result = photostory("new", env=_locale("ru_RU.UTF-8"))
    assert result.returncode == 2
    assert "использование: photostory new" in result.stderr
    assert "не хватает обязательных аргументов: story" in result.stderr
    assert "позиционные аргументы" in photostory("--help", env=_locale("ru_RU.UTF-8")).stdout


@pytest.mark.parametrize(("locale_name", "version_help"), [
    ("ru_RU.UTF-8", "показать версию программы и выйти"),
    ("kk_KZ.UTF-8", "бағдарлама нұсқасын көрсетіп, шығу"),
])
def test_every_line_of_the_help_is_translated(compiled, locale_name, version_help):
    # Python 3.11's argparse writes --version's help without gettext: the command says it.
    shown = photostory("--help", env=_locale(locale_name)).stdout
    assert "show program" not in shown and "show this help" not in shown, shown
    assert version_help in shown, shown


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "kk_KZ.UTF-8"}, "kk"),
    ({"LC_ALL": "kk_KZ", "LANG": "ru_RU.UTF-8"}, "kk"),
    ({"LANGUAGE": "de:ru", "LANG": "en_US.UTF-8"}, "ru"),
    ({"LC_ALL": "de_DE.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_language_follows_the_locale_variables(environ, language):
    assert i18n.system_language(environ) == language


def test_an_explicit_choice_wins_over_the_locale():
    try:
        assert i18n.use_language("kk", {"LANG": "ru_RU.UTF-8"}) == "kk"
        assert i18n.use_language(None, {"LANG": "ru_RU.UTF-8"}) == "ru"
        assert i18n.use_language("xx", {"LANG": "ru_RU.UTF-8"}) == "ru"
    finally:
        i18n.use_language("en")


def test_the_catalogues_are_built_not_committed():
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, check=True).stdout
    assert tracked == ""
