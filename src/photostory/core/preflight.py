"""Preflight: what a story still needs before it is published.

Errors block an export unless the user confirms; warnings are listed. The same
checks run in ``photostory check``, in the editor's panel and before every export.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from photostory.core.story import Photo, Story

# XXX and TK only in capitals, as editors type them; the phrases in any case.
PLACEHOLDERS = re.compile(r"\b(?-i:XXX+|TK|TKTK)\b|name to come|\[caption\]|\[alt\]|lorem ipsum",
                          re.IGNORECASE)
DEFAULT_MAX_CAPTION = 400


@dataclass(frozen=True)
class Finding:
    photo_id: str
    file_name: str
    rule: str
    message: str
    severity: str  # "error" blocks export unless confirmed; "warning" is listed

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class PreflightSettings:
    max_caption: int = DEFAULT_MAX_CAPTION
    largest_width: int = 1600  # the largest export width: smaller photos look soft


RULES = {
    "missing_file": "error", "placeholder": "error", "missing_caption": "warning",
    "missing_alt": "warning", "missing_credit": "error", "alt_is_caption": "warning",
    "credit_in_alt": "warning", "caption_too_long": "warning", "too_small": "warning",
    "duplicate": "warning",
}


def check_story(story: Story, settings: PreflightSettings = PreflightSettings()) -> list[Finding]:
    findings: list[Finding] = []
    for number, photo in enumerate(story.photos, start=1):
        findings += _check_photo(story, photo, number, settings)
    findings += _duplicates(story)
    return findings


def _check_photo(story: Story, photo: Photo, number: int, settings: PreflightSettings) -> list[Finding]:
    found: list[Finding] = []

    def add(rule: str, text: str) -> None:
        found.append(Finding(photo.id, photo.file_name, rule,
                             f"Photo {number} ({photo.file_name}): {text}", RULES[rule]))

    caption, alt = photo.caption.strip(), photo.alt.strip()
    credit = story.effective_credit(photo)
    if not photo.path.is_file():
        add("missing_file", f"the file is missing ({photo.path}).")
    if not caption:
        add("missing_caption", "has no caption.")
    if not alt:
        add("missing_alt", "has no alt text.")
    if not credit:
        add("missing_credit", "has no credit, and the story has no default credit.")
    for field, value in (("caption", caption), ("alt text", alt), ("credit", credit)):
        match = PLACEHOLDERS.search(value)
        if match:
            add("placeholder", f"the {field} still holds placeholder text {match.group(0)!r}.")
    if alt and alt == caption:
        add("alt_is_caption", "the alt text repeats the caption; describe what is seen instead.")
    if alt and credit and credit.lower() in alt.lower():
        add("credit_in_alt", "the alt text contains the credit; screen readers would read it as "
                             "part of the picture.")
    if len(caption) > settings.max_caption:
        add("caption_too_long", f"the caption has {len(caption)} characters "
                                f"(the limit is {settings.max_caption}).")
    if 0 < photo.width < settings.largest_width:
        add("too_small", f"is {photo.width} px wide, under the {settings.largest_width} px export width.")
    return found


def _duplicates(story: Story) -> list[Finding]:
    """Photos whose files have the same content (the same frame imported twice)."""
    by_size: dict[int, list[tuple[int, Photo]]] = {}
    for number, photo in enumerate(story.photos, start=1):
        try:
            by_size.setdefault(photo.path.stat().st_size, []).append((number, photo))
        except OSError:
            continue
    found: list[Finding] = []
    for candidates in by_size.values():
        if len(candidates) < 2:
            continue
        first_by_hash: dict[str, tuple[int, Photo]] = {}
        for number, photo in candidates:
            digest = _content_hash(photo.path)
            if digest is None:
                continue
            if digest in first_by_hash:
                first_number, first = first_by_hash[digest]
                found.append(Finding(
                    photo.id, photo.file_name, "duplicate",
                    f"Photo {number} ({photo.file_name}): is the same file as photo {first_number} "
                    f"({first.file_name}).", RULES["duplicate"]))
            else:
                first_by_hash[digest] = (number, photo)
    return found


def _content_hash(path: Path) -> str | None:
    """The file's SHA-256, remembered by (path, size, mtime): the editor runs preflight
    after every edit and must not re-read unchanged photos."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHES:
        if len(_HASHES) > 10_000:
            _HASHES.clear()
        _HASHES[key] = _hash_file(path)
    return _HASHES[key]


_HASHES: dict[tuple[str, int, int], str | None] = {}


def _hash_file(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
