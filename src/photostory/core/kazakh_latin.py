"""Kazakh in Cyrillic rewritten in the official Latin alphabet of 2021.

The alphabet presented by the government in January 2021 has 31 letters:
A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z. Letter by letter:

    а a    ә ä    б b    в v    г g    ғ ğ    д d    е e    ж j    з z
    и i    й i    к k    қ q    л l    м m    н n    ң ñ    о o    ө ö
    п p    р r    с s    т t    у u    ұ ū    ү ü    ф f    х h    һ h
    ш ş    ы y    і ı

Note the two i's: ``і`` is dotless ``ı`` (capital ``I``), ``и`` and ``й`` are dotted
``i`` (capital ``İ``), so capitals are never made with Python's ``str.upper``, which
would turn ``i`` into ``I``.

The letters Russian brings in loanwords have no letter of their own; they are written
as they sound: ё io, ц ts, ч ch, щ ş, э e, ю iu, я ia, and the hard and soft signs ъ ь
are left out (съезд sezd, фельдшер feldşer).

A letter that becomes two keeps the case of its word: all capitals in a word of capitals
(ЦСКА TSSKA, ЯНДЕКС İANDEKS), a capital and a small letter otherwise (Чемпионат
Chempionat, Ясауи İasaui). АҚШ becomes AQŞ and Шымкент Şymkent letter by letter.

Only Cyrillic letters change: Latin words, digits, URLs and punctuation pass through as
they are, so text already in Latin is returned unchanged. A Latin ``i``/``I`` typed inside
an otherwise Cyrillic word (a keyboard without Kazakh letters) is read as the Kazakh ``і``.
Cyrillic letters Kazakh does not use (Ukrainian ї, Serbian ђ) are left as they are.
"""

from __future__ import annotations

import re

_LOWER = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
    "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ch", "ш": "ş", "щ": "ş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}
_UPPER = {cyrillic.upper(): latin for cyrillic, latin in _LOWER.items()}

# The capitals of the Latin letters whose case Turkish-style dotted/dotless i decides.
_LATIN_CAPITAL = {"i": "İ", "ı": "I"}

# й and ё typed as и/е plus a combining breve/diaeresis (some keyboards and PDFs).
_DECOMPOSED = {"и\u0306": "й", "И\u0306": "Й", "е\u0308": "ё", "Е\u0308": "Ё"}
_DECOMPOSED_RE = re.compile("|".join(_DECOMPOSED))

_WORD = re.compile(r"[^\W\d_]+")


def _capital(latin: str) -> str:
    return "".join(_LATIN_CAPITAL.get(char, char.upper()) for char in latin)


def _in_capitals(word: str, index: int) -> bool:
    """Whether the capital at ``index`` stands in a word of capitals: the next letter is
    a capital too, or, at the word's end, the one before it is."""
    neighbour = word[index + 1] if index + 1 < len(word) else (word[index - 1] if index else "")
    return neighbour.isupper()


def _word_to_latin(word: str) -> str:
    if not any(char in _LOWER or char in _UPPER for char in word):
        return word
    if all(char in _LOWER or char in _UPPER or char in "iI" for char in word):
        word = word.replace("i", "і").replace("I", "І")
    out = []
    for index, char in enumerate(word):
        if char in _LOWER:
            out.append(_LOWER[char])
        elif char in _UPPER:
            latin = _UPPER[char]
            if len(latin) > 1 and not _in_capitals(word, index):
                out.append(_capital(latin[0]) + latin[1:])
            else:
                out.append(_capital(latin))
        else:
            out.append(char)
    return "".join(out)


def to_latin(text: str) -> str:
    """``text`` with its Kazakh Cyrillic written in the 2021 Latin alphabet (see the
    module's table); everything that is not a Cyrillic letter is kept as it is."""
    text = _DECOMPOSED_RE.sub(lambda match: _DECOMPOSED[match.group()], text)
    return _WORD.sub(lambda match: _word_to_latin(match.group()), text)
