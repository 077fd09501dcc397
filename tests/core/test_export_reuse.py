"""Re-exporting: what may be carried over from the previous export and what must be
rendered again, and a cancelled re-export that leaves the previous one as it was."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.importing import import_photos
from photostory.core.progress import CancelToken
from photostory.core.story import Paragraph, PhotoGroup, Story
from photostory.errors import Cancelled

RED, BLUE, GREEN = (200, 30, 30), (30, 60, 200), (40, 170, 60)


@pytest.fixture(params=[1, None], ids=["workers=1", "default pool"])
def options(request: pytest.FixtureRequest) -> ExportOptions:
    return ExportOptions(widths=(160, 480), workers=request.param)


def write_photo(path: Path, color: tuple[int, int, int], quality: int = 90) -> None:
    """A photo of one colour with a little texture (so it compresses like a photo)."""
    size = (900, 600)
    image = Image.effect_noise(size, 12).convert("RGB")
    Image.blend(image, Image.new("RGB", size, color), 0.85).save(path, "JPEG", quality=quality)


def make_story(folder: Path) -> Story:
    folder.mkdir(parents=True, exist_ok=True)
    for i, color in enumerate((RED, GREEN, GREEN)):
        write_photo(folder / f"photo {i + 1}.jpg", color)
    story = Story(title="Re-export", default_credit="akorda.kz")
    story.photos = import_photos(sorted(folder.iterdir()), workers=1).photos
    story.body = [Paragraph("Text."), PhotoGroup([p.id for p in story.photos])]
    return story


def mean_color(path: Path) -> tuple[float, ...]:
    with Image.open(path) as image:
        return tuple(ImageStat.Stat(image.convert("RGB")).mean)


def near(color: tuple[float, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(c - e) < 25 for c, e in zip(color, expected))


def renditions_of_photo_1(out: Path) -> list[Path]:
    return sorted((out / "images").glob("photo-1-*.jpg"))


def replace_file(path: Path, color: tuple[int, int, int], *, keep_mtime: bool = False,
                 same_size: bool = False) -> None:
    """Put a different picture at ``path`` the way a photographer's corrected copy
    arrives: written beside it and renamed over it (``keep_mtime``: as unpacking an
    archive or ``cp -p`` does; ``same_size``: the new file padded to the old size)."""
    old = path.stat()
    new = path.with_name(path.name + ".new")
    write_photo(new, color, quality=70 if same_size else 90)  # q70: smaller, so it can be padded
    if same_size:
        data = new.read_bytes()
        assert len(data) < old.st_size
        new.write_bytes(data + b"\0" * (old.st_size - len(data)))  # after EOI: ignored
        assert new.stat().st_size == old.st_size
    os.replace(new, path)
    if keep_mtime:
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    else:
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns + 2_000_000_000))


@pytest.mark.parametrize("how", ["new date", "old date kept", "same size", "same size and date"])
def test_a_photo_replaced_under_the_same_name_is_rendered_again(tmp_path, options, how):
    story = make_story(tmp_path / "photos")
    out = tmp_path / "out"
    first = export_story(story, out, options)
    assert first.rendered == 3
    assert all(near(mean_color(p), RED) for p in renditions_of_photo_1(out))

    replace_file(story.photos[0].path, BLUE, keep_mtime=how in {"old date kept", "same size and date"},
                 same_size=how.startswith("same size"))
    report = export_story(story, out, options)

    shown = {p.name: mean_color(p) for p in renditions_of_photo_1(out)}
    assert shown and all(near(color, BLUE) for color in shown.values()), \
        f"the web copies still show the replaced picture: {shown}"
    assert (report.rendered, report.reused) == (1, 2)  # the other photos are carried over


def test_an_unchanged_story_reuses_every_rendition(tmp_path, options):
    story = make_story(tmp_path / "photos")
    out = tmp_path / "out"
    export_story(story, out, options)
    inodes = {p.name: p.stat().st_ino for p in (out / "images").iterdir()}
    report = export_story(story, out, options)
    assert (report.rendered, report.reused) == (0, 3)
    assert {p.name: p.stat().st_ino for p in (out / "images").iterdir()} == inodes  # hard links


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_cancelled_export_leaves_previous_export_intact(tmp_path, options):
    story = make_story(tmp_path / "photos")
    out = tmp_path / "out"
    export_story(story, out, options)
    before = _files(out)
    story.photos[0].caption = "A caption the previous export must not get"
    cancel = CancelToken()
    rendered_when_cancelled: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("Exported") and not cancel.cancelled:
            # Rendering is under way: renditions are being written into the build folder.
            rendered_when_cancelled.append(len(list(tmp_path.glob(".out.building-*/**/*.jpg"))))
            cancel.cancel()

    # Other settings: every photo must be rendered again, so there is work to cancel.
    again = ExportOptions(widths=(160, 480), quality=options.quality - 1, workers=options.workers)
    with pytest.raises(Cancelled):
        export_story(story, out, again, progress, cancel)
    assert rendered_when_cancelled and rendered_when_cancelled[0] >= 2, rendered_when_cancelled
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
