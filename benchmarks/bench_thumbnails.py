"""Thumbnail speed and memory: our make_thumbnail vs ``djpeg -scale 1/8`` vs pyvips.

    .venv/bin/python benchmarks/bench_thumbnails.py [--count 40] [--size 6000x4000] [--rounds 3]

Method (all in one run, page cache warm, tools interleaved photo by photo so drift
hits all of them alike):
  * ours: ``photostory.core.images.decoding.make_thumbnail(path, 256)`` in this process
    (draft decode at 1/8, sRGB, orientation, LANCZOS to 256 px), one thread.
  * djpeg: ``djpeg -scale 1/8 -outfile /dev/null`` as a subprocess: the libjpeg-turbo
    entropy-decode floor, at one thread. Its process start (fork/exec, library
    loading) is measured on a 16x16 JPEG and subtracted; both the raw and the
    corrected figure are printed, the ratio uses the corrected one.
  * pyvips: ``pyvips.Image.thumbnail(path, 256)`` forced to pixels with
    ``write_to_memory()``, operation cache off (else repeats are free), once at the
    default thread pool (both cores) and once with ``concurrency_set(1)``.
  * naive Pillow (reference, one round): ``ImageOps.exif_transpose`` then ``thumbnail``.
Per photo the median over rounds is taken, then the median over photos.

Peak RSS of one thumbnail: a fresh interpreter imports everything, reads its RSS,
resets the kernel's high-water mark (``/proc/self/clear_refs``), makes one thumbnail
and reads the high-water mark (VmHWM); the increase is printed (max over a few
photos, portrait included). The same is done for pyvips for comparison.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (bench_dir, camera_layout_set, machine, median, ms, parse_size,  # noqa: E402
                     photo_set, verdict)

from PIL import Image, ImageOps  # noqa: E402

from photostory.core.images.decoding import make_thumbnail  # noqa: E402

SIZE = 256
TARGET_DJPEG, TARGET_VIPS, TARGET_RSS = 1.10, 0.85, 40.0

_RSS_PROBE = r"""
import json, resource, sys
from pathlib import Path
tool, path = sys.argv[1], Path(sys.argv[2])
if tool == "ours":
    from photostory.core.images.decoding import make_thumbnail
    import PIL.JpegImagePlugin, PIL.PngImagePlugin, PIL.ImageCms  # what a first call would import
    run = lambda: make_thumbnail(path, 256)
else:
    import pyvips
    pyvips.cache_set_max(0)
    run = lambda: pyvips.Image.thumbnail(str(path), 256).write_to_memory()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
base_rss = status("VmRSS")
try:  # reset the high-water mark (Linux >= 4.0) so the import-time peak does not hide ours
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    exact = True
except OSError:
    exact = False  # then the increase of ru_maxrss over the current RSS: an upper bound
run()
peak = status("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"baseline_mib": base_rss, "increase_mib": peak - base_rss, "peak_mib": peak,
                  "exact": exact}))
"""


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def djpeg_run(djpeg: str, path: Path) -> float:
    return timed(lambda: subprocess.run([djpeg, "-scale", "1/8", "-outfile", "/dev/null", str(path)],
                                        check=True))


def rss_probe(tool: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _RSS_PROBE, tool, str(path)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def camera_files(photos: list[Path], djpeg: str | None, overhead: float, pyvips, rounds: int) -> None:
    """The same comparison on copies laid out as camera originals with an MPF reduced
    copy (as many cameras write them): ours decodes that copy, the others the picture.
    A second figure, not the target's: the target's set above has no such copy."""
    if not photos:
        return
    files = camera_layout_set(photos)
    for path in files:
        path.read_bytes()
    make_thumbnail(files[0], SIZE)
    times: dict[str, dict[Path, list[float]]] = {"ours": {}, "djpeg": {}, "vips": {}}
    for _ in range(rounds):
        for path in files:
            times["ours"].setdefault(path, []).append(timed(lambda: make_thumbnail(path, SIZE)))
            if djpeg:
                times["djpeg"].setdefault(path, []).append(djpeg_run(djpeg, path) - overhead)
            if pyvips:
                times["vips"].setdefault(path, []).append(
                    timed(lambda: pyvips.Image.thumbnail(str(path), SIZE).write_to_memory()))
    result = {name: median([median(v) for v in per.values()]) for name, per in times.items() if per}
    line = f"\ncamera originals with an MPF reduced copy ({len(files)} photos): ours {ms(result['ours'])}"
    if "djpeg" in result:
        line += f", djpeg 1/8 {ms(result['djpeg'])} (ours/djpeg {result['ours'] / result['djpeg']:.3f})"
    if "vips" in result:
        line += f", pyvips {ms(result['vips'])} (ours/pyvips {result['ours'] / result['vips']:.3f})"
    print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--size", type=parse_size, default=(6000, 4000))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--camera", type=int, default=12,
                        help="photos also measured as camera originals with an MPF copy")
    args = parser.parse_args(argv)
    photos = photo_set(*args.size, count=args.count)
    djpeg = shutil.which("djpeg")
    try:
        import pyvips
        pyvips.cache_set_max(0)
    except (ImportError, OSError):
        pyvips = None
    print(machine())
    print(f"{len(photos)} photos of {args.size[0]}x{args.size[1]} "
          f"({sum(p.stat().st_size for p in photos) / len(photos) / 1e6:.1f} MB each on average), "
          f"thumbnails of {SIZE} px, {args.rounds} rounds")
    if pyvips is not None:
        print(f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}, "
              f"default concurrency {pyvips.concurrency_get()}")
    if djpeg is None:
        print("djpeg not found (Debian: apt-get install libjpeg-turbo-progs): no djpeg column")

    for path in photos:  # page cache warm for all tools
        path.read_bytes()

    tiny = bench_dir() / "tiny.jpg"
    Image.new("RGB", (16, 16), "grey").save(tiny, quality=90)
    overhead = median([djpeg_run(djpeg, tiny) for _ in range(30)]) if djpeg else 0.0

    def vips_thumb(path: Path) -> None:
        pyvips.Image.thumbnail(str(path), SIZE).write_to_memory()

    columns: dict[str, dict[Path, list[float]]] = {"ours": {}, "djpeg": {}, "vips": {}, "vips-1t": {}}
    default_concurrency = pyvips.concurrency_get() if pyvips else 0
    make_thumbnail(photos[0], SIZE)  # first-call imports (plugins, ImageCms) out of the timing
    if pyvips:
        vips_thumb(photos[0])
    for _ in range(args.rounds):
        for path in photos:
            columns["ours"].setdefault(path, []).append(timed(lambda: make_thumbnail(path, SIZE)))
            if djpeg:
                columns["djpeg"].setdefault(path, []).append(djpeg_run(djpeg, path) - overhead)
            if pyvips:
                pyvips.concurrency_set(default_concurrency)
                columns["vips"].setdefault(path, []).append(timed(lambda: vips_thumb(path)))
                pyvips.concurrency_set(1)
                columns["vips-1t"].setdefault(path, []).append(timed(lambda: vips_thumb(path)))
    if pyvips:
        pyvips.concurrency_set(default_concurrency)

    def naive(path: Path) -> None:
        with Image.open(path) as im:
            upright = ImageOps.exif_transpose(im)
            upright.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)

    naive_times = [timed(lambda: naive(p)) for p in photos[: max(4, len(photos) // 4)]]

    result = {name: median([median(v) for v in per.values()]) for name, per in columns.items() if per}
    print("\nmedian ms per image:")
    print(f"  ours (make_thumbnail)           {ms(result['ours'])}")
    if "djpeg" in result:
        print(f"  djpeg -scale 1/8                {ms(result['djpeg'])}  "
              f"(raw {ms(result['djpeg'] + overhead)} minus process start {ms(overhead)})")
    if "vips" in result:
        print(f"  pyvips thumbnail ({default_concurrency} threads)     {ms(result['vips'])}")
        print(f"  pyvips thumbnail (1 thread)     {ms(result['vips-1t'])}")
    print(f"  naive Pillow (exif_transpose, then thumbnail; {len(naive_times)} photos)  "
          f"{ms(median(naive_times))}")

    print("\nratios (same run):")
    if "djpeg" in result:
        ratio = result["ours"] / result["djpeg"]
        total = sum(map(sum, columns["ours"].values())) / sum(map(sum, columns["djpeg"].values()))
        print(f"  ours/djpeg   {ratio:.3f}  (target <= {TARGET_DJPEG:.2f}: {verdict(ratio, TARGET_DJPEG)}; "
              f"ratio of totals {total:.3f})")
    if "vips" in result:
        ratio = result["ours"] / result["vips"]
        print(f"  ours/pyvips  {ratio:.3f}  (target <= {TARGET_VIPS:.2f}: {verdict(ratio, TARGET_VIPS)}); "
              f"vs pyvips at 1 thread {result['ours'] / result['vips-1t']:.3f}")

    camera_files(photos[: args.camera], djpeg, overhead, pyvips, args.rounds)

    print("\npeak RSS of one thumbnail in a fresh interpreter (increase over its baseline):")
    probes = [photos[0], photos[min(3, len(photos) - 1)], photos[-1]]  # index 3: EXIF orientation 6
    ours = [rss_probe("ours", p) for p in probes]
    worst = max(r["increase_mib"] for r in ours)
    print(f"  ours    +{worst:.1f} MiB (baseline {ours[0]['baseline_mib']:.1f} MiB; "
          f"target <= {TARGET_RSS:.0f} MiB: {verdict(worst, TARGET_RSS)})")
    if pyvips:
        vips = [rss_probe("vips", p) for p in probes]
        print(f"  pyvips  +{max(r['increase_mib'] for r in vips):.1f} MiB "
              f"(baseline {vips[0]['baseline_mib']:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
