"""How long each file of the shared real-image corpus takes, step by step.

    .venv/bin/python benchmarks/bench_corpus.py [--rounds 3] [--slowest 8]

The tests bound the work these steps do (pixel decodes, counted: tests/core/test_imaging.py,
test_metadata.py, test_bad_input_corpus.py) but never their time, which moves with the
machine and whatever else runs on it; the times are measured here instead. Per file and
step the median over rounds (one thread, page cache warm after the first round), then
the slowest files per step and the total over the corpus are printed. A file a step
refuses is timed too: refusing is work.

Steps: ``read_metadata`` (what the inspector shows), ``verify_image`` (import's check),
``make_thumbnail(path, 256)`` and ``load_image`` (the decode an export starts from).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, machine, median, ms  # noqa: E402

from photostory.core.images.decoding import load_image, make_thumbnail  # noqa: E402
from photostory.core.images.opening import verify_image  # noqa: E402
from photostory.core.metadata.reading import read_metadata  # noqa: E402
from photostory.errors import PhotostoryError  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FOLDERS = ("real", "metadata", "orientation", "odd", "broken")
STEPS: dict[str, Callable[[Path], object]] = {
    "read_metadata": read_metadata,
    "verify_image": verify_image,
    "make_thumbnail": lambda path: make_thumbnail(path, 256),
    "load_image": load_image,
}


def timed(step: Callable[[Path], object], path: Path) -> float:
    started = time.perf_counter()
    try:
        step(path)
    except PhotostoryError:
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slowest", type=int, default=8, help="files listed per step")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    files = sorted(p for folder in FOLDERS for p in (args.corpus / folder).glob("*") if p.is_file())
    if not files:
        sys.exit(f"no corpus files under {args.corpus}")
    print(machine())
    print(f"{len(files)} files, {args.rounds} rounds\n")
    times: dict[str, dict[Path, list[float]]] = {name: {p: [] for p in files} for name in STEPS}
    for _ in range(args.rounds):
        for path in files:  # steps interleaved per file, so drift hits all of them alike
            for name, step in STEPS.items():
                times[name][path].append(timed(step, path))
    for name in STEPS:
        per_file = {path: median(values) for path, values in times[name].items()}
        total = sum(per_file.values())
        print(f"{name}: {ms(total)} for the corpus, median file {ms(median(list(per_file.values())))}")
        for path, seconds in sorted(per_file.items(), key=lambda item: -item[1])[: args.slowest]:
            print(f"  {ms(seconds):>10}  {path.relative_to(args.corpus)}")
        print()


if __name__ == "__main__":
    main()
