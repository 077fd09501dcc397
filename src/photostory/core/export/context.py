"""Story -> the data the templates and story.json show (no HTML here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from photostory.core.slug import slugify
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story

#: ``sizes`` per layout, matching the CSS: a 45rem (720 px) column, groups of 2-3 in a
#: row from 600 px, 4+ and the gallery as two columns (three for the gallery on wide screens).
SIZES = {
    "single": "(max-width: 720px) 100vw, 720px",
    "row": "(max-width: 600px) 100vw, 360px",
    "grid": "(max-width: 720px) 50vw, 360px",
    "gallery": "(max-width: 600px) 50vw, 240px",
}


@dataclass(frozen=True)
class RenditionRef:
    url: str  # relative to the export folder
    width: int
    height: int
    type: str = "image/jpeg"


def group_layout(count: int) -> str:
    return "single" if count == 1 else "row" if count <= 3 else "grid"


def story_key(story: Story) -> str:
    """A short, stable prefix for ids, so two embedded stories never share an id."""
    return "ps-" + slugify(story.title, fallback="story", max_length=24)


def format_date(iso: str, language: str) -> str:
    """``2026-10-05`` as readers of the story's language write it."""
    try:
        date = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    primary = language.split("-")[0].lower()
    if primary in {"ru", "kk"}:
        return date.strftime("%d.%m.%Y")
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


# Not strftime("%B"): the output must not depend on the machine's locale.
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def build_context(story: Story, renditions: dict[str, list[RenditionRef]],
                  id_prefix: str = "") -> dict[str, Any]:
    """Template data. Photos missing from ``renditions`` (failed) are left out."""
    shared = story.shared_credit()
    numbers = {p.id: n for n, p in enumerate((p for p in story.photos if p.id in renditions), 1)}
    first_image = [True]
    anchored: set[str] = set()  # an id goes on a photo's first figure only

    def photo_data(photo: Photo, layout: str) -> dict[str, Any]:
        refs = renditions[photo.id]
        default = _default_rendition(refs, 960 if layout == "single" else 480)
        large = refs[-1]
        eager = first_image[0]
        first_image[0] = False
        anchor = "" if photo.id in anchored else f"{id_prefix}photo-{numbers[photo.id]}"
        anchored.add(photo.id)
        return {
            "id": photo.id,
            "number": numbers[photo.id],
            "anchor": anchor,
            "caption": photo.caption.strip(),
            "credit": "" if shared else story.credit_line(story.effective_credit(photo)),
            "alt": photo.alt.strip(),
            "src": default.url,
            "width": default.width,
            "height": default.height,
            "srcset": ", ".join(f"{r.url} {r.width}w" for r in refs),
            "sizes": SIZES[layout],
            "large": large,
            "loading": "eager" if eager else "lazy",
        }

    blocks: list[dict[str, Any]] = []
    first_paragraph = True
    for block in story.body:
        if isinstance(block, Paragraph):
            if not block.text.strip():
                continue
            blocks.append({"type": "paragraph", "text": block.text.strip(),
                           "dateline": story.dateline.strip() if first_paragraph else ""})
            first_paragraph = False
        elif isinstance(block, PhotoGroup):
            members = [story.photo(pid) for pid in block.photo_ids if pid in numbers]
            if members:
                layout = group_layout(len(members))
                blocks.append({"type": "group", "layout": layout, "count": len(members),
                               "photos": [photo_data(p, layout) for p in members]})
    gallery = []
    if story.show_gallery:
        gallery = [photo_data(p, "gallery") for p in story.photos if p.id in numbers]
    return {
        "story": {
            "key": story_key(story),
            "title": story.title.strip(),
            "byline": story.byline.strip(),
            "dateline": story.dateline.strip(),
            "published": story.published.strip(),
            "published_display": format_date(story.published.strip(), story.language),
            "language": story.language or "en",
            "credit_line": story.credit_line(shared) if shared else "",
            "photo_count": len(numbers),
        },
        "blocks": blocks,
        "gallery": gallery,
        "labels": labels(story.language),
    }


def _default_rendition(refs: list[RenditionRef], wanted: int) -> RenditionRef:
    fitting = [r for r in refs if r.width <= wanted]
    return fitting[-1] if fitting else refs[0]


_LABELS = {
    "en": {"gallery": "Gallery", "photos": "photos", "open": "Open photo"},
    "ru": {"gallery": "Фотогалерея", "photos": "фото", "open": "Открыть фото"},
    "kk": {"gallery": "Фотогалерея", "photos": "фото", "open": "Фотоны ашу"},
}


def labels(language: str) -> dict[str, str]:
    return _LABELS.get(language.split("-")[0].lower(), _LABELS["en"])


def manifest(story: Story, renditions: dict[str, list[RenditionRef]]) -> dict[str, Any]:
    """story.json: the story for machines, photos in gallery order."""
    photos = []
    for photo in story.photos:
        if photo.id not in renditions:
            continue
        photos.append({
            "id": photo.id,
            "file": photo.file_name,
            "caption": photo.caption,
            "credit": story.effective_credit(photo),
            "alt": photo.alt,
            "creator": photo.creator,
            "copyright": photo.copyright,
            "date_taken": photo.date_taken,
            "renditions": [{"url": r.url, "width": r.width, "height": r.height, "type": r.type}
                           for r in renditions[photo.id]],
        })
    body = []
    for block in story.body:
        if isinstance(block, Paragraph):
            body.append({"type": "paragraph", "text": block.text})
        else:
            body.append({"type": "photos", "photos": [pid for pid in block.photo_ids if pid in renditions]})
    return {
        "generator": "Photostory",
        "title": story.title,
        "byline": story.byline,
        "dateline": story.dateline,
        "published": story.published,
        "language": story.language,
        "tags": list(story.tags),
        "credit": story.shared_credit() or "",
        "credit_line": story.credit_line(story.shared_credit() or ""),
        "body": body,
        "photos": photos,
    }
