"""Turning files and folders into story photos, reporting each file that can't be used.

One bad file never stops an import: it is skipped with a one-line reason, and the
good photos come in, ordered as they were shot (date taken, then file name).
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from photostory.core.i18n import _, ngettext
from photostory.core.images.opening import SUPPORTED_SUFFIXES, check_image
from photostory.core.languages import text_for_language
from photostory.core.metadata.reading import PhotoMetadata, read_metadata
from photostory.core.progress import CancelToken, Progress, no_progress
from photostory.core.story import Photo, Story, sort_by_date_then_name
from photostory.errors import PhotostoryError

log = logging.getLogger(__name__)


#: What a file gives by language: its XMP language tag -> (caption, alt text).
FileTexts = dict[str, tuple[str, str]]


@dataclass
class ImportReport:
    photos: list[Photo] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)
    # Photo id -> its file's captions and alt texts by language, for the story's other
    # language versions (``InsertPhotos(..., texts=report.texts)`` fills them).
    texts: dict[str, FileTexts] = field(default_factory=dict)

    def summary(self) -> str:
        photos, skipped, warnings = len(self.photos), len(self.skipped), len(self.warnings)
        parts = [ngettext("Imported {count} photo", "Imported {count} photos", photos)
                 .format(count=photos)]
        if skipped:
            parts.append(ngettext("skipped {count} file", "skipped {count} files", skipped)
                         .format(count=skipped))
        if warnings:
            parts.append(ngettext("{count} warning", "{count} warnings", warnings)
                         .format(count=warnings))
        return ", ".join(parts) + "."


def collect_image_paths(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to import from files and folders (folders searched recursively for images).

    Files named explicitly are tried whatever their name; in folders only image file
    names count, and hidden files are passed over.
    """
    found: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in map(Path, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                        add(Path(root) / name)
        elif path.is_file():
            add(path)
        elif path.exists():
            problems.append((path, _("{file}: not a regular file.").format(file=path.name)))
        else:
            problems.append((path, _("{file}: file not found.").format(file=path.name)))
    return found, problems


def photo_from_file(path: Path) -> tuple[Photo, list[str]]:
    """A Photo for ``path`` with what the file says about itself, and metadata warnings.

    Raises ImageReadError when the image itself can't be used. Complete JPEGs are
    checked from their header and end marker without decoding (see
    :func:`~photostory.core.images.opening.check_image`); other formats are decoded.
    """
    photo, warnings, _texts = _read_photo(path)
    return photo, warnings


def _read_photo(path: Path) -> tuple[Photo, list[str], FileTexts]:
    info = check_image(path)
    metadata = read_metadata(path)
    photo = Photo(path=Path(os.path.abspath(path)), width=info.width, height=info.height,
                  orientation=info.orientation)
    apply_metadata(photo, metadata)
    warnings = [f"{path.name}: {w}" for w in metadata.warnings]
    return photo, warnings, file_texts(metadata)


def file_texts(md: PhotoMetadata) -> FileTexts:
    """A file's captions and alt texts by the language tags its XMP gives them under."""
    captions, alts = dict(md.captions), dict(md.alt_texts)
    return {tag: (captions.get(tag, ""), alts.get(tag, "")) for tag in {**captions, **alts}}


def fill_versions(story: Story, photos: Iterable[Photo],
                  texts: Mapping[str, Mapping[str, tuple[str, str]]]) -> list[tuple[str, str]]:
    """Give the story's language versions the captions and alt texts ``texts`` (photo id
    -> the file's {language tag: (caption, alt)}) has in their language; returns the
    (version tag, photo id) pairs filled, for :func:`unfill_versions`."""
    filled: list[tuple[str, str]] = []
    for translation in story.translations:
        for photo in photos:
            caption, alt = text_for_language(texts.get(photo.id, {}), translation.language)
            if caption:
                translation.captions[photo.id] = caption
            if alt:
                translation.alts[photo.id] = alt
            if caption or alt:
                filled.append((translation.language, photo.id))
    story.notify_versions(dict.fromkeys(tag for tag, _photo in filled))
    return filled


def unfill_versions(story: Story, filled: list[tuple[str, str]]) -> None:
    """Take back what :func:`fill_versions` gave, by tag: an edit undone in between may
    have put back copies of the versions."""
    versions = {t.language: t for t in story.translations}
    for tag, photo_id in filled:
        if tag in versions:
            versions[tag].captions.pop(photo_id, None)
            versions[tag].alts.pop(photo_id, None)
    story.notify_versions(dict.fromkeys(tag for tag, _photo in filled))


def read_version_texts(photos: Iterable[Photo], tag: str) -> tuple[dict[str, str], dict[str, str]]:
    """Captions and alt texts for a new ``tag`` version from the photos' own files, by
    photo id (only those a file has); a file that cannot be read gives none."""
    captions: dict[str, str] = {}
    alts: dict[str, str] = {}
    for photo in photos:
        try:
            caption, alt = text_for_language(file_texts(read_metadata(photo.path)), tag)
        except (PhotostoryError, OSError):
            continue
        if caption:
            captions[photo.id] = caption
        if alt:
            alts[photo.id] = alt
    return captions, alts


def apply_metadata(photo: Photo, md: PhotoMetadata) -> None:
    """Fill a new photo's fields from what the photographer wrote into the file."""
    photo.caption = md.caption
    photo.headline = md.headline
    photo.creator = md.creator
    photo.credit = md.credit
    photo.copyright = md.copyright
    photo.alt = md.alt_text
    photo.date_taken = md.date_taken
    photo.camera = camera_name(md.camera_make, md.camera_model)
    photo.has_gps = md.has_gps
    photo.keywords = tuple(md.keywords)
    photo.city = md.city
    photo.country = md.country


def camera_name(make: str, model: str) -> str:
    """``Canon EOS 40D`` rather than ``Canon Canon EOS 40D``."""
    make, model = make.strip(), model.strip()
    if not make:
        return model
    if model.lower().startswith(make.split()[0].lower()):
        return model
    return f"{make} {model}".strip()


def import_photos(paths: Iterable[Path], progress: Progress = no_progress,
                  cancel: CancelToken | None = None, workers: int | None = None) -> ImportReport:
    """Import files and folders; raises Cancelled if ``cancel`` is set part-way."""
    files, problems = collect_image_paths(paths)
    report = ImportReport(skipped=list(problems))
    total = len(files)
    progress(0, total, _("Reading photos…"))
    workers = workers or min(8, (os.cpu_count() or 1) + 1)

    def read(path: Path) -> tuple[Path, Photo | None, list[str], str]:
        if cancel is not None and cancel.cancelled:
            return path, None, [], ""
        try:
            photo, warnings, texts = _read_photo(path)
            if texts:
                report.texts[photo.id] = texts
            return path, photo, warnings, ""
        except PhotostoryError as exc:
            return path, None, [], str(exc)
        except Exception as exc:  # a bug, not the user's file: log it, report the file
            log.exception("unexpected error importing %s", path)
            return path, None, [], (_("{file}: could not be imported ({problem}).")
                                    .format(file=path.name, problem=type(exc).__name__))

    photos: list[Photo] = []
    # Decoding releases the GIL, so threads keep both cores busy without pickling.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done, (path, photo, warnings, error) in enumerate(pool.map(read, files), start=1):
            if cancel is not None:
                cancel.check()
            if photo is not None:
                photos.append(photo)
                report.warnings.extend(warnings)
            elif error:
                report.skipped.append((path, error))
            progress(done, total, _("Read {file}").format(file=path.name))
    if cancel is not None:
        cancel.check()
    report.photos = sort_by_date_then_name(photos)
    return report
