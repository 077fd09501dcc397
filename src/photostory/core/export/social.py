"""What a story page tells social networks and search engines: Open Graph and Twitter
card tags, and the JSON-LD of :mod:`.structured_data`, for a story with a base URL.

The card shows the story's cover photo (:meth:`Story.cover`: the one chosen, else the
first placed) at the smallest rendition at least :data:`CARD_WIDTH` px wide, the size
Facebook and X show large cards at; an export whose widths stop short of it renders the
cover at that width too (:func:`card_options`), so the card is sharp whenever the source
is that wide. Locales are ``ll_CC`` as Open Graph wants them, from the BCP 47 tag's most
likely region (CLDR likely subtags through langcodes): ``kk`` -> ``kk_KZ``, ``ru`` ->
``ru_RU``; ``en`` without a region is ``en_GB``, the English the desk's pages are dated in.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import langcodes

from photostory.core.export.context import RenditionRef
from photostory.core.export.options import ExportOptions
from photostory.core.export.render import html_text
from photostory.core.export.structured_data import json_ld, news_article, published_iso
from photostory.core.export.urls import absolute
from photostory.core.story import Story

CARD_WIDTH = 1200


def card_options(options: ExportOptions) -> ExportOptions:
    """The export options for the cover photo: ``options`` with a CARD_WIDTH rendition
    when no width reaches it."""
    if max(options.widths) >= CARD_WIDTH:
        return options
    return replace(options, widths=tuple(sorted({*options.widths, CARD_WIDTH})))


def cover_ids(story: Story) -> set[str]:
    """The photo every version's page shows on its card (the cover is shared like the
    photos); none without a base URL, which alone gives cards."""
    cover = story.cover() if story.base_url else None
    return {cover.id} if cover is not None else set()


def card_rendition(refs: list[RenditionRef]) -> RenditionRef:
    """The smallest JPEG at least CARD_WIDTH wide, else the largest (a small source)."""
    jpegs = sorted((r for r in refs if r.type == "image/jpeg"), key=lambda r: r.width) or refs
    return next((r for r in jpegs if r.width >= CARD_WIDTH), jpegs[-1])


def og_locale(tag: str) -> str:
    """A BCP 47 tag as Open Graph's ``ll_CC``; "" for a tag that names no language."""
    try:
        language = langcodes.Language.get(tag.strip())
    except (langcodes.LanguageTagError, ValueError):
        return ""
    if language.language in (None, "und"):
        return ""
    if language.language == "en" and not language.territory:
        return "en_GB"
    likely = language.maximize()
    return f"{likely.language}_{likely.territory}" if likely.territory else likely.language


def social_tags(story: Story, renditions: dict[str, list[RenditionRef]], base: str, page: str,
                description: str, versions: list[str]) -> list[dict[str, str]]:
    """The page's ``<meta>`` tags as (``attribute``: property or name, ``key``, ``content``);
    ``versions`` are the tags of every language version (the page's own included)."""
    tags = [("og:type", "article"), ("og:title", _text(story.title)),
            ("og:description", description), ("og:url", absolute(base, page))]
    locale = og_locale(story.language)
    if locale:
        tags.append(("og:locale", locale))
        others = dict.fromkeys(og_locale(tag) for tag in versions)
        tags += [("og:locale:alternate", other) for other in others if other not in ("", locale)]
    cover = story.cover(among=renditions)
    if cover is not None:
        card = card_rendition(renditions[cover.id])
        tags += [("og:image", absolute(base, card.url)), ("og:image:type", card.type),
                 ("og:image:width", str(card.width)), ("og:image:height", str(card.height)),
                 ("og:image:alt", _text(cover.alt) or _text(cover.caption))]
    if published := published_iso(story.published):
        tags.append(("article:published_time", published))
    meta = [{"attribute": "property", "key": key, "content": value} for key, value in tags if value]
    meta.append({"attribute": "name", "key": "twitter:card",
                 "content": "summary_large_image" if cover is not None else "summary"})
    return meta


def site_head(story: Story, renditions: dict[str, list[RenditionRef]], base: str, page: str,
              description: str, versions: list[str] | None = None) -> dict[str, Any]:
    """Template data for the page's head: ``social`` meta tags and ``json_ld``; nothing
    without a base URL (relative addresses mean nothing to a crawler)."""
    if not base:
        return {"social": [], "json_ld": ""}
    return {"social": social_tags(story, renditions, base, page, description,
                                  versions or [story.language]),
            "json_ld": json_ld(news_article(story, renditions, base, page, description))}


def _text(value: str) -> str:
    return str(html_text(value)).strip()
