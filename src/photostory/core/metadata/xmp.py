"""XMP: read a packet's properties, build one that fits a JPEG, and put it into JPEG files.

Reading is tolerant (UTF-8/16/32, attributes as properties, qualified values) and
refuses a DTD. Writing touches only metadata segments: everything from the first SOS
marker on (the entropy-coded image data and whatever follows it) is copied byte for
byte, so embedding never re-encodes or alters the pixels.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from photostory.core.i18n import _
from photostory.core.atomic import write_atomic
from photostory.core.metadata.containers import APP0, APP1, JPEG_SOI, Span, jpeg_header
from photostory.core.metadata.dates import is_iso_date
from photostory.core.metadata.exif import EXIF_APP1
from photostory.errors import XmpError

#: Largest packet that fits one APP1 segment next to its namespace header (XMP spec, part 3).
MAX_XMP_PACKET = 65502

#: The namespace header of the APP1 segment holding a JPEG's XMP packet.
XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
_EXTENDED_XMP_APP1 = b"http://ns.adobe.com/xmp/extension/\x00"

_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "aux": "http://ns.adobe.com/exif/1.0/aux/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}

# field -> (XMP property, kind): Alt = language alternative, Seq/Bag = arrays, "" = text.
# Written into web copies and read from photos; the order is the packet's.
_WRITTEN: dict[str, tuple[str, str]] = {
    "title": ("dc:title", "Alt"),
    "caption": ("dc:description", "Alt"),
    "creator": ("dc:creator", "Seq"),
    "copyright": ("dc:rights", "Alt"),
    "keywords": ("dc:subject", "Bag"),
    "headline": ("photoshop:Headline", ""),
    "credit": ("photoshop:Credit", ""),
    "source": ("photoshop:Source", ""),
    "city": ("photoshop:City", ""),
    "country": ("photoshop:Country", ""),
    "date_taken": ("photoshop:DateCreated", ""),
    "alt_text": ("Iptc4xmpCore:AltTextAccessibility", "Alt"),
    # The licence (IPTC's Web Statement of Rights) and where to acquire one (PLUS's
    # Licensor URL): what Google Images reads as a photo's licence details.
    "license": ("xmpRights:WebStatement", ""),
    "licensor_url": ("plus:Licensor", "Licensor"),
}
# Only read.
_READ_ONLY: dict[str, tuple[str, str]] = {
    "sublocation": ("Iptc4xmpCore:Location", ""),
    "state": ("photoshop:State", ""),
    "lens": ("aux:Lens", ""),
    "orientation": ("tiff:Orientation", ""),
}
FIELDS = frozenset(_WRITTEN)


# --------------------------------------------------------------------------- reading

_RDF = "{" + _RDF_NS + "}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# field -> its property as ElementTree names it, such as "{http://purl.org/dc/elements/1.1/}title".
_KEYS = {field: "{" + _NAMESPACES[prop.split(":")[0]] + "}" + prop.split(":")[1]
         for field, (prop, _kind) in {**_WRITTEN, **_READ_ONLY}.items()}


def parse_xmp(packet: bytes) -> dict[str, Any]:
    """Top-level properties as ``{"{ns}name": str | list[str]}`` (Alt -> x-default text).

    Raises ValueError or ``ET.ParseError`` when the packet is damaged.
    """
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


def field_text(props: dict[str, Any], field: str, joiner: str = "; ") -> str:
    """A field's text in parsed properties (list items joined); "" when absent."""
    value = props.get(_KEYS[field], "")
    if isinstance(value, list):
        value = joiner.join(v.strip() for v in value if v.strip())
    return value.strip()


def field_languages(props: dict[str, Any], field: str) -> dict[str, str]:
    """A language alternative's texts by the tags the file gives (x-default left out);
    {} when the field is absent or not by language."""
    value = props.get(_KEYS[field])
    return dict(value.languages) if isinstance(value, AltText) else {}


def field_list(props: dict[str, Any], field: str) -> tuple[str, ...]:
    """A list field's items in parsed properties (one item for a plain text)."""
    value = props.get(_KEYS[field], [])
    values = value if isinstance(value, list) else [value]
    return tuple(v.strip() for v in values if v.strip())


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


def _li_text(li: ET.Element) -> str:
    value = li.find(_RDF + "value")  # a qualified item keeps its text in rdf:value
    if value is not None:
        return value.text or ""
    return li.text or li.get(_RDF + "value") or li.get(_RDF + "resource") or ""


class AltText(str):
    """A language alternative's default text, carrying every language's (``languages``:
    tag -> text, x-default left out) for whoever wants them."""

    languages: dict[str, str]


def _xmp_value(elem: ET.Element) -> str | list[str]:
    for container in elem:
        if container.tag == _RDF + "Alt":
            items = [li for li in container if li.tag == _RDF + "li"]
            chosen = next((li for li in items if li.get(_XML_LANG) == "x-default"), None)
            chosen = chosen if chosen is not None else (items[0] if items else None)
            value = AltText(_li_text(chosen) if chosen is not None else "")
            value.languages = {}
            for li in items:
                tag = (li.get(_XML_LANG) or "").strip()
                if tag and tag.lower() != "x-default" and _li_text(li).strip():
                    value.languages.setdefault(tag, _li_text(li).strip())
            return value
        if container.tag in (_RDF + "Bag", _RDF + "Seq"):
            return [_li_text(li) for li in container if li.tag == _RDF + "li"]
    return _li_text(elem)


# --------------------------------------------------------------------------- writing

#: Namespaces every packet declares; a property of another (the licence's) declares its own,
#: so packets without one stay byte for byte as they were.
_HEAD_PREFIXES = ("dc", "photoshop", "Iptc4xmpCore")
_PACKET_HEAD = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
    f' <rdf:RDF xmlns:rdf="{_RDF_NS}">\n'
    '  <rdf:Description rdf:about=""\n'
    + "\n".join(f'    xmlns:{prefix}="{_NAMESPACES[prefix]}"' for prefix in _HEAD_PREFIXES)
    + ">\n"
)
_PACKET_TAIL = '  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'

# Characters XML 1.0 cannot carry at all; they are dropped rather than corrupt the packet.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
def _xml_text(value: str) -> str:
    # CR would be normalised away by XML parsers, so it is written as a character reference.
    return escape(_NOT_XML.sub("", value)).replace("\r", "&#xD;")


# One string for a list field: keywords are typed "a, b", creators "A; B"
# (reading joins creators with "; ", so this round-trips).
_SEPARATORS = {"keywords": ",", "creator": ";"}


def _items(name: str, value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        value = value.split(_SEPARATORS[name]) if name in _SEPARATORS else [value]
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


#: A field's value: a text, a list (creator, keywords), or for a language alternative
#: (caption, alt text) texts by BCP 47 tag, the default language's first.
FieldValue = str | Sequence[str] | Mapping[str, str]


def build_xmp(fields: Mapping[str, FieldValue]) -> bytes:
    """A complete UTF-8 XMP packet for ``fields`` (empty fields are left out).

    Keys: caption, headline, title, creator, credit, source, copyright, alt_text,
    keywords, city, country, date_taken, license (a URL), licensor_url. ``creator`` and ``keywords`` take a list, or
    one string split on ``;`` / ``,``. A language alternative (caption, alt text, title,
    copyright) takes one text, written as ``x-default``, or ``{tag: text}``: each
    non-empty text under its tag, and the first one's also as ``x-default`` (the XMP
    rule: the default is one of the languages, repeated). The same input always gives
    the same bytes.
    """
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"unknown XMP field(s): {', '.join(sorted(unknown))}")
    lines = [_PACKET_HEAD]
    for name, (prop, kind) in _WRITTEN.items():
        value = fields.get(name) or ""
        if kind == "Alt" and isinstance(value, Mapping):
            lis = _lang_alt(value)
            if lis:
                lines.append(f"   <{prop}><rdf:Alt>{lis}</rdf:Alt></{prop}>\n")
            continue
        items = _items(name, value)
        if not items:
            continue
        if name == "date_taken" and not is_iso_date(items[0]):
            raise XmpError(
                _("Date taken {date!r} is not an ISO 8601 date.").format(date=items[0]),
                _("Use a form such as 2022-10-05T15:12:00+06:00."),
            )
        if kind == "":
            lines.append(f"   {_opening(prop)}{_xml_text(' '.join(items))}</{prop}>\n")
        elif kind == "Licensor":  # a Seq of PLUS Licensor structures, each with its URL
            lis = "".join('<rdf:li rdf:parseType="Resource"><plus:LicensorURL>'
                          f"{_xml_text(item)}</plus:LicensorURL></rdf:li>" for item in items)
            lines.append(f"   {_opening(prop)}<rdf:Seq>{lis}</rdf:Seq></{prop}>\n")
        elif kind == "Alt":
            li = f'<rdf:li xml:lang="x-default">{_xml_text(" ".join(items))}</rdf:li>'
            lines.append(f"   <{prop}><rdf:Alt>{li}</rdf:Alt></{prop}>\n")
        else:
            lis = "".join(f"<rdf:li>{_xml_text(item)}</rdf:li>" for item in items)
            lines.append(f"   <{prop}><rdf:{kind}>{lis}</rdf:{kind}></{prop}>\n")
    lines.append(_PACKET_TAIL)
    return "".join(lines).encode("utf-8")


def _opening(prop: str) -> str:
    prefix = prop.split(":")[0]
    if prefix in _HEAD_PREFIXES:
        return f"<{prop}>"
    return f'<{prop} xmlns:{prefix}="{_NAMESPACES[prefix]}">'


def _lang_alt(texts: Mapping[str, str]) -> str:
    """The ``rdf:li`` items of a language alternative; x-default is the first language's
    text, left out when that is empty (a default in another language would misname it)."""
    entries = [(tag, text.strip()) for tag, text in texts.items() if isinstance(text, str)]
    if not entries:
        return ""
    items = [("x-default", entries[0][1])] + entries
    return "".join(f'<rdf:li xml:lang="{_xml_text(tag)}">{_xml_text(text)}</rdf:li>'
                   for tag, text in items if text)


#: Fields that mean nothing cut short: left out instead when they do not fit.
_WHOLE_ONLY = frozenset({"date_taken"})


def fit_xmp(fields: Mapping[str, FieldValue],
            limit: int = MAX_XMP_PACKET) -> tuple[bytes, list[str], list[str]]:
    """:func:`build_xmp` for ``fields`` in at most ``limit`` bytes, and the names of the
    fields shortened and left out to get there (both empty when everything fits).

    Sizes are counted as written (UTF-8, after XML escaping). Every text that fits a
    common size is kept whole; the longer ones are cut (ending in "…") to that size,
    the largest that lets the packet fit, and a field that cannot be cut (a date) or
    does not fit even cut is left out. Each language of a language alternative is a
    text of its own. Each step is a bounded search over sizes and prefix lengths, never
    a loop over the text that could fail to end.
    """
    packet = build_xmp(fields)
    if len(packet) <= limit:
        return packet, [], []
    # (field, tag) -> text; the tag is "" for a field that is not by language.
    texts: dict[tuple[str, str], str] = {}
    for name, value in fields.items():
        if isinstance(value, Mapping):
            texts.update(((name, tag), text) for tag, text in value.items())
        else:
            texts[(name, "")] = (value if isinstance(value, str)
                                 else f"{_SEPARATORS.get(name, ' ')} ".join(value))

    def assembled(chosen: Mapping[tuple[str, str], str]) -> dict[str, FieldValue]:
        """Fields holding only the ``chosen`` texts; a language alternative keeps its
        languages' order (the others empty), so its first stays the x-default."""
        out: dict[str, FieldValue] = {}
        for (name, tag), text in chosen.items():
            if tag:
                out[name] = {t: chosen.get((name, t), "") for t in fields[name]}  # type: ignore[union-attr]
            else:
                out[name] = text
        return out

    empty = len(build_xmp({}))
    room = limit - empty

    def cost(unit: tuple[str, str], text: str) -> int:
        return len(build_xmp(assembled({unit: text}))) - empty

    costs = {unit: cost(unit, text) for unit, text in texts.items()}
    # The largest common size for the long texts that still lets everything fit.
    low, high = 0, max(costs.values())
    while low < high:
        size = (low + high + 1) // 2
        if sum(min(c, size) for c in costs.values()) <= room:
            low = size
        else:
            high = size - 1
    shortened: list[str] = []
    dropped: list[str] = []
    for unit, text in texts.items():
        if costs[unit] <= low:
            continue
        name = unit[0]
        cut = "" if name in _WHOLE_ONLY else _cut(text, low, lambda t: cost(unit, t))
        texts[unit] = cut
        named = shortened if cut else dropped
        if name not in named:
            named.append(name)
    packet = build_xmp(assembled(texts))
    if len(packet) > limit:  # cannot happen: each text was cut to its share of the room
        raise XmpError(_("The XMP metadata does not fit a JPEG ({count:,} bytes).")
                       .format(count=len(packet)))
    return packet, shortened, [name for name in dropped if name not in shortened]


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


def _is_xmp(jpeg: bytes, segment: Span) -> bool:
    return segment.code == APP1 and jpeg.startswith((XMP_APP1, _EXTENDED_XMP_APP1), segment.body)


def embed_xmp_in_jpeg(jpeg: bytes, xmp: bytes) -> bytes:
    """Return ``jpeg`` with its XMP replaced by ``xmp`` (inserted when there was none).

    Old standard and extended XMP segments are removed; the new one goes right after
    SOI and any leading APP0 (JFIF) and APP1 (EXIF) segments. All other bytes are kept.
    """
    if len(xmp) > MAX_XMP_PACKET:
        raise XmpError(
            _("The XMP metadata is {count:,} bytes; a JPEG can hold at most {limit:,}.")
            .format(count=len(xmp), limit=MAX_XMP_PACKET),
            _("Shorten the caption or the keywords."),
        )
    try:
        segments, scan = jpeg_header(jpeg)
    except ValueError as exc:
        raise XmpError(str(exc)) from None
    kept = [s for s in segments if not _is_xmp(jpeg, s)]
    at = 0
    for segment in kept:
        if segment.code == APP0 or (segment.code == APP1 and jpeg.startswith(EXIF_APP1, segment.body)):
            at += 1
        else:
            break
    body = XMP_APP1 + xmp
    new = b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
    before = b"".join(jpeg[s.start : s.end] for s in kept[:at])
    after = b"".join(jpeg[s.start : s.end] for s in kept[at:])
    return JPEG_SOI + before + new + after + jpeg[scan:]


def replace_xmp_in_jpeg_file(path: Path, xmp: bytes) -> None:
    """Replace the XMP of the JPEG at ``path`` in place, atomically.

    A crash or a full disk leaves either the old file or the new one, never half. A link
    in the file's place is replaced, not followed: these are files this program made.
    """
    path = Path(path)
    try:
        original = path.read_bytes()
    except OSError as exc:
        raise XmpError(_("{file}: cannot be read ({reason}).")
                       .format(file=path.name, reason=exc.strerror or exc)) from exc
    data = embed_xmp_in_jpeg(original, xmp)
    try:
        write_atomic(path, data, follow_links=False)
    except OSError as exc:
        raise XmpError(
            _("{file}: the metadata could not be written ({reason}).")
            .format(file=path.name, reason=exc.strerror or exc),
            _("Check that the folder is writable and the disk is not full."),
        ) from exc
