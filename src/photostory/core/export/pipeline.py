"""export_story: Story -> a folder a web server can serve as it is.

The export is built in a hidden sibling folder and swapped in at the end, so a
cancelled, failed or killed export leaves the previous export intact; it replaces only
what an export made and refuses a folder holding anything else (see
:mod:`photostory.core.export.folder`). Renditions whose source and settings are unchanged
are carried over from the previous export without decoding anything; when only their
caption or credit changed, just the XMP segment is rewritten. One photo that fails is
reported, not fatal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterator

from photostory.core.export.context import RenditionRef, build_context, manifest
from photostory.core.export.folder import (
    STATE_FILE, Staging, export_listing, prepare_export_folder, previous_rendition,
)
from photostory.core.export.options import ExportOptions, ExportReport
from photostory.core.export.pages import check_versions, write_pages
from photostory.core.export.social import card_options, cover_ids
from photostory.core.export.worker import (
    EXTENSIONS, RenderJob, RenderResult, exit_with_parent, render_job,
)
from photostory.core.i18n import N_, _, current_language
from photostory.core.metadata.dates import is_iso_date
from photostory.core.metadata.xmp import fit_xmp, replace_xmp_in_jpeg_file
from photostory.core.privacy import removed_summary, sensitive_metadata
from photostory.core.progress import CancelToken, Progress, no_progress
from photostory.core.slug import slugify
from photostory.core.story import Photo, Story
from photostory.errors import ExportError, PhotostoryError

log = logging.getLogger(__name__)

def export_story(story: Story, out_dir: Path, options: ExportOptions = ExportOptions(),
                 progress: Progress = no_progress, cancel: CancelToken | None = None,
                 story_file: Path | None = None) -> ExportReport:
    """Export ``story`` into ``out_dir``; raises ExportError (nothing changed) or Cancelled.

    ``story_file``, the story's own file, is refused as part of the export folder.
    """
    out_dir = Path(out_dir).absolute()
    cancel = cancel or CancelToken()
    check_versions(story)
    target, previous = prepare_export_folder(out_dir, story_file, [p.path for p in story.photos])
    report = ExportReport(out_dir=out_dir, versions=story.versions())
    staging = Staging(target)
    try:
        _build(story, staging.export, previous, target, options, progress, cancel, report)
        cancel.check()
        staging.swap_in()
    except OSError as exc:
        raise ExportError(_("Export to {target} failed: {reason}.")
                          .format(target=target, reason=exc.strerror or exc),
                          _("The previous export, if any, is unchanged.")) from exc
    finally:
        staging.discard()
    return report


# -- planning -------------------------------------------------------------------------


def source_key(photo: Photo, options: ExportOptions, keep_location: bool = False) -> str:
    """What decides a rendition's bytes besides the XMP: the file, the settings, and
    whether the location is kept. A file is known by its size and mtime and also by its
    inode and ctime: a corrected copy renamed over the original with the old date kept
    (``cp -p``, an unpacked archive) and padded to the same size still reads as new."""
    stat = photo.path.stat()
    text = (f"{photo.path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}|"
            f"{stat.st_ctime_ns}|"
            f"{options.rendition_settings()}|gps={int(keep_location)}")
    # surrogateescape: file names that are not UTF-8 (old Windows archives) still key.
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _file_stems(story: Story) -> dict[str, str]:
    """ASCII, unique rendition name stems in gallery order: ``bus-plant``, ``bus-plant-2``."""
    stems: dict[str, str] = {}
    used: set[str] = set()
    for photo in story.photos:
        base = slugify(photo.path.stem)
        stem, n = base, 2
        while stem in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem)
        stems[photo.id] = stem
    return stems


#: What the export report calls each XMP field.
_XMP_LABELS = {"caption": N_("caption"), "headline": N_("headline"), "creator": N_("creator"),
               "credit": N_("credit"), "copyright": N_("copyright"), "alt_text": N_("alt text"),
               "date_taken": N_("date taken"), "license": N_("licence"),
               "licensor_url": N_("licence page")}


def photo_xmp(story: Story, photo: Photo) -> tuple[bytes, str]:
    """The XMP packet for a photo's renditions (the desk's final text), and a warning
    naming the photo when texts too long for a JPEG had to be shortened or left out of
    it (the page and story.json keep them whole); "" when everything fit.

    A story with several language versions writes every version's caption and alt text
    as a language alternative, the source version's first (and so the x-default).
    """
    caption: str | dict[str, str] = photo.caption
    alt: str | dict[str, str] = photo.alt
    if story.translations:
        caption = {story.language: photo.caption}
        alt = {story.language: photo.alt}
        for t in story.translations:
            caption[t.language] = t.captions.get(photo.id, "")
            alt[t.language] = t.alts.get(photo.id, "")
    fields = {
        "caption": caption, "headline": photo.headline or story.title,
        "creator": photo.creator, "credit": story.effective_credit(photo),
        "copyright": photo.copyright, "alt_text": alt,
        # A hand-typed date that is not ISO 8601 is left out rather than fail the photo.
        "date_taken": photo.date_taken if is_iso_date(photo.date_taken) else "",
    }
    fields["license"], fields["licensor_url"] = story.effective_license(photo)
    packet, shortened, dropped = fit_xmp(fields)
    notes = []
    if shortened:
        notes.append(_("{fields} shortened").format(
            fields=_listed([_(_XMP_LABELS[f]) for f in shortened])))
    if dropped:
        notes.append(_("{fields} left out").format(
            fields=_listed([_(_XMP_LABELS[f]) for f in dropped])))
    if not notes:
        return packet, ""
    return packet, _("{file}: too much text for the metadata a JPEG can hold: {what} in its "
                     "web copies (the page shows every word).").format(
        file=photo.file_name, what=_listed(notes))


def _listed(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


# -- building -------------------------------------------------------------------------


def _build(story: Story, staging: Path, previous: dict[str, Any], out_dir: Path,
           options: ExportOptions, progress: Progress, cancel: CancelToken,
           report: ExportReport) -> None:
    images = staging / "images"
    images.mkdir()
    stems = _file_stems(story)
    old_photos: dict[str, Any] = previous.get("photos", {})
    state: dict[str, Any] = {"format": 2, "photos": {}}
    renditions: dict[str, list[RenditionRef]] = {}
    jobs: list[RenderJob] = []
    total = len(story.photos)
    progress(0, total, _("Preparing export…"))
    covers = cover_ids(story)  # their social cards want 1200 px

    for photo in story.photos:
        cancel.check()
        photo_options = card_options(options) if photo.id in covers else options
        xmp, warning = photo_xmp(story, photo) if options.write_metadata else (None, "")
        if warning:
            report.warnings.append(warning)
        xmp_hash = hashlib.sha256(xmp or b"").hexdigest()[:16]
        try:
            key = source_key(photo, photo_options, story.keep_location)
        except OSError:
            report.failed.append((photo.file_name, _("{file}: file not found.")
                                   .format(file=photo.file_name)))
            continue
        old = old_photos.get(photo.id)
        refs = None
        if isinstance(old, dict) and old.get("key") == key:
            refs = _reuse(old, stems[photo.id], out_dir, images, xmp, xmp_hash, report)
        if refs is not None:
            renditions[photo.id] = refs
            state["photos"][photo.id] = {"key": key, "xmp": xmp_hash,
                                         "renditions": [r.__dict__ for r in refs]}
            report.reused += 1
            progress(len(renditions), total, _("Unchanged: {file_name}")
                                             .format(file_name=photo.file_name))
            continue
        jobs.append(RenderJob(photo.id, str(photo.path), stems[photo.id], photo_options.widths,
                              options.quality, xmp, keep_location=story.keep_location,
                              webp=options.webp))
        state["photos"][photo.id] = {"key": key, "xmp": xmp_hash}

    with _RenderPool(images, options, cancel) as pool:
        pool.submit_all(jobs)
        # What the sources carry that web copies leave out: read while the workers render.
        sensitive = {p.id: sensitive_metadata(p.path) for p in story.photos}
        for photo_id, result in pool.results():
            photo = story.photo(photo_id)
            if isinstance(result, str):
                report.failed.append((photo.file_name, result))
                state["photos"].pop(photo_id, None)
            else:
                renditions[photo_id] = result
                state["photos"][photo_id]["renditions"] = [r.__dict__ for r in result]
                report.rendered += 1
            progress(len(renditions) + len(report.failed), total, _("Exported {file_name}")
                                                                  .format(file_name=photo.file_name))

    cancel.check()
    report.photos = len(renditions)
    if story.photos and not renditions:
        raise ExportError(_("No photo could be exported: {reasons}").format(
            reasons="; ".join(reason for _file, reason in report.failed)))
    report.removed = _removed_metadata(story, renditions, sensitive)
    write_pages(story, staging, renditions)
    state["files"] = export_listing(staging)  # what the next export may replace
    (staging / STATE_FILE).write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def _removed_metadata(story: Story, renditions: dict[str, list[RenditionRef]],
                      sensitive: dict[str, set[str]]) -> list[str]:
    """What the sources carried that the web copies leave out (for the export report)."""
    counts: dict[str, int] = {}
    for photo in story.photos:
        if photo.id in renditions:
            kinds = set(sensitive[photo.id])
            if story.keep_location:
                kinds.discard("location (GPS)")
            for kind in kinds:
                counts[kind] = counts.get(kind, 0) + 1
    return removed_summary(counts)


def _reuse(old: dict[str, Any], stem: str, out_dir: Path, images: Path, xmp: bytes | None,
           xmp_hash: str, report: ExportReport) -> list[RenditionRef] | None:
    """Carry a photo's renditions over from the previous export; None if they are gone.

    The state file is the folder's, so anyone who could write there could have written
    it: only its own plain files in images/ are taken, under names made here.
    """
    try:
        refs = [_trusted_ref(r, stem) for r in old["renditions"]]
        sources = [previous_rendition(out_dir, r["url"]) for r in old["renditions"]]
        if not refs or None in refs or None in sources:
            return None
        for ref, src in zip(refs, sources):
            dest = images / ref.url.removeprefix("images/")
            _link_or_copy(src, dest)
            if old.get("xmp") != xmp_hash and xmp is not None and ref.type == "image/jpeg":
                # Rewrites the file (new inode), so the previous export stays untouched.
                replace_xmp_in_jpeg_file(dest, xmp)
        if old.get("xmp") != xmp_hash:
            report.metadata_updated += 1
        return refs
    except (OSError, KeyError, TypeError, PhotostoryError):
        log.info("renditions of %s could not be reused; rendering again", stem, exc_info=True)
        return None


def _trusted_ref(entry: object, stem: str) -> RenditionRef | None:
    """A rendition the state file lists, rebuilt from its checked numbers and type."""
    if not isinstance(entry, dict):
        return None
    width, height, kind = entry.get("width"), entry.get("height"), entry.get("type", "image/jpeg")
    if kind not in EXTENSIONS or not all(_is_size(n) for n in (width, height)):
        return None
    return RenditionRef(f"images/{stem}-{width}{EXTENSIONS[kind]}", width, height, kind)


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


class _RenderPool:
    """Renders photos in worker processes (``workers=1``: the same code, in this process).

    Jobs are submitted as soon as they are planned and the biggest go first, so the
    workers start while the exporter carries on and finish close together.
    """

    def __init__(self, images: Path, options: ExportOptions, cancel: CancelToken) -> None:
        self.images = str(images)
        self.workers = options.workers or os.cpu_count() or 1
        self.cancel = cancel
        self.jobs: list[RenderJob] = []
        self.executor: ProcessPoolExecutor | None = None
        self.futures: dict[Future, RenderJob] = {}

    def __enter__(self) -> "_RenderPool":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def submit_all(self, jobs: list[RenderJob]) -> None:
        self.jobs = sorted(jobs, key=_source_size, reverse=True)
        if self.workers <= 1 or len(self.jobs) <= 1:
            return
        self.executor = ProcessPoolExecutor(
            max_workers=min(self.workers, len(self.jobs)), mp_context=get_context(start_method()),
            initializer=exit_with_parent, initargs=(os.getpid(), current_language()))
        self.futures = {self.executor.submit(render_job, job, self.images): job for job in self.jobs}

    def results(self) -> Iterator[tuple[str, list[RenditionRef] | str]]:
        """(photo id, renditions or error text) as photos finish."""
        if self.executor is None:
            for job in self.jobs:
                self.cancel.check()
                yield job.photo_id, _refs(render_job(job, self.images))
            return
        for future in as_completed(self.futures):
            self.cancel.check()
            yield self.futures[future].photo_id, _refs(future.result())


def start_method() -> str:
    """How to start workers: ``fork`` while this process runs a single thread (the command
    line), so they start at once with everything imported; ``spawn`` otherwise, since
    forking a process whose other threads hold locks (the editor's Qt threads, which
    Python's ``threading`` does not list) can hang the child."""
    try:
        if len(os.listdir("/proc/self/task")) == 1:
            return "fork"
    except OSError:  # no /proc: no way to count the threads
        pass
    return "spawn"


def _source_size(job: RenderJob) -> int:
    try:
        return os.path.getsize(job.source)
    except OSError:
        return 0


def _refs(result: RenderResult) -> list[RenditionRef] | str:
    return result if isinstance(result, str) else [RenditionRef(*r) for r in result]
