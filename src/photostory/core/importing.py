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
from typing import Iterable

from photostory.core.i18n import _, ngettext
from photostory.core.images.opening import SUPPORTED_SUFFIXES, check_image
from photostory.core.metadata.reading import PhotoMetadata, read_metadata
from photostory.core.progress import CancelToken, Progress, no_progress
from photostory.core.story import Photo, sort_by_date_then_name
from photostory.errors import PhotostoryError

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    photos: list[Photo] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, reason)
    warnings: list[str] = field(default_factory=list)

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
    info = check_image(path)
    metadata = read_metadata(path)
    photo = Photo(path=Path(os.path.abspath(path)), width=info.width, height=info.height,
                  orientation=info.orientation)
    apply_metadata(photo, metadata)
    warnings = [f"{path.name}: {w}" for w in metadata.warnings]
    return photo, warnings


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
            photo, warnings = photo_from_file(path)
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
