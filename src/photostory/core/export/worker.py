"""The part of an export that runs in worker processes: one photo in, renditions out.

Kept apart from the pipeline so a worker imports only the image code (a spawned
worker starts in about half the time it takes to import the whole exporter).
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from photostory.core.i18n import _, use_language
from photostory.core.images.decoding import load_image
from photostory.core.images.renditions import downscale, make_renditions
from photostory.core.privacy import location_exif
from photostory.errors import PhotostoryError

log = logging.getLogger(__name__)

EXTENSIONS = {"image/jpeg": ".jpg", "image/webp": ".webp"}

#: (url relative to the export, width, height, MIME type) per rendition, or the error text.
RenderResult = list[tuple[str, int, int, str]] | str


@dataclass(frozen=True)
class RenderJob:
    """One photo to render (picklable)."""

    photo_id: str
    source: str
    stem: str
    widths: tuple[int, ...]
    quality: int
    xmp: bytes | None
    keep_location: bool = False
    webp: bool = False


def render_job(job: RenderJob, images: str) -> RenderResult:
    """Render one photo's renditions into ``images``; a bad photo becomes its message.

    OSError (the export folder can't be written: disk full) is raised, so the whole
    export fails and the previous one stays.
    """
    try:
        results = []
        exif = location_exif(Path(job.source)) if job.keep_location else None
        renditions = make_renditions(Path(job.source), job.widths, job.quality, xmp=job.xmp,
                                     exif=exif)
        for rendition in renditions:
            name = f"{job.stem}-{rendition.width}.jpg"
            Path(images, name).write_bytes(rendition.data)
            results.append((f"images/{name}", rendition.width, rendition.height, "image/jpeg"))
        if job.webp:
            sizes = [(r.width, r.height) for r in renditions]
            for (width, height), data in zip(sizes, webp_renditions(Path(job.source), sizes,
                                                                    job.quality)):
                name = f"{job.stem}-{width}.webp"
                Path(images, name).write_bytes(data)
                results.append((f"images/{name}", width, height, "image/webp"))
        return results
    except PhotostoryError as exc:
        return str(exc)
    except OSError:
        raise
    except Exception as exc:  # a bug: keep the export going, say which photo
        log.exception("rendering %s failed", job.source)
        return _("{file}: could not be exported ({problem}).").format(
            file=Path(job.source).name, problem=f"{type(exc).__name__}: {exc}")


def webp_renditions(source: Path, sizes: list[tuple[int, int]], quality: int) -> list[bytes]:
    """WebP encodings of the same sizes as the JPEG renditions (smallest first), resized
    from the decoded original the way the JPEGs are; no metadata."""
    image = load_image(source, min_size=sizes[-1])
    encoded: list[bytes] = []
    for size in reversed(sizes):
        image = downscale(image, size)
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=quality, method=4)
        encoded.append(buffer.getvalue())
    return encoded[::-1]


def exit_with_parent(parent_pid: int, language: str = "en") -> None:
    """Worker initializer: leave when the exporting process is gone (killed), instead of
    waiting forever for work that will never come; speak the exporting process's
    ``language`` (a spawned worker starts in English)."""
    use_language(language)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
