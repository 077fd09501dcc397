"""Captions sheets: the spreadsheet a desk already keeps, as CSV.

Header ``file,caption,credit,alt``; more columns are allowed and ignored; UTF-8 with
or without a BOM (as Excel writes it), comma- or semicolon-separated. ``file`` is
matched by file name or by path relative to the story. Only the columns present are
applied, so a sheet of captions alone leaves credits as they are.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from photostory.core.shortcuts import expand
from photostory.core.textfile import read_user_text
from photostory.core.story import Story
from photostory.core.atomic import write_atomic
from photostory.core.storyfile import relative_path
from photostory.errors import CaptionsSheetError

COLUMNS = ("file", "caption", "credit", "alt")


@dataclass
class SheetRow:
    line: int
    file: str
    values: dict[str, str]


@dataclass
class SheetMatch:
    """What a sheet would change: ``changes`` per photo id, and rows that matched nothing."""

    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown: list[SheetRow] = field(default_factory=list)
    ambiguous: list[SheetRow] = field(default_factory=list)
    matched_rows: int = 0


def read_sheet(path: Path) -> list[SheetRow]:
    name = Path(path).name
    text = read_user_text(path, CaptionsSheetError,
                          "In Excel choose Save As > CSV UTF-8 (Comma delimited), then import again.")
    return parse_sheet(text, name)


def parse_sheet(text: str, name: str = "captions sheet") -> list[SheetRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise CaptionsSheetError(f"{name}: the sheet is empty.") from None
    except csv.Error as exc:
        raise CaptionsSheetError(f"{name}: line 1 cannot be read ({exc}).") from None
    columns = [h.strip().lower() for h in header]
    if "file" not in columns:
        raise CaptionsSheetError(
            f"{name}: the first row must name the columns, with a 'file' column "
            f"(found: {', '.join(h for h in header if h) or 'nothing'}).",
            "Expected a header like: file,caption,credit,alt")
    file_at = columns.index("file")
    known = {col: columns.index(col) for col in COLUMNS[1:] if col in columns}
    rows: list[SheetRow] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            file_name = record[file_at].strip() if file_at < len(record) else ""
            values = {col: (record[at].strip() if at < len(record) else "") for col, at in known.items()}
            rows.append(SheetRow(reader.line_num, file_name, values))
    except csv.Error as exc:
        raise CaptionsSheetError(f"{name}: line {reader.line_num} cannot be read ({exc}).") from None
    return rows


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
        result.changes.setdefault(photo_id, {}).update(values)
    return result


def _readable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (a CP1251 name from a Windows
    archive, which Python holds as lone surrogates) become U+FFFD. Writing them raised
    UnicodeEncodeError (issue 6)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _match_key(name: str) -> str:
    """How sheet rows and photos are compared: case-insensitive, in Unicode NFC (macOS
    stores "й" and "ё" decomposed, a sheet typed elsewhere has them composed, issue 6),
    and as _readable shows names that are not UTF-8."""
    return unicodedata.normalize("NFC", _readable(name)).lower()


def sheet_text(story: Story, story_dir: Path | None) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for photo in story.photos:
        file_ref = relative_path(photo.path, story_dir) if story_dir else photo.file_name
        writer.writerow([_readable(file_ref), photo.caption, photo.credit, photo.alt])
    return out.getvalue()


def write_sheet(story: Story, path: Path, story_dir: Path | None) -> None:
    """Write the sheet with a BOM so Excel opens the UTF-8 text correctly."""
    try:
        write_atomic(Path(path), ("\ufeff" + sheet_text(story, story_dir)).encode("utf-8"))
    except OSError as exc:
        raise CaptionsSheetError(f"{Path(path).name}: could not be written ({exc.strerror or exc}).") from exc
