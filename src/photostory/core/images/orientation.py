"""Turn decoded pixels upright from their EXIF orientation (1-8).

Reading the orientation is EXIF's job (:mod:`photostory.core.metadata.exif`); this is
what the number means for the pixels.
"""

from __future__ import annotations

from PIL import Image

# EXIF orientation -> the transpose that shows the image upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
#: Orientations shown with width and height swapped (a quarter turn).
SWAPS_SIDES = frozenset({5, 6, 7, 8})


def upright(im: Image.Image, orientation: int) -> Image.Image:
    """``im`` as it is meant to be seen (``im`` itself for orientation 1 or unknown)."""
    method = _TRANSPOSE.get(orientation)
    return im.transpose(method) if method is not None else im
