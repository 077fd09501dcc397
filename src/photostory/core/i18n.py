"""The language of the editor's and the command line's messages: gettext catalogues.

One domain, ``photostory``, for core, cli and ui alike, so a ``PhotostoryError`` reads the
same in the terminal and in a dialog. English is the source language (the msgids); the
catalogues live in ``photostory/locale/<lang>/LC_MESSAGES/photostory.po`` and ``make``
compiles them to ``.mo``. Plural forms come from the catalogue's CLDR-derived
``Plural-Forms`` header, so every count that meets a noun goes through :func:`ngettext`.

Nothing is translated until :func:`use_language` runs (the ``photostory`` command and the
editor call it at start-up): a library caller and the tests read English.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "photostory"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
# The languages with a catalogue, and English, which needs none.
LANGUAGES = (SOURCE_LANGUAGE, "ru", "kk")
# Consulted in this order, as GNU gettext does; LANGUAGE may list several, colon-separated.
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def _language_of(locale_name: str) -> str:
    """``ru_RU.UTF-8`` → ``ru``; ``kk-KZ`` → ``kk``; ``C``/``POSIX`` → ``c``/``posix``."""
    return locale_name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, if Photostory has it, else English.

    The first locale variable that is set decides; within ``LANGUAGE`` the first listed
    language Photostory has wins. ``C`` and ``POSIX`` mean the source language.
    """
    env = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = env.get(name, "")
        if not value:
            continue
        for entry in value.split(":") if name == "LANGUAGE" else [value]:
            code = _language_of(entry)
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":  # LC_ALL=de_DE means German, which falls back to English
            return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def use_language(override: str | None = None,
                 environ: Mapping[str, str] | None = None) -> str:
    """Translate every later message into ``override`` (a Preferences choice) when it
    names a language Photostory has, else into the system locale's; returns the language
    chosen. A catalogue that is not compiled yet leaves the messages in English."""
    global _translations, _language
    choice = _language_of(override) if override else ""
    language = choice if choice in LANGUAGES else system_language(environ)
    _translations = gettext.translation(DOMAIN, str(LOCALE_DIR), [language], fallback=True)
    _language = language
    return language


def current_language() -> str:
    """The language :func:`use_language` chose (``en`` before it runs)."""
    return _language


def _(message: str) -> str:
    """``message`` in the user's language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted sentence the user's language uses for ``count``; both
    forms carry ``{count}`` (``ngettext("{count} photo", "{count} photos", n)``)."""
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the user's language, where ``context`` tells apart two uses of one
    English word that other languages say differently."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name, which extractors know
    """Mark ``message`` for the catalogue without translating it now: for tables built at
    import, before the language is chosen; translate each entry with :func:`_` where it
    is shown."""
    return message


def sentence_start(text: str) -> str:
    """``text`` with a capital first letter and the rest as it is, for a line it starts
    (a message written to follow a colon, shown on its own; a language's own name, which
    Russian or French write in lower case mid-sentence)."""
    return text[:1].upper() + text[1:]
