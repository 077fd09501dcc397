"""Export safety: an export replaces only what it made, writes where links point, never
trusts its own state file's paths, fits any metadata into a JPEG in bounded steps, and
reads photos only from regular files.

Hangs are the failure mode of several of these (a FIFO opened for reading, a loop that
never ends), so those calls run under the suite's hang guard.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from photostory.core.export.folder import MARKER, STATE_FILE, check_export_folder
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story, photo_xmp
from photostory.core.images.opening import check_image, read_image_info
from photostory.core.images.renditions import make_renditions
from photostory.core.importing import import_photos
from photostory.core.metadata.reading import read_metadata
from photostory.core.metadata.xmp import MAX_XMP_PACKET
from photostory.core.privacy import location_exif, sensitive_metadata
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.errors import ExportError, ImageReadError
from cli_support import snapshot
from support import HANG_GUARD, hang_guard

TINY = ExportOptions(workers=1, widths=(32, 64))


def make_story(work: Path, count: int = 3) -> Story:
    folder = work / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"photo{i + 1}.jpg"
        Image.new("RGB", (96, 64), (60 * i % 255, 120, 200)).save(path, quality=85)
        paths.append(path)
    story = Story(title="Plant visit", dateline="SARAN", language="en", default_credit="akorda.kz")
    story.photos = import_photos(paths, workers=1).photos
    for i, photo in enumerate(story.photos):
        photo.caption, photo.alt = f"Caption {i + 1}", f"Alt {i + 1}"
    story.body = [Paragraph("First."), PhotoGroup([p.id for p in story.photos])]
    return story


def state_of(out: Path) -> dict:
    return json.loads((out / STATE_FILE).read_text(encoding="utf-8"))


# -- 1: an export replaces only what it made ---------------------------------------------------


def test_reexport_refuses_a_folder_holding_files_it_did_not_make(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "originals").mkdir()
    (out / "originals" / "raw.jpg").write_bytes(b"raw")
    (out / "images" / "mine.jpg").write_bytes(b"mine")  # in a folder the export made
    before = snapshot(tmp_path)
    story.photos[0].caption = "Changed"
    with pytest.raises(ExportError) as refused:
        export_story(story, out, TINY)
    message = str(refused.value)
    for name in ("notes.txt", "originals/", "images/mine.jpg", "move them out"):
        assert name in message, message
    assert snapshot(tmp_path) == before


def test_reexport_of_an_unchanged_folder_still_works(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    story.photos[0].caption = "Changed"
    report = export_story(story, out, TINY)
    assert report.photos == 3 and report.reused == 3
    assert "Changed" in (out / "index.html").read_text(encoding="utf-8")
    listed = set(state_of(out)["files"])
    on_disk = {str(p.relative_to(out)) + ("/" if p.is_dir() else "") for p in out.rglob("*")}
    assert listed == on_disk


def test_an_export_made_before_the_file_list_keeps_todays_layout(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    state = state_of(out)
    del state["files"]  # as exports made before the state file listed its files
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(ExportError, match="notes.txt"):
        export_story(story, out, TINY)
    assert snapshot(tmp_path) == before
    (out / "notes.txt").unlink()
    assert export_story(story, out, TINY).photos == 3


@pytest.mark.parametrize("where", ["images/story.photostory", "story.photostory"])
def test_a_story_file_inside_the_export_folder_is_refused(tmp_path, where):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    state = state_of(out)
    del state["files"]  # an old export: everything in images/ would count as its own
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    story_file = out / where
    story_file.write_text("{}", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(ExportError, match="story.photostory") as refused:
        export_story(story, out, TINY, story_file=story_file)
    assert "inside" in str(refused.value)
    assert snapshot(tmp_path) == before


def test_exporting_into_the_folder_that_holds_the_story_is_refused(tmp_path):
    story = make_story(tmp_path)
    story_file = tmp_path / "stories" / "visit.photostory"
    story_file.parent.mkdir()
    story_file.write_text("{}", encoding="utf-8")
    before = snapshot(tmp_path)
    for out in (tmp_path / "stories", tmp_path):
        with pytest.raises(ExportError, match="visit.photostory"):
            export_story(story, out, TINY, story_file=story_file)
    assert snapshot(tmp_path) == before


def test_a_photo_inside_the_export_folder_is_refused(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    rendition = next((out / "images").iterdir())
    story.photos[0].path = rendition  # a rendition imported back as a photo
    before = snapshot(tmp_path)
    with pytest.raises(ExportError, match=rendition.name):
        export_story(story, out, TINY)
    assert snapshot(tmp_path) == before


def test_a_file_dropped_into_the_folder_during_the_export_survives(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    previous = snapshot(out)
    for photo in story.photos:  # real rendering work, so the export takes a moment
        os.utime(photo.path, ns=(1, 1))

    def progress(done, total, message):
        if done == 1 and not (out / "notes.txt").exists():
            (out / "notes.txt").write_text("written while exporting", encoding="utf-8")

    with pytest.raises(ExportError, match="notes.txt"):
        export_story(story, out, TINY, progress)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "written while exporting"
    (out / "notes.txt").unlink()
    assert snapshot(out) == previous
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_check_export_folder_says_what_the_export_would_refuse(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    check_export_folder(out)  # not there yet: fine
    export_story(story, out, TINY)
    check_export_folder(out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="notes.txt"):
        check_export_folder(out)


# -- 5: links, and cleaning up only what the export made ---------------------------------------


def test_exporting_to_a_link_updates_the_folder_it_points_to(tmp_path):
    story = make_story(tmp_path)
    target = tmp_path / "web" / "story"
    target.parent.mkdir()
    link = tmp_path / "current"
    link.symlink_to(target, target_is_directory=True)
    export_story(story, link, TINY)  # the target does not exist yet
    story.photos[0].caption = "Second export"
    report = export_story(story, link, TINY)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "Second export" in (target / "index.html").read_text(encoding="utf-8")
    assert report.index_html == link / "index.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "photos", "web"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["story"]


def test_an_export_into_a_folder_under_a_linked_parent_stays_there(tmp_path):
    story = make_story(tmp_path)
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    export_story(story, tmp_path / "alias" / "out", TINY)
    export_story(story, tmp_path / "alias" / "out", TINY)
    assert (tmp_path / "alias").is_symlink()
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["out"]


def _users_folder(path: Path, with_state: bool = True) -> Path:
    path.mkdir()
    (path / "keep.txt").write_text("the user's", encoding="utf-8")
    if with_state:  # even a copy of an export is the user's once they named it
        (path / STATE_FILE).write_text('{"photos": {}}', encoding="utf-8")
    os.utime(path, (time.time() - 86400,) * 2)
    return path


def test_cleanup_spares_folders_named_like_its_own(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    _users_folder(tmp_path / ".out.old-1")
    _users_folder(tmp_path / ".out.old-123-456")
    _users_folder(tmp_path / ".out.building-abc", with_state=False)
    marked = _users_folder(tmp_path / ".out.building-def", with_state=False)
    (marked / MARKER).write_text("a marker for another folder", encoding="utf-8")
    before = snapshot(*(p for p in tmp_path.iterdir() if p.name.startswith(".out.")))
    export_story(story, out, TINY)
    assert (out / "index.html").is_file()
    assert snapshot(*(p for p in tmp_path.iterdir() if p.name.startswith(".out."))) == before


def test_glob_characters_in_the_name_reach_no_other_export(tmp_path):
    story = make_story(tmp_path)
    other = _users_folder(tmp_path / ".ab.old-1")  # what a glob for ".a[bc].old-*" matches
    stale = _users_folder(tmp_path / ".ab.building-x", with_state=False)
    before = snapshot(other, stale)
    export_story(story, tmp_path / "a[bc]", TINY)
    export_story(story, tmp_path / "a[bc]", TINY)
    assert not (tmp_path / "ab").exists()
    assert (tmp_path / "a[bc]" / "index.html").is_file()
    assert snapshot(other, stale) == before


_KILLED_EXPORT = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from photostory.core.export import pipeline
    from photostory.core.export.options import ExportOptions
    from photostory.core.storyfile import load_story

    moment = sys.argv[3]
    real_rename = os.rename

    def rename(src, dst):
        real_rename(src, dst)
        if moment == "between the renames":
            os._exit(9)  # the previous export is set aside, the new one not yet in place

    def progress(done, total, message):
        if moment == "while building" and done:
            os._exit(9)

    if moment == "between the renames":
        from photostory.core.export import folder
        folder.exchange_paths = lambda a, b: False  # a file system without RENAME_EXCHANGE
        os.rename = rename
    pipeline.export_story(load_story(Path(sys.argv[1])), Path(sys.argv[2]),
                          ExportOptions(workers=1, widths=(32, 64)), progress)
""")


def _killed_export(story_file: Path, out: Path, moment: str) -> None:
    done = subprocess.run([sys.executable, "-c", _KILLED_EXPORT, str(story_file), str(out), moment],
                          capture_output=True, text=True, timeout=HANG_GUARD)
    assert done.returncode == 9, done.stderr


def _saved_story(tmp_path: Path) -> tuple[Story, Path]:
    from photostory.core.storyfile import save_story

    story = make_story(tmp_path)
    path = tmp_path / "story.photostory"
    save_story(story, path)
    return story, path


def test_the_staging_folder_of_a_killed_export_is_cleared_by_the_next(tmp_path):
    story, story_file = _saved_story(tmp_path)
    out = tmp_path / "out"
    for photo in story.photos:
        os.utime(photo.path, ns=(1, 1))
    _killed_export(story_file, out, "while building")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.building-")]
    assert len(leftovers) == 1 and not out.exists()
    export_story(story, out, TINY)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_export_killed_between_two_renames_is_put_back(tmp_path):
    story, story_file = _saved_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    _killed_export(story_file, out, "between the renames")
    assert not out.exists()  # set aside, inside the marked staging folder
    report = export_story(story, out, TINY)
    assert report.reused == 3  # the previous export was put back and its renditions reused
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- 11: the state file's paths are never trusted ----------------------------------------------


def _inodes(folder: Path) -> set[tuple[int, int]]:
    return {(p.stat().st_dev, p.stat().st_ino) for p in folder.iterdir()}


def test_a_poisoned_state_file_brings_nothing_from_outside_into_the_export(tmp_path):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    secret = tmp_path / "private" / "secret.jpg"
    secret.parent.mkdir()
    Image.new("RGB", (64, 43), "red").save(secret)
    state = state_of(out)
    poisoned = ["../private/secret.jpg", str(secret), "images/../../private/secret.jpg"]
    for entry, url in zip(state["photos"].values(), poisoned):
        for rendition in entry["renditions"]:
            rendition["url"] = url
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    report = export_story(story, out, TINY)
    assert report.photos == 3 and report.reused == 0 and report.rendered == 3
    secret_inode = (secret.stat().st_dev, secret.stat().st_ino)
    assert secret_inode not in _inodes(out / "images")
    assert all(p.read_bytes() != secret.read_bytes() for p in (out / "images").iterdir())


def test_a_link_named_like_a_rendition_is_refused_as_not_the_exports_own(tmp_path):
    story = make_story(tmp_path, count=1)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    secret = tmp_path / "secret.jpg"
    Image.new("RGB", (64, 43), "red").save(secret)
    state = state_of(out)
    (entry,) = state["photos"].values()
    for rendition in entry["renditions"]:
        path = out / rendition["url"]
        path.unlink()
        path.symlink_to(secret)  # named as the export's own rendition, pointing outside
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(ExportError, match="images/"):
        export_story(story, out, TINY)  # a link is never the export's own file
    for rendition in entry["renditions"]:
        assert (out / rendition["url"]).is_symlink()  # refused, so left as it was


def test_poisoned_sizes_are_not_carried_into_the_page(tmp_path):
    story = make_story(tmp_path, count=1)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    state = state_of(out)
    (entry,) = state["photos"].values()
    entry["renditions"][0]["height"] = "<b>"
    entry["renditions"][1]["width"] = "/../../../escaped"
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    report = export_story(story, out, TINY)
    assert report.rendered == 1 and report.reused == 0
    assert 'height="43"' in (out / "index.html").read_text(encoding="utf-8")


# -- 6: metadata too long for a JPEG -----------------------------------------------------------

LONG_TEXTS = {
    "latin": "Rights reserved by the agency. " * 2200,  # ~68,000 characters
    "cyrillic": "Все права защищены агентством. " * 2200,  # two bytes a letter
    "escaping": "&<" * 35000,  # 70,000 characters that XML escaping grows 4-5 times
}


def _xmp_field(packet: bytes, path: str) -> str:
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
          "photoshop": "http://ns.adobe.com/photoshop/1.0/"}
    element = ET.fromstring(packet).find(path, ns)
    return "" if element is None else element.text or ""


@pytest.mark.parametrize("kind", LONG_TEXTS)
def test_huge_rights_credit_and_creator_fit_one_jpeg_segment(pytestconfig, tmp_path, kind):
    text = LONG_TEXTS[kind]
    story = make_story(tmp_path, count=1)
    photo = story.photos[0]
    photo.copyright, photo.creator, photo.credit = text, text.replace(";", ","), text
    photo.caption = "A short caption stays whole."
    with hang_guard(pytestconfig):
        packet, warning = photo_xmp(story, photo)
    assert len(packet) <= MAX_XMP_PACKET
    assert _xmp_field(packet, ".//dc:description/rdf:Alt/rdf:li") == "A short caption stays whole."
    for path in (".//dc:rights/rdf:Alt/rdf:li", ".//photoshop:Credit", ".//dc:creator/rdf:Seq/rdf:li"):
        value = _xmp_field(packet, path)
        assert value.endswith("…") and text.startswith(value[:-1].rstrip()) and len(value) > 1000
    assert "photo1.jpg" in warning and "shortened" in warning


def test_an_export_with_a_huge_credit_completes_with_a_warning(pytestconfig, tmp_path):
    story = make_story(tmp_path, count=2)
    story.photos[0].credit = "&" * 70000
    with hang_guard(pytestconfig):
        report = export_story(story, tmp_path / "out", TINY)
    assert report.photos == 2 and not report.failed
    assert len(report.warnings) == 1 and "photo1.jpg" in report.warnings[0]
    stem = "photo1"
    with Image.open(tmp_path / "out" / "images" / f"{stem}-64.jpg") as im:
        assert ET.fromstring(im.info["xmp"]) is not None
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert page.count("&amp;" * 70000) >= 1  # the page keeps the text whole


def test_normal_metadata_is_written_whole_without_a_warning(tmp_path):
    story = make_story(tmp_path, count=1)
    photo = story.photos[0]
    photo.caption = "Ж" * 20000
    packet, warning = photo_xmp(story, photo)
    assert warning == "" and _xmp_field(packet, ".//dc:description/rdf:Alt/rdf:li") == "Ж" * 20000


# -- 7: only regular files are read -----------------------------------------------------------


@pytest.fixture
def special_files(tmp_path):
    """A FIFO, a device, a folder and a socket, each named like a photo."""
    folder = tmp_path / "special"
    folder.mkdir()
    os.mkfifo(folder / "fifo.jpg")
    (folder / "folder.jpg").mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.jpg"))
    files = {"fifo.jpg": (folder / "fifo.jpg", "named pipe"),
             "zero": (Path("/dev/zero"), "device"),
             "urandom": (Path("/dev/urandom"), "device"),
             "folder.jpg": (folder / "folder.jpg", "folder"),
             "socket.jpg": (folder / "socket.jpg", "socket.jpg")}
    yield files
    sock.close()


@pytest.mark.parametrize("reader", [read_metadata, read_image_info, check_image,
                                    lambda path: make_renditions(path, (32,))],
                         ids=["read_metadata", "read_image_info", "check_image", "make_renditions"])
def test_readers_refuse_anything_but_a_regular_file(pytestconfig, special_files, reader):
    for name, (path, reason) in special_files.items():
        with hang_guard(pytestconfig), pytest.raises(ImageReadError) as refused:
            reader(path)
        assert path.name in str(refused.value) and reason in str(refused.value), (name, str(refused.value))


def test_privacy_scan_of_a_special_file_finds_nothing_and_returns(pytestconfig, special_files):
    for path, _ in special_files.values():
        with hang_guard(pytestconfig):
            assert sensitive_metadata(path) == set()
            assert location_exif(path) is None


def test_an_export_reports_photos_that_are_not_regular_files_and_completes(pytestconfig, tmp_path,
                                                                          special_files):
    story = make_story(tmp_path, count=1)
    for name, (path, _) in special_files.items():
        story.photos.append(Photo(path=path, caption=name, alt=name, width=96, height=64))
    story.body.append(PhotoGroup([p.id for p in story.photos[1:]]))
    with hang_guard(pytestconfig):
        report = export_story(story, tmp_path / "out", TINY)
    assert report.photos == 1
    reasons = dict(report.failed)
    assert set(reasons) == {path.name for path, _ in special_files.values()}
    for path, reason in special_files.values():
        assert reason in reasons[path.name], reasons[path.name]
    assert (tmp_path / "out" / "images" / "photo1-64.jpg").is_file()


def test_import_skips_a_fifo_named_like_a_photo(pytestconfig, tmp_path, special_files):
    make_story(tmp_path, count=1)  # a real photo beside the special files
    with hang_guard(pytestconfig):
        report = import_photos([tmp_path / "photos", tmp_path / "special"], workers=1)
    assert [p.file_name for p in report.photos] == ["photo1.jpg"]
    skipped = {path.name: reason for path, reason in report.skipped}
    assert set(skipped) == {"fifo.jpg", "socket.jpg"}  # the folder named folder.jpg is searched
    assert "named pipe" in skipped["fifo.jpg"]


def test_the_export_dialog_says_why_a_folder_is_refused_before_exporting(tmp_path, qtbot):
    from photostory.ui.export_dialog import ExportDialog

    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, TINY)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    dialog = ExportDialog(out, (480,), 82, story_file=tmp_path / "story.photostory",
                          photos=[p.path for p in story.photos])
    qtbot.addWidget(dialog)
    assert dialog.request() is None
    assert "notes.txt" in dialog.problem.text() and "did not make" in dialog.problem.text()
    dialog.folder.setText(str(tmp_path))  # holds the story's photos and the story file
    assert dialog.request() is None and "inside the export folder" in dialog.problem.text()
    dialog.folder.setText(str(tmp_path / "elsewhere"))
    assert dialog.request() is not None
