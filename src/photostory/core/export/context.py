"""Story -> the data the templates and story.json show (no HTML here)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from photostory.core.export.render import html_text
from photostory.core.layout import grid_rows, group_layout
from photostory.core.page_dates import published_display
from photostory.core.page_words import page_words, photo_count
from photostory.core.slug import slugify
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story

#: The reader's geometry, as resources/static/photostory.css lays out the standalone page
#: (index.html: 8 px body margin, the story's padding, then its content). ``sizes``
#: attributes are derived from it, so a browser fetches a rendition close to the width it
#: really shows. Lengths in CSS px; keep in step with the CSS.
MEDIA_WIDTH = 960  # photos and the gallery; the text column is narrower (680)
#: The ``src`` of a photo for browsers without srcset: a single photo fills the media
#: width, a photo sharing a row, the grid or the gallery takes about half of it.
SRC_WIDTH = {"single": MEDIA_WIDTH, "shared": MEDIA_WIDTH // 2}
GAP = 12  # between photos in a row, and in the gallery grid
NARROW = 480  # up to this viewport width the story's side padding is 8 px, 16 px above
PAD_NARROW, PAD_WIDE = 32, 48  # viewport width minus the story's content width
STACK_BELOW = 608  # narrower viewports stack a row of 2-3 photos into one column
#: A group is drawn at most this tall on a wide screen: a group of mostly portrait photos
#: is narrowed (and centred) instead of growing taller than the screen.
MAX_HEIGHT = {"single": 720, "row": 560, "grid": 480}
GALLERY_SIZES = (
    f"(max-width: {NARROW}px) calc((100vw - {PAD_NARROW + GAP}px) * 0.5), "
    f"(max-width: {STACK_BELOW - 1}px) calc((100vw - {PAD_WIDE + GAP}px) * 0.5), "
    f"(max-width: {MEDIA_WIDTH + PAD_WIDE}px) calc((100vw - {PAD_WIDE + 2 * GAP}px) * 0.3333), "
    f"{math.ceil((MEDIA_WIDTH - 2 * GAP) / 3)}px")


@dataclass(frozen=True)
class RenditionRef:
    url: str  # relative to the export folder
    width: int
    height: int
    type: str = "image/jpeg"


def export_url(root: str, path: str) -> str:
    """The URL of ``path`` (``images/x-480.jpg``, ``assets/photostory.css``, ``ru/index.html``,
    relative to the export folder) as a page refers to it: ``root`` leads from the page
    to the export folder ("" for a page at its top, "../" for a language version's page).
    The one place a page's links are made, so a base URL is one change of ``root``."""
    return root + path


def rooted(renditions: dict[str, list[RenditionRef]], root: str) -> dict[str, list[RenditionRef]]:
    """``renditions`` with their URLs as a page under ``root`` refers to them."""
    if not root:
        return renditions
    return {pid: [replace(r, url=export_url(root, r.url)) for r in refs]
            for pid, refs in renditions.items()}


def _clean(text: str) -> str:
    """A user's text as the page shows it: HTML's character rule first, then trimmed."""
    return html_text(text).strip()


def row_sizes(fraction: float, gaps: int, max_width: int, stacks: bool) -> str:
    """``sizes`` for a photo that takes ``fraction`` of what is left of its row after
    ``gaps`` px of gaps, the row being at most ``max_width`` px wide (the CSS's
    ``--ps-max``); with ``stacks`` the row is a column of full-width photos below
    STACK_BELOW px."""
    segments: list[tuple[float, str]] = []  # (largest viewport width, value), ascending

    def fixed() -> str:
        return f"{math.ceil((max_width - gaps) * fraction)}px"

    def fluid(pad: int) -> str:
        if fraction == 1 and gaps == 0:
            return f"calc(100vw - {pad}px)"
        factor = f"{fraction:.4f}".rstrip("0").rstrip(".")  # 0.5, 0.3333: no padding zeros
        return f"calc((100vw - {pad + gaps}px) * {factor})"

    low = 0.0
    if stacks:
        segments += [(NARROW, f"calc(100vw - {PAD_NARROW}px)"),
                     (STACK_BELOW - 1, f"calc(100vw - {PAD_WIDE}px)")]
        low = STACK_BELOW - 1
    for high, pad in ((NARROW, PAD_NARROW), (math.inf, PAD_WIDE)):
        if high <= low:
            continue
        capped_from = max_width + pad  # from this viewport width on, the row is max_width
        if capped_from >= high:
            segments.append((high, fluid(pad)))
        elif capped_from <= low:
            segments.append((high, fixed()))
        else:
            segments += [(capped_from, fluid(pad)), (high, fixed())]
        low = high
    merged: list[tuple[float, str]] = []
    for high, value in segments:
        if merged and merged[-1][1] == value:
            merged[-1] = (high, value)
        else:
            merged.append((high, value))
    parts = [f"(max-width: {int(high)}px) {value}" for high, value in merged[:-1]]
    return ", ".join(parts + [merged[-1][1]])


def story_key(story: Story) -> str:
    """A short, stable prefix for ids, so two embedded stories never share an id."""
    return "ps-" + slugify(story.title, fallback="story", max_length=24)


def build_context(story: Story, renditions: dict[str, list[RenditionRef]],
                  id_prefix: str = "", root: str = "") -> dict[str, Any]:
    """Template data for a page under ``root`` (see :func:`export_url`). Photos missing
    from ``renditions`` (failed) are left out."""
    renditions = rooted(renditions, root)
    shared = story.shared_credit()
    numbers = {p.id: n for n, p in enumerate((p for p in story.photos if p.id in renditions), 1)}
    first_image = [True]
    anchored: set[str] = set()  # an id goes on a photo's first figure only
    placed: set[str] = set()

    def photo_data(photo: Photo, sizes: str, default_width: int) -> dict[str, Any]:
        refs = renditions[photo.id]
        jpegs = [r for r in refs if r.type == "image/jpeg"] or refs
        webps = [r for r in refs if r.type == "image/webp"]
        default = _default_rendition(jpegs, default_width)
        eager = first_image[0]
        first_image[0] = False
        anchor = "" if photo.id in anchored else f"{id_prefix}photo-{numbers[photo.id]}"
        anchored.add(photo.id)
        return {
            "id": photo.id,
            "number": numbers[photo.id],
            "anchor": anchor,
            "caption": _clean(photo.caption),
            "credit": "" if shared else story.credit_line(story.effective_credit(photo)),
            "alt": _clean(photo.alt),
            "src": default.url,
            "width": default.width,
            "height": default.height,
            "ratio": _ratio(default),
            "srcset": _srcset(jpegs),
            "sources": [{"type": "image/webp", "srcset": _srcset(webps)}] if webps else [],
            "sizes": sizes,
            "large": jpegs[-1],
            "loading": "eager" if eager else "lazy",
            "repeat": photo.id in placed,  # also shown in the article (the gallery's copy)
        }

    blocks: list[dict[str, Any]] = []
    first_paragraph = True
    for block in story.body:
        if isinstance(block, Paragraph):
            if not _clean(block.text):
                continue
            blocks.append({"type": "paragraph", "text": _clean(block.text),
                           "dateline": _clean(story.dateline) if first_paragraph else ""})
            first_paragraph = False
        elif isinstance(block, PhotoGroup):
            members = [story.photo(pid) for pid in block.photo_ids if pid in numbers]
            if not members:
                continue
            layout = group_layout(len(members))
            counts = grid_rows(len(members)) if layout == "grid" else [len(members)]
            starts = [sum(counts[:i]) for i in range(len(counts))]
            rows = [members[start:start + count] for start, count in zip(starts, counts)]
            ratios = [[_ratio(_first_jpeg(renditions[p.id])) for p in row] for row in rows]
            # One width for the whole group, so a grid's rows line up: the narrowest
            # that keeps every row within the group's height limit.
            max_width = min([MEDIA_WIDTH] + [
                math.ceil(MAX_HEIGHT[layout] * sum(r)) + GAP * (len(r) - 1) for r in ratios])
            blocks.append({
                "type": "group", "layout": layout, "count": len(members),
                "max_width": max_width if max_width < MEDIA_WIDTH else 0,
                "rows": [[photo_data(p, row_sizes(r / sum(row_ratios), GAP * (len(row) - 1),
                                                  max_width, stacks=layout == "row"),
                                     SRC_WIDTH["single" if layout == "single" else "shared"])
                          for p, r in zip(row, row_ratios)]
                         for row, row_ratios in zip(rows, ratios)],
            })
            placed.update(p.id for p in members)
    gallery = []
    if story.show_gallery:
        gallery = [photo_data(p, GALLERY_SIZES, SRC_WIDTH["shared"]) for p in story.photos
                   if p.id in numbers]
    return {
        "story": {
            "key": story_key(story),
            "prefix": id_prefix,
            "title": _clean(story.title),
            "byline": _clean(story.byline),
            "dateline": _clean(story.dateline),
            "published": _clean(story.published),
            "published_display": published_display(_clean(story.published), story.language),
            "language": story.language or "en",
            "credit_line": story.credit_line(shared) if shared else "",
            "photo_count": photo_count(len(numbers), story.language),
        },
        "blocks": blocks,
        "gallery": gallery,
        "gallery_repeats": bool(gallery) and all(p["repeat"] for p in gallery),
        "labels": page_words(story.language),
        "stylesheet": export_url(root, "assets/photostory.css"),
        "script": export_url(root, "assets/photostory.js"),
    }


def _default_rendition(refs: list[RenditionRef], wanted: int) -> RenditionRef:
    fitting = [r for r in refs if r.width <= wanted]
    return fitting[-1] if fitting else refs[0]


def _first_jpeg(refs: list[RenditionRef]) -> RenditionRef:
    return next((r for r in refs if r.type == "image/jpeg"), refs[0])


def _ratio(ref: RenditionRef) -> float:
    return round(ref.width / max(1, ref.height), 4)


def _srcset(refs: list[RenditionRef]) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in refs)


def manifest(story: Story, renditions: dict[str, list[RenditionRef]],
             root: str = "") -> dict[str, Any]:
    """story.json: the story for machines, photos in gallery order; rendition URLs are
    relative to the file itself (under ``root``, as a page's)."""
    renditions = rooted(renditions, root)
    photos = []
    for photo in story.photos:
        if photo.id not in renditions:
            continue
        photos.append({
            "id": photo.id,
            # File names that are not UTF-8 (surrogate-escaped) must still give valid JSON.
            "file": photo.file_name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
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
