"""What Photostory reads from a photo file, for ``photostory inspect``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from photostory.core.images.opening import read_image_info
from photostory.core.importing import camera_name
from photostory.core.metadata.reading import metadata_as_dict, read_metadata


def inspect_photo(path: Path) -> dict[str, Any]:
    """Image facts and metadata; raises ImageReadError when the file is not a usable image."""
    info = read_image_info(path)
    md = read_metadata(path)
    result: dict[str, Any] = {
        "file": str(path),
        "format": info.format,
        "width": info.width,
        "height": info.height,
        "orientation": info.orientation,
        "date_taken": md.date_taken,
        "camera": camera_name(md.camera_make, md.camera_model),
        "caption": md.caption,
        "credit": md.credit,
        "creator": md.creator,
        "copyright": md.copyright,
        "has_gps": md.has_gps,
    }
    for key, value in metadata_as_dict(md).items():
        result.setdefault(key, value)
    return result
