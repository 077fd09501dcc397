"""The words a published story prints or reads out, in each language Photostory knows.

One table per language: the credit prefix ("Photo: akorda.kz"), the gallery heading and
the lightbox's labels, and the count of photos in each of the language's plural forms
(CLDR's rules through Babel: "1 photo", "3 photos"). Kazakh in Latin script (``kk-Latn``) gets the Kazakh words in the
2021 Latin alphabet, as its text is derived. A language not listed gets English words;
the page keeps its own ``lang``.
"""

from __future__ import annotations

import langcodes
from babel import Locale
from babel.numbers import format_decimal

from photostory.core.kazakh_latin import to_latin

#: ``{n}`` and ``{total}`` are filled in by the page's script.
_WORDS: dict[str, dict[str, str]] = {
    "en": {"credit_prefix": "Photo:", "gallery": "Gallery",
           "open": "Open photo {n}", "viewer": "Photo viewer", "close": "Close",
           "previous": "Previous photo", "next": "Next photo", "counter": "{n} of {total}",
           "languages": "Language"},
    "ru": {"credit_prefix": "Фото:", "gallery": "Фотогалерея",
           "open": "Открыть фото {n}", "viewer": "Просмотр фотографий", "close": "Закрыть",
           "previous": "Предыдущее фото", "next": "Следующее фото", "counter": "{n} из {total}",
           "languages": "Язык"},
    "kk": {"credit_prefix": "Фото:", "gallery": "Фотогалерея",
           "open": "{n}-фотоны ашу", "viewer": "Фотосуреттерді қарау", "close": "Жабу",
           "previous": "Алдыңғы фото", "next": "Келесі фото",
           "counter": "{n}-фото, барлығы {total}", "languages": "Тіл"},
}


#: "{n} photos" by CLDR plural category of n; a language whose word does not change with
#: the number (Russian and Kazakh print the indeclinable "фото") has "other" only.
_PHOTO_COUNT: dict[str, dict[str, str]] = {
    "en": {"one": "{n} photo", "other": "{n} photos"},
    "ru": {"other": "{n} фото"},
    "kk": {"other": "{n} фото"},
}


def _words_language(language: str) -> tuple[str, bool]:
    """The table a BCP 47 ``language`` reads from (by its primary tag, English when there
    is none), and whether its words are written in Latin letters (Latin-script Kazakh)."""
    try:
        tag = langcodes.Language.get(language.strip())
    except (langcodes.LanguageTagError, ValueError):
        return "en", False
    if tag.language not in _WORDS:
        return "en", False
    return tag.language, tag.language == "kk" and tag.script == "Latn"


def page_words(language: str) -> dict[str, str]:
    """The words for a BCP 47 ``language`` (by its primary tag; Latin-script Kazakh in
    Latin letters), English when unknown."""
    key, latin = _words_language(language)
    if latin:
        return {name: to_latin(text) for name, text in _WORDS[key].items()}
    return _WORDS[key]


def photo_count(count: int, language: str) -> str:
    """``count`` photos as the page's words say it: "1 photo", "3 photos", "5 фото"; the
    number and its plural form by CLDR's rules for the words' language."""
    key, latin = _words_language(language)
    locale = Locale.parse(key)
    forms = _PHOTO_COUNT[key]
    text = forms.get(locale.plural_form(count), forms["other"])
    text = text.format(n=format_decimal(count, locale=locale))
    return to_latin(text) if latin else text


def credit_prefix(language: str) -> str:
    """The prefix printed before a credit: "Photo:", "Фото:"."""
    return page_words(language)["credit_prefix"]
