"""The photostory command end to end, as a desk would run it on real camera files."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from htmlcheck import Page, only_own_scripts, parse_srcset
from support import PROJECT_ROOT, corpus_path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "photostory", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def corpus_export(tmp_path_factory):
    """new + export on the corpus's real/ and orientation/ photos, with a hostile caption."""
    tmp = tmp_path_factory.mktemp("corpus")
    photos = tmp / "photos"
    shutil.copytree(corpus_path("real"), photos / "real")
    shutil.copytree(corpus_path("orientation"), photos / "orientation")
    article = tmp / "article.txt"
    article.write_text("Plant visit\n\nSARAN. First paragraph.\n\n[photo]\n\nSecond.\n\n"
                       "[photo]\n[photo]\n[photo]\n[photo]\n\nThird.\n\nPhoto:akorda.kz\n", encoding="utf-8")
    sheet = tmp / "captions.csv"
    sheet.write_text("file,caption,credit,alt\n"
                     "Landscape_6.jpg,<script>window.__xss=1</script> Orientation six,,Six\n"
                     "canon-ixus.jpg,A Canon & a \"quote\",,Camera\n", encoding="utf-8")
    story = tmp / "visit.photostory"
    new = run("new", story, "--article", article, "--photos", photos, "--captions", sheet)
    out = tmp / "exports" / "visit"
    export = run("export", story, "-o", out)
    return tmp, story, out, new, export


def test_new_and_export_succeed(corpus_export):
    _, story, out, new, export = corpus_export
    assert new.returncode == 0, new.stderr
    assert export.returncode == 0, export.stderr
    assert "Traceback" not in new.stderr + export.stderr
    assert str(out / "index.html") in export.stdout
    data = json.loads(story.read_text(encoding="utf-8"))
    expected = len(list(corpus_path("real").iterdir())) + len(list(corpus_path("orientation").iterdir()))
    assert len(data["photos"]) == expected
    assert data["story"]["default_credit"] == "akorda.kz"


def test_captions_show_as_text_including_script(corpus_export):
    _, _, out, _, _ = corpus_export
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    captions = page.texts("ps-caption")
    assert "<script>window.__xss=1</script> Orientation six" in captions
    assert 'A Canon & a "quote"' in captions
    assert only_own_scripts(page)
    assert page.texts("ps-credit-line") == ["Photo: akorda.kz"]


def test_rendition_sizes_match_srcset_and_attributes(corpus_export):
    _, _, out, _, _ = corpus_export
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    images = page.find("img")
    assert len(images) >= 60  # 55 gallery photos + 5 placed in the article
    for img in images:
        for url, width in parse_srcset(img.attrs["srcset"]):
            with Image.open(out / url) as im:
                assert im.width == width, url
                assert im.format == "JPEG" and im.mode == "RGB"
        with Image.open(out / img.attrs["src"]) as im:
            assert im.size == (int(img.attrs["width"]), int(img.attrs["height"]))


def _rendition(out: Path, stem: str) -> Image.Image:
    data = json.loads((out / "story.json").read_text(encoding="utf-8"))
    photo = next(p for p in data["photos"] if Path(p["file"]).stem == stem)
    return Image.open(out / photo["renditions"][0]["url"]).convert("L")


@pytest.mark.parametrize("kind", ["Landscape", "Portrait"])
def test_all_orientations_come_out_upright(corpus_export, kind):
    _, _, out, _, _ = corpus_export
    reference = _rendition(out, f"{kind}_1")
    assert (reference.width > reference.height) == (kind == "Landscape")
    for n in range(0, 9):
        im = _rendition(out, f"{kind}_{n}")
        assert im.size == reference.size, f"{kind}_{n}"
        diff = ImageStat.Stat(ImageChops.difference(im, reference)).mean[0]
        assert diff < 12, f"{kind}_{n} differs from {kind}_1 by {diff:.1f}"


def test_phone_photo_with_orientation_6_is_portrait(corpus_export):
    _, _, out, _, _ = corpus_export
    im = _rendition(out, "exiv2-bug2565")  # Galaxy S7, stored 4032x3024, orientation 6
    assert im.height > im.width


def test_broken_files_are_reported_and_good_ones_kept(tmp_path):
    photos = tmp_path / "card"
    shutil.copytree(corpus_path("broken"), photos)
    shutil.copy(corpus_path("real", "canon-ixus.jpg"), photos)
    result = run("new", tmp_path / "s.photostory", "--photos", photos)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    failing = ["truncated_jpeg.jpg", "zero_bytes.jpg", "issue_2352_poc.jpg", "truncated.gif",
               "crash-2020-10-test.tif", "broken.png"]
    lines = result.stderr.splitlines()
    for name in failing:
        line = next((l for l in lines if name in l), None)
        assert line is not None, f"{name} was not reported"
        assert line.startswith("warning: ") and len(line) > len(name) + 20  # with a reason
    warnings = sum(1 for l in lines if l.startswith("warning: "))
    assert f"({warnings} warnings)" in result.stdout
    data = json.loads((tmp_path / "s.photostory").read_text(encoding="utf-8"))
    names = {Path(p["path"]).name for p in data["photos"]}
    assert "canon-ixus.jpg" in names
    assert not names & set(failing)


def test_no_photo_importable_exits_1(tmp_path):
    for name in ("zero_bytes.jpg", "broken.png"):
        shutil.copy(corpus_path("broken", name), tmp_path)
    result = run("new", tmp_path / "s.photostory", "--photos", tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: No photo could be imported")
    assert not (tmp_path / "s.photostory").exists()


def test_errors_are_one_line_without_traceback(tmp_path):
    (tmp_path / "bad.photostory").write_text("{ not json", encoding="utf-8")
    for args in (["export", tmp_path / "bad.photostory"], ["check", tmp_path / "missing.photostory"],
                 ["captions", tmp_path / "bad.photostory", "--export", tmp_path / "c.csv"]):
        result = run(*args)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
        assert "Traceback" not in result.stderr


def _small_story(tmp_path: Path, credit: str | None = "akorda.kz") -> Path:
    """A story of two small photos, photos/a.jpg and photos/b.jpg."""
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("a.jpg", "b.jpg"):
        Image.new("RGB", (64, 48), "white").save(photos / name)
    story = tmp_path / "s.photostory"
    extra = ["--credit", credit] if credit else []
    assert run("new", story, "--photos", photos, "--title", "T", *extra).returncode == 0
    return story


def test_captions_round_trip_and_unknown_rows(tmp_path):
    story = _small_story(tmp_path)
    sheet = tmp_path / "in.csv"
    sheet.write_text("file,caption,credit,alt\na.jpg,Caption A,Reuters,Alt A\nzzz.jpg,Lost,,\n",
                     encoding="utf-8-sig")
    result = run("captions", story, "--import", sheet)
    assert result.returncode == 0
    assert "zzz.jpg" in result.stderr and "line 3" in result.stderr
    assert run("captions", story, "--export", tmp_path / "out.csv").returncode == 0
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "photos/a.jpg,Caption A,Reuters,Alt A" in text


def test_check_lists_what_is_missing_and_fails_on_errors(tmp_path):
    story = _small_story(tmp_path)
    photos = tmp_path / "photos"
    result = run("check", story)
    assert result.returncode == 0  # warnings only
    assert "Photo 1 (a.jpg): has no caption." in result.stdout
    assert "has no alt text" in result.stdout
    (photos / "b.jpg").unlink()
    result = run("check", story)
    assert result.returncode == 1
    assert "Photo 2 (b.jpg): the file is missing" in result.stdout


def test_check_fails_on_every_error_export_would_refuse(tmp_path):
    """The exit status follows the errors printed, as export refuses on any of them."""
    story = _small_story(tmp_path, credit=None)
    result = run("check", story)
    assert "error: " in result.stdout and "no default credit" in result.stdout
    assert result.returncode == 1
    assert run("export", story, "-o", tmp_path / "out").returncode == 1


def test_inspect_reports_what_the_file_says(tmp_path):
    result = run("inspect", "--json", corpus_path("real", "DSCN0010.jpg"), corpus_path("broken", "zero_bytes.jpg"))
    assert result.returncode == 0
    good, bad = json.loads(result.stdout)
    assert good["has_gps"] is True and good["camera"].startswith("NIKON")
    assert good["date_taken"].startswith("2008-10-22T16:28:39")
    assert (good["width"], good["height"]) == (640, 480)
    assert "zero_bytes.jpg" in bad["error"]


def test_sample_story_exports(tmp_path):
    result = run("export", PROJECT_ROOT / "resources" / "sample" / "sample.photostory", "-o", tmp_path / "sample")
    assert result.returncode == 0, result.stderr
    page = Page((tmp_path / "sample" / "index.html").read_text(encoding="utf-8"))
    assert len(page.find("figure")) == 6 + 5




def test_preflight_errors_block_export_unless_ignored(tmp_path):
    story = _small_story(tmp_path)
    sheet = tmp_path / "c.csv"
    sheet.write_text("file,caption,alt\na.jpg,Minister XXX opens the plant,A ribbon\n", encoding="utf-8")
    run("captions", story, "--import", sheet)
    blocked = run("export", story, "-o", tmp_path / "out")
    assert blocked.returncode == 1
    assert "placeholder text 'XXX'" in blocked.stderr
    assert blocked.stderr.strip().splitlines()[-1].startswith("error: Preflight found 1 error")
    assert not (tmp_path / "out").exists()
    forced = run("export", story, "-o", tmp_path / "out", "--ignore-errors")
    assert forced.returncode == 0 and (tmp_path / "out" / "index.html").exists()
    assert "Preflight:" in forced.stdout  # warnings are summarised


def test_captions_import_expands_shortcuts(tmp_path):
    story = _small_story(tmp_path)
    glossary = tmp_path / "glossary.txt"
    glossary.write_text("kt\tKassym-Jomart Tokayev\n", encoding="utf-8")
    sheet = tmp_path / "c.csv"
    sheet.write_text("file,caption\nb.jpg,=kt= at the plant\n", encoding="utf-8")
    assert run("captions", story, "--import", sheet, "--shortcuts", glossary).returncode == 0
    data = json.loads(story.read_text(encoding="utf-8"))
    assert data["photos"][1]["caption"] == "Kassym-Jomart Tokayev at the plant"


def test_terminal_text_shows_every_control_character_as_an_escape():
    from photostory.cli.terminal import json_text, terminal_text

    hostile = "a\x1b]0;t\x07b\x1b[2Jc\rd\ne\tf\x7fg\x9bh\u202ei\u2028j" + os.fsdecode(b"\xff")
    assert terminal_text(hostile) == r"a\x1b]0;t\x07b\x1b[2Jc\rd\ne\tf\x7fg\x9bh\u202ei\u2028j\xff"
    assert terminal_text("Президент «зауытта» — ok") == "Президент «зауытта» — ok"
    text = json_text({"caption": hostile, "title": "Сарань"})
    assert json.loads(text) == {"caption": hostile, "title": "Сарань"}
    assert "Сарань" in text and text.count("\n") == 3
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7f <= ord(c) <= 0x9f or 0xd800 <= ord(c) <= 0xdfff
                   for c in text)
