"""Preflight rules and caption shortcuts."""

import shutil
from pathlib import Path

import pytest
from PIL import Image

from photostory.core.captions_csv import match_sheet, parse_sheet
from photostory.core.preflight import PreflightSettings, check_story
from photostory.core.shortcuts import expand, load_shortcuts, parse_shortcuts
from photostory.errors import ShortcutsError
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
    hashes = preflight.ContentHashes()
    check_story(story, hashes=hashes)
    check_story(story, hashes=hashes)
    assert sorted(p.name for p in reads) == ["a.jpg", "copy.jpg"]
    os.utime(tmp_path / "copy.jpg", ns=(1, 1))  # changed file: read again
    check_story(story, hashes=hashes)
    assert [p.name for p in reads].count("copy.jpg") == 2


def _check_with_hang_guard(story: Story) -> list:
    """check_story in a thread: a read of /dev/zero or a FIFO would never return."""
    import threading
    done: list = []
    worker = threading.Thread(target=lambda: done.append(check_story(story)), daemon=True)
    worker.start()
    worker.join(60)  # a check of four small files takes milliseconds
    assert done, "check_story hung on a photo path that is not a regular file"
    return done[0]


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "folder"])
def test_a_photo_path_that_is_not_a_regular_file_is_a_finding_never_a_read(tmp_path, special):
    import os
    story = story_with(tmp_path)
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")  # the same size as a device or a FIFO: the duplicate check compares them
    if special == "fifo":
        path = tmp_path / "pipe.jpg"
        os.mkfifo(path)
    elif special == "folder":
        path = tmp_path / "folder.jpg"
        path.mkdir()
    else:
        path = Path(special)
    story.photos += [Photo(path=empty, id="p2", caption="c", alt="d", credit="x"),
                     Photo(path=path, id="p3", caption="c", alt="d", credit="x")]

    findings = [f for f in _check_with_hang_guard(story) if f.photo_id == "p3"]

    assert [(f.rule, f.severity) for f in findings] == [("missing_file", "error")]
    assert str(path) in findings[0].message
    assert ("is a folder" if special == "folder" else "is not a regular file") in findings[0].message
    assert "missing" not in findings[0].message  # it is there, it is just not a photo file


def test_files_larger_than_any_photo_are_not_read_to_compare_them(tmp_path):
    from photostory.core.preflight import MAX_HASHED_BYTES
    story = story_with(tmp_path)
    for name in ("disk.jpg", "disk-copy.jpg"):  # sparse: no disk space, zeros when read
        with open(tmp_path / name, "wb") as fh:
            fh.truncate(MAX_HASHED_BYTES + 1)
        story.photos.append(Photo(path=tmp_path / name, id=name, caption="c", alt="d", credit="x"))
    assert "duplicate" not in {f.rule for f in _check_with_hang_guard(story)}


# -- language versions -----------------------------------------------------------------

def with_ru(tmp_path: Path, **fields) -> Story:
    from photostory.core.story import Paragraph, PhotoGroup, Translation

    story = story_with(tmp_path)
    story.title = "Title"
    story.body = [Paragraph("Text."), PhotoGroup(["p1"])]
    ru = Translation("ru", title="Заголовок", body=[Paragraph("Текст."), PhotoGroup(["p1"])],
                     captions={"p1": "Подпись."}, alts={"p1": "Описание."})
    for key, value in fields.items():
        setattr(ru, key, value)
    story.translations = [ru]
    return story


def test_a_complete_version_adds_no_finding(tmp_path):
    assert check_story(with_ru(tmp_path)) == []


@pytest.mark.parametrize("fields, rule, message", [
    ({"captions": {}}, "missing_caption", "Photo 1 (ru): has no caption."),
    ({"alts": {}}, "missing_alt", "Photo 1 (ru): has no alt text."),
    ({"captions": {"p1": "TK"}}, "placeholder", "Photo 1 (ru): the caption still holds placeholder"),
    ({"captions": {"p1": " A caption."}}, "untranslated",
     "Photo 1 (ru): the caption is the same as the en version's (not translated yet?)."),
    ({"body": []}, "not_placed", "Photo 1 (ru): is placed in the en article but not in the ru one."),
    ({"title": " "}, "missing_title", "The ru version has no title."),
])
def test_each_version_is_checked_on_its_own_texts(tmp_path, fields, rule, message):
    findings = check_story(with_ru(tmp_path, **fields))
    assert [(f.rule, f.version) for f in findings] == [(rule, "ru")]
    assert findings[0].message.startswith(message)
    assert findings[0].is_error == (rule in ("placeholder", "missing_title"))


def test_shared_problems_are_reported_once_not_per_version(tmp_path):
    story = with_ru(tmp_path)
    story.photos[0].credit = ""
    story.photos[0].path = tmp_path / "gone.jpg"
    assert sorted(f.rule for f in check_story(story)) == ["missing_credit", "missing_file"]


def test_a_derived_version_may_equal_its_source(tmp_path):
    story = with_ru(tmp_path, language="kk-Latn", derived_from="en",
                    captions={"p1": "A caption."})
    assert check_story(story) == []


def test_every_rule_has_a_severity_and_a_name_for_summaries():
    from photostory.core.preflight import RULE_NAMES, RULES

    assert set(RULES) == set(RULE_NAMES)
    assert set(RULES.values()) == {"error", "warning"}
    assert all(name and "_" not in name for name in RULE_NAMES.values())
