"""Captions sheets: the spreadsheet a desk already keeps, as CSV.

Header ``file,caption,credit,alt``; ``caption:ru``, ``alt:ru`` (any version's tag after
the colon) are that language version's, ``caption`` and ``alt`` the source version's;
more columns are allowed and ignored; UTF-8 with
or without a BOM (as Excel writes it), comma- or semicolon-separated. ``file`` is
matched by file name or by path relative to the story.

What a row changes: only the columns the sheet has, and only the cells the row reaches.
A cell that is there but empty clears its field; a row shorter than the header leaves
the fields past its end as they were (so a sheet of captions alone keeps credits).

A malformed sheet is refused whole, naming the line: a quoted cell whose quote never
closes (Python's csv module would run it to the end of the file, or to a quote in a
later row, swallowing the rows between), or text after a cell's closing quote. Nothing
is applied from a sheet that has such a row. A quoted cell may hold line breaks.

Formulas: Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-``, ``@``,
tab or CR as a formula, and captions come from photos' IPTC, which anyone can write.
Export puts the spreadsheet's text prefix, an apostrophe, before such a cell, and also
before one that starts with an apostrophe or starts or ends with white space (which
import would trim). Import takes an apostrophe away exactly where export puts one: before
one of those characters, before another apostrophe or white space, or when the cell ends
in white space. Other cells are trimmed, and an apostrophe that starts ordinary text, as
in ``'90s revival``, stays. So export then import gives back every text exactly.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from photostory.core.i18n import N_, _
from photostory.core.edits import CompositeEdit, Edit, NoChange, SetPhotoFields
from photostory.core.export.urls import web_address
from photostory.core.languages import language_tag
from photostory.core.shortcuts import expand
from photostory.core.version_edits import SetVersionCaptions
from photostory.core.textfile import read_user_text
from photostory.core.userfiles import MAX_TEXT_BYTES
from photostory.core.story import Story
from photostory.core.atomic import write_atomic
from photostory.core.storyfile import relative_path
from photostory.errors import CaptionsSheetError, LanguageError

COLUMNS = ("file", "caption", "credit", "alt")
#: Optional columns: a photo's licence URL and the page to acquire one (written only when a
#: photo has one, so other stories' sheets keep their four columns).
LICENCE_COLUMNS = ("license", "acquire_license_page")
#: The columns a language version has, as ``caption:TAG`` and ``alt:TAG``.
VERSION_COLUMNS = ("caption", "alt")

# A cell may be as long as a whole sheet (which reading bounds): the csv module's default
# limit of 128 Ki characters refused sheets exported from stories with longer captions.
csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT_BYTES))


@dataclass
class SheetRow:
    line: int
    file: str
    values: dict[str, str]


@dataclass
class SheetMatch:
    """What a sheet would change: ``changes`` per photo id, ``versions`` per language
    version (tag -> "caption" or "alt" -> photo id -> text), and rows that matched nothing."""

    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    unknown: list[SheetRow] = field(default_factory=list)
    ambiguous: list[SheetRow] = field(default_factory=list)
    matched_rows: int = 0


def read_sheet(path: Path) -> list[SheetRow]:
    name = Path(path).name
    text = read_user_text(path, CaptionsSheetError,
                          _("In Excel choose Save As > CSV UTF-8 (Comma delimited), then import again."))
    return parse_sheet(text, name)


def parse_sheet(text: str, name: str = "captions sheet") -> list[SheetRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = _records(text, delimiter, name)
    if not records:
        raise CaptionsSheetError(_("{name}: the sheet is empty.").format(name=name))
    header = records[0][1]
    columns = [h.strip().lower() for h in header]
    if "file" not in columns:
        raise CaptionsSheetError(
            _("{name}: the first row must name the columns, with a 'file' column "
            "(found: {found}).")
            .format(name=name, found=", ".join(h for h in header if h) or _("nothing")),
            _("Expected a header like: file,caption,credit,alt"))
    file_at = columns.index("file")
    known = {col: columns.index(col) for col in (*COLUMNS[1:], *LICENCE_COLUMNS) if col in columns}
    for at, column in enumerate(columns):
        kind, colon, tag = column.partition(":")
        if colon and kind in VERSION_COLUMNS:
            known[f"{kind}:{_column_tag(tag, header[at], name)}"] = at
    rows: list[SheetRow] = []
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue
        file_name = _from_cell(record[file_at]) if file_at < len(record) else ""
        # Cells past the end of a short row are absent, not empty: their fields stay.
        values = {col: _from_cell(record[at]) for col, at in known.items() if at < len(record)}
        for col in LICENCE_COLUMNS:
            if values.get(col):
                values[col] = _address(values[col], col, name, line)
        rows.append(SheetRow(line, file_name, values))
    return rows


def _address(text: str, column: str, name: str, line: int) -> str:
    try:
        return web_address(text, _("the {column} column's address").format(column=column))
    except ValueError as exc:
        raise CaptionsSheetError(
            _("{sheet} line {line}: {problem}; nothing was applied.").format(
                sheet=name, line=line, problem=exc),
            _("Give an https:// address, or leave the cell empty.")) from None


def _column_tag(tag: str, header: str, name: str) -> str:
    try:
        return language_tag(tag)
    except LanguageError:
        raise CaptionsSheetError(_("{name}: the column {column!r} does not end in a "
                                 "language tag.").format(name=name, column=header.strip()),
                                 _("Name version columns like caption:ru or alt:kk-Latn.")) from None


def _records(text: str, delimiter: str, name: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on; a malformed one raises, naming that line.

    ``strict``: without it the csv module quietly runs a quote that is never closed to the
    end of the file, or to the next quote in a later row, and drops quotes followed by
    text. Sheets Excel and LibreOffice write always pass. ``skipinitialspace``: in a sheet
    typed with a space after each comma, a quoted cell is still one cell (export never
    writes a cell that starts with a space).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True,
                        skipinitialspace=True)
    records: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return records
        except csv.Error as exc:
            # A quoted cell that runs past its own line without a clean close (at the end
            # of the file, or at a quote in a later row) is a quote never closed.
            if reader.line_num > start or "end of data" in str(exc):
                raise CaptionsSheetError(
                    _("{name} line {start}: a quoted cell is never closed.")
                    .format(name=name, start=start),
                    _('Close the quote, or write a quote inside a cell as two ("").')) from None
            if "expected after" in str(exc):
                raise CaptionsSheetError(
                    _("{name} line {start}: a cell has text after its closing quote.")
                    .format(name=name, start=start),
                    _('Put the whole cell in quotes and write each quote inside it as two: '
                    '"He said ""no"" twice".')) from None
            raise CaptionsSheetError(_("{name} line {start}: cannot be read ({reason}).")
                                     .format(name=name, start=start, reason=exc)) from None
        records.append((start, record))


#: A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list).
FORMULA_STARTS = frozenset("=+-@\t\r")
#: The spreadsheets' own "this cell is text" prefix.
TEXT_PREFIX = "'"


def _needs_prefix(text: str) -> bool:
    """Text a spreadsheet would run, or import would read back differently (it trims white
    space and takes away a text prefix)."""
    return bool(text) and (text[0] in FORMULA_STARTS or text[0] == TEXT_PREFIX
                           or text[0].isspace() or text[-1].isspace())


def _to_cell(text: str) -> str:
    return TEXT_PREFIX + text if _needs_prefix(text) else text


def _from_cell(cell: str) -> str:
    """The text export wrote as ``cell``; a hand-typed cell, trimmed."""
    cell = cell.lstrip()
    if cell.startswith(TEXT_PREFIX) and _needs_prefix(cell[1:]):
        return cell[1:]
    return cell.strip()


def match_sheet(story: Story, rows: list[SheetRow], story_dir: Path | None,
                shortcuts: dict[str, str] | None = None) -> SheetMatch:
    """Match rows to the story's photos by relative path, then by file name, expanding
    caption shortcuts (``=kt=``) in the text."""
    by_rel: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for photo in story.photos:
        if story_dir is not None:
            by_rel[_match_key(relative_path(photo.path, story_dir))] = photo.id
        by_name.setdefault(_match_key(photo.file_name), []).append(photo.id)
    result = SheetMatch()
    tags = {key.partition(":")[2] for row in rows for key in row.values} - {"", story.language}
    missing = sorted(tags - set(story.versions()))
    if missing:
        raise CaptionsSheetError(
            _("sheet columns caption:{missing}, alt:{missing}: the story has no "
            "{missing} version; nothing was applied.").format(missing=missing[0]),
            _("Add the version first (photostory translate), or remove those columns."))
    for row in rows:
        key = _match_key(PurePosixPath(row.file.replace("\\", "/")).as_posix())
        photo_id = by_rel.get(key)
        if photo_id is None:
            candidates = by_name.get(PurePosixPath(key).name, [])
            if len(candidates) > 1:
                result.ambiguous.append(row)
                continue
            photo_id = candidates[0] if candidates else None
        if photo_id is None:
            result.unknown.append(row)
            continue
        result.matched_rows += 1
        values = {k: expand(v, shortcuts) for k, v in row.values.items()} if shortcuts else row.values
        for key, text in values.items():
            kind, _colon, tag = key.partition(":")
            if tag and tag != story.language:
                texts = result.versions.setdefault(tag, {k: {} for k in VERSION_COLUMNS})
                texts[kind][photo_id] = text
            else:
                result.changes.setdefault(photo_id, {})[kind] = text
    return result


def sheet_edit(story: Story, match: SheetMatch,
               description: str = N_("Import captions sheet")) -> Edit:
    """One undoable step applying what ``match`` found to every version; NoChange when the
    sheet changes nothing."""
    edits: list[Edit] = []
    try:
        edits.append(SetPhotoFields(story, match.changes))
    except NoChange:
        pass
    for tag, texts in match.versions.items():
        try:
            edits.append(SetVersionCaptions(story, tag, texts["caption"], texts["alt"]))
        except NoChange:
            pass
    if not edits:
        raise NoChange(_("the sheet changes nothing"))
    return CompositeEdit(edits, description)


def _readable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (a CP1251 name from a Windows
    archive, which Python holds as lone surrogates) become U+FFFD, which UTF-8 can write."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _match_key(name: str) -> str:
    """How sheet rows and photos are compared: case-insensitive, in Unicode NFC (macOS
    stores "й" and "ё" decomposed, a sheet typed elsewhere has them composed), and as
    _readable shows names that are not UTF-8."""
    return unicodedata.normalize("NFC", _readable(name)).lower()


def sheet_text(story: Story, story_dir: Path | None) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    versions = story.translations
    licences = LICENCE_COLUMNS if any(getattr(p, c) for p in story.photos
                                      for c in LICENCE_COLUMNS) else ()
    writer.writerow([*COLUMNS, *(f"{kind}:{t.language}" for t in versions for kind in VERSION_COLUMNS),
                     *licences])
    for photo in story.photos:
        file_ref = relative_path(photo.path, story_dir) if story_dir else photo.file_name
        texts = [_readable(file_ref), photo.caption, photo.credit, photo.alt]
        texts += [text for t in versions
                  for text in (t.captions.get(photo.id, ""), t.alts.get(photo.id, ""))]
        texts += [getattr(photo, column) for column in licences]
        writer.writerow([_to_cell(text) for text in texts])
    return out.getvalue()


def write_sheet(story: Story, path: Path, story_dir: Path | None, *,
                story_file: Path | None = None, force: bool = False) -> None:
    """Write the sheet with a BOM so Excel opens the UTF-8 text correctly.

    Never over ``story_file`` or one of the story's photos, whatever the spelling (``..``,
    a symlink, a hard link); over another existing file only with ``force``.
    """
    path = Path(path)
    name = path.name or str(path)
    protected = [(story_file, _("the story file"))] if story_file is not None else []
    protected += [(photo.path, _("one of the story's photos ({file})")
                               .format(file=_readable(photo.file_name)))
                  for photo in story.photos]
    for other, what in protected:
        if _same_file(path, other):
            raise CaptionsSheetError(_("{name}: is {what}; a captions sheet never replaces it.")
                                     .format(name=name, what=what),
                                     _("Choose another name for the sheet."))
    if path.is_dir():
        raise CaptionsSheetError(_("{name}: is a folder, not a file.").format(name=name))
    if not force and (path.exists() or path.is_symlink()):
        raise CaptionsSheetError(_("{name}: already exists; it was left as it is.")
                                 .format(name=name),
                                 _("Choose another name, or replace it with --force."))
    try:
        write_atomic(path, ("\ufeff" + sheet_text(story, story_dir)).encode("utf-8"))
    except OSError as exc:
        raise CaptionsSheetError(_("{name}: could not be written ({reason}).")
                                 .format(name=name, reason=exc.strerror or exc)) from exc


def _same_file(a: Path, b: Path) -> bool:
    """One file under two names: the same inode when both exist (symlinks and hard links),
    else the same resolved path (a photo whose file is missing keeps its place)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):  # a symlink loop names no file of the story
        return False
