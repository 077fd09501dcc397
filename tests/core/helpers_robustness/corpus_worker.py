"""Runs image files through import, thumbnail and export, one JSON line per event.

``python corpus_worker.py WORK_DIR FILE...``. For each file it prints
``{"start": FILE}`` before touching it and ``{"done": FILE, ...}`` after, so the test
(tests/core/test_bad_input_corpus.py) can kill a hang and carry on with the next file.
Nothing else may go to stdout; anything on stderr is a finding (a leaked warning
or traceback).

Per file: ``import_photos`` (one worker), ``make_thumbnail`` and ``export_story``
(workers=1) of a one-photo story (the imported photo, or a story file's reference to
the rejected file). Unexpected exceptions are caught here and reported with their
traceback as ``crash``; error-level log records (the code's own "this is a bug"
logging) too. Every decode of pixels (``ImageFile.load``) is counted with the pixels it
decodes, per stage, so the test can check that decompression bombs are refused from the
header and that no file costs more decoding than its own picture warrants.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from pathlib import Path

from PIL import Image, ImageChops, ImageOps, ImageStat

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.images.decoding import make_thumbnail
from photostory.core.images.opening import read_image_info
from photostory.core.importing import import_photos
from photostory.core.slug import slugify
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.errors import PhotostoryError

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, for support
from support import Decodes, counting_decodes  # noqa: E402

class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


def _crash(stage: str) -> dict:
    return {"stage": stage, "traceback": traceback.format_exc()}


def _first_frame_distance(path: Path, rendition: Image.Image) -> dict | None:
    """For multi-frame files: how far the rendition is from frame 0 and from the last frame
    (mean absolute difference per channel, 0-255), both frames prepared the simple way."""
    try:
        with Image.open(path) as im:
            frames = getattr(im, "n_frames", 1)
            if frames < 2:
                return None
            result = {"frames": frames}
            for key, index in (("first", 0), ("last", frames - 1)):
                im.seek(index)
                frame = ImageOps.exif_transpose(im.convert("RGBA"))
                flat = Image.new("RGB", frame.size, (255, 255, 255))
                flat.paste(frame, mask=frame.getchannel("A"))
                flat = flat.resize(rendition.size, Image.Resampling.BOX)
                diff = ImageStat.Stat(ImageChops.difference(flat, rendition)).mean
                result[key] = sum(diff) / len(diff)
            return result
    except Exception as exc:  # the reference itself is best effort
        return {"error": repr(exc)}


def run_one(rel: str, path: Path, work: Path, decodes: Decodes) -> dict:
    """One file through every stage; ``work`` in the result is the decoding each stage
    did (the checks' own reading of the renditions is not counted)."""
    decodes.take()
    result: dict = {"done": rel, "crash": [], "log_errors": [], "work": {}}
    handler = _Collect()
    logging.getLogger().addHandler(handler)
    photo: Photo | None = None

    def stage_done(stage: str) -> None:
        done = decodes.take()
        result["work"][stage] = {"decodes": done.count, "pixels": done.pixels}

    try:
        report = import_photos([path], workers=1)
        if report.photos:
            photo = report.photos[0]
            result["import"] = {"ok": True, "size": [photo.width, photo.height],
                                "warnings": report.warnings}
        else:
            result["import"] = {"ok": False, "reasons": [r for _, r in report.skipped]}
    except Exception:
        result["crash"].append(_crash("import"))
    stage_done("import")

    try:
        thumb = make_thumbnail(path, 256)
        result["thumbnail"] = {"ok": True, "mode": thumb.mode, "size": list(thumb.size)}
    except PhotostoryError as exc:
        result["thumbnail"] = {"ok": False, "reason": str(exc), "type": type(exc).__name__}
    except Exception:
        result["crash"].append(_crash("thumbnail"))
    stage_done("thumbnail")

    out = work / slugify(rel, max_length=80)
    story = Story(title=rel, default_credit="corpus")
    story.photos = [photo or Photo(path=path)]  # a rejected file, as a story file names it
    story.body = [Paragraph("Corpus file."), PhotoGroup([story.photos[0].id])]
    try:
        try:
            export = export_story(story, out, ExportOptions(workers=1))
        finally:
            stage_done("export")
        renditions = []
        for url in sorted((out / "images").iterdir()):
            with Image.open(url) as im:
                renditions.append({"name": url.name, "format": im.format, "mode": im.mode,
                                   "bits": im.bits if hasattr(im, "bits") else 8,
                                   "icc": "icc_profile" in im.info, "size": list(im.size)})
        result["export"] = {"ok": True, "photos": export.photos,
                            "failed": [r for _, r in export.failed], "renditions": renditions}
        largest = max((out / "images").iterdir(), key=lambda p: p.stat().st_size)
        with Image.open(largest) as im:
            result["frames"] = _first_frame_distance(path, im.convert("RGB"))
    except PhotostoryError as exc:
        result["export"] = {"ok": False, "reason": str(exc), "type": type(exc).__name__,
                            "out_exists": out.exists(),
                            "leftovers": [p.name for p in work.iterdir() if p.name.startswith(".")]}
    except Exception:
        result["crash"].append(_crash("export"))
    decodes.take()  # the reference frames above are the check's, not the program's
    try:
        result["info_frames"] = read_image_info(path).frames
    except PhotostoryError:
        result["info_frames"] = None
    except Exception:
        result["crash"].append(_crash("read_image_info"))
    stage_done("read_image_info")
    result["decodes"] = sum(stage["decodes"] for stage in result["work"].values())
    logging.getLogger().removeHandler(handler)
    result["log_errors"] = handler.records
    return result


def main() -> None:
    work, root = Path(sys.argv[1]), Path(sys.argv[2])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    with counting_decodes() as decodes:
        for rel in sys.argv[3:]:
            print(json.dumps({"start": rel}), flush=True)
            print(json.dumps(run_one(rel, root / rel, work, decodes), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
