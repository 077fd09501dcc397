"""Read what the photographer wrote: caption, credit, place, date and camera facts.

Sources, per field, follow the IPTC Photo Metadata Standard mapping: XMP first, then
IPTC-IIM, then (for a few fields) EXIF. Damaged blocks never raise; each becomes one
sentence in ``PhotoMetadata.warnings``. Only a file that cannot be read at all raises
:class:`ImageReadError`.

JPEG and PNG headers are walked directly (cheap, and tolerant of files Pillow
refuses); other formats go through Pillow, which reads headers only.
"""

from __future__ import annotations

import dataclasses
import logging
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import IO, Any, Callable

from PIL import Image, UnidentifiedImageError

from photostory.core.i18n import _
from photostory.core.images.opening import open_image_file
from photostory.core.images.pillow import pillow_open
from photostory.core.metadata.containers import (
    APP1, APP13, JPEG_SOI, PNG_SIGNATURE, jpeg_segments, png_chunks,
)
from photostory.core.metadata.dates import iim_date, xmp_date
from photostory.core.metadata.exif import (
    EXIF_APP1, ExifFacts, exif_facts, image_exif, load_exif, orientation_of,
)
from photostory.core.metadata.iim import (
    PHOTOSHOP_APP13, decode_iim, iim_text, iim_values, irb_iptc, parse_iim,
)
from photostory.core.metadata.xmp import (
    XMP_APP1, field_languages, field_list, field_text, parse_xmp,
)
from photostory.errors import ImageReadError

# Named for the package: what --debug shows about a photo's metadata, wherever in the
# package the note was made.
log = logging.getLogger(__package__)

_MAX_XMP = 16 * 1024 * 1024  # an inflated PNG XMP chunk beyond this is a zip bomb, not metadata


@dataclass(frozen=True)
class PhotoMetadata:
    """Descriptive and technical metadata of one image file (all text already decoded)."""

    caption: str = ""
    headline: str = ""
    title: str = ""
    creator: str = ""
    credit: str = ""
    source: str = ""
    copyright: str = ""
    alt_text: str = ""
    # Caption and alt text by language where the XMP gives them as language alternatives
    # ((tag, text) pairs, x-default left out: that is ``caption`` and ``alt_text``).
    captions: tuple[tuple[str, str], ...] = ()
    alt_texts: tuple[tuple[str, str], ...] = ()
    date_taken: str = ""
    city: str = ""
    sublocation: str = ""
    state: str = ""
    country: str = ""
    keywords: tuple[str, ...] = ()
    orientation: int = 1
    camera_make: str = ""
    camera_model: str = ""
    lens: str = ""
    exposure: str = ""
    has_gps: bool = False
    warnings: tuple[str, ...] = field(default=())


def metadata_as_dict(md: PhotoMetadata) -> dict[str, Any]:
    """A JSON-ready dict of ``md`` (tuples become lists, texts by language objects)."""
    data = dataclasses.asdict(md)
    by_language = {"captions", "alt_texts"}  # (tag, text) pairs -> {tag: text}
    return {key: dict(value) if key in by_language else list(value) if isinstance(value, tuple)
            else value for key, value in data.items()}


def read_metadata(path: Path) -> PhotoMetadata:
    """Read XMP, IPTC-IIM and EXIF from ``path`` and merge them field by field.

    Raises :class:`ImageReadError` only when the file itself cannot be read
    (missing, not a regular file, too large, no permission, I/O error).
    """
    path = Path(path)
    notes: list[str] = []
    with open_image_file(path) as fh:
        try:
            blocks = _collect_blocks(fh, notes)
        except OSError as exc:  # our own reads: a real I/O problem, not damaged metadata
            raise _read_error(path, exc) from exc

    xmp: dict[str, Any] = {}
    if blocks.xmp:
        try:
            xmp = parse_xmp(blocks.xmp)
        except (SyntaxError, ValueError) as exc:  # ElementTree's ParseError is a SyntaxError
            notes.append(_("XMP packet is damaged and was ignored ({reason}).")
                         .format(reason=_short(exc)))
    iim: dict[tuple[int, int], list[bytes]] = {}
    for block in blocks.iim:
        try:
            datasets = parse_iim(block)
        except ValueError as exc:
            notes.append(_("IPTC block is damaged and was ignored ({reason}).")
                         .format(reason=_short(exc)))
            continue
        for key, values in datasets.items():
            iim.setdefault(key, values)  # several blocks: the first one wins, as in exiftool
    md = _merge(xmp, decode_iim(iim), blocks.exif, notes)
    for note in md.warnings:
        log.info("%s: %s", path, note)
    return md


# --------------------------------------------------------------------------- files


@dataclass
class _Blocks:
    xmp: bytes = b""
    iim: list[bytes] = field(default_factory=list)
    exif: ExifFacts = ExifFacts()


def _read_error(path: Path, exc: OSError) -> ImageReadError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ImageReadError(
        _("{path}: cannot be read ({reason}).").format(path=path.name or path, reason=reason),
        _("Check that the file exists and that you may read it.")
    )


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _exif(load: Callable[[], Image.Exif], notes: list[str]) -> ExifFacts:
    try:
        return exif_facts(load())
    except Exception as exc:  # Pillow raises many types on damaged EXIF
        notes.append(_("EXIF block is damaged and was ignored ({reason}).")
                     .format(reason=_short(exc)))
        return ExifFacts()


def _collect_blocks(fh: IO[bytes], notes: list[str]) -> _Blocks:
    """Raw XMP packet and IIM blocks, and the EXIF facts, whatever the container."""
    head = fh.read(8)
    if not head:
        notes.append(_("The file is empty."))
        return _Blocks()
    if head[:2] == JPEG_SOI:
        blocks, exif = _jpeg_blocks(fh)
    elif head == PNG_SIGNATURE:
        blocks, exif = _png_blocks(fh, notes)
    else:
        fh.seek(0)
        return _pillow_blocks(fh, notes)
    if exif:
        blocks.exif = _exif(lambda: load_exif(exif), notes)
    return blocks


def _jpeg_blocks(fh: IO[bytes]) -> tuple[_Blocks, bytes]:
    blocks = _Blocks()
    exif = b""
    irb = bytearray()
    for segment in jpeg_segments(fh):
        if segment.code not in (APP1, APP13):
            continue
        payload = segment.read(fh)
        if segment.code == APP1 and payload.startswith(XMP_APP1) and not blocks.xmp:
            blocks.xmp = payload[len(XMP_APP1) :]
        elif segment.code == APP1 and payload.startswith(EXIF_APP1) and not exif:
            exif = payload
        elif segment.code == APP13 and payload.startswith(PHOTOSHOP_APP13):
            # A large resource block may be split over several APP13 segments: join them.
            irb += payload[len(PHOTOSHOP_APP13) :]
    # Extended XMP (xmp/extension segments) is not read: it carries bulky data such as
    # depth maps or history, never the IPTC core fields read here.
    blocks.iim = irb_iptc(bytes(irb))
    return blocks, exif


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _MAX_XMP)
    except zlib.error:
        return b""


def _raw_profile(text: bytes) -> bytes:
    """ImageMagick's "Raw profile type ..." text: name, length, then hex lines."""
    parts = text.strip().split(b"\n", 2)
    try:
        return bytes.fromhex("".join(parts[2].decode("ascii").split())) if len(parts) == 3 else b""
    except (UnicodeDecodeError, ValueError):
        return b""


def _png_blocks(fh: IO[bytes], notes: list[str]) -> tuple[_Blocks, bytes]:
    """XMP, IIM and EXIF from the chunks, also those after the image data."""
    blocks = _Blocks()
    exif = profile_exif = b""
    try:
        for chunk in png_chunks(fh):
            if chunk.code == b"eXIf":
                exif = exif or chunk.read(fh)
            if chunk.code not in (b"iTXt", b"tEXt", b"zTXt"):
                continue
            keyword, _nul, rest = chunk.read(fh).partition(b"\x00")
            if chunk.code == b"iTXt" and keyword == b"XML:com.adobe.xmp" and len(rest) >= 2:
                compressed = rest[0] == 1
                _lang, _nul, rest = rest[2:].partition(b"\x00")
                _translated, _nul, text = rest.partition(b"\x00")
                blocks.xmp = blocks.xmp or (_inflate(text) if compressed else text)
            elif keyword in (b"Raw profile type exif", b"Raw profile type iptc"):
                profile = _raw_profile(_inflate(rest[1:]) if chunk.code == b"zTXt" else rest)
                if keyword.endswith(b"exif"):
                    profile_exif = profile  # ImageMagick's way; an eXIf chunk wins
                elif profile.startswith(b"8BIM"):
                    blocks.iim = irb_iptc(profile)
                elif profile:
                    blocks.iim = [profile]
    except ValueError as exc:  # what came before the damage is still good
        notes.append(_("The PNG file is damaged ({reason}); what follows was not read.")
                     .format(reason=_short(exc)))
    return blocks, exif or profile_exif


def _pillow_blocks(fh: IO[bytes], notes: list[str]) -> _Blocks:
    """TIFF, WebP, AVIF, GIF ...: let Pillow find the blocks in the header."""
    blocks = _Blocks()
    try:
        with pillow_open(fh) as im:
            xmp = im.info.get("xmp")
            if isinstance(xmp, (bytes, bytearray)):
                blocks.xmp = bytes(xmp)
            elif isinstance(xmp, str):
                blocks.xmp = xmp.encode("utf-8")
            tagdata = getattr(getattr(im, "tag_v2", None), "_tagdata", None) or {}
            # Raw tag bytes: Pillow would truncate the LONG-typed IPTC tag to one value.
            if isinstance(tagdata.get(33723), bytes):
                blocks.iim = [tagdata[33723]]
            elif isinstance(tagdata.get(34377), bytes):
                blocks.iim = irb_iptc(tagdata[34377])
            blocks.exif = _exif(lambda: image_exif(im), notes)
    except UnidentifiedImageError:
        notes.append(_("The file is not in an image format this program knows; "
                     "its metadata was not read."))
    except Exception as exc:  # Pillow raises many types on odd files: OSError, TypeError...
        notes.append(_("The image header could not be read ({reason}); "
                     "its metadata was not read.").format(reason=_short(exc)))
    return blocks


# --------------------------------------------------------------------------- merge


def _first(*values: str) -> str:
    return next((v for v in values if v), "")


def _orientation(exif: ExifFacts, xmp: dict[str, Any]) -> int:
    value = exif.orientation
    if value is None:  # PNG and others may keep it in XMP only (Pillow honours that too)
        try:
            value = Fraction(field_text(xmp, "orientation") or 0)
        except (ValueError, ZeroDivisionError):
            value = None
    return orientation_of(value)


def _merge(
    xmp: dict[str, Any], iim: dict[int, list[str]], exif: ExifFacts, notes: list[str]
) -> PhotoMetadata:
    def text(name: str, *fallbacks: str) -> str:
        return _first(field_text(xmp, name), iim_text(iim, name), *fallbacks)

    xmp_created = field_text(xmp, "date_taken")
    if xmp_created and not xmp_date(xmp_created):
        # Passing it on would make the XMP written at export invalid.
        notes.append(f"XMP date created {xmp_created[:40]!r} is not a date and was ignored.")

    return PhotoMetadata(
        caption=text("caption"),
        headline=text("headline"),
        title=text("title"),
        creator=_first(field_text(xmp, "creator"), "; ".join(iim_values(iim, "creator")),
                       exif.artist),
        credit=text("credit"),
        source=text("source"),
        copyright=text("copyright", exif.copyright),
        alt_text=field_text(xmp, "alt_text"),
        captions=tuple(field_languages(xmp, "caption").items()),
        alt_texts=tuple(field_languages(xmp, "alt_text").items()),
        date_taken=_first(
            xmp_date(xmp_created), iim_date(iim_text(iim, "date"), iim_text(iim, "time")),
            exif.date_taken,
        ),
        city=text("city"),
        sublocation=text("sublocation"),
        state=text("state"),
        country=text("country"),
        keywords=field_list(xmp, "keywords") or tuple(iim_values(iim, "keywords")),
        orientation=_orientation(exif, xmp),
        camera_make=exif.make,
        camera_model=exif.model,
        lens=_first(exif.lens, field_text(xmp, "lens")),
        exposure=exif.exposure,
        has_gps=exif.has_location,
        warnings=tuple(notes),
    )
