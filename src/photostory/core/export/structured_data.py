"""schema.org JSON-LD for a story page: one NewsArticle with an ImageObject per photo.

Written only when the story has a base URL: search engines want absolute addresses. Every
photo's ImageObject carries what its renditions' XMP carries (caption, credit, creator,
copyright, licence), so a search engine reading either finds the same credits; Google's
image licence metadata needs ``contentUrl`` and one of creditText, creator,
copyrightNotice or license.

The publication time: the story's ``published`` is ISO 8601. A date alone stays a date.
A time with an offset (``2022-10-05T15:44+05:00``) keeps it. A time without one is the
desk's wall clock, so it takes the offset of the computer's time zone at that date (the
zone of the machine that exports, ``TZ`` when set; Python's ``astimezone`` with the
system's zone rules, daylight saving included).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from markupsafe import Markup

from photostory.core.export.context import RenditionRef
from photostory.core.export.render import html_text
from photostory.core.export.urls import absolute
from photostory.core.page_dates import parse_published
from photostory.core.story import Photo, Story


#: What a script's JSON must not hold as such: what could end the script or open a comment
#: (``</script>``, ``<!--``), and the controls HTML forbids.
_ESCAPED = re.compile("[<>&\x7f-\x9f]")


def published_iso(published: str) -> str:
    """``published`` as schema.org's DateTime with a zone, or Date; "" when it is not ISO
    8601 (a hand-typed "yesterday" says nothing a machine can use)."""
    value = parse_published(published)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.astimezone()).isoformat()
    return value.isoformat()


def _text(value: str) -> str:
    return str(html_text(value)).strip()


def largest_jpeg(refs: list[RenditionRef]) -> RenditionRef:
    jpegs = [r for r in refs if r.type == "image/jpeg"] or refs
    return max(jpegs, key=lambda r: r.width)


def image_object(story: Story, photo: Photo, refs: list[RenditionRef], base: str) -> dict[str, Any]:
    """One photo as an ImageObject: its largest rendition, and the texts its XMP carries."""
    large = largest_jpeg(refs)
    # contentUrl is the image itself; a "url" beside it would repeat it for every photo.
    data: dict[str, Any] = {"@type": "ImageObject", "contentUrl": absolute(base, large.url),
                            "width": large.width, "height": large.height}
    licence, acquire = story.effective_license(photo)
    texts = {"caption": photo.caption, "creditText": story.effective_credit(photo),
             "copyrightNotice": photo.copyright, "license": licence,
             "acquireLicensePage": acquire}
    data.update({key: _text(value) for key, value in texts.items() if _text(value)})
    # Several creators are typed "A; B", as the XMP's dc:creator list splits them.
    creators = [{"@type": "Person", "name": name.strip()}
                for name in _text(photo.creator).split(";") if name.strip()]
    if creators:
        data["creator"] = creators[0] if len(creators) == 1 else creators
    return data


def news_article(story: Story, renditions: dict[str, list[RenditionRef]], base: str,
                 page: str, description: str = "") -> dict[str, Any]:
    """The NewsArticle of the page at ``page`` (a path under the base URL ``base``);
    photos missing from ``renditions`` (failed) are left out."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": _text(story.title),
        "inLanguage": story.language,
        "url": absolute(base, page),
        "mainEntityOfPage": absolute(base, page),
    }
    if published := published_iso(story.published):
        data["datePublished"] = published
    if _text(story.byline):
        data["author"] = [{"@type": "Person", "name": _text(story.byline)}]
    if description:
        data["description"] = description
    images = [image_object(story, photo, renditions[photo.id], base) for photo in story.photos
              if photo.id in renditions]
    if images:
        data["image"] = images
    return data


def json_ld(data: dict[str, Any]) -> Markup:
    """``data`` as the text of a ``<script type="application/ld+json">``: JSON whose
    ``<``, ``>`` and ``&`` are escapes, so no caption can close the script (``</script>``)
    or open a comment (``<!--``) that would swallow the page."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # JSON escapes C0 controls itself; HTML forbids DEL and C1 controls in a script too.
    return Markup(_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
