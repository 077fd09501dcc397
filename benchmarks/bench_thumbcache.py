"""The thumbnail cache at story scale: what the editor's grid will pay, without Qt.

    .venv/bin/python benchmarks/bench_thumbcache.py [--photos 1000] [--size 256]

Core share of "re-opening a 1000-photo story whose thumbnails are cached shows the
grid full within 1.5 s" (the offscreen editor benchmark builds on this):
  * a story folder of N photo paths (hard links to the generated 6000x4000 set, so
    every path has its own cache entry), a story file of them, and a private cache
    (``<work>/xdg-cache/thumbnails``, not your ~/.cache/thumbnails); the editor's
    grid benchmark can reuse it: ``prepare_cached_story()``, then start the editor
    with XDG_CACHE_HOME set to the folder it returns;
  * cold: ``thumbnail_for`` on the distinct photos (decode + PNG store) vs
    ``make_thumbnail`` alone, i.e. what storing an entry costs;
  * the cache is then filled for all N paths (entries made from the already decoded
    thumbnails: the real store code, without decoding 1000 photos);
  * warm: ``cached_thumbnail`` for all N paths, one thread and a 2-thread pool
    (Pillow releases the GIL while inflating PNG), and the first 60 alone (a screenful).
Figures are medians of 3 passes; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_dir, machine, median, ms, photo_set  # noqa: E402

from photostory.core import thumbcache  # noqa: E402
from photostory.core.images import decoding  # noqa: E402

BUDGET = 1.5  # seconds for the editor's full grid, of which this is the core share
SCREENFUL = 60


def prepare_cached_story(photos: int = 1000, distinct: int = 40, size: int = 256,
                         work: Path | None = None) -> tuple[list[Path], Path, dict[str, float]]:
    """A story folder of ``photos`` paths with a filled thumbnail cache, for benchmarks.

    Returns (photo paths, XDG_CACHE_HOME to use, cold timings). The cache is
    ``<XDG_CACHE_HOME>/thumbnails``, so an editor started with that XDG_CACHE_HOME
    (the offscreen grid benchmark) finds every thumbnail cached. A story file of the
    paths is written beside them as ``story.photostory``.
    """
    from photostory.core.importing import import_photos
    from photostory.core.story import Story
    from photostory.core.storyfile import save_story

    originals = photo_set(6000, 4000, count=distinct)
    work = work or bench_dir() / "thumbcache-run"
    shutil.rmtree(work, ignore_errors=True)
    story, xdg = work / "story", work / "xdg-cache"
    cache = xdg / "thumbnails"
    story.mkdir(parents=True)
    paths = []
    for i in range(photos):
        link = story / f"frame-{i + 1:04d}.jpg"
        os.link(originals[i % len(originals)], link)
        paths.append(link)

    # Cold: decode + store vs decode alone, on the distinct files.
    first = paths[: len(originals)]
    for path in first:
        path.read_bytes()
    plain, stored, decoded = [], [], {}
    for path in first:
        started = time.perf_counter()
        decoding.make_thumbnail(path, thumbcache.flavour_for(size)[1])
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        decoded[path.stat().st_ino] = thumbcache.thumbnail_for(path, size, cache_dir=cache)
        stored.append(time.perf_counter() - started)

    # Fill the cache for every path with the real store code, reusing the decodes.
    real = decoding.make_thumbnail
    decoding.make_thumbnail = lambda path, size: decoded[Path(path).stat().st_ino]
    try:
        for path in paths:
            thumbcache.thumbnail_for(path, size, cache_dir=cache)
    finally:
        decoding.make_thumbnail = real
    document = Story(title="Thumbnail cache benchmark")
    document.photos = import_photos(paths).photos
    save_story(document, work / "story.photostory")
    return paths, xdg, {"make_thumbnail": median(plain), "thumbnail_for": median(stored)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=1000, help="paths in the story")
    parser.add_argument("--distinct", type=int, default=40, help="distinct photo files behind them")
    parser.add_argument("--size", type=int, default=256, help="thumbnail size asked for")
    args = parser.parse_args(argv)
    paths, xdg, cold = prepare_cached_story(args.photos, args.distinct, args.size)
    cache = xdg / "thumbnails"
    print(machine())
    print(f"{args.photos} paths over {args.distinct} distinct 6000x4000 JPEGs, size {args.size} "
          f"(flavour {thumbcache.flavour_for(args.size)[0]})")
    print(f"story {paths[0].parent.parent / 'story.photostory'}, XDG_CACHE_HOME={xdg}")
    print(f"\ncold, per photo (median): make_thumbnail {ms(cold['make_thumbnail'])}, "
          f"thumbnail_for (decode + PNG store) {ms(cold['thumbnail_for'])}")
    entries = list((cache / thumbcache.flavour_for(args.size)[0]).glob("*.png"))
    print(f"cache filled: {len(entries)} entries, "
          f"{sum(e.stat().st_size for e in entries) / len(entries) / 1024:.0f} KiB each")

    def hit(path: Path) -> None:
        assert thumbcache.cached_thumbnail(path, args.size, cache_dir=cache) is not None

    def serial(items: list[Path]) -> float:
        started = time.perf_counter()
        for path in items:
            hit(path)
        return time.perf_counter() - started

    def pooled(items: list[Path]) -> float:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(hit, items))
        return time.perf_counter() - started

    one = median([serial(paths) for _ in range(3)])
    two = median([pooled(paths) for _ in range(3)])
    screen = median([serial(paths[:SCREENFUL]) for _ in range(3)])
    print(f"\nwarm, cached_thumbnail for all {len(paths)} paths:")
    print(f"  one thread        {one:.3f} s  ({ms(one / len(paths))} each)")
    print(f"  2-thread pool     {two:.3f} s  ({two / BUDGET:.0%} of the editor's {BUDGET} s budget "
          f"for the full grid)")
    print(f"  first {SCREENFUL} (a screenful), one thread  {ms(screen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
