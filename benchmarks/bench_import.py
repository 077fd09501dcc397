"""How long creating a story takes: import with header checks vs with a draft decode.

    .venv/bin/python benchmarks/bench_import.py [--count 40] [--size 6000x4000] [--rounds 3]

Same run, same files (page cache warm for both):
  * per file, single thread: ``check_image`` (header + EOI marker, what import uses now),
    ``verify_image`` (a 1/8-scale draft decode, what import used before) and
    ``read_metadata`` (XMP/IPTC/EXIF, done by both);
  * ``import_photos`` over the whole set with its default thread pool, once as it is
    and once with ``verify_image`` put back in place of ``check_image`` ("before");
  * wall time of the ``photostory new`` command on the set (interpreter start included).
Rounds alternate before/after; medians are printed, with the before/after ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BIN, machine, median, ms, parse_size, photo_set  # noqa: E402

from photostory.core import importing  # noqa: E402
from photostory.core.images.opening import check_image, verify_image  # noqa: E402
from photostory.core.metadata.reading import read_metadata  # noqa: E402


def per_file(photos: list[Path], function) -> float:
    times = []
    for path in photos:
        started = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - started)
    return median(times)


def import_time(photos: list[Path], checker) -> float:
    original = importing.check_image
    importing.check_image = checker
    try:
        started = time.perf_counter()
        report = importing.import_photos(photos)
        elapsed = time.perf_counter() - started
    finally:
        importing.check_image = original
    assert len(report.photos) == len(photos), report.skipped
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--size", type=parse_size, default=(6000, 4000))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    photos = photo_set(*args.size, count=args.count)
    print(machine())
    print(f"{len(photos)} photos of {args.size[0]}x{args.size[1]}, "
          f"{sum(p.stat().st_size for p in photos) / len(photos) / 1e6:.1f} MB each on average")
    for path in photos:  # warm the page cache for everybody
        path.read_bytes()

    print("\nper file, one thread (median):")
    check = per_file(photos, check_image)
    verify = per_file(photos, verify_image)
    meta = per_file(photos, read_metadata)
    print(f"  check_image (header + EOI)   {ms(check)}")
    print(f"  verify_image (1/8 decode)    {ms(verify)}")
    print(f"  read_metadata                {ms(meta)}")

    before, after, cli = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            before.append(import_time(photos, verify_image))
            after.append(import_time(photos, check_image))
            story = Path(tmp) / f"s{round_}.photostory"
            started = time.perf_counter()
            subprocess.run([str(BIN / "photostory"), "new", str(story), "--title", "Bench",
                            "--photos", *map(str, photos)], check=True, capture_output=True)
            cli.append(time.perf_counter() - started)
    b, a, c = median(before), median(after), median(cli)
    print(f"\nimport_photos of {len(photos)} files, default thread pool (median of {args.rounds}):")
    print(f"  before (verify_image)  {b:.3f} s  ({ms(b / len(photos))}/photo)")
    print(f"  after  (check_image)   {a:.3f} s  ({ms(a / len(photos))}/photo)")
    print(f"  after/before           {a / b:.3f}  ({b / a:.1f}x faster)")
    print(f"  `photostory new` wall time, interpreter start included: {c:.3f} s")
    print(f"  extrapolated to 500 photos: {a / len(photos) * 500:.1f} s in-process")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
