"""export_story: Story -> a folder a web server can serve as it is.

The export is built in a hidden sibling folder and swapped in at the end, so a
cancelled, failed or killed export leaves the previous export intact. Renditions
whose source and settings are unchanged are carried over from the previous export
without decoding anything; when only their caption or credit changed, just the XMP
segment is rewritten. One photo that fails is reported, not fatal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterator

from photostory.core.atomic import current_umask, exchange_paths, fsync_dir, short_name
from photostory.core.export.context import RenditionRef, build_context, manifest
from photostory.core.export.options import ExportOptions, ExportReport
from photostory.core.export.render import html_text, render
from photostory.core.export.worker import (
    EXTENSIONS, RenderJob, RenderResult, exit_with_parent, render_job,
)
from photostory.core.privacy import removed_summary, sensitive_metadata
from photostory.core.progress import CancelToken, Progress, no_progress
from photostory.core.slug import slugify
from photostory.core.story import Photo, Story
from photostory.core.xmp import MAX_XMP_PACKET, build_xmp, is_iso_date, replace_xmp_in_jpeg_file
from photostory.errors import ExportError, PhotostoryError
from photostory.resources import resource

log = logging.getLogger(__name__)

STATE_FILE = ".photostory-export.json"  # marks a folder as ours and keys its renditions
STATIC_FILES = ("photostory.css", "photostory.js")


def export_story(story: Story, out_dir: Path, options: ExportOptions = ExportOptions(),
                 progress: Progress = no_progress, cancel: CancelToken | None = None) -> ExportReport:
    """Export ``story`` into ``out_dir``; raises ExportError (nothing changed) or Cancelled."""
    out_dir = Path(out_dir).absolute()
    cancel = cancel or CancelToken()
    _recover_interrupted_swap(out_dir)
    previous = _previous_state(out_dir)
    report = ExportReport(out_dir=out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{short_name(out_dir.name)}.building-",
                                        dir=out_dir.parent))
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp's 0700 would hide the export from a web server
    except OSError as exc:
        raise ExportError(f"Cannot export to {out_dir}: {exc.strerror or exc}.",
                          "Choose a folder you can write to.") from exc
    try:
        _build(story, staging, previous, out_dir, options, progress, cancel, report)
        cancel.check()
        _swap_in(staging, out_dir)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ExportError(f"Export to {out_dir} failed: {exc.strerror or exc}.",
                              "The previous export, if any, is unchanged.") from exc
        raise
    return report


# -- planning -------------------------------------------------------------------------


def _previous_state(out_dir: Path) -> dict[str, Any]:
    state_path = out_dir / STATE_FILE
    if out_dir.exists():
        if not out_dir.is_dir():
            raise ExportError(f"Cannot export to {out_dir}: it is a file, not a folder.")
        if not state_path.exists() and any(out_dir.iterdir()):
            raise ExportError(
                f"Cannot export to {out_dir}: the folder already holds files that are not a "
                "Photostory export.", "Choose an empty folder or a previous export of this story.")
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        return state if isinstance(state, dict) and isinstance(state.get("photos"), dict) else {}
    except (OSError, ValueError):
        return {}


def source_key(photo: Photo, options: ExportOptions, keep_location: bool = False) -> str:
    """What decides a rendition's bytes besides the XMP: the file (size, mtime), the
    settings, and whether the location is kept."""
    stat = photo.path.stat()
    text = (f"{photo.path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|"
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


def photo_xmp(story: Story, photo: Photo) -> bytes:
    """The XMP packet for a photo's renditions: the desk's final text."""
    fields = {
        "caption": photo.caption, "headline": photo.headline or story.title,
        "creator": photo.creator, "credit": story.effective_credit(photo),
        "copyright": photo.copyright, "alt_text": photo.alt,
        # A hand-typed date that is not ISO 8601 is left out rather than fail the photo.
        "date_taken": photo.date_taken if is_iso_date(photo.date_taken) else "",
    }
    packet = build_xmp(fields)
    # A JPEG segment holds 64 KB: shorten very long texts (the page keeps them whole).
    while len(packet) > MAX_XMP_PACKET:
        longest = max(("caption", "alt_text", "headline"), key=lambda k: len(fields[k]))
        fields[longest] = fields[longest][: len(fields[longest]) * 3 // 4].rstrip() + "…"
        packet = build_xmp(fields)
    return packet


# -- building -------------------------------------------------------------------------


def _build(story: Story, staging: Path, previous: dict[str, Any], out_dir: Path,
           options: ExportOptions, progress: Progress, cancel: CancelToken,
           report: ExportReport) -> None:
    images = staging / "images"
    images.mkdir()
    stems = _file_stems(story)
    old_photos: dict[str, Any] = previous.get("photos", {})
    state: dict[str, Any] = {"format": 1, "photos": {}}
    renditions: dict[str, list[RenditionRef]] = {}
    jobs: list[RenderJob] = []
    total = len(story.photos)
    progress(0, total, "Preparing export…")

    for photo in story.photos:
        cancel.check()
        xmp = photo_xmp(story, photo) if options.write_metadata else None
        xmp_hash = hashlib.sha256(xmp or b"").hexdigest()[:16]
        try:
            key = source_key(photo, options, story.keep_location)
        except OSError:
            report.failed.append((photo.file_name, f"{photo.file_name}: file not found."))
            continue
        old = old_photos.get(photo.id)
        if old and old.get("key") == key and _reuse(old, stems[photo.id], out_dir, images, xmp,
                                                    xmp_hash, report):
            refs = [RenditionRef(**r) for r in old["renditions"]]
            refs = [RenditionRef(f"images/{stems[photo.id]}-{r.width}{EXTENSIONS[r.type]}",
                                 r.width, r.height, r.type) for r in refs]
            renditions[photo.id] = refs
            state["photos"][photo.id] = {"key": key, "xmp": xmp_hash,
                                         "renditions": [r.__dict__ for r in refs]}
            report.reused += 1
            progress(len(renditions), total, f"Unchanged: {photo.file_name}")
            continue
        jobs.append(RenderJob(photo.id, str(photo.path), stems[photo.id], options.widths,
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
            progress(len(renditions) + len(report.failed), total, f"Exported {photo.file_name}")

    cancel.check()
    report.photos = len(renditions)
    if story.photos and not renditions:
        raise ExportError("No photo could be exported: " + "; ".join(r for _, r in report.failed))
    report.removed = _removed_metadata(story, renditions, sensitive)
    _write_pages(story, staging, renditions)
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
           xmp_hash: str, report: ExportReport) -> bool:
    """Carry a photo's renditions over from the previous export; False if they are gone."""
    try:
        refs = old["renditions"]
        sources = [out_dir / r["url"] for r in refs]
        if not all(src.is_file() for src in sources):
            return False
        for ref, src in zip(refs, sources):
            kind = ref.get("type", "image/jpeg")
            dest = images / f"{stem}-{ref['width']}{EXTENSIONS[kind]}"
            _link_or_copy(src, dest)
            if old.get("xmp") != xmp_hash and xmp is not None and kind == "image/jpeg":
                # Rewrites the file (new inode), so the previous export stays untouched.
                replace_xmp_in_jpeg_file(dest, xmp)
        if old.get("xmp") != xmp_hash:
            report.metadata_updated += 1
        return True
    except (OSError, KeyError, TypeError, PhotostoryError):
        log.info("renditions of %s could not be reused; rendering again", stem, exc_info=True)
        return False


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
            initializer=exit_with_parent, initargs=(os.getpid(),))
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


def _write_pages(story: Story, staging: Path, renditions: dict[str, list[RenditionRef]]) -> None:
    assets = staging / "assets"
    assets.mkdir()
    for name in STATIC_FILES:
        shutil.copyfile(resource("static", name), assets / name)
    first_text = next((html_text(p.text).strip() for p in story.paragraphs()
                       if html_text(p.text).strip()), "")
    description = first_text if len(first_text) <= 200 else first_text[:197].rsplit(" ", 1)[0] + "…"
    page = build_context(story, renditions)
    (staging / "index.html").write_text(render("index.html.j2", description=description, **page),
                                        encoding="utf-8")
    embedded = build_context(story, renditions, id_prefix=page["story"]["key"] + "-")
    (staging / "embed.html").write_text(render("embed.html.j2", asset_base="", **embedded),
                                        encoding="utf-8")
    (staging / "story.json").write_text(
        json.dumps(manifest(story, renditions), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` in place of ``out_dir``: one atomic exchange where the system can,
    else two renames (an interruption between them is repaired by the next export)."""
    if out_dir.exists() and exchange_paths(staging, out_dir):
        fsync_dir(out_dir.parent)
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous export
        return
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{short_name(out_dir.name)}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except OSError:
        if old is not None:
            os.rename(old, out_dir)
        raise
    fsync_dir(out_dir.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _recover_interrupted_swap(out_dir: Path) -> None:
    """Put back a previous export that a killed two-rename swap left aside, and clear
    the staging folders of killed exports."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    prefix = f".{short_name(out_dir.name)}."
    for leftover in sorted(parent.glob(prefix + "old-*")):
        if not out_dir.exists() and (leftover / STATE_FILE).exists():
            os.rename(leftover, out_dir)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(prefix + "building-*"):
        # Only those no live export owns: an hour-old staging folder is abandoned.
        try:
            if time.time() - leftover.stat().st_mtime > 3600:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass
