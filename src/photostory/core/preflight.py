"""Preflight: what a story still needs before it is published.

Errors block an export unless the user confirms; warnings are listed. The same
checks run in ``photostory check``, in the editor's panel and before every export.
Each language version's texts are checked as the source version's are (``Photo 3 (ru):
has no caption.``); what all versions share (files, credits, sizes) is checked once.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from photostory.core.export.options import DEFAULT_WIDTHS
from photostory.core.i18n import N_, _, ngettext
from photostory.core.story import Photo, Story
from photostory.core.userfiles import MiB, open_user_file, special_kind
from photostory.errors import ImageReadError, PhotostoryError

# XXX and TK only in capitals, as editors type them; the phrases in any case.
PLACEHOLDERS = re.compile(r"\b(?-i:XXX+|TK|TKTK)\b|name to come|\[caption\]|\[alt\]|lorem ipsum",
                          re.IGNORECASE)
DEFAULT_MAX_CAPTION = 400
# Files larger than any photo Photostory decodes (178.9 megapixels at 8 bytes a pixel is
# 1.4 GB) are not compared byte by byte: the check must not read a disk image named .jpg.
MAX_HASHED_BYTES = 2048 * MiB


@dataclass(frozen=True)
class Finding:
    photo_id: str
    file_name: str
    rule: str
    message: str
    severity: str  # "error" blocks export unless confirmed; "warning" is listed
    version: str = ""  # the language version's tag; empty for the source version and shared rules

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class PreflightSettings:
    max_caption: int = DEFAULT_MAX_CAPTION
    largest_width: int = max(DEFAULT_WIDTHS)  # the largest export width: smaller photos look soft


#: Every rule: (its severity, what it is about in a one-line summary such as
#: "no alt text (3), caption too long (1)"; marked for the catalogue, translated where shown).
RULE_TABLE = {
    "missing_file": ("error", N_("file missing")),
    "placeholder": ("error", N_("placeholder text")),
    "missing_caption": ("warning", N_("no caption")),
    "missing_alt": ("warning", N_("no alt text")),
    "missing_credit": ("error", N_("no credit")),
    "alt_is_caption": ("warning", N_("alt text repeats the caption")),
    "credit_in_alt": ("warning", N_("credit in the alt text")),
    "caption_too_long": ("warning", N_("caption too long")),
    "too_small": ("warning", N_("smaller than the export width")),
    "duplicate": ("warning", N_("duplicate photo")),
    "missing_title": ("error", N_("no title")),
    "untranslated": ("warning", N_("caption not translated")),
    "not_placed": ("warning", N_("not placed in this version")),
}
RULES = {rule: severity for rule, (severity, _name) in RULE_TABLE.items()}
RULE_NAMES = {rule: name for rule, (_severity, name) in RULE_TABLE.items()}


def check_story(story: Story, settings: PreflightSettings = PreflightSettings(),
                hashes: ContentHashes | None = None) -> list[Finding]:
    """Every finding for ``story``; ``hashes`` remembers file contents between checks
    (by default one cache for the whole process)."""
    findings: list[Finding] = []
    for number, photo in enumerate(story.photos, start=1):
        findings += _check_photo(story, photo, number, settings)
    findings += _duplicates(story, hashes if hashes is not None else _HASHES)
    for translation in story.translations:
        findings += _check_version(story, translation.language, settings)
    return findings


def _check_version(story: Story, tag: str, settings: PreflightSettings) -> list[Finding]:
    """A language version's own findings: its texts, and what it leaves out of the source's."""
    view = story.version(tag)
    found: list[Finding] = []
    if not view.title.strip():
        found.append(Finding("", "", "missing_title",
                             _("The {language} version has no title.").format(language=tag),
                             RULES["missing_title"], tag))
    # A derived version (Latin Kazakh) may rightly equal its source where nothing is Cyrillic.
    derived = story.translation(tag).derived_from is not None
    source_captions = {photo.id: photo.caption.strip() for photo in story.photos}
    placed_in_source, placed_here = story.placed_ids(), view.placed_ids()
    for number, photo in enumerate(view.photos, start=1):
        found += _check_photo(view, photo, number, settings, tag)
        caption = photo.caption.strip()
        for rule, text, applies in (
            ("untranslated", _("the caption is the same as the {language} version's "
                               "(not translated yet?).").format(language=story.language),
             not derived and caption and caption == source_captions[photo.id]),
            ("not_placed", _("is placed in the {source} article but not in the {language} one.")
             .format(source=story.language, language=tag),
             photo.id in placed_in_source and photo.id not in placed_here),
        ):
            if applies:
                found.append(Finding(photo.id, photo.file_name, rule,
                                     _photo_says(number, tag, text), RULES[rule], tag))
    return found


def _check_photo(story: Story, photo: Photo, number: int, settings: PreflightSettings,
                 version: str = "") -> list[Finding]:
    """A photo's findings; for a language ``version``, those of its own texts alone."""
    found: list[Finding] = []

    def add(rule: str, text: str) -> None:
        found.append(Finding(photo.id, photo.file_name, rule,
                             _photo_says(number, version or photo.file_name, text),
                             RULES[rule], version))

    caption, alt = photo.caption.strip(), photo.alt.strip()
    credit = story.effective_credit(photo)
    problem = None if version else _file_problem(photo.path)
    if problem:
        add("missing_file", problem)
    if not caption:
        add("missing_caption", _("has no caption."))
    if not alt:
        add("missing_alt", _("has no alt text."))
    if not credit and not version:
        add("missing_credit", _("has no credit, and the story has no default credit."))
    for sentence, value in (
            (_("the caption still holds placeholder text {text!r}."), caption),
            (_("the alt text still holds placeholder text {text!r}."), alt),
            (_("the credit still holds placeholder text {text!r}."), "" if version else credit)):
        match = PLACEHOLDERS.search(value)
        if match:
            add("placeholder", sentence.format(text=match.group(0)))
    if alt and alt == caption:
        add("alt_is_caption", _("the alt text repeats the caption; describe what is seen instead."))
    if alt and credit and credit.lower() in alt.lower():
        add("credit_in_alt", _("the alt text contains the credit; screen readers would read it "
                               "as part of the picture."))
    if len(caption) > settings.max_caption:
        add("caption_too_long", ngettext(
            "the caption has {count} character (the limit is {limit}).",
            "the caption has {count} characters (the limit is {limit}).",
            len(caption)).format(count=len(caption), limit=settings.max_caption))
    if 0 < photo.width < settings.largest_width and not version:
        add("too_small", _("is {width} px wide, under the {export_width} px export width.")
            .format(width=photo.width, export_width=settings.largest_width))
    return found


def _photo_says(number: int, where: str, text: str) -> str:
    """``Photo 3 (IMG_0412.jpg): has no caption.``: ``where`` is the file or the version."""
    return _("Photo {number} ({where}): {problem}").format(number=number, where=where,
                                                          problem=text)


def _file_problem(path: Path) -> str | None:
    """Why a photo's file cannot be used, from its status alone: a FIFO or a device is
    never opened (opening a FIFO waits for a writer; /dev/zero never ends)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return _("the file is missing ({path}).").format(path=path)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _("{path} is a folder, not a photo file.").format(path=path)
    return _("{path} is not a regular file ({kind}), so it is not read.").format(
        path=path, kind=special_kind(mode))


def _duplicates(story: Story, hashes: ContentHashes) -> list[Finding]:
    """Photos whose files have the same content (the same frame imported twice)."""
    by_size: dict[int, list[tuple[int, Photo]]] = {}
    for number, photo in enumerate(story.photos, start=1):
        try:
            info = os.stat(photo.path)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(info.st_mode):  # the others are findings of their own, never read
            by_size.setdefault(info.st_size, []).append((number, photo))
    found: list[Finding] = []
    for candidates in by_size.values():
        if len(candidates) < 2:
            continue
        first_by_hash: dict[str, tuple[int, Photo]] = {}
        for number, photo in candidates:
            digest = hashes.digest(photo.path)
            if digest is None:
                continue
            if digest in first_by_hash:
                first_number, first = first_by_hash[digest]
                found.append(Finding(
                    photo.id, photo.file_name, "duplicate",
                    _photo_says(number, photo.file_name,
                                _("is the same file as photo {number} ({file}).").format(
                                    number=first_number, file=first.file_name)),
                    RULES["duplicate"]))
            else:
                first_by_hash[digest] = (number, photo)
    return found


class ContentHashes:
    """Files' SHA-256, remembered by (path, size, mtime): the editor checks after every
    edit and must not re-read unchanged photos. One cache serves several threads (the
    editor's background check and the check before an export on the GUI thread)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._hashes: dict[tuple[str, int, int], str | None] = {}

    def digest(self, path: Path) -> str | None:
        """The file's SHA-256; None for anything but a readable regular file of at most
        MAX_HASHED_BYTES."""
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        key = (str(path), info.st_size, info.st_mtime_ns)
        with self._lock:
            if key in self._hashes:
                return self._hashes[key]
        # Hashed outside the lock (it takes a while); the result is returned from here,
        # never read back from the cache another thread may have cleared meanwhile.
        digest = _hash_file(path)
        with self._lock:
            if len(self._hashes) >= self._capacity:
                self._hashes.clear()
            self._hashes[key] = digest
        return digest

    def clear(self) -> None:
        with self._lock:
            self._hashes.clear()


_HASHES = ContentHashes()


def _hash_file(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open_user_file(path, ImageReadError, MAX_HASHED_BYTES) as fh:
            left = MAX_HASHED_BYTES + 1
            while chunk := fh.read(min(1 << 20, left)):
                digest.update(chunk)
                left -= len(chunk)
            if left <= 0:  # grew past the limit while being read
                return None
    except (PhotostoryError, OSError):
        return None
    return digest.hexdigest()
