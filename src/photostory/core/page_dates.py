"""A story's publication date and time as its page shows them, from CLDR through Babel.

The story's ``published`` field holds ISO 8601 (``2022-10-05``, ``2022-10-05T15:44``,
maybe with an offset); the page keeps that value in ``<time datetime>`` and shows the
long date of the story's language, with the short time when the value has one:
"5 October 2022, 15:44", "5 октября 2022 г., 15:44", "2022 ж. 5 қазан, 15:44".

The time is shown as written (the desk's wall clock), never moved to another zone. A
value that is not ISO 8601 is shown as typed. Which CLDR locale a language tag gets:

- the tag's own locale when CLDR has it (``ru``, ``kk-KZ``, ``en-US``), else its
  language's (``ru-XX`` as ``ru``);
- ``en`` without a region is British English, the form the desk's English site prints
  ("5 October 2022, 15:44"); CLDR's bare ``en`` is American ("October 5, 2022, 3:44 PM");
- ``kk-Latn``: CLDR has no Kazakh in Latin script, so Kazakh's own pattern and month
  names are written in the 2021 Latin alphabet ("2022 j. 5 qazan"), the same way the
  story's text is;
- a language CLDR does not know, a script it has no data for, or an empty or malformed
  tag: English, as above. Never an error: the date is decoration, the tag is checked
  where the story is edited.
"""

from __future__ import annotations

import datetime as dt
import re

import langcodes
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format

from photostory.core.kazakh_latin import to_latin

#: The shapes HTML's ``<time datetime>`` takes for a date and a local or global date and
#: time; Python also reads compact and week forms (``20221005``), which a page could not
#: carry, so those are shown as typed.
_HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?")

#: What a story without a usable language, or in English without a region, is dated in.
ENGLISH = Locale("en", territory="GB")


def page_locale(language: str) -> Locale:
    """The CLDR locale the page of a story in BCP 47 ``language`` is dated in."""
    try:
        tag = langcodes.Language.get(language.strip())
    except (langcodes.LanguageTagError, ValueError):
        return ENGLISH
    if tag.language in (None, "und") or (tag.language == "en" and not tag.territory):
        return ENGLISH
    candidates = [tag.to_tag(), tag.language]
    for candidate in candidates:
        try:
            locale = Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
        # Babel answers a script it lacks with the language's usual one (kk-Latn gives
        # Cyrillic data): dates in a script the page does not use are worse than English.
        if tag.script and locale.script and locale.script != tag.script:
            return ENGLISH
        return locale
    return ENGLISH


def _is_kazakh_latin(language: str) -> bool:
    try:
        tag = langcodes.Language.get(language.strip())
    except (langcodes.LanguageTagError, ValueError):
        return False
    return tag.language == "kk" and tag.script == "Latn"


def parse_published(text: str) -> dt.date | dt.datetime | None:
    """``text`` as a date, or a date and time when it has one; None unless it is ISO 8601
    in a shape ``<time datetime>`` takes."""
    text = text.strip()
    if not _HTML_DATETIME.fullmatch(text):
        return None
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def published_display(published: str, language: str) -> str:
    """``published`` (ISO 8601) as readers of BCP 47 ``language`` write it; as typed when
    it is not ISO 8601."""
    value = parse_published(published)
    if value is None:
        return published
    if _is_kazakh_latin(language):
        return to_latin(_format(value, Locale("kk")))
    return _format(value, page_locale(language))


def _format(value: dt.date | dt.datetime, locale: Locale) -> str:
    date = format_date(value, format="long", locale=locale)
    if not isinstance(value, dt.datetime):
        return date
    # Wall-clock time as written: the naive time, so an offset never shifts it.
    time = format_time(value.time(), format="short", locale=locale)
    # CLDR's own rule for joining a long date and a time ("{1}, {0}"), as Babel's
    # format_datetime joins them; its quotes are pattern escapes, not text.
    pattern = get_datetime_format("long", locale=locale).replace("'", "")
    return pattern.replace("{1}", date).replace("{0}", time)
