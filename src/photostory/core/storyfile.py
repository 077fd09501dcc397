"""Story files: one versioned JSON document per story (``.photostory``).

Photo paths are stored relative to the story file so a story folder can be moved or
shared. Saving is atomic (temporary file in the same folder, fsync, rename): a crash
or a full disk leaves either the old file or the new one, never half of one.

Stories live in shared folders, and two people (or the editor and a command) may save
one at the same time. Reading gives the file's :class:`Revision` (a hash of its bytes);
saving against it refuses, with StoryConflictError, when the file holds anything else
by then, under a save lock (:mod:`photostory.core.filelock`) so that no other save can
slip in between the check and the rename. The format is documented in
docs/story-format.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from photostory.core.i18n import _
from photostory.core.atomic import write_atomic
from photostory.core.filelock import LOCK_WAIT_SECONDS, LockBusy, hold_lock
from photostory.core.languages import language_tag
from photostory.core.story import (FILE_TEXT_FIELDS, PHOTO_INT_FIELDS, STORY_TEXT_FIELDS, TEXT_FIELDS,
                                   VERSION_TEXT_FIELDS, Block, Paragraph, Photo, PhotoGroup, Story,
                                   Translation, new_id)
from photostory.core.storyfile_reader import LONE_SURROGATE, FieldReader
from photostory.core.storyfile_site import (photo_site_dict, read_photo_site, read_story_site,
                                            story_site_dict)
from photostory.core.userfiles import check_regular_file, read_user_bytes
from photostory.errors import LanguageError, StoryConflictError, StoryFileError

FORMAT_NAME = "photostory"
FORMAT_VERSION = 2  # 2: language versions ("translations")
SUFFIX = ".photostory"

_STORY_TEXT = STORY_TEXT_FIELDS
_PHOTO_TEXT = TEXT_FIELDS + FILE_TEXT_FIELDS  # this order keeps saved files byte-identical
_PHOTO_INT = PHOTO_INT_FIELDS


@dataclass(frozen=True)
class Revision:
    """What a story file held when it was read or written: the SHA-256 of its bytes, or
    None for no file. Saves compare contents, not times: a file saved again with the
    same bytes, or only touched, is no conflict, and a clock that differs between the
    machines sharing a folder cannot hide one."""

    digest: str | None

    @classmethod
    def of(cls, data: bytes) -> "Revision":
        return cls(hashlib.sha256(data).hexdigest())


#: The revision of a file that is not there: what a new story is saved against.
NO_FILE = Revision(None)


# -- writing ----------------------------------------------------------------------------


def story_to_dict(story: Story, base_dir: Path) -> dict[str, Any]:
    """The JSON document for ``story``, with photo paths relative to ``base_dir``."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "story": {
            **{name: getattr(story, name) for name in _STORY_TEXT},
            "tags": list(story.tags),
            "credit_prefix": story.credit_prefix,
            "show_gallery": story.show_gallery,
            "keep_location": story.keep_location,
            **story_site_dict(story),
        },
        "photos": [_photo_to_dict(photo, base_dir) for photo in story.photos],
        "body": [_block_to_dict(block) for block in story.body],
        "translations": [_translation_to_dict(t, story) for t in story.translations],
    }


def _translation_to_dict(translation: Translation, story: Story) -> dict[str, Any]:
    return {
        "language": translation.language,
        **{name: getattr(translation, name) for name in VERSION_TEXT_FIELDS},
        "credit_prefix": translation.credit_prefix,
        "derived_from": translation.derived_from,
        "edited": sorted(translation.edited),
        "photos": [{"id": p.id, "caption": translation.captions.get(p.id, ""),
                    "alt": translation.alts.get(p.id, "")} for p in story.photos],
        "body": [_block_to_dict(block) for block in translation.body],
    }


def _photo_to_dict(photo: Photo, base_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = {"id": photo.id, "path": relative_path(photo.path, base_dir)}
    data.update({name: getattr(photo, name) for name in _PHOTO_TEXT})
    data.update({name: getattr(photo, name) for name in _PHOTO_INT})
    data["has_gps"] = photo.has_gps
    data["keywords"] = list(photo.keywords)
    data.update(photo_site_dict(photo))
    return data


def _block_to_dict(block: Paragraph | PhotoGroup) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "id": block.id, "text": block.text}
    return {"type": "photos", "id": block.id, "photos": list(block.photo_ids)}


def relative_path(path: Path, base_dir: Path) -> str:
    """``path`` relative to ``base_dir`` with forward slashes, or absolute when it can't be."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))
    except ValueError:  # another drive on Windows
        return Path(path).absolute().as_posix()
    return PurePosixPath(*Path(rel).parts).as_posix()


def save_story(story: Story, path: Path, expected: Revision | None = None) -> Revision:
    """Write ``story`` to ``path`` atomically and return the revision written.

    With ``expected`` (what the file held when the story was read, or NO_FILE for a new
    story) the file is checked first, under its save lock: if it holds anything else,
    StoryConflictError and nothing is written. A file deleted meanwhile is written again
    (nothing on disk is lost). Without ``expected`` the file is replaced whatever it
    holds (the user chose to). StoryFileError says why a save failed.
    """
    path = Path(path)
    data = story_bytes(story, path.parent)
    with story_save_lock(path):
        if expected is not None:
            _check_unchanged(path, expected)
        _write(path, data)
    return Revision.of(data)


def write_story_file(story: Story, path: Path) -> None:
    """Write ``story`` to ``path`` atomically with no lock and no check, for files only
    this process writes (the editor's recovery files); a link in their place is replaced,
    never followed."""
    _write(Path(path), story_bytes(story, Path(path).parent), follow_links=False)


def story_bytes(story: Story, base_dir: Path) -> bytes:
    """The story file's bytes, photo paths relative to ``base_dir``."""
    text = json.dumps(story_to_dict(story, base_dir), ensure_ascii=False, indent=2) + "\n"
    return _escape_surrogates(text).encode("utf-8")


@contextmanager
def story_save_lock(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the save lock of the story file ``path`` for the ``with`` block: a command
    that reads, changes and saves a story holds it throughout, so two commands run
    at once both land, one after the other. StoryFileError when another program keeps
    saving the story for ``wait`` seconds."""
    path = Path(path)
    if os.path.exists(path):  # a FIFO or a device gets no lock file beside it (in /dev)
        check_regular_file(path, StoryFileError)
    with ExitStack() as held:
        try:
            held.enter_context(hold_lock(path, wait))
        except LockBusy:
            raise StoryFileError(_("{file}: is being saved by another program; nothing "
                                 "was saved.")
                                 .format(file=path.name), _("Try again in a moment.")) from None
        except OSError as exc:  # taking the lock, not the work done while holding it
            raise _not_saved(path, exc) from exc
        yield


def _check_unchanged(path: Path, expected: Revision) -> None:
    try:
        current = Revision.of(read_user_bytes(path, StoryFileError))
    except StoryFileError:
        if os.path.lexists(path) and not _is_dangling(path):
            raise  # a folder or a device now stands there: refused by name
        return  # gone: nothing on disk to lose
    if current == expected:
        return
    if expected == NO_FILE:
        raise StoryConflictError(_("{file}: was created by another program meanwhile; "
                                 "nothing was saved.")
                                 .format(file=path.name), _("Save under another name, or open it."))
    raise StoryConflictError(
        _("{file}: was changed by another program or person since it was read; nothing "
        "was saved.").format(file=path.name), _("Read it again and repeat the change."))


def _is_dangling(path: Path) -> bool:
    return os.path.islink(path) and not os.path.exists(path)


def _write(path: Path, data: bytes, follow_links: bool = True) -> None:
    try:
        write_atomic(path, data, follow_links)
    except OSError as exc:
        raise _not_saved(path, exc) from exc


def _not_saved(path: Path, exc: OSError) -> StoryFileError:
    return StoryFileError(_("{file}: could not be saved ({reason}).")
                          .format(file=path.name, reason=exc.strerror or exc),
                          _("The previous version of the file is unchanged."))


def _escape_surrogates(text: str) -> str:
    return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- reading ----------------------------------------------------------------------------


def load_story(path: Path, warnings: list[str] | None = None) -> Story:
    """Read a story file. Problems that can be repaired (duplicate ids, groups naming
    unknown photos) are repaired and described in ``warnings``; anything else raises
    StoryFileError naming the file and the problem."""
    return read_story(path, warnings)[0]


def read_story(path: Path, warnings: list[str] | None = None) -> tuple[Story, Revision]:
    """load_story, with the revision read: save against it to refuse saving over a
    change someone else made meanwhile."""
    path = Path(path)
    name = path.name
    raw = read_user_bytes(path, StoryFileError)
    if not raw.strip():
        raise StoryFileError(_("{name}: the file is empty.")
                             .format(name=name), _("It may have been cut short; "
                             "look for a recovery file or a backup."))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StoryFileError(_("{name}: is not a Photostory story file (not UTF-8 text).")
                             .format(name=name)) from None
    except json.JSONDecodeError as exc:
        raise StoryFileError(
            _("{name}: the file is damaged or incomplete (invalid JSON at line {lineno}, "
            "column {colno}).")
            .format(name=name, lineno=exc.lineno, colno=exc.colno), _("Look for a recovery file or a backup.")) from None
    except (RecursionError, ValueError):
        # JSON nested thousands deep (RecursionError) or a number of more than
        # 4300 digits (ValueError, Python's int limit) used to escape as a traceback.
        raise StoryFileError(_("{name}: is not a Photostory story file (the JSON is nested too "
                             "deeply or holds a number too large to read).")
                             .format(name=name)) from None
    story = story_from_dict(data, path.parent, name, warnings if warnings is not None else [])
    return story, Revision.of(raw)


def story_from_dict(data: Any, base_dir: Path, name: str, warnings: list[str]) -> Story:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise StoryFileError(_("{name}: is not a Photostory story file.").format(name=name))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise StoryFileError(_("{name}: the file has no valid format version.").format(name=name))
    if version > FORMAT_VERSION:
        raise StoryFileError(
            _("{name}: was saved by a newer Photostory (story format {version}; this version "
            "reads up to {newest}).")
            .format(name=name, version=version, newest=FORMAT_VERSION), _("Update Photostory to open it."))
    if version < 1:
        raise StoryFileError(_("{name}: has an unknown story format version {version}.")
                             .format(name=name, version=version))
    reader = FieldReader(name, warnings)
    meta = reader.mapping(data.get("story", {}), "story")
    story = Story()
    for key in _STORY_TEXT:
        setattr(story, key, reader.text(meta, key, "story"))
    story.language = story.language or "en"
    story.tags = reader.text_list(meta, "tags", "story")
    story.credit_prefix = reader.optional_text(meta, "credit_prefix", "story")
    story.show_gallery = reader.flag(meta, "show_gallery", "story", default=True)
    story.keep_location = reader.flag(meta, "keep_location", "story", default=False)

    seen: set[str] = set()
    for index, item in enumerate(reader.list(data.get("photos", []), "photos")):
        where = _("photo {index}").format(index=index + 1)
        item = reader.mapping(item, where)
        path_text = reader.text(item, "path", where)
        if not path_text:
            raise StoryFileError(_("{name}: {where} has no file path.")
                                 .format(name=name, where=where))
        if "\x00" in path_text:
            # No file can have this name, and a NUL made the export crash
            # (ValueError from stat). Keep the photo and its captions, marked missing.
            path_text = path_text.replace("\x00", "\ufffd")
            warnings.append(_("{name}: {where} has a file path with a NUL character; the photo "
                            "is kept, but its file cannot be found.")
                            .format(name=name, where=where))
        photo = Photo(path=_resolve(path_text, base_dir))
        photo_id = reader.text(item, "id", where)
        if not photo_id or photo_id in seen:
            if photo_id:
                warnings.append(_("{name}: {where} repeats the id {photo_id!r}; it was given a new one.")
                                .format(name=name, where=where, photo_id=photo_id))
            photo_id = new_id("p")
        seen.add(photo_id)
        photo.id = photo_id
        for key in _PHOTO_TEXT:
            setattr(photo, key, reader.text(item, key, where))
        for key in _PHOTO_INT:
            setattr(photo, key, reader.integer(item, key, where))
        photo.orientation = photo.orientation if 1 <= photo.orientation <= 8 else 1
        photo.has_gps = reader.flag(item, "has_gps", where, default=False)
        photo.keywords = tuple(reader.text_list(item, "keywords", where))
        read_photo_site(reader, item, where, photo)
        story.photos.append(photo)

    read_story_site(reader, meta, story)
    story.body = _read_body(reader, data.get("body", []), seen, "the article")
    for index, item in enumerate(reader.list(data.get("translations", []), "translations")):
        story.translations.append(_read_translation(reader, item, index, story, seen))
    tags = story.versions()
    for translation in story.translations:
        if translation.derived_from and translation.derived_from not in tags:
            warnings.append(_("{name}: the {language} version is derived from a "
                            "{derived_from} version the story does not have; it "
                            "keeps its texts and is no longer derived.")
                            .format(name=name, language=translation.language, derived_from=translation.derived_from))
            translation.derived_from = None
    return story


def _read_body(reader: FieldReader, items: Any, seen: set[str], article: str,
               label: str = "body") -> list[Block]:
    """An article body: paragraphs, and groups of photos among ``seen``."""
    name, warnings = reader.name, reader.warnings
    body: list[Block] = []
    block_ids: set[str] = set()
    placed: set[str] = set()
    for index, item in enumerate(reader.list(items, label)):
        where = _("block {index} of {article}").format(index=index + 1, article=article)
        item = reader.mapping(item, where)
        kind = item.get("type")
        block: Paragraph | PhotoGroup
        if kind == "paragraph":
            block = Paragraph(reader.text(item, "text", where))
        elif kind == "photos":
            ids = reader.text_list(item, "photos", where)
            if any(pid not in seen for pid in ids):
                warnings.append(_("{name}: {where} named photos that are not in the story; "
                                "they were left out.").format(name=name, where=where))
            # A photo is placed at most once (docs/story-format.md); a hand-edited file
            # that places one twice keeps its first place, with a warning.
            listed = [pid for pid in ids if pid in seen]
            known = [pid for pid in dict.fromkeys(listed) if pid not in placed]
            if len(known) < len(listed):
                warnings.append(_("{name}: {where} placed a photo a second time; each photo "
                                "keeps its first place.").format(name=name, where=where))
            placed.update(known)
            if not known:
                continue
            block = PhotoGroup(known)
        else:
            raise StoryFileError(_("{name}: {where} has an unknown type {kind!r}.")
                                 .format(name=name, where=where, kind=kind))
        block_id = reader.text(item, "id", where)
        if block_id and block_id not in block_ids:
            block.id = block_id
        block_ids.add(block.id)
        body.append(block)
    return body


def _read_translation(reader: FieldReader, item: Any, index: int, story: Story,
                      seen: set[str]) -> Translation:
    name = reader.name
    where = _("translation {index}").format(index=index + 1)
    item = reader.mapping(item, where)
    tag = _tag(reader, reader.text(item, "language", where), where, "language")
    if tag in story.versions():
        raise StoryFileError(_("{name}: {where} repeats the {tag} version.")
                             .format(name=name, where=where, tag=tag))
    translation = Translation(tag)
    for key in VERSION_TEXT_FIELDS:
        setattr(translation, key, reader.text(item, key, where))
    translation.credit_prefix = reader.optional_text(item, "credit_prefix", where)
    derived = reader.optional_text(item, "derived_from", where)
    translation.derived_from = _tag(reader, derived, where, "derived_from") if derived else None
    translation.edited = set(reader.text_list(item, "edited", where))
    for number, entry in enumerate(reader.list(item.get("photos", []), _("{where} photos")
                                                                       .format(where=where))):
        place = _("{where} photo {number}").format(where=where, number=number + 1)
        entry = reader.mapping(entry, place)
        photo_id = reader.text(entry, "id", place)
        if photo_id not in seen:
            reader.warnings.append(_("{name}: {place} names a photo that is not in the story; "
                                   "its texts were left out.").format(name=name, place=place))
            continue
        for key, texts in (("caption", translation.captions), ("alt", translation.alts)):
            if text := reader.text(entry, key, place):  # absent and empty are the same
                texts[photo_id] = text
    translation.body = _read_body(reader, item.get("body", []), seen, _("the {tag} article")
                                                                      .format(tag=tag),
                                  _("{where} body").format(where=where))
    return translation


def _tag(reader: FieldReader, text: str, where: str, key: str) -> str:
    try:
        return language_tag(text)
    except LanguageError:
        raise StoryFileError(_("{name}: {where}: {key!r} should be a language tag such "
                             "as ru or kk-Latn ({text!r} is not).")
                             .format(name=reader.name, where=where, key=key, text=text)) from None


def _resolve(path_text: str, base_dir: Path) -> Path:
    path = Path(path_text)
    return path if path.is_absolute() else Path(os.path.normpath(base_dir / path))
