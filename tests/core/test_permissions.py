"""File permissions as a user meets them: a folder they cannot write, a photo they cannot
read, and an export that the web server (another user) must be able to read.

CI runs as root, which ignores file modes; the checks that need them run in a
subprocess without root's permission-bypassing capabilities (support.run_unprivileged),
so they run there too instead of skipping.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.storyfile import save_story
from support import noisy_story, run_as_user, run_unprivileged

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions")

SMALL = ExportOptions(workers=1, widths=(160, 480))

# Runs without privileges: what one call does, as JSON on stdout (the test checks it).
_OUTCOME = """
import json, sys
from pathlib import Path
from photostory.errors import PhotostoryError

def outcome(call):
    try:
        value = call()
    except PhotostoryError as exc:
        print(json.dumps({"raised": type(exc).__name__, "message": str(exc)}))
    else:
        print(json.dumps({"raised": None, "value": repr(value)}))
"""

EXPORT_AS_USER = _OUTCOME + """
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.storyfile import load_story
outcome(lambda: export_story(load_story(Path(sys.argv[1])), Path(sys.argv[2]),
                             ExportOptions(workers=1, widths=(160, 480))).summary())
"""

READ_METADATA_AS_USER = _OUTCOME + """
from photostory.core.metadata.reading import read_metadata
outcome(lambda: read_metadata(Path(sys.argv[1])).caption)
"""

READ_IMAGE_AS_USER = _OUTCOME + """
from photostory.core.images.decoding import make_thumbnail
outcome(lambda: make_thumbnail(Path(sys.argv[1]), 128).size)
"""


def unprivileged(code: str, *args: object) -> dict:
    run = run_unprivileged(code, *args)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    return json.loads(run.stdout)


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_to_a_folder_without_write_permission(tmp_path):
    story = noisy_story(tmp_path / "photos", 2, (640, 480))
    story_file = tmp_path / "story.photostory"
    save_story(story, story_file)
    parent = tmp_path / "locked"
    parent.mkdir()
    out = parent / "export"
    export_story(story, out, SMALL)
    before = _files(out)
    parent.chmod(0o555)
    try:
        result = unprivileged(EXPORT_AS_USER, story_file, out)
    finally:
        parent.chmod(0o755)
    assert result["raised"] == "ExportError", result
    assert "Permission denied" in result["message"] and str(out) in result["message"]
    assert "\n" not in result["message"]
    assert _files(out) == before
    assert sorted(p.name for p in parent.iterdir()) == ["export"]  # no half-built copy


@pytest.mark.parametrize("code", [READ_METADATA_AS_USER, READ_IMAGE_AS_USER],
                         ids=["read_metadata", "make_thumbnail"])
def test_unreadable_file_raises_image_read_error(tmp_path, code):
    path = tmp_path / "secret.jpg"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(path, quality=85)
    path.chmod(0)
    try:
        result = unprivileged(code, path)
    finally:
        path.chmod(0o644)
    assert result["raised"] == "ImageReadError", result
    assert "secret.jpg" in result["message"] and "permission denied" in result["message"].lower()
    assert "\n" not in result["message"]
    # The same call succeeds on the readable file: the refusal came from the mode.
    assert unprivileged(code, path)["raised"] is None


@pytest.fixture
def web_root() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp folders are private to us)."""
    with tempfile.TemporaryDirectory(prefix="photostory-web-") as name:
        os.chmod(name, 0o755)
        yield Path(name)


def test_export_is_readable_by_a_web_server(tmp_path, web_root):
    """The web server runs as another user (nobody stands in for www-data): it must
    list every folder of the export and read every file, with the usual umask."""
    story = noisy_story(tmp_path / "photos", 2, (640, 480))
    out = web_root / "exports" / "story"
    old_umask = os.umask(0o022)
    try:
        export_story(story, out, SMALL)
        story.photos[0].caption = "Changed"  # a re-export (reused renditions) too
        export_story(story, out, SMALL)
    finally:
        os.umask(old_umask)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"index.html", "embed.html", "story.json"}
    if os.geteuid() != 0:
        # Without root there is no other user to become: read the modes a server meets.
        for path in [out, *out.rglob("*")]:
            mode = path.stat().st_mode
            needed = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
            assert mode & needed == needed, f"{path}: {stat.filemode(mode)}"
        return
    listed = run_as_user("nobody", ["find", out, "-type", "f"])
    assert listed.returncode == 0 and listed.stderr == b"", listed.stderr
    assert sorted(listed.stdout.decode().splitlines()) == sorted(map(str, files))
    read = run_as_user("nobody", ["cat", *files])
    assert read.returncode == 0 and read.stderr == b"", read.stderr
    assert read.stdout == b"".join(p.read_bytes() for p in files)


def test_a_private_export_is_caught_by_the_web_server_check(tmp_path, web_root):
    """The check above, proven on an export a web server cannot read (the 0700 folder
    mkdtemp makes, left as it was)."""
    story = noisy_story(tmp_path / "photos", 1, (640, 480))
    out = web_root / "story"
    export_story(story, out, SMALL)
    out.chmod(0o700)
    if os.geteuid() != 0:
        assert out.stat().st_mode & stat.S_IXOTH == 0
        return
    read = run_as_user("nobody", ["cat", out / "index.html"])
    assert read.returncode != 0 and b"Permission denied" in read.stderr
