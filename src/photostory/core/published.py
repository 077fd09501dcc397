"""The story's date as a person types it: ``YYYY-MM-DD``, or with the time
``YYYY-MM-DDTHH:MM``, checked and written as the story keeps it (ISO 8601).

A value read from a copied page or a CMS (seconds, an offset) is kept as it came.
"""

from __future__ import annotations

import datetime as dt
import re

from photostory.core.i18n import N_, _

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)")
#: The shape typed so far must fit: a digit for each 0, else the character itself.
_SHAPE = "0000-00-00T00:00"
HOW = N_("write the date as YYYY-MM-DD, or with the time as YYYY-MM-DDTHH:MM (2022-10-05T15:44)")


def normalise_published(text: str) -> str:
    """``text`` as the story's date ("" stays ""; a space before the time becomes ``T``);
    ValueError with a sentence a person reads when it is no date."""
    text = text.strip()
    if not text:
        return ""
    if _DATE.fullmatch(text):
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("{text} is not a date in the calendar: {how}.")
                             .format(text=text, how=_(HOW))) from None
        return text
    match = _DATE_TIME.fullmatch(text)
    if match:
        value = f"{match.group(1)}T{match.group(2)}"
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(_("{text} is not a date and time in the calendar: {how}.")
                             .format(text=text, how=_(HOW))) from None
        return value
    raise ValueError(_("{text} is not a date: {how}.").format(text=text, how=_(HOW)))


def could_become_published(text: str) -> bool:
    """Whether ``text`` is the start of a date still being typed ("2022-1"), so saying it
    is wrong would be premature."""
    text = text.strip()
    if len(text) > len(_SHAPE):
        return False
    for char, want in zip(text, _SHAPE):
        if want == "0" and not char.isdigit():
            return False
        if want == "T" and char not in "T ":
            return False
        if want in "-:" and char != want:
            return False
    if len(text) >= 10:  # the date is all there: it must be one
        try:
            dt.date.fromisoformat(text[:10])
        except ValueError:
            return False
    return True
