"""Dates as XMP, IPTC-IIM and EXIF write them, read into ISO 8601 and checked for XMP.

Reading is lenient (what other programs wrote); writing is strict (what the XMP
specification allows), so what Photostory reads it can also write.
"""

from __future__ import annotations

import re

# What other programs write for an XMP date: ISO 8601, sometimes with EXIF's colons,
# a space before the time or an offset without its colon.
_LENIENT = re.compile(
    r"(\d{4})(?:[-:](\d\d)(?:[-:](\d\d)"
    r"(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(Z|[+-]\d\d:?\d\d)?)?)?)?"
)
# What an XMP date may be (XMP specification part 1, 8.2.1.1).
_XMP_DATE = re.compile(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?)?)?")


def is_iso_date(text: str) -> bool:
    """Whether ``text`` is an ISO 8601 date or date-time that XMP can carry."""
    return bool(_XMP_DATE.fullmatch(text.strip()))


def _iso_offset(zone: str | None) -> str:
    if not zone:
        return ""
    if zone == "Z":
        return "+00:00"
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"


def xmp_date(value: str) -> str:
    """ISO 8601 as written in XMP, tidied (Z -> +00:00); "" when it is not a date."""
    m = _LENIENT.fullmatch(value.strip())
    if not m:
        return ""
    year, month, day, time, zone = m.groups()
    out = "-".join(p for p in (year, month, day) if p)
    return f"{out}T{time}{_iso_offset(zone)}" if time else out


def iim_date(date: str, time: str) -> str:
    """IIM's DateCreated (CCYYMMDD) and TimeCreated (HHMMSS±HHMM) as ISO 8601; "" if
    the date is not one."""
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


def exif_date(original: str, offset: str) -> str:
    """EXIF's DateTimeOriginal (``YYYY:MM:DD HH:MM:SS``) and OffsetTimeOriginal
    (``+HH:MM``) as ISO 8601; "" if the date is not one."""
    m = re.fullmatch(r"(\d{4}):(\d\d):(\d\d) (\d\d:\d\d:\d\d)", original)
    if not m or m.group(1) == "0000":
        return ""
    zone = offset if re.fullmatch(r"[+-]\d\d:\d\d", offset) else ""
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}{zone}"
