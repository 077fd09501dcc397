"""Read what the photographer wrote: caption, credit, place, date and camera facts.

Sources, per field, follow the IPTC Photo Metadata Standard mapping: XMP first, then
IPTC-IIM, then (for a few fields) EXIF. Damaged blocks never raise; each becomes one
sentence in ``PhotoMetadata.warnings``. Only a file that cannot be read at all raises
:class:`ImageReadError`.

JPEG and PNG headers are walked here directly (cheap, and tolerant of files Pillow
refuses); other formats go through ``Image.open``, which reads headers only.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import struct
import warnings as pywarnings
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import IO, Any, Iterator
from xml.etree import ElementTree as ET

import exifread
from PIL import Image, UnidentifiedImageError

from photostory.core.imaging import MAX_IMAGE_BYTES
from photostory.core.userfiles import open_user_file
from photostory.errors import ImageReadError

log = logging.getLogger(__name__)

__all__ = ["PhotoMetadata", "read_metadata", "metadata_as_dict"]


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
    """A JSON-ready dict of ``md`` (tuples become lists)."""
    data = dataclasses.asdict(md)
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def read_metadata(path: Path) -> PhotoMetadata:
    """Read XMP, IPTC-IIM and EXIF from ``path`` and merge them field by field.

    Raises :class:`ImageReadError` only when the file itself cannot be read
    (missing, not a regular file, too large, no permission, I/O error).
    """
    path = Path(path)
    notes: list[str] = []
    with open_user_file(path, ImageReadError, MAX_IMAGE_BYTES) as fh:
        try:
            blocks = _collect_blocks(fh, notes)
            fh.seek(0)
        except OSError as exc:  # our own reads: a real I/O problem, not damaged metadata
            raise _read_error(path, exc) from exc
        exif = _read_exif(fh, notes)
    if not exif and blocks.exif_tiff:
        exif = _read_exif(io.BytesIO(blocks.exif_tiff), notes)

    xmp: dict[str, Any] = {}
    if blocks.xmp:
        try:
            xmp = _parse_xmp(blocks.xmp)
        except (ET.ParseError, ValueError) as exc:
            notes.append(f"XMP packet is damaged and was ignored ({_short(exc)}).")
    iim: dict[tuple[int, int], list[bytes]] = {}
    for block in blocks.iim:
        try:
            datasets = _parse_iim(block)
        except ValueError as exc:
            notes.append(f"IPTC block is damaged and was ignored ({_short(exc)}).")
            continue
        for key, values in datasets.items():
            iim.setdefault(key, values)  # several blocks: the first one wins, as in exiftool
    md = _merge(xmp, _decode_iim(iim), exif, notes)
    for note in md.warnings:
        log.info("%s: %s", path, note)
    return md


# --------------------------------------------------------------------------- files


@dataclass
class _Blocks:
    xmp: bytes = b""
    iim: list[bytes] = field(default_factory=list)
    exif_tiff: bytes = b""  # EXIF found outside exifread's reach (ImageMagick PNG text chunk)


_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
_PHOTOSHOP_APP13 = b"Photoshop 3.0\x00"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IRB_IPTC = 0x0404
_MAX_XMP = 16 * 1024 * 1024  # an inflated PNG XMP chunk beyond this is a zip bomb, not metadata


def _read_error(path: Path, exc: OSError) -> ImageReadError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ImageReadError(
        f"Cannot read {path}: {reason}.", "Check that the file exists and that you may read it."
    )


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _collect_blocks(fh: IO[bytes], notes: list[str]) -> _Blocks:
    """Raw XMP packet and IIM blocks, whatever the container."""
    head = fh.read(8)
    if not head:
        notes.append("The file is empty.")
        return _Blocks()
    if head[:2] == b"\xff\xd8":
        return _jpeg_blocks(fh)
    if head == _PNG_SIGNATURE:
        return _png_blocks(fh)
    fh.seek(0)
    return _pillow_blocks(fh, notes)


def _jpeg_segments(fh: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) of APP1/APP13 segments up to the first scan; others are skipped."""
    fh.seek(2)
    while True:
        byte = fh.read(1)
        if not byte:
            return
        if byte != b"\xff":
            continue  # junk between segments: skip it, as Pillow and libjpeg do
        marker = fh.read(1)
        while marker == b"\xff":  # fill bytes
            marker = fh.read(1)
        if not marker:
            return
        code = marker[0]
        if code in (0x01, 0xD8) or 0xD0 <= code <= 0xD7:
            continue  # standalone markers carry no length
        if code in (0xD9, 0xDA):
            return  # EOI or start of scan: all metadata segments come before this
        size = fh.read(2)
        if len(size) < 2:
            return
        length = int.from_bytes(size, "big") - 2
        if length < 0:
            return
        if code in (0xE1, 0xED):
            yield code, fh.read(length)
        else:
            fh.seek(length, 1)


def _jpeg_blocks(fh: IO[bytes]) -> _Blocks:
    blocks = _Blocks()
    irb = bytearray()
    for code, payload in _jpeg_segments(fh):
        if code == 0xE1 and payload.startswith(_XMP_APP1) and not blocks.xmp:
            blocks.xmp = payload[len(_XMP_APP1) :]
        elif code == 0xED and payload.startswith(_PHOTOSHOP_APP13):
            # A large resource block may be split over several APP13 segments: join them.
            irb += payload[len(_PHOTOSHOP_APP13) :]
    # Extended XMP (xmp/extension segments) is not read: it carries bulky data such as
    # depth maps or history, never the IPTC core fields read here.
    blocks.iim = _irb_iptc(bytes(irb))
    return blocks


def _irb_iptc(irb: bytes) -> list[bytes]:
    """IIM blocks (resource 0x0404) inside a Photoshop image resource block."""
    found: list[bytes] = []
    pos = 0
    while pos + 12 <= len(irb):
        if irb[pos : pos + 4] not in (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa"):
            break  # past the resources (padding or garbage): keep what was found
        rid = int.from_bytes(irb[pos + 4 : pos + 6], "big")
        name_len = irb[pos + 6]
        pos += 6 + ((name_len + 2) & ~1)  # Pascal name padded to an even length
        if pos + 4 > len(irb):
            break
        size = int.from_bytes(irb[pos : pos + 4], "big")
        pos += 4
        if rid == _IRB_IPTC:
            found.append(irb[pos : pos + size])
        pos += size + (size & 1)
    return found


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


def _png_blocks(fh: IO[bytes]) -> _Blocks:
    """Walk the chunks, also those after the image data (Pillow reads those only on load)."""
    blocks = _Blocks()
    while True:
        header = fh.read(8)
        if len(header) < 8:
            break
        length, ctype = struct.unpack(">I4s", header)
        if ctype == b"IEND":
            break
        if ctype not in (b"iTXt", b"tEXt", b"zTXt"):
            fh.seek(length + 4, 1)
            continue
        data = fh.read(length)
        fh.seek(4, 1)  # CRC
        keyword, _, rest = data.partition(b"\x00")
        if ctype == b"iTXt" and keyword == b"XML:com.adobe.xmp" and len(rest) >= 2:
            compressed = rest[0] == 1
            _lang, _, rest = rest[2:].partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            blocks.xmp = blocks.xmp or (_inflate(text) if compressed else text)
        elif keyword in (b"Raw profile type exif", b"Raw profile type iptc"):
            profile = _raw_profile(_inflate(rest[1:]) if ctype == b"zTXt" else rest)
            if keyword.endswith(b"exif"):
                blocks.exif_tiff = profile.removeprefix(b"Exif\x00\x00")
            elif profile.startswith(b"8BIM"):
                blocks.iim = _irb_iptc(profile)
            elif profile:
                blocks.iim = [profile]
    return blocks


def _pillow_blocks(fh: IO[bytes], notes: list[str]) -> _Blocks:
    """TIFF, WebP, AVIF, GIF ...: let Pillow find the blocks in the header."""
    blocks = _Blocks()
    try:
        # Pillow warns about odd tags; we never print. catch_warnings is process-wide, so
        # a race with another thread can only show or hide a warning (as in imaging.py).
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            with Image.open(fh) as im:
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
                    blocks.iim = _irb_iptc(tagdata[34377])
    except UnidentifiedImageError:
        notes.append(
            "The file is not in an image format this program knows; only EXIF was looked for."
        )
    except Exception as exc:  # Pillow raises many types on odd files: OSError, TypeError...
        notes.append(
            f"The image header could not be read ({_short(exc)}); only EXIF was looked for."
        )
    return blocks


# --------------------------------------------------------------------------- EXIF


def _read_exif(fh: IO[bytes], notes: list[str]) -> dict[str, Any]:
    try:
        tags = exifread.process_file(fh, details=False)
    except Exception as exc:  # exifread raises anything on broken files
        notes.append(f"EXIF block is damaged and was ignored ({_short(exc)}).")
        return {}
    return dict(tags or {})


def _exif_text(exif: dict[str, Any], key: str) -> str:
    tag = exif.get(key)
    if tag is None:
        return ""
    values = getattr(tag, "values", tag)
    if isinstance(values, bytes):
        values = values.decode("utf-8", "replace")
    if not isinstance(values, str):
        return ""
    return values.replace("\x00", "").strip()


def _exif_number(exif: dict[str, Any], key: str) -> Fraction | None:
    tag = exif.get(key)
    values = getattr(tag, "values", None)
    if not values or isinstance(values, (str, bytes)):
        return None
    try:
        value = Fraction(values[0])
    except (TypeError, ValueError, ZeroDivisionError):  # e.g. a ratio with denominator 0
        return None
    return value if value > 0 else None


def _exposure(exif: dict[str, Any]) -> str:
    parts = []
    time = _exif_number(exif, "EXIF ExposureTime")
    if time is not None:
        if time <= Fraction(1, 2):
            parts.append(f"1/{round(1 / time)} s")
        else:
            parts.append(f"{round(float(time), 1):g} s")
    fnumber = _exif_number(exif, "EXIF FNumber")
    if fnumber is not None:
        parts.append(f"f/{round(float(fnumber), 1):g}")
    iso = _exif_number(exif, "EXIF ISOSpeedRatings") or _exif_number(
        exif, "EXIF PhotographicSensitivity"
    )
    if iso is not None:
        parts.append(f"ISO {round(iso)}")
    focal = _exif_number(exif, "EXIF FocalLength")
    if focal is not None:
        parts.append(f"{round(float(focal), 1):g} mm")
    return " · ".join(parts)


def _orientation(exif: dict[str, Any], xmp: dict[str, Any]) -> int:
    value = _exif_number(exif, "Image Orientation")
    if value is None:  # PNG and others may keep it in XMP only (Pillow honours that too)
        try:
            value = Fraction(_xmp_text(xmp, _TIFF + "Orientation") or 0)
        except (ValueError, ZeroDivisionError):
            value = None
    return int(value) if value is not None and value.denominator == 1 and 1 <= value <= 8 else 1


def _has_gps(exif: dict[str, Any]) -> bool:
    keys = ("GPS GPSLatitude", "GPS GPSLongitude")
    return all(getattr(exif.get(key), "values", None) for key in keys)


# --------------------------------------------------------------------------- XMP

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PS = "{http://ns.adobe.com/photoshop/1.0/}"
_IPTC_CORE = "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}"
_TIFF = "{http://ns.adobe.com/tiff/1.0/}"
_EXIF_AUX = "{http://ns.adobe.com/exif/1.0/aux/}"


def _decode_packet(packet: bytes) -> str:
    """XMP may be UTF-8 or UTF-16/32, with or without a byte-order mark."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
    ):
        if packet.startswith(bom):
            return packet[len(bom) :].decode(codec, "replace")
    if packet.startswith(b"\x00<"):
        return packet.decode("utf-16-be", "replace")
    if packet.startswith(b"<\x00"):
        return packet.decode("utf-16-le", "replace")
    return packet.decode("utf-8", "replace")


def _parse_xmp(packet: bytes) -> dict[str, Any]:
    """Top-level properties as ``{"{ns}name": str | list[str]}`` (Alt -> x-default text)."""
    text = _decode_packet(packet).replace("\x00", "")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        # XMP never needs a DTD; refusing one avoids entity-expansion tricks.
        raise ValueError("it declares a DTD")
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    end = re.search(r"<\?xpacket\s+end=[^>]*\?>", text)
    if end:
        text = text[: end.end()]
    start = text.find("<")
    if start < 0:
        raise ValueError("it contains no XML")
    root = ET.fromstring(text[start:])
    rdf = root if root.tag == _RDF + "RDF" else root.find(f".//{_RDF}RDF")
    if rdf is None:
        raise ValueError("it has no rdf:RDF element")
    props: dict[str, Any] = {}
    for desc in rdf.findall(_RDF + "Description"):
        for name, value in desc.attrib.items():  # the attributes-as-properties shorthand
            if not name.startswith(_RDF) and name != _XML_LANG:
                props.setdefault(name, value)
        for child in desc:
            props.setdefault(child.tag, _xmp_value(child))
    return props


def _li_text(li: ET.Element) -> str:
    value = li.find(_RDF + "value")  # a qualified item keeps its text in rdf:value
    if value is not None:
        return value.text or ""
    return li.text or li.get(_RDF + "value") or li.get(_RDF + "resource") or ""


def _xmp_value(elem: ET.Element) -> str | list[str]:
    for container in elem:
        if container.tag == _RDF + "Alt":
            items = [li for li in container if li.tag == _RDF + "li"]
            chosen = next((li for li in items if li.get(_XML_LANG) == "x-default"), None)
            chosen = chosen if chosen is not None else (items[0] if items else None)
            return _li_text(chosen) if chosen is not None else ""
        if container.tag in (_RDF + "Bag", _RDF + "Seq"):
            return [_li_text(li) for li in container if li.tag == _RDF + "li"]
    return _li_text(elem)


def _xmp_text(xmp: dict[str, Any], key: str, joiner: str = "; ") -> str:
    value = xmp.get(key, "")
    if isinstance(value, list):
        value = joiner.join(v.strip() for v in value if v.strip())
    return value.strip()


def _xmp_list(xmp: dict[str, Any], key: str) -> tuple[str, ...]:
    value = xmp.get(key, [])
    values = value if isinstance(value, list) else [value]
    return tuple(v.strip() for v in values if v.strip())


# --------------------------------------------------------------------------- IPTC-IIM


def _parse_iim(block: bytes) -> dict[tuple[int, int], list[bytes]]:
    """Datasets of one IIM block; raises ValueError when the block is damaged."""
    datasets: dict[tuple[int, int], list[bytes]] = {}
    pos, end = 0, len(block)
    while pos < end:
        if block[pos] != 0x1C:
            if not block[pos:].strip(b"\x00"):
                break  # zero padding after the last dataset is common and harmless
            raise ValueError(f"invalid IPTC/NAA file: byte 0x{block[pos]:02X} at {pos}")
        if pos + 5 > end:
            raise ValueError("invalid IPTC/NAA file: truncated dataset header")
        key = (block[pos + 1], block[pos + 2])
        size = int.from_bytes(block[pos + 3 : pos + 5], "big")
        pos += 5
        if size & 0x8000:  # extended dataset: the next N bytes hold the length
            count = size & 0x7FFF
            if count > 4 or pos + count > end:
                raise ValueError("invalid IPTC/NAA file: bad extended length")
            size = int.from_bytes(block[pos : pos + count], "big")
            pos += count
        if pos + size > end:
            raise ValueError("invalid IPTC/NAA file: dataset runs past the end")
        datasets.setdefault(key, []).append(block[pos : pos + size])
        pos += size
    return datasets


def _looks_cyrillic(raw: bytes) -> bool:
    """Windows-1251 Russian is mostly bytes 0xC0-0xFF; Western text is mostly ASCII letters."""
    high = sum(1 for b in raw if b >= 0xC0)
    latin = sum(1 for b in raw if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    return high >= 2 and high > latin


def _iim_string(raw: bytes, utf8: bool) -> str:
    raw = raw.replace(b"\x00", b"")
    if utf8:
        text = raw.decode("utf-8", "replace")
    else:
        try:
            text = raw.decode("utf-8")  # many writers use UTF-8 without saying so
        except UnicodeDecodeError:
            text = raw.decode("cp1251" if _looks_cyrillic(raw) else "cp1252", "replace")
    return text.strip()


def _decode_iim(datasets: dict[tuple[int, int], list[bytes]]) -> dict[int, list[str]]:
    """Record-2 datasets as text, keyed by dataset number."""
    utf8 = any(b"\x1b%G" in v for v in datasets.get((1, 90), []))
    decoded: dict[int, list[str]] = {}
    for (record, number), values in datasets.items():
        if record == 2:
            texts = [_iim_string(v, utf8) for v in values]
            decoded[number] = [t for t in texts if t]
    return decoded


# --------------------------------------------------------------------------- dates

_ISO = re.compile(
    r"(\d{4})(?:[-:](\d\d)(?:[-:](\d\d)"
    r"(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(Z|[+-]\d\d:?\d\d)?)?)?)?"
)


def _iso_offset(zone: str | None) -> str:
    if not zone:
        return ""
    if zone == "Z":
        return "+00:00"
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"


def _xmp_date(value: str) -> str:
    """ISO 8601 as written in XMP, tidied (Z -> +00:00); "" when it is not a date."""
    m = _ISO.fullmatch(value.strip())
    if not m:
        return ""
    year, month, day, time, zone = m.groups()
    out = "-".join(p for p in (year, month, day) if p)
    return f"{out}T{time}{_iso_offset(zone)}" if time else out


def _iim_date(date: str, time: str) -> str:
    if not re.fullmatch(r"\d{8}", date) or date.startswith("0000"):
        return ""
    year, month, day = date[:4], date[4:6], date[6:]
    if month == "00":  # IIM writes 00 for an unknown month or day
        return year
    if day == "00":
        return f"{year}-{month}"
    out = f"{year}-{month}-{day}"
    m = re.fullmatch(r"(\d\d)(\d\d)(\d\d)([+-]\d{4})?", time)
    if m:
        hh, mm, ss, zone = m.groups()
        out += f"T{hh}:{mm}:{ss}{_iso_offset(zone)}"
    return out


def _exif_date(exif: dict[str, Any]) -> str:
    original = _exif_text(exif, "EXIF DateTimeOriginal")
    m = re.fullmatch(r"(\d{4}):(\d\d):(\d\d) (\d\d:\d\d:\d\d)", original)
    if not m or m.group(1) == "0000":
        return ""
    offset = _exif_text(exif, "EXIF OffsetTimeOriginal")
    zone = offset if re.fullmatch(r"[+-]\d\d:\d\d", offset) else ""
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}{zone}"


# --------------------------------------------------------------------------- merge


def _first(*values: str) -> str:
    return next((v for v in values if v), "")


def _merge(
    xmp: dict[str, Any], iim: dict[int, list[str]], exif: dict[str, Any], notes: list[str]
) -> PhotoMetadata:
    def one(number: int) -> str:
        return iim.get(number, [""])[0] if iim.get(number) else ""

    xmp_date = _xmp_text(xmp, _PS + "DateCreated")
    if xmp_date and not _xmp_date(xmp_date):
        # Passing it on would make the XMP written at export invalid.
        notes.append(f"XMP date created {xmp_date[:40]!r} is not a date and was ignored.")

    return PhotoMetadata(
        caption=_first(_xmp_text(xmp, _DC + "description"), one(120)),
        headline=_first(_xmp_text(xmp, _PS + "Headline"), one(105)),
        title=_first(_xmp_text(xmp, _DC + "title"), one(5)),
        creator=_first(
            _xmp_text(xmp, _DC + "creator"),
            "; ".join(iim.get(80, [])),
            _exif_text(exif, "Image Artist"),
        ),
        credit=_first(_xmp_text(xmp, _PS + "Credit"), one(110)),
        source=_first(_xmp_text(xmp, _PS + "Source"), one(115)),
        copyright=_first(
            _xmp_text(xmp, _DC + "rights"), one(116), _exif_text(exif, "Image Copyright")
        ),
        alt_text=_xmp_text(xmp, _IPTC_CORE + "AltTextAccessibility"),
        date_taken=_first(
            _xmp_date(xmp_date), _iim_date(one(55), one(60)), _exif_date(exif)
        ),
        city=_first(_xmp_text(xmp, _PS + "City"), one(90)),
        sublocation=_first(_xmp_text(xmp, _IPTC_CORE + "Location"), one(92)),
        state=_first(_xmp_text(xmp, _PS + "State"), one(95)),
        country=_first(_xmp_text(xmp, _PS + "Country"), one(101)),
        keywords=_xmp_list(xmp, _DC + "subject") or tuple(iim.get(25, [])),
        orientation=_orientation(exif, xmp),
        camera_make=_exif_text(exif, "Image Make"),
        camera_model=_exif_text(exif, "Image Model"),
        lens=_first(_exif_text(exif, "EXIF LensModel"), _xmp_text(xmp, _EXIF_AUX + "Lens")),
        exposure=_exposure(exif),
        has_gps=_has_gps(exif),
        warnings=tuple(notes),
    )
