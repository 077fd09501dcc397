"""Preflight rules and caption shortcuts."""

import shutil
from pathlib import Path

import pytest
from PIL import Image

from photostory.core.captions_csv import match_sheet, parse_sheet
from photostory.core.preflight import PreflightSettings, check_story
from photostory.core.shortcuts import ShortcutsError, expand, load_shortcuts, parse_shortcuts
from photostory.core.story import Photo, Story


def story_with(tmp_path: Path, **fields) -> Story:
    path = tmp_path / "a.jpg"
    if not path.exists():
        Image.new("RGB", (2000, 1500), "white").save(path)
    photo = Photo(path=path, id="p1", width=2000, height=1500, caption="A caption.", alt="An alt.",
                  credit="akorda.kz")
    for key, value in fields.items():
        setattr(photo, key, value)
    story = Story()
    story.photos = [photo]
    return story


def rules(story: Story, **settings) -> set[str]:
    return {f.rule for f in check_story(story, PreflightSettings(**settings))}


def test_a_complete_photo_passes(tmp_path):
    assert rules(story_with(tmp_path)) == set()


@pytest.mark.parametrize("fields, rule, severity", [
    ({"caption": ""}, "missing_caption", "warning"),
    ({"alt": ""}, "missing_alt", "warning"),
    ({"credit": ""}, "missing_credit", "error"),
    ({"alt": "A caption."}, "alt_is_caption", "warning"),
    ({"alt": "Buses on the line. akorda.kz"}, "credit_in_alt", "warning"),
    ({"caption": "The minister XXX visited"}, "placeholder", "error"),
    ({"caption": "Name to come, at the plant"}, "placeholder", "error"),
    ({"caption": "[caption]"}, "placeholder", "error"),
    ({"alt": "TK"}, "placeholder", "error"),
    ({"caption": "x" * 401}, "caption_too_long", "warning"),
    ({"width": 1200}, "too_small", "warning"),
    ({"path": Path("/nowhere/gone.jpg")}, "missing_file", "error"),
])
def test_each_rule(tmp_path, fields, rule, severity):
    findings = check_story(story_with(tmp_path, **fields))
    finding = next(f for f in findings if f.rule == rule)
    assert finding.severity == severity
    assert finding.message.startswith("Photo 1 (")


def test_words_containing_placeholders_are_fine(tmp_path):
    assert "placeholder" not in rules(story_with(tmp_path, caption="Atkinson and TKO fans in Aktobe"))


def test_story_default_credit_satisfies_credit_and_limits_are_configurable(tmp_path):
    story = story_with(tmp_path, credit="", caption="x" * 50)
    story.default_credit = "akorda.kz"
    assert rules(story) == set()
    assert rules(story, max_caption=40) == {"caption_too_long"}


def test_duplicate_files_are_found(tmp_path):
    story = story_with(tmp_path)
    shutil.copy(tmp_path / "a.jpg", tmp_path / "copy.jpg")
    story.photos.append(Photo(path=tmp_path / "copy.jpg", id="p2", width=2000, caption="c", alt="d",
                              credit="x"))
    findings = [f for f in check_story(story) if f.rule == "duplicate"]
    assert [f.photo_id for f in findings] == ["p2"]
    assert "same file as photo 1 (a.jpg)" in findings[0].message


def test_shortcuts_expand_known_codes_only():
    glossary = parse_shortcuts("# newsroom glossary\nkt\tKassym-Jomart Tokayev\n"
                               "ak\tAkorda\n\nқр\tҚазақстан Республикасы\n")
    assert expand("President =kt= at =ak=.", glossary) == "President Kassym-Jomart Tokayev at Akorda."
    assert expand("=қр= Президенті", glossary) == "Қазақстан Республикасы Президенті"
    assert expand("a=b and =unknown= stay", glossary) == "a=b and =unknown= stay"


def test_shortcut_files_with_mistakes_are_reported(tmp_path):
    with pytest.raises(ShortcutsError, match="line 2: expected a code, a tab"):
        parse_shortcuts("kt\tTokayev\nno tab here\n", "glossary.txt")
    with pytest.raises(ShortcutsError, match="glossary.txt: file not found"):
        load_shortcuts(tmp_path / "glossary.txt")


def test_captions_sheet_import_expands_shortcuts(tmp_path):
    story = story_with(tmp_path)
    rows = parse_sheet("file,caption,alt\na.jpg,=kt= visits the plant,=kt= in a hard hat\n")
    match = match_sheet(story, rows, tmp_path, shortcuts={"kt": "Kassym-Jomart Tokayev"})
    assert match.changes["p1"] == {"caption": "Kassym-Jomart Tokayev visits the plant",
                                   "alt": "Kassym-Jomart Tokayev in a hard hat"}


def test_duplicate_check_reads_each_unchanged_file_once(tmp_path, monkeypatch):
    import os
    from photostory.core import preflight
    story = story_with(tmp_path)
    shutil.copy(tmp_path / "a.jpg", tmp_path / "copy.jpg")
    story.photos.append(Photo(path=tmp_path / "copy.jpg", id="p2", width=2000, caption="c", alt="d",
                              credit="x"))
    reads: list[Path] = []
    real = preflight._hash_file
    monkeypatch.setattr(preflight, "_hash_file", lambda p: reads.append(p) or real(p))
    preflight._HASHES.clear()
    check_story(story)
    check_story(story)
    assert sorted(p.name for p in reads) == ["a.jpg", "copy.jpg"]
    os.utime(tmp_path / "copy.jpg", ns=(1, 1))  # changed file: read again
    check_story(story)
    assert [p.name for p in reads].count("copy.jpg") == 2
