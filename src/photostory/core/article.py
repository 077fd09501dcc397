"""Plain-text articles, in the shape news sites already use.

- the first non-empty line is the title;
- paragraphs are separated by blank lines (a text with no blank lines at all has one
  paragraph per line, as copied from many CMSs);
- a line that is exactly ``photo`` or ``[photo]`` (any case) is a photo slot, and
  consecutive slot lines form one group; ``[photo: NAME]`` binds a particular file;
- a final line ``Photo: X`` / ``Photo:X`` / ``Фото: X`` sets the story's default credit;
- a first paragraph that opens with a capitalised place (``SARAN. Head of State…``)
  gives the dateline.

A whole page copied from a browser or the CMS (site name, byline, date, tags, "Read also")
goes through ``photostory.core.article_paste`` first, which finds the article inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from photostory.core.i18n import _
from photostory.core import article_paste
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.core.textfile import read_user_text
from photostory.errors import ArticleError

_SLOT = re.compile(r"^\s*(?:photo|\[\s*photo\s*(?::\s*(?P<name>[^\]]*?))?\s*\])\s*$", re.IGNORECASE)
_CREDIT = re.compile(r"^\s*(?:photos?|фото)\s*:\s*(?P<credit>\S.*?)\s*$", re.IGNORECASE)
_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_DATELINE = re.compile(rf"^(?P<place>[{_UPPER}][{_UPPER}\-' ]*[{_UPPER}])(?:\.|,| —| -)\s+(?=\S)")


@dataclass
class Slot:
    """A place for one photo; ``name`` binds a particular file, ``caption`` is offered
    for the photo that fills it (from a pasted page's ``alt`` or ``<figcaption>``)."""

    name: str = ""
    caption: str = ""


@dataclass
class SlotGroup:
    slots: list[Slot]


@dataclass
class Article:
    title: str = ""
    dateline: str = ""
    credit: str = ""
    blocks: list[str | SlotGroup] = field(default_factory=list)
    byline: str = ""
    published: str = ""  # ISO 8601 date, or date and time ("2022-10-05T15:44")
    agency: str = ""  # as the page prints it after the dateline; left in the first paragraph
    notices: list[str] = field(default_factory=list)  # what recognising a page left out

    @property
    def slot_count(self) -> int:
        return sum(len(b.slots) for b in self.blocks if isinstance(b, SlotGroup))


def read_article(path: Path) -> Article:
    """Parse an article file (UTF-8, with or without BOM)."""
    text = read_user_text(path, ArticleError,
                          _("Save the article as UTF-8 plain text and import it again."))
    article = article_from_text(text)
    if not article.title:
        raise ArticleError(_("{name}: the article is empty.").format(name=Path(path).name))
    return article


def article_from_text(text: str) -> Article:
    """The article in a text: a clean article, or one inside a page copied as text."""
    return recognise_page(text) if article_paste.looks_like_page(text) else parse_article(text)


def recognise_page(text: str) -> Article:
    """The article inside a page copied from a browser as plain text."""
    return _from_page(article_paste.find_page(text))


def article_from_html(html: str) -> Article:
    """The article inside HTML copied from a browser or the CMS."""
    return _from_page(article_paste.find_html_page(html))


def _from_page(page: article_paste.PastedPage) -> Article:
    article = parse_article(page.text)
    article.byline = page.byline
    article.published = page.published
    article.notices = list(page.notices)
    captions = iter(page.slot_captions)
    for block in article.blocks:
        if isinstance(block, SlotGroup):
            for slot in block.slots:
                slot.caption = next(captions, "")
    first = next((b for b in article.blocks if isinstance(b, str)), "")
    if article.dateline:
        article.agency = article_paste.split_agency(first)
    return article


def parse_article(text: str) -> Article:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    article = Article()
    # Title: the first non-empty line.
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines):
        return article
    article.title = lines[start].strip()
    rest = lines[start + 1:]
    # Trailing credit line.
    if rest and (match := _CREDIT.match(rest[-1])):
        article.credit = match.group("credit")
        rest = rest[:-1]
    one_per_line = not any(not line.strip() for line in _trim(rest))
    paragraph: list[str] = []
    slots: list[Slot] = []

    def flush_paragraph() -> None:
        if paragraph:
            article.blocks.append(" ".join(part.strip() for part in paragraph))
            paragraph.clear()

    def flush_slots() -> None:
        if slots:
            article.blocks.append(SlotGroup(list(slots)))
            slots.clear()

    for line in rest:
        slot = _SLOT.match(line)
        if slot and line.strip():
            flush_paragraph()
            slots.append(Slot((slot.group("name") or "").strip()))
        elif not line.strip():
            flush_paragraph()
            flush_slots()
        else:
            flush_slots()
            paragraph.append(line)
            if one_per_line:
                flush_paragraph()
    flush_paragraph()
    flush_slots()
    _take_dateline(article)
    return article


def _trim(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return lines[start:]


def _take_dateline(article: Article) -> None:
    for index, block in enumerate(article.blocks):
        if isinstance(block, str):
            match = _DATELINE.match(block)
            # A dateline is a short place name, not a sentence that starts with "A".
            if match and 2 <= len(match.group("place")) <= 40:
                article.dateline = match.group("place")
                article.blocks[index] = block[match.end():]
            return


@dataclass
class Placement:
    """The result of filling an article's slots with photos."""

    body: list[Paragraph | PhotoGroup]
    unfilled_slots: int = 0
    unknown_names: list[str] = field(default_factory=list)


def place_article_photos(article: Article, photos: list[Photo]) -> Placement:
    """Build a story body from the article, filling slots with ``photos`` in order.

    Slots that name a file get that file; the others take the next photo not yet used.
    """
    by_name: dict[str, Photo] = {}
    for photo in photos:
        by_name.setdefault(photo.file_name.lower(), photo)
        by_name.setdefault(photo.path.stem.lower(), photo)
    bound: set[str] = set()
    unknown: list[str] = []
    for block in article.blocks:
        if isinstance(block, SlotGroup):
            for slot in block.slots:
                if slot.name:
                    match = by_name.get(slot.name.lower()) or by_name.get(Path(slot.name).name.lower())
                    if match:
                        bound.add(match.id)
                    else:
                        unknown.append(slot.name)
    free = [p for p in photos if p.id not in bound]
    body: list[Paragraph | PhotoGroup] = []
    unfilled = 0
    used: set[str] = set()
    for block in article.blocks:
        if isinstance(block, str):
            body.append(Paragraph(block))
            continue
        ids: list[str] = []
        for slot in block.slots:
            photo = None
            if slot.name:
                photo = by_name.get(slot.name.lower()) or by_name.get(Path(slot.name).name.lower())
            if photo is None or photo.id in used:
                photo = free.pop(0) if free else None
            if photo is None:
                unfilled += 1
                continue
            used.add(photo.id)
            ids.append(photo.id)
        if ids:
            body.append(PhotoGroup(ids))
    return Placement(body, unfilled, unknown)


def article_fields(article: Article) -> dict[str, str]:
    """The story fields an article sets: its title, and the dateline, byline, date and
    credit it has (a field the article lacks keeps the story's own)."""
    found = {"dateline": article.dateline, "byline": article.byline,
             "published": article.published, "default_credit": article.credit}
    return {"title": article.title, **{name: text for name, text in found.items() if text}}


def apply_article(story: Story, article: Article) -> None:
    """Copy the article's fields into a new story (no undo needed)."""
    for name, text in article_fields(article).items():
        setattr(story, name, text)
