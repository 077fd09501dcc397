"""Language versions: exporting three versions against one, and a caption change in one version.

    .venv/bin/python benchmarks/bench_versions.py [--count 24] [--size 6000x4000] [--rounds 7]

Same run, same photos, in-process (``export_story``, default widths 480/960/1600, one
worker per core); each figure is the median over rounds.

  * three versions vs one: a Kazakh story with Russian and English versions (every photo
    captioned in all three) exported to a fresh folder, alternated round by round with
    the same story's Kazakh version alone (``story.version("kk")``, today's layout). The
    renditions are shared, so the three versions cost three pages more, not three times
    the photos.
  * a caption change in one version: one photo's Russian caption is changed, then the
    three-version export is repeated into the same folder. The script counts Pillow's
    pixel decodes in this process (the re-export plans no render job, so no worker is
    started) and checks the report (rendered 0, one photo's metadata rewritten) and
    that only that photo's rendition files are new inodes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from _common import bench_dir, machine, median, parse_size, photo_set, verdict  # noqa: E402

from PIL import ImageFile  # noqa: E402

from photostory.core.export.options import ExportOptions  # noqa: E402
from photostory.core.export.pipeline import export_story  # noqa: E402
from photostory.core.importing import import_photos  # noqa: E402
from photostory.core.story import Paragraph, PhotoGroup, Story, Translation  # noqa: E402

TARGET_VERSIONS, TARGET_CAPTION = 1.15, 0.10


def make_story(photos: list[Path]) -> Story:
    story = Story(title="Саммит", language="kk", default_credit="akorda.kz")
    story.photos = import_photos(photos).photos
    ids = [p.id for p in story.photos]
    story.body = [Paragraph("Астанада саммит өтті."), PhotoGroup(ids[:3]), Paragraph("Делегаттар."),
                  PhotoGroup(ids[3:])]
    for n, photo in enumerate(story.photos, 1):
        photo.caption, photo.alt = f"{n}-сурет: делегаттар келді.", f"Көше, {n}"
    for tag, word in (("ru", "Снимок"), ("en", "Photo")):
        story.translations.append(Translation(
            language=tag, title=f"Summit ({tag})", body=[Paragraph("Text."), PhotoGroup(ids)],
            captions={p.id: f"{word} {n}: delegates arrive." for n, p in enumerate(story.photos, 1)},
            alts={p.id: f"{word} alt {n}" for n, p in enumerate(story.photos, 1)}))
    return story


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (the export's workers: the
    pool is shut down, so reaped, before export_story returns)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_export(story: Story, out: Path, options: ExportOptions, fresh: bool = True):
    """(wall seconds, CPU seconds, report) of one export."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    cpu, started = _cpu(), time.perf_counter()
    report = export_story(story, out, options)
    return time.perf_counter() - started, _cpu() - cpu, report


def count_decodes():
    """Patch Pillow's decoder entry to count pixel decodes in this process."""
    real = ImageFile.ImageFile.load
    counter = [0]

    def load(self, *args, **kwargs):
        if self.tile:
            counter[0] += 1
        return real(self, *args, **kwargs)

    ImageFile.ImageFile.load = load
    return counter, lambda: setattr(ImageFile.ImageFile, "load", real)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--size", type=parse_size, default=(6000, 4000))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    photos = photo_set(*args.size, count=args.count)
    for path in photos:
        path.read_bytes()  # page cache warm for every round
    work = bench_dir() / "versions-run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    story = make_story(photos)
    one = story.version("kk")
    options = ExportOptions(workers=args.workers)
    print(machine())
    print(f"{len(photos)} photos of {args.size[0]}x{args.size[1]}, {args.workers} workers, "
          f"{args.rounds} rounds, versions {', '.join(story.versions())}")

    runs: dict[str, list[tuple[float, float]]] = {"one": [], "three": []}
    for round_ in range(args.rounds):
        # Alternate which goes first: other work on the machine then weighs on both alike.
        order = [("one", one), ("three", story)]
        for name, subject in order if round_ % 2 == 0 else order[::-1]:
            wall, cpu, _ = timed_export(subject, work / name, options)
            runs[name].append((wall, cpu))
    print("\nfull export to a fresh folder (median of rounds):")
    for name, label in (("one", "one version   "), ("three", "three versions")):
        print(f"  {label}   {median([w for w, _ in runs[name]]):7.2f} s wall  "
              f"{median([c for _, c in runs[name]]):7.2f} s CPU (process and workers)")
    ratio = median([w for w, _ in runs["three"]]) / median([w for w, _ in runs["one"]])
    cpu_ratio = median([c for _, c in runs["three"]]) / median([c for _, c in runs["one"]])
    print(f"  three/one, wall  {ratio:.3f}  (target <= {TARGET_VERSIONS}: {verdict(ratio, TARGET_VERSIONS)})")
    print(f"  three/one, CPU   {cpu_ratio:.3f}  (target <= {TARGET_VERSIONS}: "
          f"{verdict(cpu_ratio, TARGET_VERSIONS)}; hardly moves with other load, wall time does)")
    threes = [w for w, _ in runs["three"]]

    out = work / "three"
    changed = story.photos[len(story.photos) // 2]
    stem_files = set()
    changes, decodes, ok = [], 0, True
    for round_ in range(args.rounds):
        before = {p.name: p.stat().st_ino for p in (out / "images").iterdir()}
        story.translation("ru").captions[changed.id] = f"Новая подпись {round_} {time.time_ns()}"
        counter, restore = count_decodes()
        try:
            seconds, _, report = timed_export(story, out, options, fresh=False)
        finally:
            restore()
        changes.append(seconds)
        decodes += counter[0]
        after = {p.name: p.stat().st_ino for p in (out / "images").iterdir()}
        touched = {name for name in after if after[name] != before.get(name)}
        stem_files |= touched
        ok &= report.rendered == 0 and report.metadata_updated == 1 and len(touched) > 0
    stem = changed.path.stem.lower()
    only_that_photo = all(name.startswith(stem) for name in stem_files)
    caption_ratio = median(changes) / median(threes)
    print("\na Russian caption of one photo changed, re-export of the three versions (median):")
    print(f"  re-export        {median(changes):7.3f} s = {caption_ratio:.3f} of the full export "
          f"(target <= {TARGET_CAPTION}: {verdict(caption_ratio, TARGET_CAPTION)})")
    print(f"  pixel decodes    {decodes}  (target 0: {'met' if decodes == 0 else 'NOT met'})")
    print(f"  rendered 0, one photo's XMP rewritten, only its files new: "
          f"{'yes' if ok and only_that_photo else 'NO'} ({sorted(stem_files)})")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok and only_that_photo and decodes == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
