"""A story's languages: BCP 47 tags checked and normalised, guessed from text, named.

Tags go through ``langcodes`` (the IANA subtag registry), so ``kk-latn`` is stored as
``kk-Latn`` and a tag no site could publish under is refused before anything is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import langcodes

from photostory.core.i18n import _, sentence_start
from photostory.errors import LanguageError

#: Letters Kazakh writes and Russian does not; one of them in a word marks it Kazakh.
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

#: Of the Cyrillic words in a text, the share that must hold a Kazakh letter for the text
#: to count as Kazakh. In Kazakh prose about six words in ten hold one (і alone is in
#: many of them); a Russian article quoting names such as «Ақорда» stays far below.
KAZAKH_WORD_SHARE = 0.2

# Switcher names a Kazakh newsroom's site prints, where CLDR's autonym would read
# differently ("қазақ тілі") or has no entry (Kazakh in Latin script).
_OWN_NAMES = {
    "kk": "Қазақша",
    "kk-Latn": "Qazaqşa",
    "ru": "Русский",
    "en": "English",
}

_WORD = re.compile(r"[^\W\d_]+")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u052f"


def language_tag(text: str) -> str:
    """``text`` as a normalised BCP 47 tag (``kk-latn`` -> ``kk-Latn``, ``EN`` -> ``en``,
    ``en_US`` -> ``en-US``, ``kk-Cyrl`` -> ``kk``: the script Kazakh is written in by
    default is left out); LanguageError unless it is a registered language."""
    try:
        tag = langcodes.standardize_tag(text.strip())
    except (langcodes.LanguageTagError, ValueError):
        tag = ""
    # "und" (undetermined) is well formed, but no version of a story is in no language.
    if (not tag or not langcodes.tag_is_valid(tag)
            or langcodes.Language.get(tag).language in (None, "und")):
        raise LanguageError(_('"{text}" is not a language tag').format(text=text),
                            _("(use a BCP 47 tag such as kk, ru, en or kk-Latn)."))
    return tag


def detect_language(text: str) -> str:
    """``kk``, ``ru`` or ``en`` for an article's text, decided on its words.

    Letters are counted first: when Cyrillic letters are not the majority of all letters
    the text is ``en`` (empty text too). Otherwise each word holding a Cyrillic letter is
    looked at, and the text is ``kk`` when at least one in five of those words holds a
    Kazakh letter (ә ғ қ ң ө ұ ү һ і), else ``ru``; one Kazakh name in a Russian article
    does not make it Kazakh. A Latin ``i`` inside a Cyrillic word counts as Kazakh ``і``,
    as keyboards without Kazakh letters make people type it.
    """
    cyrillic_letters = other_letters = 0
    cyrillic_words = kazakh_words = 0
    for word in _WORD.findall(text):
        cyrillic = sum(1 for char in word if _is_cyrillic(char))
        cyrillic_letters += cyrillic
        other_letters += len(word) - cyrillic
        if cyrillic:
            cyrillic_words += 1
            kazakh_words += any(char in KAZAKH_LETTERS or char in "iI" for char in word)
    if cyrillic_letters <= other_letters:
        return "en"
    return "kk" if kazakh_words >= KAZAKH_WORD_SHARE * cyrillic_words else "ru"


def language_name(tag: str) -> str:
    """The language's name in itself, as a language switcher shows it: Қазақша, Qazaqşa,
    Русский, English (whatever region the tag names), else CLDR's autonym (with script or
    region when the tag has one: "中文（繁體）") with its first letter capitalised, as a
    menu entry starts, though French or Russian write the name in lower case
    mid-sentence. A language CLDR has no name for is shown by its tag."""
    tag = language_tag(tag)
    language = langcodes.Language.get(tag)
    # By language and script: kk-KZ is still Қазақша (CLDR would call kk-Latn-KZ "Kazakh
    # (Latin, Kazakhstan)", in English).
    own = _OWN_NAMES.get("-".join(filter(None, (language.language, language.script))))
    if own:
        return own
    if not language.has_name_data():
        return tag
    return sentence_start(language.autonym())


def same_language(file_tag: str, version: str) -> bool:
    """Whether a text a file tags ``file_tag`` (XMP ``xml:lang``) belongs to the story's
    version ``version``: the same language in the same script, whatever region either
    names (``ru-RU`` is the ``ru`` version's, ``kk-Latn`` never ``kk``'s). A tag that is
    no language (``x-default``, a typo) belongs to none."""
    try:
        a, b = (langcodes.Language.get(language_tag(t)) for t in (file_tag, version))
    except LanguageError:
        return False
    return (a.language, a.script) == (b.language, b.script)


def text_for_language(texts: Mapping[str, tuple[str, str]], version: str) -> tuple[str, str]:
    """Of a file's (caption, alt text) pairs by ``xml:lang`` tag, the one for the story's
    version ``version`` (:func:`same_language`); ("", "") when there is none."""
    return next((pair for tag, pair in sorted(texts.items()) if same_language(tag, version)),
                ("", ""))
