"""Captions sheets: Excel's CSV in, CSV out, nothing dropped silently."""

from pathlib import Path

import pytest

from photostory.core.captions_csv import match_sheet, parse_sheet, read_sheet, write_sheet
from photostory.core.edits import SetPhotoFields
from photostory.core.story import Photo, Story
from photostory.errors import CaptionsSheetError


def story_in(tmp_path: Path) -> Story:
    story = Story()
    story.photos = [Photo(path=tmp_path / "photos" / "IMG_1.jpg", id="a"),
                    Photo(path=tmp_path / "photos" / "IMG_2.jpg", id="b", credit="Reuters"),
                    Photo(path=tmp_path / "other" / "IMG_1.jpg", id="c")]
    return story


def test_excel_bom_and_extra_columns_and_matching(tmp_path):
    sheet = tmp_path / "captions.csv"
    sheet.write_bytes("\ufefffile,Caption,notes,alt\r\n"
                      "photos/IMG_1.jpg,\"Workers, at the line\",ignored,Assembly line\r\n"
                      "IMG_2.jpg,Қазақстан 🇰🇿,,\r\n"
                      "ghost.jpg,Nobody,,\r\n"
                      "IMG_1.jpg,Which one?,,\r\n".encode("utf-8"))
    rows = read_sheet(sheet)
    match = match_sheet(story_in(tmp_path), rows, tmp_path)
    assert match.changes == {
        "a": {"caption": "Workers, at the line", "alt": "Assembly line"},
        "b": {"caption": "Қазақстан 🇰🇿", "alt": ""},
    }
    assert [r.file for r in match.unknown] == ["ghost.jpg"]
    assert [r.line for r in match.unknown] == [4]
    assert [r.file for r in match.ambiguous] == ["IMG_1.jpg"]


def test_round_trip_through_export_and_import(tmp_path):
    story = story_in(tmp_path)
    story.photos[0].caption = 'He said "no", then <left>'
    story.photos[1].alt = "Line one\nline two"
    write_sheet(story, tmp_path / "out.csv", tmp_path)
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbffile,caption,credit,alt")
    fresh = story_in(tmp_path)
    match = match_sheet(fresh, read_sheet(tmp_path / "out.csv"), tmp_path)
    assert not match.unknown and not match.ambiguous
    SetPhotoFields(fresh, match.changes).apply(fresh)
    assert [(p.caption, p.credit, p.alt) for p in fresh.photos] == \
        [(p.caption, p.credit, p.alt) for p in story.photos]


def test_semicolon_sheets_from_european_excel():
    rows = parse_sheet("file;caption\nIMG_1.jpg;Hello, world\n")
    assert rows[0].values == {"caption": "Hello, world"}


def test_sheet_without_file_column_is_rejected(tmp_path):
    with pytest.raises(CaptionsSheetError, match="'file' column"):
        parse_sheet("name,caption\nx,y\n", "bad.csv")
    (tmp_path / "cp1251.csv").write_bytes("file,caption\nx.jpg,Фото\n".encode("cp1251"))
    with pytest.raises(CaptionsSheetError, match="cp1251.csv: is not UTF-8"):
        read_sheet(tmp_path / "cp1251.csv")
