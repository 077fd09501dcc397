"""Export: the folder's structure, markup rules, renditions, credits and incremental work."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from htmlcheck import Page, only_own_scripts, parse_srcset
from photostory.core.edits import SetPhotoFields
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story, start_method
from photostory.core.importing import import_photos
from photostory.core.story import Paragraph, PhotoGroup, Story
from photostory.errors import ExportError

SERIAL = ExportOptions(workers=1)


@pytest.fixture(params=[1, None], ids=["workers=1", "default pool"])
def options(request: pytest.FixtureRequest) -> ExportOptions:
    """Every export test runs in this process and with one worker process per core."""
    return ExportOptions(workers=request.param)


def make_photos(folder: Path, sizes) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (w, h) in enumerate(sizes):
        path = folder / f"photo {i + 1}.jpg"
        Image.new("RGB", (w, h), (40 * i % 255, 120, 200)).save(path, quality=90)
        paths.append(path)
    return paths


def make_story(tmp_path: Path, sizes=((2400, 1600), (1200, 800), (600, 900), (3000, 2000))) -> Story:
    report = import_photos(make_photos(tmp_path / "photos", sizes), workers=1)
    story = Story(title="Президент посетил завод", dateline="SARAN", language="ru",
                  default_credit="akorda.kz", published="2022-10-05")
    story.photos = report.photos
    ids = [p.id for p in story.photos]
    story.body = [Paragraph("First paragraph."), PhotoGroup(ids[:1]), Paragraph("Second."),
                  PhotoGroup(ids[1:]), Paragraph("Third.")]
    for i, photo in enumerate(story.photos):
        photo.caption = f"Caption {i + 1}"
        photo.alt = f"Alt {i + 1}"
    return story


def test_export_folder_has_the_contract_files(tmp_path, options):
    story = make_story(tmp_path)
    report = export_story(story, tmp_path / "out", options)
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} >= {"index.html", "embed.html", "story.json", "assets", "images"}
    assert report.photos == 4 and report.rendered == 4 and not report.failed
    names = sorted(p.name for p in (out / "images").iterdir())
    assert all(name.isascii() and " " not in name for name in names)
    assert "photo-1-1600.jpg" in names and "photo-1-2400.jpg" not in names  # capped at 1600
    assert "photo-2-1200.jpg" in names  # never upscaled: the original width is the largest


def test_markup_rules_and_rendition_sizes(tmp_path, options):
    story = make_story(tmp_path)
    export_story(story, tmp_path / "out", options)
    out = tmp_path / "out"
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    assert page.find("html")[0].attrs["lang"] == "ru"
    images = page.find("img")
    assert len(images) == 8  # 4 in the article, 4 in the gallery
    assert "loading" not in images[0].attrs
    assert all(img.attrs.get("loading") == "lazy" for img in images[1:])
    for img in images:
        assert img.attrs["alt"].startswith("Alt ")
        assert img.attrs["sizes"]
        for url, width in parse_srcset(img.attrs["srcset"]):
            with Image.open(out / url) as rendition:
                assert rendition.width == width
        with Image.open(out / img.attrs["src"]) as shown:
            assert (shown.width, shown.height) == (int(img.attrs["width"]), int(img.attrs["height"]))
    for link in page.find("a", "ps-open"):
        with Image.open(out / link.attrs["href"]) as large:
            assert large.width == int(link.attrs["data-width"])
    srcs = [e.attrs.get("src", "") + e.attrs.get("href", "") for e in page.elements]
    assert not any("://" in s or s.startswith("//") for s in srcs)


def test_shared_credit_printed_once_in_story_language(tmp_path, options):
    story = make_story(tmp_path)
    export_story(story, tmp_path / "out", options)
    page = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert page.texts("ps-credit-line") == ["Фото: akorda.kz"]
    assert page.find(cls="ps-credit") == []


def test_differing_credits_go_under_each_photo(tmp_path, options):
    story = make_story(tmp_path)
    story.language = "en"
    story.photos[2].credit = "Reuters"
    export_story(story, tmp_path / "out", options)
    page = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert page.find(cls="ps-credit-line") == []
    credits = page.texts("ps-credit")
    assert credits.count("Photo: Reuters") == 2  # article + gallery
    assert credits.count("Photo: akorda.kz") == 6


def test_captions_are_text_never_markup(tmp_path, options):
    story = make_story(tmp_path)
    hostile = '<script>window.__xss=1</script> "quoted" & <b>bold</b>'
    story.photos[0].caption = hostile
    story.photos[0].alt = 'Alt" onerror="alert(1)'
    export_story(story, tmp_path / "out", options)
    for name in ("index.html", "embed.html"):
        html = (tmp_path / "out" / name).read_text(encoding="utf-8")
        page = Page(html)
        assert only_own_scripts(page)
        assert hostile in page.texts("ps-caption")
        assert page.find("img")[0].attrs["alt"] == 'Alt" onerror="alert(1)'
        assert "<script>" not in html


def test_embed_is_one_root_element_without_page_tags(tmp_path, options):
    export_story(make_story(tmp_path), tmp_path / "out", options)
    html = (tmp_path / "out" / "embed.html").read_text(encoding="utf-8").strip()
    page = Page(html)
    assert not page.find("html") and not page.find("head") and not page.find("body")
    top = [e for e in page.elements if not e.parents]
    assert len(top) == 1
    assert page.find("link")[0].attrs["href"] == "assets/photostory.css"
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert ids and all(i.startswith("ps-") for i in ids)  # can't collide with the host page


def test_manifest_lists_photos_with_renditions_in_order(tmp_path, options):
    story = make_story(tmp_path)
    export_story(story, tmp_path / "out", options)
    data = json.loads((tmp_path / "out" / "story.json").read_text(encoding="utf-8"))
    assert data["title"] == story.title and data["credit"] == "akorda.kz"
    assert [p["caption"] for p in data["photos"]] == [p.caption for p in story.photos]
    first = data["photos"][0]
    assert [r["width"] for r in first["renditions"]] == [480, 960, 1600]
    assert all(r["type"] == "image/jpeg" for r in first["renditions"])


def test_same_story_exported_twice_gives_the_same_files(tmp_path):
    story = make_story(tmp_path)
    export_story(story, tmp_path / "a", SERIAL)
    export_story(story, tmp_path / "b", ExportOptions(workers=2))

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_caption_change_reexport_touches_no_pixels(tmp_path, options):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, options)
    before = {p.name: p.read_bytes() for p in (out / "images").iterdir()}
    SetPhotoFields.same(story, [story.photos[1].id], "caption", "A new caption").apply(story)
    report = export_story(story, out, options)
    assert report.rendered == 0 and report.reused == 4 and report.metadata_updated == 1
    after = {p.name: p.read_bytes() for p in (out / "images").iterdir()}
    assert before.keys() == after.keys()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"photo-2-480.jpg", "photo-2-960.jpg", "photo-2-1200.jpg"}
    for name in changed:
        assert _scan_data(before[name]) == _scan_data(after[name])  # pixels byte-identical
    assert "A new caption" in (out / "index.html").read_text(encoding="utf-8")


def _scan_data(jpeg: bytes) -> bytes:
    return jpeg[jpeg.index(b"\xff\xda"):]


def test_removed_photo_renditions_are_removed(tmp_path, options):
    story = make_story(tmp_path)
    out = tmp_path / "out"
    export_story(story, out, options)
    gone = story.photos.pop(3)
    story.body[3].photo_ids.remove(gone.id)
    export_story(story, out, options)
    assert not any(p.name.startswith("photo-4-") for p in (out / "images").iterdir())


def test_missing_or_broken_photo_is_reported_not_fatal(tmp_path, options):
    story = make_story(tmp_path)
    story.photos[1].path.unlink()
    story.photos[2].path.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    report = export_story(story, tmp_path / "out", options)
    assert report.photos == 2
    assert [name for name, _ in report.failed] == ["photo 2.jpg", "photo 3.jpg"]
    assert all(name in reason for name, reason in report.failed)


def test_refuses_to_overwrite_a_folder_that_is_not_an_export(tmp_path, options):
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "thesis.docx").write_text("precious")
    with pytest.raises(ExportError, match="not a Photostory export"):
        export_story(make_story(tmp_path), folder, options)
    assert (folder / "thesis.docx").read_text() == "precious"


def test_workers_are_forked_only_from_a_single_threaded_process():
    command = "from photostory.core.export.pipeline import start_method; print(start_method())"
    alone = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, check=True)
    assert alone.stdout.strip() == "fork"  # the command line: workers start at once
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert start_method() == "spawn"  # another thread might hold a lock the child needs
    finally:
        release.set()
        other.join()
