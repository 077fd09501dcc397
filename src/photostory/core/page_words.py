"""The words a published story prints or reads out, in each language Photostory knows.

One table per language: the credit prefix ("Photo: akorda.kz"), the gallery heading and
the lightbox's labels. A language not listed gets English words; the page keeps its own
``lang``.
"""

from __future__ import annotations

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
    """The words for a BCP 47 ``language`` (by its primary tag), English when unknown."""
    return _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])


def credit_prefix(language: str) -> str:
    """The prefix printed before a credit: "Photo:", "Фото:"."""
    return page_words(language)["credit_prefix"]
