"""Per-photo CPU cost of the export's image work, ours vs sigal's, and where it goes.

    .venv/bin/python benchmarks/bench_renditions.py [--count 12] [--size 6000x4000]

One thread, in this process, CPU time (``time.thread_time``), so other work on the
machine hardly moves the figures; photos interleaved between variants:
  * ours: ``make_renditions(path, (480, 960, 1600), 82, xmp=...)`` as the export's
    workers call it, and its stages (decode at the draft scale, the three BICUBIC
    resizes, the three progressive optimized encodes);
  * sigal 2.6: ``generate_image`` (1600 px) + ``generate_thumbnail`` (400x267, fit)
    with the settings of bench_export.py;
  * libvips (pyvips, when installed) making the same three renditions, for scale:
    its CPU is that of the whole process, since libvips works in threads of its own;
  * variants of ours: LANCZOS resizing (what the export used before BICUBIC), and
    baseline (non-progressive) optimized JPEGs, which would be ~5 % larger files
    without progressive loading: measured, not adopted (see README).
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, median, ms, parse_size, photo_set  # noqa: E402

from PIL import Image, ImageChops, ImageStat  # noqa: E402

from photostory.core.images import decoding, orientation, renditions  # noqa: E402

WIDTHS = (480, 960, 1600)
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'


def cpu(function) -> float:
    started = time.thread_time()
    function()
    return time.thread_time() - started


def process_cpu(function) -> float:
    """CPU of the whole process: libvips works in threads of its own."""
    started = time.process_time()
    function()
    return time.process_time() - started


def vips_renditions(path: Path) -> None:
    """The same three progressive q82 renditions made with libvips: shrink-on-load to
    1600 wide, then cubic resizes from it (what a libvips-based export would do)."""
    import pyvips

    largest = pyvips.Image.thumbnail(str(path), WIDTHS[-1], height=100_000).copy_memory()
    for width in WIDTHS:
        image = largest if width == largest.width else largest.resize(width / largest.width,
                                                                      kernel="cubic")
        image.jpegsave_buffer(Q=82, optimize_coding=True, interlace=True)


class _Variant:
    """Temporarily swap the renditions' resize filter and/or the JPEG options."""

    def __init__(self, lanczos: bool = False, baseline: bool = False) -> None:
        self.lanczos, self.baseline = lanczos, baseline

    def __enter__(self) -> None:
        self.resize, self.encode = Image.Image.resize, renditions.encode_jpeg
        real_resize, real_encode = self.resize, self.encode
        if self.lanczos:
            def resize(im, size, resample=None, *args, **kwargs):
                if resample == Image.Resampling.BICUBIC:
                    resample = Image.Resampling.LANCZOS
                return real_resize(im, size, resample, *args, **kwargs)
            Image.Image.resize = resize
        if self.baseline:
            def encode(im, quality, xmp, exif=None):
                buffer = io.BytesIO()
                im.save(buffer, "JPEG", quality=quality, optimize=True, subsampling="4:2:0",
                        **({"xmp": xmp} if xmp else {}))
                return buffer.getvalue()
            renditions.encode_jpeg = encode
        del real_encode

    def __exit__(self, *exc) -> None:
        Image.Image.resize, renditions.encode_jpeg = self.resize, self.encode


def stages(path: Path) -> dict[str, float]:
    """make_renditions' steps, timed one by one (same calls as renditions.make_renditions)."""
    times: dict[str, float] = {}
    started = time.thread_time()
    image, info = decoding.decode(path, lambda w, h: (1600, renditions.height_for(1600, w, h)),
                                  turn=False)
    times["decode (draft scale)"] = time.thread_time() - started
    sizes = [(w, renditions.height_for(w, info.width, info.height))
             for w in renditions.rendition_widths(info.width, WIDTHS)]
    largest = sizes[-1][::-1] if info.orientation in orientation.SWAPS_SIDES else sizes[-1]
    started = time.thread_time()
    image = orientation.upright(renditions.downscale(image, largest), info.orientation)
    times["resize to 1600 (BICUBIC)"] = time.thread_time() - started
    encode = 0.0
    resize = 0.0
    for size in reversed(sizes):
        started = time.thread_time()
        image = renditions.downscale(image, size)
        resize += time.thread_time() - started
        started = time.thread_time()
        renditions.encode_jpeg(image, 82, XMP)
        encode += time.thread_time() - started
    times["resize to 960 and 480"] = resize
    times["encode 3 JPEGs (progressive)"] = encode
    return times


def psnr(a: Image.Image, b: Image.Image) -> float:
    rms = math.sqrt(sum(v * v for v in ImageStat.Stat(ImageChops.difference(a, b)).rms) / 3)
    return 20 * math.log10(255 / max(rms, 1e-9))


def fidelity(path: Path, variants: dict[str, "_Variant"]) -> dict[str, list[float]]:
    """PSNR (dB) of each variant's 1600/960/480 JPEGs against the whole file decoded at
    full size and resized straight to that width with LANCZOS (no JPEG): the best
    these pixels can be. "reference, JPEG q82" is that reference itself encoded as
    ours are: the loss JPEG alone brings."""
    full = decoding.load_image(path)  # upright, full size
    references = {w: full.resize((w, renditions.height_for(w, *full.size)), Image.Resampling.LANCZOS)
                  for w in WIDTHS}
    scores: dict[str, list[float]] = {}
    for name, variant in variants.items():
        with variant:
            made = renditions.make_renditions(path, WIDTHS, 82)
        scores[name] = [psnr(references[r.width], Image.open(io.BytesIO(r.data)).convert("RGB"))
                        for r in reversed(made)]
    scores["reference, JPEG q82"] = [
        psnr(ref, Image.open(io.BytesIO(renditions.encode_jpeg(ref, 82, None))).convert("RGB"))
        for _, ref in sorted(references.items(), reverse=True)]
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--size", type=parse_size, default=(6000, 4000))
    args = parser.parse_args(argv)
    photos = photo_set(*args.size, count=args.count)
    for path in photos:
        path.read_bytes()
    print(machine())
    print(f"{len(photos)} photos of {args.size[0]}x{args.size[1]}, one thread, CPU time")
    try:
        from sigal import image as sigal_image
        from sigal.settings import create_settings
    except ImportError:
        sigal_image = None
        print("sigal not installed (pip install -e '.[bench]'): no sigal column")

    tmp = Path(tempfile.mkdtemp())
    if sigal_image:
        settings = create_settings(img_size=(1600, 1067), thumb_size=(400, 267),
                                   jpg_options={"quality": 82, "optimize": True, "progressive": True})

    def sigal_photo(path: Path) -> None:
        out = str(tmp / path.name)
        sigal_image.generate_image(str(path), out, settings, options=settings["jpg_options"])
        sigal_image.generate_thumbnail(out, str(tmp / f"thumb-{path.name}"), settings["thumb_size"],
                                       fit=True, options=settings["jpg_options"])

    variants = {
        "ours": _Variant(),
        "ours with LANCZOS (before)": _Variant(lanczos=True),
        "ours, baseline JPEG": _Variant(baseline=True),
    }
    results: dict[str, list[float]] = {name: [] for name in variants}
    results["sigal"] = []
    try:
        import pyvips
        pyvips.cache_set_max(0)
        vips_renditions(photos[0])
        results["pyvips, same renditions (process CPU)"] = []
    except (ImportError, OSError):
        print("pyvips not installed (pip install -e '.[bench]'): no libvips row")
    stage_times: dict[str, list[float]] = {}
    renditions.make_renditions(photos[0], WIDTHS, 82, xmp=XMP)  # first-call imports
    for path in photos:
        for name, variant in variants.items():
            with variant:
                results[name].append(cpu(lambda: renditions.make_renditions(path, WIDTHS, 82, xmp=XMP)))
        if sigal_image:
            results["sigal"].append(cpu(lambda: sigal_photo(path)))
        if "pyvips, same renditions (process CPU)" in results:
            results["pyvips, same renditions (process CPU)"].append(
                process_cpu(lambda: vips_renditions(path)))
        for stage, seconds in stages(path).items():
            stage_times.setdefault(stage, []).append(seconds)

    ours = median(results["ours"])
    print("\nmedian CPU per photo:")
    for name, values in results.items():
        if values:
            line = f"  {name:32s} {ms(median(values)):>10s}"
            if results["sigal"] and name != "sigal":
                line += f"   /sigal {median(values) / median(results['sigal']):.3f}"
            print(line)
    print("\nours by stage (median per photo):")
    for stage, values in stage_times.items():
        print(f"  {stage:32s} {ms(median(values)):>10s}  ({median(values) / ours:.0%})")
    print(f"\nfidelity: PSNR against full-size decode + LANCZOS, mean of {min(4, len(photos))} photos"
          " (1600 / 960 / 480):")
    scores: dict[str, list[list[float]]] = {}
    for path in photos[:4]:
        for name, values in fidelity(path, variants).items():
            scores.setdefault(name, []).append(values)
    for name, rows in scores.items():
        means = [sum(column) / len(column) for column in zip(*rows)]
        print(f"  {name:32s} " + " / ".join(f"{m:.2f}" for m in means) + " dB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
