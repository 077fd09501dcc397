"""Read IPTC-IIM: find its blocks in Photoshop resources and decode their text.

IIM has no declared encoding unless record 1:90 says UTF-8; many writers use UTF-8
anyway, Russian newsrooms Windows-1251 and Western ones Windows-1252, so the text is
decoded by looking at it.
"""

from __future__ import annotations

#: The record-2 dataset (IIM 4.2) read for each field, as the IPTC Photo Metadata
#: Standard maps them; "date" and "time" are DateCreated and TimeCreated.
DATASETS = {
    "title": 5, "keywords": 25, "date": 55, "time": 60, "creator": 80, "city": 90,
    "sublocation": 92, "state": 95, "country": 101, "headline": 105, "credit": 110,
    "source": 115, "copyright": 116, "caption": 120,
}

#: The Photoshop header of a JPEG APP13 segment holding image resources.
PHOTOSHOP_APP13 = b"Photoshop 3.0\x00"
_IRB_IPTC = 0x0404
_IRB_SIGNATURES = (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa")


def irb_iptc(irb: bytes) -> list[bytes]:
    """IIM blocks (resource 0x0404) inside a Photoshop image resource block."""
    found: list[bytes] = []
    pos = 0
    while pos + 12 <= len(irb):
        if irb[pos : pos + 4] not in _IRB_SIGNATURES:
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


def parse_iim(block: bytes) -> dict[tuple[int, int], list[bytes]]:
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


def decode_iim(datasets: dict[tuple[int, int], list[bytes]]) -> dict[int, list[str]]:
    """Record-2 datasets as text, keyed by dataset number."""
    utf8 = any(b"\x1b%G" in v for v in datasets.get((1, 90), []))
    decoded: dict[int, list[str]] = {}
    for (record, number), values in datasets.items():
        if record == 2:
            texts = [_iim_string(v, utf8) for v in values]
            decoded[number] = [t for t in texts if t]
    return decoded


def iim_values(iim: dict[int, list[str]], field: str) -> list[str]:
    """Every value of a field in decoded datasets (a repeatable one has several)."""
    return iim.get(DATASETS[field], [])


def iim_text(iim: dict[int, list[str]], field: str) -> str:
    """The first value of a field in decoded datasets; "" when absent."""
    return next(iter(iim_values(iim, field)), "")


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
