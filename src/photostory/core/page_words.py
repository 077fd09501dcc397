"""The words a published story prints or reads out, in each language Photostory knows.

One table per language: the credit prefix ("Photo: akorda.kz"), the gallery heading and
the lightbox's labels. Kazakh in Latin script (``kk-Latn``) gets the Kazakh words in the
2021 Latin alphabet, as its text is derived. A language not listed gets English words;
the page keeps its own ``lang``.
"""

from __future__ import annotations

import langcodes

from photostory.core.kazakh_latin import to_latin

#: ``{n}`` and ``{total}`` are filled in by the page's script.
_WORDS: dict[str, dict[str, str]] = {
    "en": {"credit_prefix": "Photo:", "gallery": "Gallery", "photos": "photos",
           "open": "Open photo {n}", "viewer": "Photo viewer", "close": "Close",
           "previous": "Previous photo", "next": "Next photo", "counter": "{n} of {total}"},
    "ru": {"credit_prefix": "Фото:", "gallery": "Фотогалерея", "photos": "фото",
           "open": "Открыть фото {n}", "viewer": "Просмотр фотографий", "close": "Закрыть",
           "previous": "Предыдущее фото", "next": "Следующее фото", "counter": "{n} из {total}"},
    "kk": {"credit_prefix": "Фото:", "gallery": "Фотогалерея", "photos": "фото",
           "open": "{n}-фотоны ашу", "viewer": "Фотосуреттерді қарау", "close": "Жабу",
           "previous": "Алдыңғы фото", "next": "Келесі фото",
           "counter": "{n}-фото, барлығы {total}"},
}


def page_words(language: str) -> dict[str, str]:
    """The words for a BCP 47 ``language`` (by its primary tag; Latin-script Kazakh in
    Latin letters), English when unknown."""
    try:
        tag = langcodes.Language.get(language.strip())
    except (langcodes.LanguageTagError, ValueError):
        return _WORDS["en"]
    words = _WORDS.get(tag.language or "", _WORDS["en"])
    if tag.language == "kk" and tag.script == "Latn":
        return {key: to_latin(text) for key, text in words.items()}
    return words


def credit_prefix(language: str) -> str:
    """The prefix printed before a credit: "Photo:", "Фото:"."""
    return page_words(language)["credit_prefix"]
