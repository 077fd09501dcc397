"""Write what the desk decided: build an XMP packet and put it into JPEG files.

Only metadata segments are touched. Everything from the first SOS marker on (the
entropy-coded image data and whatever follows it) is copied byte for byte, so
embedding never re-encodes or alters the pixels.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Mapping, Sequence
from xml.sax.saxutils import escape

from photostory.core.atomic import write_atomic
from photostory.errors import XmpError

__all__ = [
    "FIELDS",
    "MAX_XMP_PACKET",
    "build_xmp",
    "fit_xmp",
    "embed_xmp_in_jpeg",
    "replace_xmp_in_jpeg_file",
    "strip_jpeg_segments",
]

#: Largest packet that fits one APP1 segment next to its namespace header (XMP spec, part 3).
MAX_XMP_PACKET = 65502

XMP_APP1_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
_EXTENDED_XMP_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"
_EXIF_HEADER = b"Exif\x00\x00"
_ICC_HEADER = b"ICC_PROFILE\x00"


# --------------------------------------------------------------------------- packet

# (field, XMP property, kind): Alt = language alternative, Seq/Bag = arrays, "" = text.
_PROPERTIES: tuple[tuple[str, str, str], ...] = (
    ("title", "dc:title", "Alt"),
    ("caption", "dc:description", "Alt"),
    ("creator", "dc:creator", "Seq"),
    ("copyright", "dc:rights", "Alt"),
    ("keywords", "dc:subject", "Bag"),
    ("headline", "photoshop:Headline", ""),
    ("credit", "photoshop:Credit", ""),
    ("source", "photoshop:Source", ""),
    ("city", "photoshop:City", ""),
    ("country", "photoshop:Country", ""),
    ("date_taken", "photoshop:DateCreated", ""),
    ("alt_text", "Iptc4xmpCore:AltTextAccessibility", "Alt"),
)
FIELDS = frozenset(name for name, _, _ in _PROPERTIES)

_PACKET_HEAD = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
    '  <rdf:Description rdf:about=""\n'
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
    '    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"\n'
    '    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">\n'
)
_PACKET_TAIL = '  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'

# Characters XML 1.0 cannot carry at all; they are dropped rather than corrupt the packet.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ISO_DATE = re.compile(
    r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?)?)?"
)


def is_iso_date(text: str) -> bool:
    """Whether ``text`` is an ISO 8601 date or date-time that XMP can carry."""
    return bool(_ISO_DATE.fullmatch(text.strip()))


def _xml_text(value: str) -> str:
    # CR would be normalised away by XML parsers, so it is written as a character reference.
    return escape(_NOT_XML.sub("", value)).replace("\r", "&#xD;")


# One string for a list field: keywords are typed "a, b", creators "A; B"
# (metadata.read_metadata joins creators with "; ", so this round-trips).
_SEPARATORS = {"keywords": ",", "creator": ";"}


def _items(name: str, value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        value = value.split(_SEPARATORS[name]) if name in _SEPARATORS else [value]
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def build_xmp(fields: Mapping[str, str | Sequence[str]]) -> bytes:
    """A complete UTF-8 XMP packet for ``fields`` (empty fields are left out).

    Keys: caption, headline, title, creator, credit, source, copyright, alt_text,
    keywords, city, country, date_taken. ``creator`` and ``keywords`` take a list, or
    one string split on ``;`` / ``,``. The same input always gives the same bytes.
    """
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"unknown XMP field(s): {', '.join(sorted(unknown))}")
    lines = [_PACKET_HEAD]
    for name, prop, kind in _PROPERTIES:
        items = _items(name, fields.get(name) or "")
        if not items:
            continue
        if name == "date_taken" and not _ISO_DATE.fullmatch(items[0]):
            raise XmpError(
                f"Date taken {items[0]!r} is not an ISO 8601 date.",
                "Use a form such as 2022-10-05T15:12:00+06:00.",
            )
        if kind == "":
            lines.append(f"   <{prop}>{_xml_text(' '.join(items))}</{prop}>\n")
        elif kind == "Alt":
            li = f'<rdf:li xml:lang="x-default">{_xml_text(" ".join(items))}</rdf:li>'
            lines.append(f"   <{prop}><rdf:Alt>{li}</rdf:Alt></{prop}>\n")
        else:
            lis = "".join(f"<rdf:li>{_xml_text(item)}</rdf:li>" for item in items)
            lines.append(f"   <{prop}><rdf:{kind}>{lis}</rdf:{kind}></{prop}>\n")
    lines.append(_PACKET_TAIL)
    return "".join(lines).encode("utf-8")


#: Fields that mean nothing cut short: left out instead when they do not fit.
_WHOLE_ONLY = frozenset({"date_taken"})


def fit_xmp(fields: Mapping[str, str | Sequence[str]],
            limit: int = MAX_XMP_PACKET) -> tuple[bytes, list[str], list[str]]:
    """:func:`build_xmp` for ``fields`` in at most ``limit`` bytes, and the names of the
    fields shortened and left out to get there (both empty when everything fits).

    Sizes are counted as written (UTF-8, after XML escaping). Every field that fits a
    common size is kept whole; the longer ones are cut (ending in "…") to that size,
    the largest that lets the packet fit, and a field that cannot be cut (a date) or
    does not fit even cut is left out. Each step is a bounded search over sizes and
    prefix lengths, never a loop over the text that could fail to end.
    """
    packet = build_xmp(fields)
    if len(packet) <= limit:
        return packet, [], []
    texts = {name: value if isinstance(value, str) else f"{_SEPARATORS.get(name, ' ')} ".join(value)
             for name, value in fields.items()}
    empty = len(build_xmp({}))
    room = limit - empty

    def cost(name: str, text: str) -> int:
        return len(build_xmp({name: text})) - empty

    costs = {name: cost(name, text) for name, text in texts.items()}
    # The largest common size for the long fields that still lets everything fit.
    low, high = 0, max(costs.values())
    while low < high:
        size = (low + high + 1) // 2
        if sum(min(c, size) for c in costs.values()) <= room:
            low = size
        else:
            high = size - 1
    shortened, dropped = [], []
    for name, text in texts.items():
        if costs[name] <= low:
            continue
        cut = "" if name in _WHOLE_ONLY else _cut(text, low, lambda t: cost(name, t))
        texts[name] = cut
        (shortened if cut else dropped).append(name)
    packet = build_xmp(texts)
    if len(packet) > limit:  # cannot happen: each field was cut to its share of the room
        raise XmpError(f"The XMP metadata does not fit a JPEG ({len(packet):,} bytes).")
    return packet, shortened, dropped


def _cut(text: str, size: int, cost: Callable[[str], int]) -> str:
    """The longest start of ``text``, marked "…", that costs at most ``size``; "" if none."""
    def shortened(length: int) -> str:
        return text[:length].rstrip() + "…"

    if cost(shortened(0)) > size:
        return ""
    low, high = 0, len(text)
    while low < high:
        length = (low + high + 1) // 2
        if cost(shortened(length)) <= size:
            low = length
        else:
            high = length - 1
    return shortened(low)


# --------------------------------------------------------------------------- JPEG


def _split_jpeg(jpeg: bytes) -> tuple[list[bytes], bytes]:
    """Header segments (each with its marker; junk kept verbatim) and the rest from SOS on."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise XmpError("This is not a JPEG file: it does not start with a JPEG marker.")
    segments: list[bytes] = []
    pos, end = 2, len(jpeg)
    while pos < end:
        if jpeg[pos] != 0xFF:
            nxt = jpeg.find(b"\xff", pos)  # junk between segments: keep it as it is
            nxt = end if nxt < 0 else nxt
            segments.append(jpeg[pos:nxt])
            pos = nxt
            continue
        start = pos
        while pos < end and jpeg[pos] == 0xFF:  # fill bytes before the marker code
            pos += 1
        if pos >= end:
            break
        code = jpeg[pos]
        pos += 1
        if code == 0xDA:
            return segments, jpeg[start:]
        if code in (0x01, 0xD8) or 0xD0 <= code <= 0xD7:
            segments.append(jpeg[start:pos])
            continue
        if code == 0xD9 or pos + 2 > end:
            break
        length = int.from_bytes(jpeg[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            break
        segments.append(jpeg[start : pos + length])
        pos += length
    raise XmpError("This JPEG file is damaged or truncated: no image data follows its header.")


def _payload(segment: bytes) -> tuple[int, bytes]:
    """(marker code, payload) of a header segment; code -1 for junk."""
    if len(segment) < 4 or segment[0] != 0xFF:
        return -1, b""
    body = segment.lstrip(b"\xff")
    return body[0], body[3:]


def _is_xmp(segment: bytes) -> bool:
    code, payload = _payload(segment)
    return code == 0xE1 and payload.startswith((XMP_APP1_HEADER, _EXTENDED_XMP_HEADER))


def embed_xmp_in_jpeg(jpeg: bytes, xmp: bytes) -> bytes:
    """Return ``jpeg`` with its XMP replaced by ``xmp`` (inserted when there was none).

    Old standard and extended XMP segments are removed; the new one goes right after
    SOI and any leading APP0 (JFIF) and APP1 (EXIF) segments. All other bytes are kept.
    """
    if len(xmp) > MAX_XMP_PACKET:
        raise XmpError(
            f"The XMP metadata is {len(xmp):,} bytes; a JPEG can hold at most {MAX_XMP_PACKET:,}.",
            "Shorten the caption or the keywords.",
        )
    segments, scan = _split_jpeg(jpeg)
    kept = [s for s in segments if not _is_xmp(s)]
    at = 0
    for segment in kept:
        code, payload = _payload(segment)
        if code == 0xE0 or (code == 0xE1 and payload.startswith(_EXIF_HEADER)):
            at += 1
        else:
            break
    body = XMP_APP1_HEADER + xmp
    new = b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
    return b"\xff\xd8" + b"".join(kept[:at]) + new + b"".join(kept[at:]) + scan


def replace_xmp_in_jpeg_file(path: Path, xmp: bytes) -> None:
    """Replace the XMP of the JPEG at ``path`` in place, atomically.

    A crash or a full disk leaves either the old file or the new one, never half. A link
    in the file's place is replaced, not followed: these are files this program made.
    """
    path = Path(path)
    try:
        original = path.read_bytes()
    except OSError as exc:
        raise XmpError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    data = embed_xmp_in_jpeg(original, xmp)
    try:
        write_atomic(path, data, follow_links=False)
    except OSError as exc:
        raise XmpError(
            f"Cannot write metadata into {path}: {exc.strerror or exc}.",
            "Check that the folder is writable and the disk is not full.",
        ) from exc


def strip_jpeg_segments(jpeg: bytes, *, keep_icc: bool = True) -> bytes:
    """Remove metadata segments (EXIF, XMP, IPTC, comments, maker data) from ``jpeg``.

    Kept: JFIF (APP0), Adobe (APP14, needed to decode CMYK/YCCK colours), the ICC
    profile when ``keep_icc``, and all coding tables. The EXIF orientation goes too, so
    callers must apply it to the pixels first.
    """
    segments, scan = _split_jpeg(jpeg)
    kept = []
    for segment in segments:
        code, payload = _payload(segment)
        if code == 0xFE or (0xE1 <= code <= 0xEF and code != 0xEE):
            if not (keep_icc and code == 0xE2 and payload.startswith(_ICC_HEADER)):
                continue
        kept.append(segment)
    return b"\xff\xd8" + b"".join(kept) + scan
