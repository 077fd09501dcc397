"""Helpers shared by the benchmark scripts (plain Python, no test framework).

The input photos live outside the repository: ``$PHOTOSTORY_BENCH_DIR`` or, by
default, ``~/.cache/photostory-bench``. Nothing here asserts a timing; the scripts
print figures and ratios measured side by side in the same run.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def bench_dir() -> Path:
    """Where inputs and outputs of the benchmarks go (created on demand)."""
    base = os.environ.get("PHOTOSTORY_BENCH_DIR") or "~/.cache/photostory-bench"
    path = Path(base).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def photos_dir(width: int, height: int) -> Path:
    return bench_dir() / f"photos-{width}x{height}"


def photo_set(width: int = 6000, height: int = 4000, count: int = 40) -> list[Path]:
    """The first ``count`` generated photos, made now if missing (see make_photos.py)."""
    folder = photos_dir(width, height)
    found = sorted(folder.glob("bench-*.jpg"))
    if len(found) < count:
        cmd = [sys.executable, str(Path(__file__).with_name("make_photos.py")),
               "--count", str(count), "--size", f"{width}x{height}"]
        print("building the input set:", " ".join(cmd[1:]), flush=True)
        subprocess.run(cmd, check=True)
        found = sorted(folder.glob("bench-*.jpg"))
    return found[:count]


def camera_layout_set(photos: list[Path], preview_width: int = 1620) -> list[Path]:
    """Copies of ``photos`` laid out as many cameras (Nikon, Sony, Fujifilm) write JPEGs: the
    picture, an MPF index (APP2), then the camera's reduced copy of the same pixels
    ("Large Thumbnail (Full HD Equivalent)", 1620 px wide here), made once."""
    from PIL import Image

    folder = bench_dir() / f"camera-layout-{preview_width}"
    folder.mkdir(exist_ok=True)
    made = []
    for source in photos:
        target = folder / source.name
        if not target.exists():
            with Image.open(source) as im:
                exif = im.info.get("exif", b"")
                picture = im.copy()  # stored orientation, as cameras keep both; re-encoded at q90
            preview = picture.resize((preview_width, round(preview_width * picture.height / picture.width)),
                                     Image.Resampling.LANCZOS)
            partial = target.with_suffix(".part")
            picture.save(partial, "MPO", save_all=True, append_images=[preview], quality=90, exif=exif)
            _mark_second_image_as_large_thumbnail(partial)
            partial.rename(target)
        made.append(target)
    return made


def _mark_second_image_as_large_thumbnail(path: Path) -> None:
    """Pillow writes the second MP entry's type as "Undefined"; cameras write 0x010002."""
    import struct

    data = bytearray(path.read_bytes())
    tiff = data.index(b"MPF\x00") + 4  # little-endian, as Pillow writes it
    ifd = tiff + struct.unpack_from("<I", data, tiff + 4)[0]
    for n in range(struct.unpack_from("<H", data, ifd)[0]):
        tag, _, _, value = struct.unpack_from("<HHII", data, ifd + 2 + 12 * n)
        if tag == 0xB002:
            struct.pack_into("<I", data, tiff + value + 16, 0x010002)
    path.write_bytes(bytes(data))


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def machine() -> str:
    """One line: cores, CPU model, Python, Pillow (for the results table)."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import PIL

    load = os.getloadavg()[0]
    note = "" if load < 1.0 else "  (other work is running: figures are noisy, ratios less so)"
    return (f"{os.cpu_count()} cores, {model}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, Pillow {PIL.__version__}; "
            f"load average {load:.2f}{note}")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(value: float, target: float, lower_is_better: bool = True) -> str:
    ok = value <= target if lower_is_better else value >= target
    return "MET" if ok else "MISSED"


# --------------------------------------------------------------------------- memory


def _tree_rss_kib(root: int) -> int:
    """Sum of VmRSS over ``root`` and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{pid}/status") as fh:
                ppid = kib = 0
                for line in fh:
                    if line.startswith("PPid:"):
                        ppid = int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        kib = int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents[pid] = ppid
        rss[pid] = kib
    total, wanted = 0, {root}
    changed = True
    while changed:  # transitive closure over the parent links
        changed = False
        for pid, ppid in parents.items():
            if ppid in wanted and pid not in wanted:
                wanted.add(pid)
                changed = True
    for pid in wanted:
        total += rss.get(pid, 0)
    return total


@dataclass
class Measured:
    wall: float  # seconds
    cpu: float  # user + system seconds of the whole process tree (waited-for descendants)
    peak_rss_mib: float  # peak of the summed RSS of the process tree (sampled)
    result: subprocess.CompletedProcess


def run_measured(cmd: list[str], **kwargs) -> Measured:
    """Run ``cmd``: wall time, CPU time of its whole tree, and peak RSS of the tree.

    CPU time comes from ``getrusage(RUSAGE_CHILDREN)`` before and after (workers are
    waited for by their parent, so they count); unlike wall time it hardly changes
    when other work shares the machine. The tree's RSS is sampled from /proc every
    20 ms (workers included), so very short peaks may be missed: a lower bound.
    """
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.set()
    sampler.join()
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{err[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(elapsed, cpu, peak / 1024, result)
