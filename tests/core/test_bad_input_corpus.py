"""Every broken and odd corpus file through import, thumbnail and export.

One subprocess (helpers_robustness/corpus_worker.py) takes the whole of
../shared/corpus/broken and ../shared/corpus/odd plus two home-made decompression
bombs, file by file; a file without an answer within a hang guard far above normal is
killed and reported. The test reads the peak memory of the whole run from wait4(),
counts the decoding each stage did (what the code controls, unlike the time a loaded
machine takes), and checks per file that it was either imported correctly (RGB 8-bit
sRGB renditions of the first frame) or rejected at every step with one line naming the
file: never a crash, a traceback or a hang. How long files take is measured in
benchmarks/bench_corpus.py.
"""

from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from support import CORPUS, corpus_manifest, corpus_path

HELPERS = Path(__file__).parent / "helpers_robustness"
FILE_TIMEOUT = 60.0  # hang guard: the slowest file takes about 1 s on an idle machine
PEAK_LIMIT_MIB = 1024
# Decoding a stage may do per file: one decode of the picture, two where the format
# needs it (a PNG whose EXIF chunk follows the pixels is opened again for the privacy
# check; a damaged file is retried once). Never all frames, never a full decode per size.
MAX_DECODES_PER_STAGE = 2

# As in test_imaging.py: outcomes that depend on optional codecs, and where the
# manifest is wrong for a user (the zlib stream is broken; the bottom third is missing).
OPTIONAL_CODECS = {"odd/IMG_5195.HEIC", "odd/17000x17000.avif", "broken/hopper_webp.tif"}
MANIFEST_OVERRIDES = {"broken/broken_data_stream.png": "import_error_clear"}
# Refused from the header: the worker counts pixel decodes, and these must have none.
BOMBS = {"odd/decompression_bomb.gif", "odd/png_decompression_dos.png", "odd/17000x17000.avif",
         "bomb-20000x20000.png", "bomb-65000x65000.jpg"}

pytestmark = pytest.mark.corpus


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png_bomb(path: Path, side: int = 20000) -> None:
    """A real deflate bomb: 400 MP of grey zeros (400 MB decoded) in about 400 KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    parts = [compressor.compress(row) for _ in range(side)] + [compressor.flush()]
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
                     + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b""))


def make_jpeg_bomb(path: Path) -> None:
    """A small real JPEG whose frame header claims 65000x65000 (4.2 gigapixels)."""
    from PIL import Image
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    path.write_bytes(bytes(data))


def _expected() -> dict[str, str]:
    rows = corpus_manifest()
    return {r["path"]: MANIFEST_OVERRIDES.get(r["path"], r["expected"]) for r in rows
            if r["path"].startswith(("broken/", "odd/"))}


def _run_corpus(work: Path, files: list[str]) -> tuple[dict[str, dict], list[str], int, str]:
    """Run the worker over ``files``; returns (results, hangs, peak RSS in KiB, stderr).
    A file without an answer within FILE_TIMEOUT is a hang: the worker is killed and a
    new one carries on with the next file."""
    results: dict[str, dict] = {}
    hangs: list[str] = []
    peak_kib = 0
    stderr_text = ""
    todo = list(files)
    while todo:
        err_path = work / f"stderr-{len(todo)}.txt"
        with open(err_path, "w+b") as err:
            proc = subprocess.Popen([sys.executable, str(HELPERS / "corpus_worker.py"), str(work),
                                     str(CORPUS), *todo], stdout=subprocess.PIPE, stderr=err)
            assert proc.stdout
            current, buffer = None, b""
            deadline = time.monotonic() + FILE_TIMEOUT
            while True:
                ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    hangs.append(current or todo[0])
                    proc.kill()
                    break
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    event = json.loads(line)
                    if "start" in event:
                        current = event["start"]
                        deadline = time.monotonic() + FILE_TIMEOUT
                    else:
                        results[event["done"]] = event
                        current = None
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = status
            peak_kib = max(peak_kib, usage.ru_maxrss)  # KiB on Linux
            err.seek(0)
            stderr_text += err.read().decode("utf-8", "replace")
        if os.WIFSIGNALED(status) and not hangs:
            hangs.append(f"worker died with signal {os.WTERMSIG(status)} at {current}")
        done = set(results) | set(hangs)
        todo = [f for f in todo if f not in done]
        if todo and not (os.WIFSIGNALED(status) or hangs):
            raise AssertionError(f"worker stopped early (status {status}): {stderr_text[-3000:]}")
    return results, hangs, peak_kib, stderr_text


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    corpus_path("MANIFEST.tsv")
    work = tmp_path_factory.mktemp("corpus-run")
    bombs = tmp_path_factory.mktemp("bombs")
    make_png_bomb(bombs / "bomb-20000x20000.png")
    make_jpeg_bomb(bombs / "bomb-65000x65000.jpg")
    files = sorted(str(p.relative_to(CORPUS)) for folder in ("broken", "odd")
                   for p in (CORPUS / folder).iterdir() if p.is_file())
    files += [str(bombs / "bomb-20000x20000.png"), str(bombs / "bomb-65000x65000.jpg")]
    results, hangs, peak_kib, stderr_text = _run_corpus(work, files)
    return {"files": files, "results": results, "hangs": hangs, "peak_kib": peak_kib,
            "stderr": stderr_text, "work": work}


def _key(name: str) -> str:
    return Path(name).name if name.startswith("/") else name


def test_no_file_crashes_hangs_or_prints(corpus_run):
    assert corpus_run["hangs"] == []
    crashes = {name: [c["stage"] + ": " + c["traceback"].strip().splitlines()[-1] for c in r["crash"]]
               for name, r in corpus_run["results"].items() if r["crash"]}
    assert crashes == {}
    logged = {name: r["log_errors"] for name, r in corpus_run["results"].items() if r["log_errors"]}
    assert logged == {}, "the code logged an unexpected error (a bug) for these files"
    assert set(corpus_run["results"]) == set(corpus_run["files"])
    assert _python_stderr(corpus_run["stderr"]) == [], "warnings or tracebacks reached stderr"


# libtiff prints its own diagnostics on the C level (fd 2), which Pillow cannot silence;
# they are noise, never a Python warning or traceback.
_LIBTIFF = ("TIFF", "_TIFF", "tempfile.tif: ")
_LIBTIFF_MESSAGES = ("compression support is not configured",)


def _is_libtiff(line: str) -> bool:
    return line.startswith(_LIBTIFF) or any(m in line for m in _LIBTIFF_MESSAGES)


def _python_stderr(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not _is_libtiff(line)]


def test_cli_import_of_the_whole_corpus_prints_one_line_per_rejected_file(tmp_path):
    """`photostory new --photos broken odd`: one ``warning: NAME: reason`` line per file,
    no exifread chatter, no traceback, and none of libtiff's own C-level diagnostics."""
    story = tmp_path / "corpus.photostory"
    result = subprocess.run(
        [sys.executable, "-m", "photostory", "new", str(story), "--photos",
         str(corpus_path("broken")), str(corpus_path("odd"))],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and all(line.startswith("warning: ") for line in lines), lines
    names = {p.name for folder in ("broken", "odd") for p in corpus_path(folder).iterdir()}
    assert all(line.split(": ", 2)[1] in names for line in lines), lines
    assert "Traceback" not in result.stderr and "exifread" not in result.stderr


def test_each_file_costs_a_bounded_amount_of_decoding(corpus_run):
    """Reading the header decodes nothing; every other stage decodes the picture at most
    MAX_DECODES_PER_STAGE times and never more pixels than that many pictures hold
    (an animated file is not decoded frame by frame, a bomb not at all)."""
    problems = []
    for rel, r in corpus_run["results"].items():
        work = r["work"]
        if work["read_image_info"]["decodes"]:
            problems.append(f"{rel}: read_image_info decoded pixels: {work['read_image_info']}")
        if r["import"]["ok"] and Path(rel).suffix.lower() in (".jpg", ".jpeg", ".mpo"):
            if work["import"]["decodes"]:
                problems.append(f"{rel}: importing a JPEG decoded its pixels: {work['import']}")
        pixels = r["import"]["size"][0] * r["import"]["size"][1] if r["import"]["ok"] else None
        for stage, done in work.items():
            if done["decodes"] > MAX_DECODES_PER_STAGE:
                problems.append(f"{rel}: {stage} decoded {done['decodes']} times")
            if pixels and done["pixels"] > MAX_DECODES_PER_STAGE * pixels:
                problems.append(f"{rel}: {stage} decoded {done['pixels']:,} pixels of a "
                                f"{pixels:,}-pixel picture")
    assert problems == []
    assert len(corpus_run["results"]) == len(corpus_run["files"])


def test_peak_memory_of_the_whole_run_is_under_1_gib(corpus_run):
    assert 0 < corpus_run["peak_kib"] / 1024 < PEAK_LIMIT_MIB


def _one_line_naming(message: str, name: str) -> bool:
    return name in message and "\n" not in message and "Traceback" not in message


def test_rejected_files_are_rejected_at_every_step_with_one_line_naming_the_file(corpus_run):
    expected = _expected()
    problems = []
    for rel, r in corpus_run["results"].items():
        name = Path(rel).name
        imported = r["import"]["ok"]
        if imported:
            continue
        if expected.get(rel, "import_error_clear") != "import_error_clear" and rel not in OPTIONAL_CODECS:
            problems.append(f"{rel}: rejected, but the manifest says it imports: {r['import']}")
        reasons = r["import"]["reasons"]
        if len(reasons) != 1 or not reasons[0].startswith(f"{name}: ") or not _one_line_naming(reasons[0], name):
            problems.append(f"{rel}: import reason {reasons}")
        thumb, export = r["thumbnail"], r["export"]
        if thumb["ok"] or thumb["type"] != "ImageReadError" or not _one_line_naming(thumb["reason"], name):
            problems.append(f"{rel}: thumbnail {thumb}")
        # A story file naming the file: the export fails as a whole, says why, leaves nothing.
        if export["ok"] or export["type"] != "ExportError" or not _one_line_naming(export["reason"], name):
            problems.append(f"{rel}: export {export}")
        elif export["out_exists"] or export["leftovers"]:
            problems.append(f"{rel}: a failed export left files behind: {export}")
    assert problems == []


def test_imported_files_become_rgb_8_bit_srgb_renditions(corpus_run):
    expected = _expected()
    problems = []
    for rel, r in corpus_run["results"].items():
        if not r["import"]["ok"]:
            continue
        if expected.get(rel) == "import_error_clear" and rel not in OPTIONAL_CODECS:
            problems.append(f"{rel}: imported, but the manifest says it must be rejected")
        thumb, export = r["thumbnail"], r["export"]
        if not thumb["ok"] or thumb["mode"] != "RGB" or max(thumb["size"]) > 256:
            problems.append(f"{rel}: thumbnail {thumb}")
        if not export["ok"] or export["photos"] != 1 or export["failed"]:
            problems.append(f"{rel}: export {export}")
            continue
        for rendition in export["renditions"]:
            # 8-bit RGB JPEG without an ICC profile: untagged, which means sRGB.
            if (rendition["format"], rendition["mode"], rendition["bits"], rendition["icc"]) != ("JPEG", "RGB", 8, False):
                problems.append(f"{rel}: rendition {rendition}")
        largest = max(export["renditions"], key=lambda x: x["size"][0])["size"]
        w, h = r["import"]["size"]
        if abs(largest[0] / largest[1] - w / h) > 0.02 * max(1, w / h):
            problems.append(f"{rel}: rendition {largest} does not keep the shape of {w}x{h}")
    assert problems == []


def test_multi_frame_files_export_their_first_frame(corpus_run):
    """Animated GIF/WebP, multi-page TIFF, MPO: the rendition is frame 0, never another."""
    checked = {}
    for rel, r in corpus_run["results"].items():
        frames = r.get("frames")
        if not frames or "error" in frames:
            continue
        checked[rel] = frames
        assert frames["first"] < 8, f"{rel}: rendition is not the first frame: {frames}"
        assert frames["first"] <= frames["last"] + 0.5, f"{rel}: closer to the last frame: {frames}"
    assert {"odd/iss634.gif", "odd/big-height.webp", "odd/multipage.tiff", "odd/sugarshack.mpo"} <= set(checked)


def test_decompression_bombs_are_refused_before_decoding(corpus_run):
    results = {_key(rel): r for rel, r in corpus_run["results"].items()}
    for bomb in BOMBS:
        r = results[bomb]
        assert not r["import"]["ok"] and not r["thumbnail"]["ok"] and not r["export"]["ok"], bomb
        assert r["decodes"] == 0, f"{bomb}: pixels were decoded {r['work']}"
    for bomb in ("bomb-20000x20000.png", "bomb-65000x65000.jpg", "odd/decompression_bomb.gif"):
        assert "too large" in results[bomb]["import"]["reasons"][0], results[bomb]["import"]
