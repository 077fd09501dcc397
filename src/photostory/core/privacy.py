"""The privacy gate: what web copies of a photo leave out, and the location a desk may keep.

Renditions are encoded from pixels alone, so nothing from the source's EXIF travels
unless written on purpose. This module says what the source carried that readers will
not get (for the export report), and builds the one EXIF block a desk may choose to
keep: the GPS location.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import ExifTags, Image

from photostory.core.i18n import N_, _, ngettext
from photostory.core.images.opening import opened_image
from photostory.core.metadata.exif import has_location, image_exif

log = logging.getLogger(__name__)

_SERIALS = {0xA431: N_("camera serial number"), 0xA435: N_("lens serial number"),
            0xA430: N_("owner name")}
_MAKER_NOTE = 0x927C

#: Every kind of sensitive metadata, in the order the export report lists them (marked
#: for the catalogue; the report translates them).
KINDS = (N_("location (GPS)"), N_("camera serial number"), N_("lens serial number"),
         N_("owner name"), N_("maker notes"), N_("embedded original thumbnail"))


def sensitive_metadata(path: Path) -> set[str]:
    """The kinds of sensitive metadata in ``path`` (from the header; never raises, and
    never reads anything but a regular file)."""
    found: set[str] = set()
    try:
        with opened_image(path) as im:
            exif = image_exif(im)
            if has_location(exif.get_ifd(ExifTags.IFD.GPSInfo)):
                found.add("location (GPS)")
            details = exif.get_ifd(ExifTags.IFD.Exif)
            for tag, kind in _SERIALS.items():
                if str(details.get(tag) or exif.get(tag) or "").strip("\x00 "):
                    found.add(kind)
            if details.get(_MAKER_NOTE):
                found.add("maker notes")
            if exif.get_ifd(ExifTags.IFD.IFD1):
                found.add("embedded original thumbnail")
    except Exception:  # unreadable, or a damaged block: nothing of it can travel anyway
        log.debug("could not read EXIF of %s", path, exc_info=True)
    return found


def location_exif(path: Path) -> bytes | None:
    """An EXIF block holding only the source's GPS location, or None when it has none."""
    try:
        with opened_image(path) as im:
            gps = image_exif(im).get_ifd(ExifTags.IFD.GPSInfo)
            if not has_location(gps):
                return None
            exif = Image.Exif()
            exif[ExifTags.IFD.GPSInfo] = dict(gps)
            return exif.tobytes()
    except Exception:
        log.info("could not copy the location of %s", path, exc_info=True)
        return None


def removed_summary(counts: dict[str, int]) -> list[str]:
    """``["location (GPS) from 3 photos", ...]`` in a fixed order."""
    return [ngettext("{what} from {count} photo", "{what} from {count} photos", counts[kind])
            .format(what=_(kind), count=counts[kind]) for kind in KINDS if counts.get(kind)]
