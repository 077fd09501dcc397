"""From photos to a finished story: ``photostory new`` + ``photostory export`` vs ``sigal build``.

    .venv/bin/python benchmarks/bench_export.py [--count 24] [--size 6000x4000] [--rounds 3]

Same run, same photo files (hard links in one source folder, page cache warm), tools
alternated round by round; each figure is the median over rounds.

  * ours: ``photostory new story --photos DIR --captions sheet.csv --credit ...``
    (a finished story: caption, credit and alt for every photo) then
    ``photostory export story -o OUT`` at the default widths 480/960/1600 (the 480 one
    is the gallery thumbnail), quality 82, one worker process per core (2 here).
  * sigal (2.6.x): ``sigal build -n 2`` with a minimal ``sigal.conf.py`` written here:
    img_size (1600, 1067), thumb_size (400, 267), JPEG quality 82 optimize progressive
    (as ours), autorotate on, no EXIF copy, no originals kept, HTML written.
  * caption-only change: one photo's caption is changed with ``photostory captions``
    (not timed), then ``photostory export`` to the same folder is timed, as a command
    (interpreter start included) and in-process (``export_story``). The script checks
    that no photo was rendered again, that only the changed photo's files are new
    (the others are hard links to the previous export) and that their pixels are
    identical.
  * peak RSS: the sum of VmRSS over each command's process tree (workers included),
    sampled every 20 ms.
Both tools write to the same disk; timings include writing files.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (BIN, bench_dir, machine, median, parse_size, photo_set,  # noqa: E402
                     run_measured, verdict)

from PIL import Image  # noqa: E402

TARGET_SIGAL, TARGET_INCREMENTAL = 0.45, 0.10

SIGAL_CONF = """\
# Written by benchmarks/bench_export.py: sigal's settings matching photostory's export.
img_size = (1600, 1067)
thumb_size = (400, 267)
jpg_options = {"quality": 82, "optimize": True, "progressive": True}
img_processor = "ResizeToFit"
autorotate_images = True
copy_exif_data = False
keep_orig = False
make_thumbs = True
thumb_fit = True
write_html = True
zip_gallery = False
plugins = []
"""


def _link_photos(photos: list[Path], folder: Path) -> None:
    folder.mkdir(parents=True)
    for path in photos:
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)


def _write_sheet(path: Path, photos: list[Path], changed: str | None = None) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "caption", "credit", "alt"])
        for number, photo in enumerate(photos, start=1):
            caption = f"Photo {number}: delegates arrive at the summit in the capital."
            if changed == photo.name:
                caption += f" Updated {time.time_ns()}."
            writer.writerow([photo.name, caption, "Bench Photo Agency",
                             f"A wide street scene, frame {number}."])


def _tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--size", type=parse_size, default=(6000, 4000))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes for both tools (default: one per core)")
    parser.add_argument("--no-sigal", action="store_true")
    args = parser.parse_args(argv)
    photos = photo_set(*args.size, count=args.count)
    work = bench_dir() / "export-run"
    shutil.rmtree(work, ignore_errors=True)
    source = work / "photos"
    _link_photos(photos, source)
    sources = sorted(source.glob("*.jpg"))
    for path in sources:
        path.read_bytes()
    sheet = work / "captions.csv"
    _write_sheet(sheet, sources)
    (work / "sigal.conf.py").write_text(SIGAL_CONF, encoding="utf-8")
    sigal = _tool("sigal")
    use_sigal = not args.no_sigal and (Path(sigal).exists() or shutil.which(sigal) is not None)
    if not use_sigal:
        print("sigal not installed (pip install -e '.[bench]'): no comparison")
    photostory = _tool("photostory")
    story = work / "story.photostory"
    out = work / "out-photostory"
    sigal_out = work / "out-sigal"

    print(machine())
    print(f"{len(sources)} photos of {args.size[0]}x{args.size[1]} "
          f"({sum(p.stat().st_size for p in sources) / len(sources) / 1e6:.1f} MB each on average), "
          f"{args.workers} workers, {args.rounds} rounds")

    new_runs, export_runs, sigal_runs = [], [], []
    for _ in range(args.rounds):
        shutil.rmtree(out, ignore_errors=True)
        new_runs.append(run_measured([photostory, "new", str(story), "--force", "--title", "Summit",
                                      "--photos", str(source), "--captions", str(sheet)]))
        export_runs.append(run_measured([photostory, "export", str(story), "-o", str(out),
                                         "--workers", str(args.workers)]))
        if use_sigal:
            shutil.rmtree(sigal_out, ignore_errors=True)
            sigal_runs.append(run_measured([sigal, "build", "-q", "-c", str(work / "sigal.conf.py"),
                                            "-n", str(args.workers), str(source), str(sigal_out)]))

    def wall(runs):
        return median([r.wall for r in runs])

    def cpu(runs):
        return median([r.cpu for r in runs])

    n = len(sources)
    ours_wall = wall(new_runs) + wall(export_runs)
    ours_cpu = cpu(new_runs) + cpu(export_runs)
    export_t = [r.wall for r in export_runs]
    print("\nfull build (median of rounds; CPU = user+system of the process tree):")
    print(f"  photostory new      {wall(new_runs):7.2f} s wall  {cpu(new_runs):6.2f} s CPU")
    print(f"  photostory export   {wall(export_runs):7.2f} s wall  {cpu(export_runs):6.2f} s CPU  "
          f"({cpu(export_runs) / n * 1000:.0f} ms CPU/photo, 3 sizes)  "
          f"peak RSS {max(r.peak_rss_mib for r in export_runs):.0f} MiB (process tree)")
    print(f"  new + export        {ours_wall:7.2f} s wall  {ours_cpu:6.2f} s CPU")
    if sigal_runs:
        print(f"  sigal build         {wall(sigal_runs):7.2f} s wall  {cpu(sigal_runs):6.2f} s CPU  "
              f"({cpu(sigal_runs) / n * 1000:.0f} ms CPU/photo, 1 size + thumbnail)  "
              f"peak RSS {max(r.peak_rss_mib for r in sigal_runs):.0f} MiB (process tree)")
        ratio = ours_wall / wall(sigal_runs)
        print(f"  ours/sigal, wall    {ratio:.3f}  (target <= {TARGET_SIGAL}: {verdict(ratio, TARGET_SIGAL)})")
        print(f"  ours/sigal, CPU     {ours_cpu / cpu(sigal_runs):.3f}  (less sensitive to other load)")

    # ---------------------------------------------------------------- caption-only change
    state = json.loads((out / ".photostory-export.json").read_text(encoding="utf-8"))
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (out / "images").iterdir()}
    changed = sources[len(sources) // 2]
    incremental, inproc = [], []
    for _ in range(args.rounds):
        _write_sheet(sheet, sources, changed=changed.name)
        run_measured([photostory, "captions", str(story), "--import", str(sheet)])
        incremental.append(run_measured([photostory, "export", str(story), "-o", str(out),
                                         "--workers", str(args.workers)]).wall)
    after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (out / "images").iterdir()}
    stem = changed.stem.lower()
    touched = sorted(name for name in after if after[name][0] != before.get(name, (None,))[0])
    unexpected = [name for name in touched if not name.startswith(stem)]
    same_pixels = all(
        Image.open(_bytes(before[name][1])).tobytes() == Image.open(_bytes(after[name][1])).tobytes()
        for name in touched if name in before)
    new_state = json.loads((out / ".photostory-export.json").read_text(encoding="utf-8"))
    keys_same = {k: v["key"] for k, v in state["photos"].items()} == {
        k: v["key"] for k, v in new_state["photos"].items()}

    # In-process: the same re-export without interpreter start and imports.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from photostory.core.export.options import ExportOptions
    from photostory.core.export.pipeline import export_story
    from photostory.core.storyfile import load_story

    options = ExportOptions(workers=args.workers)
    report = None
    for _ in range(args.rounds):
        _write_sheet(sheet, sources, changed=changed.name)
        run_measured([photostory, "captions", str(story), "--import", str(sheet)])
        loaded = load_story(story, [])
        started = time.perf_counter()
        report = export_story(loaded, out, options)
        inproc.append(time.perf_counter() - started)

    full = median(export_t)
    print("\ncaption-only change of one photo, re-export (median of rounds):")
    print(f"  photostory export (command)   {median(incremental):.3f} s  = "
          f"{median(incremental) / full:.3f} of the full export "
          f"(target <= {TARGET_INCREMENTAL}: {verdict(median(incremental) / full, TARGET_INCREMENTAL)})")
    print(f"  export_story (in-process)     {median(inproc):.3f} s  = {median(inproc) / full:.3f} of the full export")
    print(f"  rendered {report.rendered}, reused {report.reused}, XMP rewritten {report.metadata_updated}; "
          f"files not hard-linked from the previous export: {touched}; "
          f"others touched: {unexpected or 'none'}; pixels identical: {same_pixels}; "
          f"rendition keys unchanged: {keys_same}")
    return 0


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


if __name__ == "__main__":
    raise SystemExit(main())
