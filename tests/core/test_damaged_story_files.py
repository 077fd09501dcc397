"""Damaged, hand-edited and foreign story files.

test_storyfile.py has the basic cases (empty, cut JSON, not UTF-8, newer version,
wrong types, duplicate photo ids); this file goes further: every truncation of a real
file, random damage anywhere in the document (hypothesis), pathological JSON,
characters UTF-8 cannot carry, missing photo files kept through check, export and
save, repeated placements, a newer file never overwritten, and dates the export
cannot write. Each case gives a StoryFileError naming the file, or opens what can be
opened with a warning; nothing else may escape.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from photostory.cli import main as cli_main
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.preflight import check_story
from photostory.core.storyfile import FORMAT_VERSION, load_story, save_story, story_to_dict
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.errors import StoryFileError

TINY = ExportOptions(workers=1, widths=(32,))


def _story(folder: Path, with_files: bool = False) -> Story:
    (folder / "photos").mkdir(parents=True, exist_ok=True)
    story = Story(title="Сарандағы зауыт", byline="Staff", dateline="САРАН", language="kk",
                  default_credit="akorda.kz", tags=["industry"], published="2022-10-05")
    for i in range(3):
        path = folder / "photos" / f"Президент зауытта {i + 1}.jpg"
        if with_files:
            Image.new("RGB", (48, 36), (60 * i, 80, 120)).save(path)
        story.photos.append(Photo(path=path, id=f"p{i + 1}", caption=f"«Қазақстан» {i} <b>&</b>",
                                  alt=f"Alt {i}", width=48, height=36,
                                  date_taken="2022-10-05T15:12:00+06:00", keywords=("bus",)))
    story.body = [Paragraph("Бірінші абзац.", id="t1"), PhotoGroup(["p1"], id="g1"),
                  Paragraph("Second.", id="t2"), PhotoGroup(["p2", "p3"], id="g2")]
    return story


def _doc(folder: Path) -> dict:
    return story_to_dict(_story(folder), folder)


def _write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _load_clear(path: Path, warnings: list[str] | None = None) -> Story | None:
    """Load; a StoryFileError must name the file in one line. None when refused."""
    try:
        return load_story(path, warnings)
    except StoryFileError as err:
        assert path.name in str(err) and "\n" not in str(err), str(err)
        return None


# -- cut short ------------------------------------------------------------------------


def test_every_truncation_of_a_real_story_is_refused_by_name(tmp_path):
    path = tmp_path / "Сапар.photostory"
    save_story(_story(tmp_path), path)
    data = path.read_bytes()
    cut_path = tmp_path / "cut.photostory"
    for cut in range(len(data)):
        cut_path.write_bytes(data[:cut])
        story = _load_clear(cut_path)
        # Only cutting the final newline leaves a whole document.
        assert story is None or data[:cut].strip() == data.strip(), f"cut at {cut} loaded"


# -- random damage --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=8) | st.sampled_from(["photostory", "paragraph", "photos", "p1", "../x.jpg"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damage_anywhere_in_the_document_is_refused_or_repaired(tmp_path_factory, data):
    """Replace, drop or add one node anywhere: a clear refusal, or a story that saves and
    reloads to the same thing."""
    folder = tmp_path_factory.mktemp("fuzz")
    doc = _doc(folder)
    where = data.draw(st.sampled_from(list(_paths(doc))[1:]), label="where")
    action = data.draw(st.sampled_from(["replace", "drop", "add"]), label="action")
    damaged = copy.deepcopy(doc)
    parent = damaged
    for key in where[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[where[-1]] = data.draw(json_values, label="value")
    elif action == "drop":
        del parent[where[-1]]
    elif isinstance(parent, dict):
        parent[data.draw(st.text(max_size=6), label="key")] = data.draw(json_values, label="value")
    else:
        parent.insert(where[-1], data.draw(json_values, label="value"))
    path = _write(folder / "damaged.photostory", damaged)
    warnings: list[str] = []
    story = _load_clear(path, warnings)
    if story is not None:
        assert all(w.startswith("damaged.photostory: ") for w in warnings), warnings
        save_story(story, folder / "again.photostory")
        again = load_story(folder / "again.photostory")
        assert story_to_dict(again, folder) == story_to_dict(story, folder)


@pytest.mark.parametrize("text, what", [
    ("[" * 100_000 + "]" * 100_000, "nested 100 000 deep"),
    ('{"format": "photostory", "version": 1, "story": ' + "[" * 50_000 + "]" * 50_000 + "}", "deep value"),
    ('{"format": "photostory", "version": 1, "photos": [{"path": "a.jpg", "width": ' + "9" * 5000 + "}]}",
     "a 5000-digit number"),
    ('{"format": "photostory", "version": ' + "9" * 5000 + "}", "a 5000-digit version"),
    ('{"format": "photostory", "version": 1e999}', "an infinite version"),
    ('{"format": "photostory", "version": NaN}', "NaN"),
    ('{"format": "photostory", "version": 1, "photos": [{"path": "a.jpg", "width": 1.5}]}', "a fraction"),
    ('{"format": "photostory", "version": 1, "story": null}', "null story"),
    ('{"format": "photostory", "version": 1, "body": [{"type": "photos", "photos": "p1"}]}', "group ids as text"),
    ('{"format": "photostory", "version": 1, "body": [{"type": ["paragraph"]}]}', "unhashable type"),
    ('{"format": "photostory", "version": 1, "photos": [{"path": ""}]}', "empty path"),
    ('{"format": "photostory", "version": true}', "boolean version"),
    ('\ufeff{"format": "photostory", "version": 0}', "version 0 after a BOM"),
])
def test_pathological_json_is_refused_by_name(tmp_path, text, what):
    """These used to escape as RecursionError or ValueError (int digit limit)."""
    path = tmp_path / "odd.photostory"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoryFileError) as err:
        load_story(path)
    assert str(err.value).startswith("odd.photostory: "), what


@pytest.mark.parametrize("version", [FORMAT_VERSION + 1, 99, 2**40])
def test_newer_format_is_refused_and_never_overwritten(tmp_path, version):
    """A file from a newer Photostory: refused with both versions named, and a captions
    import (which loads, edits and saves) leaves it byte for byte as it was."""
    doc = _doc(tmp_path)
    doc["version"] = version
    doc["story"]["subtitle"] = "a field this version does not know"
    path = _write(tmp_path / "future.photostory", doc)
    before = path.read_bytes()
    with pytest.raises(StoryFileError, match=f"story format {version}; this version reads up to "
                                             f"{FORMAT_VERSION}.*Update Photostory"):
        load_story(path)
    sheet = tmp_path / "c.csv"
    sheet.write_text("file,caption\nПрезидент зауытта 1.jpg,New\n", encoding="utf-8")
    assert cli_main(["captions", str(path), "--import", str(sheet)]) == 1
    assert path.read_bytes() == before


# -- characters UTF-8 cannot carry ----------------------------------------------------


def test_lone_surrogate_escapes_in_text_are_repaired_with_a_warning(tmp_path):
    r"""A hand-edited "\ud800" made a story that loaded but could neither be saved nor
    exported (UnicodeEncodeError)."""
    doc = _doc(tmp_path)
    doc["story"]["title"] = "Title \ud800 end"
    doc["photos"][0]["caption"] = "\udfff caption"
    doc["photos"][1]["keywords"] = ["ok", "\udc80"]
    path = tmp_path / "s.photostory"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ASCII: the escapes stay escapes
    warnings: list[str] = []
    story = load_story(path, warnings)
    assert story.title == "Title \ufffd end" and story.photos[0].caption == "\ufffd caption"
    assert story.photos[1].keywords == ("ok", "\ufffd")
    assert len(warnings) == 3 and all("not valid Unicode" in w for w in warnings)
    save_story(story, path)
    assert load_story(path).title == "Title \ufffd end"


def test_nul_in_a_photo_path_keeps_the_photo_as_missing(tmp_path):
    r"""A "\u0000" in a path made the export crash with ValueError (embedded null byte)."""
    story = _story(tmp_path, with_files=True)
    doc = story_to_dict(story, tmp_path)
    doc["photos"][1]["path"] = "photos/Президент\u0000.jpg"
    path = _write(tmp_path / "s.photostory", doc)
    warnings: list[str] = []
    loaded = load_story(path, warnings)
    assert [p.id for p in loaded.photos] == ["p1", "p2", "p3"]
    assert loaded.photos[1].caption == story.photos[1].caption
    assert any("NUL" in w for w in warnings)
    assert [f.rule for f in check_story(loaded) if f.photo_id == "p2"][0] == "missing_file"
    report = export_story(loaded, tmp_path / "out", TINY)
    assert report.photos == 2 and [n for n, _ in report.failed] == ["Президент\ufffd.jpg"]


# -- missing photos, repeated ids and placements ----------------------------------------


def test_missing_photos_are_kept_marked_exported_around_and_saved_back(tmp_path):
    story = _story(tmp_path, with_files=True)
    path = tmp_path / "s.photostory"
    save_story(story, path)
    story.photos[1].path.unlink()
    (tmp_path / "photos").rename(tmp_path / "moved")  # the whole folder is gone
    (tmp_path / "photos").mkdir()
    (tmp_path / "moved" / "Президент зауытта 3.jpg").rename(tmp_path / "photos" / "Президент зауытта 3.jpg")
    warnings: list[str] = []
    loaded = load_story(path, warnings)
    assert warnings == []
    assert [p.id for p in loaded.photos] == ["p1", "p2", "p3"]  # nothing dropped
    assert [p.caption for p in loaded.photos] == [p.caption for p in story.photos]
    missing = [f for f in check_story(loaded) if f.rule == "missing_file"]
    assert [f.photo_id for f in missing] == ["p1", "p2"]
    assert all(f.is_error and f.file_name in f.message for f in missing)
    report = export_story(loaded, tmp_path / "out", TINY)
    assert report.photos == 1
    assert [reason for _, reason in report.failed] == [
        "Президент зауытта 1.jpg: file not found.", "Президент зауытта 2.jpg: file not found."]
    save_story(loaded, path)  # saving keeps the missing photos and what was written about them
    assert story_to_dict(load_story(path), tmp_path) == story_to_dict(story, tmp_path)


def test_hand_edited_duplicates_are_repaired_with_warnings(tmp_path):
    doc = _doc(tmp_path)
    doc["photos"][2]["id"] = "p1"  # two photos with one id
    doc["body"][1]["id"] = "t1"  # a group with a paragraph's id
    doc["body"].append({"type": "photos", "id": "g9", "photos": ["p2", "p2"]})  # placed again, twice
    doc["body"].append({"type": "paragraph", "id": "t1", "text": "Third."})
    path = _write(tmp_path / "dup.photostory", doc)
    warnings: list[str] = []
    story = load_story(path, warnings)
    assert len({p.id for p in story.photos}) == 3 and story.photos[2].caption == doc["photos"][2]["caption"]
    block_ids = [b.id for b in story.body]
    assert len(set(block_ids)) == len(block_ids) and block_ids[0] == "t1"
    groups = [b.photo_ids for b in story.groups()]
    assert groups == [["p1"], ["p2"]]  # p2 keeps its first place; the empty repeat is gone
    assert [p.text for p in story.paragraphs()] == ["Бірінші абзац.", "Second.", "Third."]
    assert any("repeats the id 'p1'" in w for w in warnings)
    assert any("placed a photo a second time" in w for w in warnings)
    save_story(story, path)
    assert load_story(path, again := []) and again == []


def test_unknown_fields_of_this_version_are_ignored(tmp_path):
    doc = _doc(tmp_path)
    doc["story"]["future_field"] = {"x": 1}
    doc["photos"][0]["rating"] = 5
    doc["body"][0]["style"] = "lead"
    doc["extra"] = []
    story = load_story(_write(tmp_path / "s.photostory", doc))
    assert story_to_dict(story, tmp_path) == _doc(tmp_path)


def test_a_date_the_export_cannot_write_does_not_stop_the_export(tmp_path):
    story = _story(tmp_path, with_files=True)
    doc = story_to_dict(story, tmp_path)
    doc["photos"][0]["date_taken"] = "yesterday"
    loaded = load_story(_write(tmp_path / "s.photostory", doc))
    report = export_story(loaded, tmp_path / "out", TINY)
    assert report.photos == 3


# -- every field read by its type --------------------------------------------------------


@pytest.mark.parametrize("where, key, value, expected", [
    ("story", "keep_location", "false", "true or false"),
    ("story", "keep_location", 0, "true or false"),
    ("story", "show_gallery", "no", "true or false"),
    ("story", "show_gallery", [], "true or false"),
    ("photo", "has_gps", "false", "true or false"),
    ("story", "credit_prefix", 5, "text"),
    ("story", "credit_prefix", ["Photo:"], "text"),
    ("photo", "width", -4, "a whole number"),
    ("photo", "height", 10 ** 30, "a whole number"),
    ("block", "id", 7, "text"),
])
def test_a_wrong_type_is_refused_naming_the_field_never_guessed(tmp_path, where, key, value,
                                                                expected):
    """"keep_location": "false" used to publish GPS (bool("false") is True); every field
    is read by its type, and a wrong one is refused by name."""
    doc = _doc(tmp_path)
    target = {"story": doc["story"], "photo": doc["photos"][1], "block": doc["body"][1]}[where]
    target[key] = value
    path = _write(tmp_path / "typed.photostory", doc)
    with pytest.raises(StoryFileError) as err:
        load_story(path)
    message = str(err.value)
    assert message.startswith("typed.photostory: ") and f"'{key}'" in message, message
    assert expected in message, message


def test_null_flags_take_their_defaults(tmp_path):
    doc = _doc(tmp_path)
    doc["story"].update(keep_location=None, show_gallery=None, credit_prefix=None)
    doc["photos"][0]["has_gps"] = None
    story = load_story(_write(tmp_path / "s.photostory", doc))
    assert (story.keep_location, story.show_gallery, story.credit_prefix) == (False, True, None)
    assert story.photos[0].has_gps is False


def test_a_lone_surrogate_in_the_credit_prefix_or_a_block_id_is_repaired(tmp_path):
    r"""A "\udc80" in credit_prefix loaded untouched and the export crashed with
    UnicodeEncodeError; it is repaired like every other text field."""
    story = _story(tmp_path, with_files=True)
    doc = story_to_dict(story, tmp_path)
    doc["story"]["credit_prefix"] = "Photo\udc80:"
    doc["body"][0]["id"] = "t\ud800"
    path = tmp_path / "s.photostory"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ASCII: the escapes stay escapes
    warnings: list[str] = []
    loaded = load_story(path, warnings)
    assert loaded.credit_prefix == "Photo\ufffd:" and loaded.body[0].id == "t\ufffd"
    assert any("'credit_prefix'" in w and "not valid Unicode" in w for w in warnings)
    report = export_story(loaded, tmp_path / "out", TINY)
    assert report.photos == 3
    assert "Photo\ufffd:" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
