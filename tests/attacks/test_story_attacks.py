"""Attacks on story files, saving and what the command line prints.

Special files named as a story, symbolic links, lone surrogates, flags of the wrong type,
terminal escapes in captions and file names, captions sheets written over the story or a
photo, and a lock left behind by a crashed save.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import HANG_GUARD_SECONDS, assert_refused, make_photo, photostory, snapshot
from support import require_tool

ESCAPES = "\x1b]0;pwned\x07 and \x1b[2J and \x9b31m and \x7f"


def _doc(story: Path) -> dict:
    return json.loads(story.read_text(encoding="utf-8"))


def _write_doc(story: Path, doc: dict) -> None:
    story.write_text(json.dumps(doc), encoding="utf-8")  # ASCII: escapes stay escapes


def _no_raw_controls(text: str) -> None:
    """Nothing a terminal would act on: no C0 control but the line ends, no DEL, no C1."""
    bad = sorted({f"U+{ord(c):04X}" for c in text
                  if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f})
    assert not bad, (bad, text)


# -- special files named as the story -------------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["export"], ["captions", "--export", "x.csv"],
                                     ["captions", "--import", "x.csv"], ["new", "--force"]])
def test_a_fifo_named_as_the_story_is_refused_without_waiting(tmp_path: Path, command) -> None:
    fifo = tmp_path / "story.photostory"
    os.mkfifo(fifo)
    (tmp_path / "x.csv").write_text("file,caption\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = photostory(command[0], fifo, *command[1:], cwd=tmp_path)
    assert_refused(result, "story.photostory", "not a regular file", "named pipe")
    assert snapshot(tmp_path) == before and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_an_import_into_a_story_named_by_a_link_to_a_device_makes_no_lock_there(
        tmp_path: Path) -> None:
    link = tmp_path / "story.photostory"
    link.symlink_to("/dev/null")
    (tmp_path / "x.csv").write_text("file,caption\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert_refused(photostory("captions", link, "--import", "x.csv", cwd=tmp_path),
                   "story.photostory", "a device")
    assert snapshot(tmp_path) == before and not Path("/dev/.null.lock").exists()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_named_as_the_story_is_refused(tmp_path: Path, device: str) -> None:
    result = photostory("check", device, cwd=tmp_path)
    assert_refused(result, Path(device).name, "not a regular file", "a device")
    assert not any(tmp_path.iterdir())


def test_a_link_to_an_endless_device_is_refused(story_dir: Path) -> None:
    link = story_dir / "zero.photostory"
    link.symlink_to("/dev/zero")
    sheet = story_dir / "in.csv"
    sheet.write_text("file,caption\nphoto1.jpg,X\n", encoding="utf-8")
    before = snapshot(story_dir)
    assert_refused(photostory("captions", link, "--import", sheet), "zero.photostory", "a device")
    assert snapshot(story_dir) == before


def test_a_too_large_story_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.photostory"
    with open(huge, "wb") as fh:
        fh.truncate(65 << 20)  # sparse: large to stat, nothing on the disk
    result = photostory("export", huge, "-o", tmp_path / "out")
    assert_refused(result, "huge.photostory", "too large", "at most 64 MB")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.photostory"]


@pytest.mark.parametrize("option", ["--import", "--shortcuts"])
def test_a_fifo_named_as_a_sheet_or_shortcuts_is_refused(story_dir: Path, option: str) -> None:
    fifo = story_dir / "pipe.txt"
    os.mkfifo(fifo)
    sheet = story_dir / "in.csv"
    sheet.write_text("file,caption\nphoto1.jpg,X\n", encoding="utf-8")
    args = ["--import", fifo] if option == "--import" else ["--import", sheet, "--shortcuts", fifo]
    before = snapshot(story_dir)
    result = photostory("captions", story_dir / "story.photostory", *args)
    assert_refused(result, "pipe.txt", "named pipe")
    assert snapshot(story_dir) == before


def test_inspect_names_a_fifo_for_what_it_is(tmp_path: Path) -> None:
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)
    result = photostory("inspect", fifo)
    assert result.returncode == 1
    assert "photo.jpg: is not a regular file (a named pipe)" in result.stdout, result.stdout


# -- links, surrogates, wrong types ---------------------------------------------------------------


def test_a_story_saved_through_a_link_stays_a_link(story_dir: Path) -> None:
    real = story_dir / "story.photostory"
    link = story_dir / "desk.photostory"
    link.symlink_to(real.name)
    sheet = story_dir / "in.csv"
    sheet.write_text("file,caption\nphoto2.jpg,Through the link\n", encoding="utf-8")
    result = photostory("captions", link, "--import", sheet)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == real.name
    assert [p["caption"] for p in _doc(real)["photos"]][1] == "Through the link"


def test_a_lone_surrogate_in_the_credit_prefix_no_longer_stops_the_export(story_dir: Path) -> None:
    story = story_dir / "story.photostory"
    doc = _doc(story)
    doc["story"]["credit_prefix"] = "Photo\udc80:"
    _write_doc(story, doc)
    result = photostory("export", story, "-o", story_dir / "out")
    assert result.returncode == 0, result.stderr
    assert "'credit_prefix'" in result.stderr and "not valid Unicode" in result.stderr
    assert "Photo\ufffd: akorda.kz" in (story_dir / "out" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("field, value", [("keep_location", "false"), ("show_gallery", "no"),
                                          ("keep_location", 0)])
def test_a_flag_of_the_wrong_type_is_refused_not_guessed(story_dir: Path, field: str,
                                                         value: object) -> None:
    """"keep_location": "false" exported every photo with its GPS position."""
    story = story_dir / "story.photostory"
    doc = _doc(story)
    doc["story"][field] = value
    _write_doc(story, doc)
    before = snapshot(story_dir)
    result = photostory("export", story, "-o", story_dir / "out")
    assert_refused(result, "story.photostory", f"'{field}'", "true or false")
    assert snapshot(story_dir) == before


# -- terminal escapes in everything printed ---------------------------------------------------------------


def _iptc_caption(photo: Path, caption: str) -> Path:
    subprocess.run([require_tool("exiftool"), "-q", "-overwrite_original", "-IPTC:CodedCharacterSet=UTF8",
                    f"-IPTC:Caption-Abstract={caption}", str(photo)], check=True,
                   timeout=HANG_GUARD_SECONDS)
    return photo


def test_inspect_escapes_a_caption_that_would_rewrite_the_terminal(tmp_path: Path) -> None:
    photo = _iptc_caption(make_photo(tmp_path / "p.jpg"), f"Nice {ESCAPES} end")
    result = photostory("inspect", photo)
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout)
    assert r"caption: Nice \x1b]0;pwned\x07 and \x1b[2J and \x9b31m and \x7f end" in result.stdout


def test_inspect_json_escapes_control_characters_and_reads_back_the_same(tmp_path: Path) -> None:
    photo = _iptc_caption(make_photo(tmp_path / "p.jpg"), f"Nice {ESCAPES} \u2028 end")
    result = photostory("inspect", "--json", photo)
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout)
    assert "\u2028" not in result.stdout
    assert json.loads(result.stdout)[0]["caption"] == f"Nice {ESCAPES} \u2028 end"


def test_a_file_name_with_a_newline_cannot_forge_a_line(tmp_path: Path) -> None:
    forged = tmp_path / "a\nerror: all files deleted\x1b[2J.photostory"
    result = photostory("check", forged)
    assert_refused(result, r"a\nerror: all files deleted\x1b[2J.photostory", "file not found")
    assert result.stderr.count("\n") == 1
    _no_raw_controls(result.stderr)


def test_inspect_text_names_and_errors_are_one_line_each(tmp_path: Path) -> None:
    named = make_photo(tmp_path / "ok\n  caption: forged\x1b[2J.jpg")
    missing = tmp_path / "gone\rerror: x.jpg"
    result = photostory("inspect", named, missing)
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout + result.stderr)
    lines = result.stdout.splitlines()
    assert lines[0] == str(named).replace("\n", r"\n").replace("\x1b", r"\x1b")
    assert not any(line.strip().startswith("caption: forged") for line in lines)
    assert any(r"gone\rerror: x.jpg" in line for line in lines)


def test_import_warnings_and_the_summary_escape_file_names(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    make_photo(photos / "good.jpg")
    (photos / "bad\x1b]0;pwned\x07.jpg").write_bytes(b"\xff\xd8 not really a JPEG")
    story = tmp_path / "s\x1b[2J.photostory"
    result = photostory("new", story, "--photos", photos)
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout + result.stderr)
    assert r"bad\x1b]0;pwned\x07.jpg" in result.stderr
    assert r"s\x1b[2J.photostory" in result.stdout


def test_debug_log_lines_escape_file_names(tmp_path: Path) -> None:
    """--debug logs each damaged metadata block with the file's name."""
    import io
    import struct

    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(jpeg, "JPEG")
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'><broken"
    segment = b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp
    photo = tmp_path / "bad\x1b[2J\n.jpg"
    photo.write_bytes(jpeg.getvalue()[:2] + segment + jpeg.getvalue()[2:])
    result = photostory("--debug", "inspect", photo)
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout + result.stderr)
    assert r"photostory.core.metadata: " + str(tmp_path) + r"/bad\x1b[2J\n.jpg: XMP packet" \
        in result.stderr


def test_a_surrogate_file_name_is_printed_as_its_byte(tmp_path: Path) -> None:
    """A file name that is not UTF-8 (a CP1251 name from a Windows archive) made printing
    fail with UnicodeEncodeError."""
    name = os.fsdecode(b"\xcf\xf0\xe5\xe7.photostory")
    result = photostory("check", tmp_path / name)
    assert_refused(result, r"\xcf\xf0\xe5\xe7.photostory", "file not found")


def test_the_progress_line_keeps_its_carriage_return_on_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    photos = tmp_path / "photos"
    for n in range(3):
        make_photo(photos / f"p{n}.jpg")
    master, slave = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "photostory", "new", str(tmp_path / "s"),
                               "--photos", str(photos)], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=slave, timeout=HANG_GUARD_SECONDS,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        os.close(slave)
        slave = -1
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the writer side is closed and everything was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    assert done.returncode == 0
    assert b"\rReading photos 3/3" in seen and b"\\r" not in seen, seen


# -- captions --export over existing files -------------------------------------------------


@pytest.mark.parametrize("target", ["story.photostory", "photos/photo2.jpg", "article.txt"])
def test_captions_export_never_overwrites_without_force(story_dir: Path, target: str) -> None:
    before = snapshot(story_dir)
    result = photostory("captions", story_dir / "story.photostory", "--export", story_dir / target)
    assert_refused(result, Path(target).name)
    assert "--force" in result.error_lines[0] or "never replaces" in result.error_lines[0]
    assert snapshot(story_dir) == before


@pytest.mark.parametrize("target", ["story.photostory", "photos/photo2.jpg", "photos/../story.photostory"])
def test_captions_export_never_overwrites_the_story_or_a_photo_even_with_force(
        story_dir: Path, target: str) -> None:
    before = snapshot(story_dir)
    result = photostory("captions", story_dir / "story.photostory", "--export", story_dir / target,
                        "--force")
    assert_refused(result, Path(target).name, "never replaces")
    assert snapshot(story_dir) == before


def test_captions_export_replaces_another_file_with_force(story_dir: Path) -> None:
    old = story_dir / "captions.csv"
    old.write_text("an older sheet\n", encoding="utf-8")
    result = photostory("captions", story_dir / "story.photostory", "--export", old, "--force")
    assert result.returncode == 0, result.stderr
    assert old.read_text(encoding="utf-8-sig").startswith("file,caption,credit,alt")


# -- saving while someone else saves -------------------------------------------------------------

_HOLDER = """
import sys
from pathlib import Path
from photostory.core.storyfile import story_save_lock
with story_save_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_lock_left_by_a_crashed_save_does_not_block_the_next_import(story_dir: Path) -> None:
    story = story_dir / "story.photostory"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(story)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    holder.kill()  # killed in the middle of a save: its lock file stays behind
    holder.wait(HANG_GUARD_SECONDS)
    assert (story_dir / ".story.photostory.lock").exists()
    sheet = story_dir / "in.csv"
    sheet.write_text("file,caption\nphoto3.jpg,After the crash\n", encoding="utf-8")
    result = photostory("captions", story, "--import", sheet)
    assert result.returncode == 0 and result.stdout.startswith("Updated"), result.stderr
    assert _doc(story)["photos"][2]["caption"] == "After the crash"
    assert not (story_dir / ".story.photostory.lock").exists()


def test_new_without_force_never_replaces_a_story(story_dir: Path) -> None:
    before = snapshot(story_dir)
    result = photostory("new", story_dir / "story.photostory", "--photos", story_dir / "photos")
    assert_refused(result, "story.photostory", "already exists", "--force")
    assert snapshot(story_dir) == before
