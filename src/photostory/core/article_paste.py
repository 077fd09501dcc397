"""Find the article inside a page copied from a browser (plain text) or the CMS (HTML).

A copied page carries the site around the article: its name and breadcrumbs before the
headline, the byline and date after it, tags and "Read also" lists after the credit.
This module finds the parts and hands back the article in the clean-article syntax that
``photostory.core.article`` reads (title, blank-line paragraphs, ``[photo]`` slots, a
last ``Photo: X`` line), plus what that syntax has no room for: byline, date and time,
agency, slot captions and a notice of what was left out. It knows nothing of ``Article``
so that ``article`` can hand pages to it without an import circle.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from babel.dates import get_month_names

from photostory.core.i18n import _, ngettext

# The credit and slot lines, as photostory.core.article reads them.
_CREDIT = re.compile(r"^\s*(?:photos?|фото)\s*:\s*\S.*$", re.IGNORECASE)
_SLOT = re.compile(r"^\s*(?:photo|\[\s*photo\s*(?::[^\]]*)?\])\s*$", re.IGNORECASE)
# "Author: NAME", or the word alone on its line with the name on the next one.
_BYLINE = re.compile(r"^\s*(?:автор|авторы|author|authors)(?:\s*:\s*(?P<name>.*?))?\s*$",
                     re.IGNORECASE)
# Headings that start the site's own lists after an article with no credit line.
_RELATED = re.compile(r"^\s*(?:read also|also read|related|popular|читайте также|популярное|"
                      r"похожие новости|тағы оқыңыз|танымал)\s*:?\s*$", re.IGNORECASE)
_WORD = r"[^\W\d_]+\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_WORD}),?\s+(?P<y>\d{{4}})\b")
_YEAR_DAY_MONTH = re.compile(
    rf"\b(?P<y>\d{{4}})\s*(?:ж\.|жылғы|жыл)?\s+(?P<d>\d{{1,2}})\s+(?P<m>{_WORD})")
_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b")
_TIME = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)\b")
# What may stand beside a date on its line: "5 октября 2022 г., 15:44", "2022 ж. 5 қазан".
_FILLER = re.compile(r"^(?:[\s,.|/·•—–-]|\b(?:г|года|ж|жылғы|жыл|в|at|сағат)\b)*$", re.IGNORECASE)
_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
# "KAZINFORM Head of State…", "КАЗИНФОРМ – Глава государства…": the agency after a dateline.
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}\-]{{2,}}"
_LOWER = "a-zа-яёәғқңөұүһі"
# Then a dash or a capitalised word: "SARAN. NATO leaders met…" names no agency.
_AGENCY = re.compile(rf"^(?P<agency>{_CAPS_WORD}(?: {_CAPS_WORD})?)"
                     rf"(?:\s+[–—-]\s+|\s+(?=[{_UPPER}][{_LOWER}]))")
# A date alone (no byline) marks a page only near its top: further down it is the text's.
_HEAD_LINES = 15


@dataclass
class PastedPage:
    """The article found in a page: ``text`` in clean-article syntax, and the rest."""

    text: str
    byline: str = ""
    published: str = ""  # ISO 8601: "2022-10-05T15:44", or a date alone
    slot_captions: list[str] = field(default_factory=list)  # one per slot, in order
    notices: list[str] = field(default_factory=list)


def looks_like_page(text: str) -> bool:
    """True when the text carries a byline line or a date line, as a copied page does
    (a clean article file has neither)."""
    return _marks(_lines(text)) != (None, None)


def find_page(text: str) -> PastedPage:
    """The article inside a page copied as plain text."""
    return _find(_lines(text), [], headline="")


def find_html_page(html: str) -> PastedPage:
    """The article inside HTML copied from a browser or the CMS: paragraphs from ``<p>``,
    a slot for every ``<img>`` or ``<figure>`` with its ``<figcaption>`` or ``alt``."""
    reader = _HtmlReader()
    reader.feed(html)
    reader.close()
    lines, captions = reader.result()
    return _find(lines, captions, headline=reader.headline)


def split_agency(paragraph: str) -> str:
    """The agency a first paragraph opens with after its dateline ("KAZINFORM"), or ""."""
    match = _AGENCY.match(paragraph)
    return match.group("agency") if match else ""


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _find(lines: list[str], captions: list[str], headline: str) -> PastedPage:
    byline_at, date_at = _marks(lines)
    # The byline first: a site may print today's date above its own name.
    title_at = _headline_index(lines, headline, byline_at if byline_at is not None else date_at)
    if title_at is None:  # nothing recognisable: the text is the article as it stands
        return PastedPage("\n".join(lines), slot_captions=captions)
    title = _squash(lines[title_at])
    page = PastedPage("", slot_captions=captions)
    start = _read_meta(lines, title_at + 1, title, page)
    # Some CMS templates print the byline or the date above the headline.
    if not page.byline and byline_at is not None and byline_at < title_at:
        _read_meta(lines, byline_at, "", page)
    if not page.published and date_at is not None and date_at < title_at:
        page.published = parse_date_time(lines[date_at])
    credit_at = next((i for i in range(len(lines) - 1, start - 1, -1) if _CREDIT.match(lines[i])),
                     None)
    if credit_at is not None:
        end, after_end, after_credit = credit_at, credit_at + 1, True
    else:
        end = next((i for i in range(start, len(lines)) if _RELATED.match(lines[i])), len(lines))
        after_end, after_credit = end, False
    before = _count(lines[:title_at])
    after = _count(lines[after_end:])
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    credit = [lines[credit_at].strip()] if credit_at is not None else []
    page.text = "\n".join([title, "", *body, *credit])
    left = []
    if before:
        left.append(ngettext("{count} line before the headline: site name and navigation",
                             "{count} lines before the headline: site name and navigation",
                             before).format(count=before))
    if after and after_credit:
        left.append(ngettext("{count} line after the credit: tags and related links",
                             "{count} lines after the credit: tags and related links",
                             after).format(count=after))
    elif after:
        left.append(ngettext("{count} line after the article: tags and related links",
                             "{count} lines after the article: tags and related links",
                             after).format(count=after))
    if left:
        page.notices.append(_("Left out {parts}.").format(parts="; ".join(left)))
    # Slots in the left-out parts have no place in the story: neither have their captions.
    page.slot_captions = captions[_count_slots(lines[:start]):][:_count_slots(body)]
    return page


def _marks(lines: list[str]) -> tuple[int | None, int | None]:
    """Where the byline and the first date line near the top are (None when absent)."""
    byline_at = next((i for i, line in enumerate(lines) if _BYLINE.match(line)), None)
    head = [i for i, line in enumerate(lines) if line.strip()][:_HEAD_LINES]
    date_at = next((i for i in head if parse_date_time(lines[i])), None)
    return byline_at, date_at


def _headline_index(lines: list[str], headline: str, meta_at: int | None) -> int | None:
    """The headline: the HTML's ``<h1>``, else the last text line before the byline/date."""
    if headline:
        return next((i for i, line in enumerate(lines) if _squash(line) == headline), None)
    if meta_at is None:
        return None
    # Skipping date lines: a page may print the date between the headline and the byline.
    return next((i for i in range(meta_at - 1, -1, -1) if lines[i].strip()
                 and not _SLOT.match(lines[i]) and not parse_date_time(lines[i])), None)


def _read_meta(lines: list[str], index: int, title: str, page: PastedPage) -> int:
    """Read the byline, date and a repeated headline after the title; return where the
    article's text starts."""
    want_name = False
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if want_name:
            page.byline, want_name = _squash(line), False
        elif (match := _BYLINE.match(line)) and not page.byline:
            page.byline = match.group("name") or ""
            want_name = not page.byline
        elif date := parse_date_time(line):
            page.published = page.published or date
        elif _squash(line).casefold() == title.casefold():
            pass  # the headline printed again under the byline is one title
        else:
            break
        index += 1
    return index


def parse_date_time(line: str) -> str:
    """ISO 8601 when the line is a date (and maybe a time) and nothing else, else "":
    "5 October 2022, 15:44" -> "2022-10-05T15:44"."""
    text = line.strip()
    if not text or len(text) > 60:
        return ""
    for pattern in (_DAY_MONTH_YEAR, _YEAR_DAY_MONTH, _NUMERIC):
        match = pattern.search(text)
        if not match:
            continue
        month = _month(match.group("m"))
        try:
            date = dt.date(int(match.group("y")), month, int(match.group("d")))
        except (TypeError, ValueError):
            continue
        rest = text[:match.start()] + " " + text[match.end():]
        time = _TIME.search(rest)
        if time:
            rest = rest[:time.start()] + " " + rest[time.end():]
        if not _FILLER.match(rest):
            return ""
        iso = date.isoformat()
        return f"{iso}T{int(time.group('h')):02d}:{time.group('min')}" if time else iso
    return ""


def _stamp_text(value: str) -> str:
    """A ``datetime`` attribute written as a date line reads ("05.10.2022 15:44"), or ""."""
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return ""
    # The time as the page's own clock shows it; a date alone has none.
    return f"{stamp:%d.%m.%Y}" if len(value.strip()) <= 10 else f"{stamp:%d.%m.%Y %H:%M}"


def _month(word: str) -> int:
    """A month's number from its digits or its CLDR name in English, Russian or Kazakh."""
    if word.isdigit():
        return int(word)
    return _month_names().get(word.rstrip(".").casefold(), 0)


@cache
def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in ("en", "ru", "kk"):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, context, locale=locale).items():
                    names.setdefault(name.rstrip(".").casefold(), number)
    return names


def _squash(line: str) -> str:
    return " ".join(line.split())


def _count(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


def _count_slots(lines: list[str]) -> int:
    return sum(1 for line in lines if _SLOT.match(line))


class _HtmlReader(HTMLParser):
    """HTML to lines: one per block of text, ``[photo]`` for each image or figure."""

    _BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
               "article", "header", "footer", "nav", "ul", "ol", "table", "tr", "td", "th",
               "dd", "dt", "main", "aside", "address"}
    _SKIP = {"script", "style", "noscript", "template", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headline = ""
        self._in_time = False
        self._lines: list[str] = []
        self._captions: list[str] = []
        self._text: list[str] = []
        self._skip = 0
        self._figure: list[str] | None = None  # alts of the images in the open figure
        self._figcaption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "figure":
            self._flush()
            self._figure = []
        elif tag == "figcaption" and self._figure is not None:
            self._figcaption = []
        elif tag == "img":
            alt = _squash(dict(attrs).get("alt") or "")
            if self._figure is not None:
                self._figure.append(alt)
            else:
                self._flush()
                self._slot(alt)
        elif tag == "br":
            self._text.append(" ")
        elif tag == "time" and (stamp := _stamp_text(dict(attrs).get("datetime") or "")):
            # The machine-readable date, as a date line: "2 hours ago" says nothing.
            self._text.append(f" {stamp} ")
            self._in_time = True
        elif tag in self._BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "time":
            self._in_time = False
        elif tag == "figcaption" and self._figcaption is not None and self._figure is not None:
            self._figure.insert(0, _squash("".join(self._figcaption)))
            self._figcaption = None
        elif tag == "figure" and self._figure is not None:
            # The figcaption (put first) wins over the images' alt text.
            self._slot(next((text for text in self._figure if text), ""))
            self._figure = None
        elif tag in self._BLOCKS:
            if tag == "h1" and not self.headline:
                self.headline = _squash("".join(self._text))
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip or self._in_time:
            return
        if self._figcaption is not None:
            self._figcaption.append(data)
        elif self._figure is None:
            self._text.append(data)

    def result(self) -> tuple[list[str], list[str]]:
        self._flush()
        return self._lines, self._captions

    def _flush(self) -> None:
        text = _squash("".join(self._text))
        self._text.clear()
        if not text:
            return
        if _SLOT.match(text):  # the site's own "photo" placeholder is a slot, as in plain text
            self._slot("")
            return
        if self._lines and self._lines[-1]:
            self._lines.append("")
        self._lines.extend([text, ""])

    def _slot(self, caption: str) -> None:
        self._lines.append("[photo]")
        self._captions.append(caption)
