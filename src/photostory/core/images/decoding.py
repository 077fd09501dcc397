"""Decode a user's image to upright sRGB pixels no larger than needed, thumbnails included.

Speed: JPEGs are decoded with ``Image.draft`` at the smallest DCT scale (1/2, 1/4,
1/8) that still covers the size asked for, and a camera's own reduced copy is used
for a thumbnail when it is large enough; that is what makes thumbnails of camera
files cheap.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageFile, MpoImagePlugin

from photostory.core.images.colour import to_srgb
from photostory.core.images.opening import (
    MAX_PIXELS, ImageInfo, image_info, is_jpeg, load_pixels, opened_image,
)
from photostory.core.images.orientation import SWAPS_SIDES, upright
from photostory.core.images.pillow import READ_ERRORS, quiet
from photostory.core.metadata.exif import image_orientation, thumbnail_jpeg
from photostory.errors import ImageReadError


def load_image(path: Path, min_size: tuple[int, int] | None = None) -> Image.Image:
    """The first frame, upright, as 8-bit sRGB ``RGB``.

    With ``min_size`` (displayed width, height), a JPEG may come back smaller than
    the file but never smaller than ``min_size`` in either direction.
    """
    image, _ = decode(Path(path), lambda width, height: min_size)
    return image


def make_thumbnail(path: Path, size: int) -> Image.Image:
    """An RGB sRGB image whose longest side is at most ``size``, aspect kept.

    From the camera's own reduced copy of the picture when the file carries one that
    is large enough (see ``_seek_preview``), else from the picture itself.
    """
    if size < 1:
        raise ValueError(f"thumbnail size must be positive, not {size}")

    def min_size(width: int, height: int) -> tuple[int, int] | None:
        return _fit(width, height, size)

    try:
        image, info = decode(Path(path), min_size, turn=False, preview=True)
    except ImageReadError:  # perhaps only the embedded copy is damaged: open again, without it
        image, info = decode(Path(path), min_size, turn=False)
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    return upright(image, info.orientation)  # turned after reduction: fewer pixels to move


def embedded_thumbnail(path: Path) -> Image.Image | None:
    """The camera's EXIF (IFD1) JPEG thumbnail, upright and RGB; None if absent or unreadable."""
    try:
        with opened_image(Path(path)) as im:
            data = thumbnail_jpeg(im)
            orientation = image_orientation(im)
        if data is None:
            return None
        with quiet(), Image.open(io.BytesIO(data), formats=["JPEG"]) as thumb:
            if thumb.width * thumb.height > MAX_PIXELS:
                return None
            rgb = to_srgb(thumb)
        return upright(rgb, orientation)
    except Exception:  # a preview is optional: any failure just means "no preview"
        return None


def decode(
    path: Path, min_size_for: Callable[[int, int], tuple[int, int] | None], turn: bool = True,
    preview: bool = False,
) -> tuple[Image.Image, ImageInfo]:
    """Decode the first frame to sRGB RGB, upright unless ``turn`` is False (then the
    caller applies ``upright(image, info.orientation)`` itself, after reducing).

    ``min_size_for(displayed_width, displayed_height)`` says how large the result
    must at least be; JPEGs are then decoded at the smallest DCT scale covering it.
    With ``preview``, a camera's embedded reduced copy may be decoded instead.
    """
    with opened_image(path) as im:
        info = image_info(im)
        min_size = min_size_for(info.width, info.height)
        if min_size and is_jpeg(im):
            if info.orientation in SWAPS_SIDES:  # draft works on the stored, unrotated size
                min_size = (min_size[1], min_size[0])
            if preview:
                _seek_preview(im, min_size)
            im.draft("RGB", (max(1, min_size[0]), max(1, min_size[1])))
        load_pixels(im)
        rgb = to_srgb(_shrink_large(im, min_size, info.orientation))
    return (upright(rgb, info.orientation) if turn else rgb), info


#: MP types (CIPA DC-007) of the reduced copies cameras store after the picture itself.
_PREVIEW_TYPES = frozenset({"Large Thumbnail (VGA Equivalent)", "Large Thumbnail (Full HD Equivalent)"})


def _seek_preview(im: ImageFile.ImageFile, min_size: tuple[int, int]) -> None:
    """Move ``im`` to the camera's own reduced copy of the picture when there is one that
    covers ``min_size`` (stored orientation) and has the picture's shape.

    Many cameras (Nikon, Sony and Fujifilm among them) store such a copy (VGA to full HD) in
    an MPF index; decoding it takes a few milliseconds where even a 1/8-scale decode of
    a 24 MP picture must read all of its 7 MB. A copy of another shape (the picture was
    cropped by a tool that kept the old copy) is passed over. A damaged copy can leave
    ``im`` half moved (Pillow's seek(0) is then a no-op), so the decode fails and
    ``make_thumbnail`` opens the file again without looking for a copy.
    """
    if not isinstance(im, MpoImagePlugin.MpoImageFile):
        return
    width, height = im.size
    icc = im.info.get("icc_profile")
    try:
        entries = im.mpinfo[0xB002]
        for index, entry in enumerate(entries[1:], start=1):
            if entry["Attribute"]["MPType"] not in _PREVIEW_TYPES:
                continue
            im.seek(index)
            # Within 1 %: cameras round (Sony stores 1616x1080 for 6000x4000).
            same_shape = abs(im.width * height - im.height * width) <= 0.01 * im.height * width
            if same_shape and im.width >= min_size[0] and im.height >= min_size[1]:
                im.info.pop("icc_profile", None)
                if icc:  # the camera rendered both in one colour space; the copy may not say so
                    im.info["icc_profile"] = icc
                return
    except (*READ_ERRORS, KeyError, IndexError):
        pass
    try:
        im.seek(0)
    except READ_ERRORS:
        pass


#: Above this many pixels, a non-JPEG is reduced by whole factors right after decoding,
#: before any colour conversion copies it: a 177 MP PNG would otherwise need ~3 GB.
_SHRINK_ABOVE = 40_000_000


def _shrink_large(im: Image.Image, min_size: tuple[int, int] | None,
                  orientation: int) -> Image.Image:
    """``im`` reduced by the largest whole factor that still covers ``min_size``, when it
    is a very large decoded image (JPEGs are already reduced by draft)."""
    if not min_size or im.width * im.height <= _SHRINK_ABOVE:
        return im
    want_w, want_h = min_size[::-1] if orientation in SWAPS_SIDES else min_size
    factor = min(im.width // max(1, want_w), im.height // max(1, want_h))
    if factor < 2:
        return im
    try:
        reduced = _reduce_in_stripes(im, factor) if im.mode in ("LA", "RGBA") else im.reduce(factor)
    except (ValueError, NotImplementedError):  # modes reduce() can't do (palette, 1-bit)
        return im
    reduced.info = dict(im.info)  # keep the ICC profile for the sRGB conversion
    return reduced


#: Bytes of a decoded image copied at once by ``_reduce_in_stripes``.
_STRIPE_BYTES = 64 * 1024 * 1024


def _reduce_in_stripes(im: Image.Image, factor: int) -> Image.Image:
    """``im.reduce(factor)``, the same pixels, a band of rows at a time.

    For images with alpha Pillow's reduce() first makes a premultiplied copy of the
    whole image: 716 MB more for a 179 MP RGBA PNG. Bands of whole ``factor``-row
    blocks reduce exactly as the whole does.
    """
    width, height = im.size
    rows = max(1, _STRIPE_BYTES // (width * len(im.getbands()) * factor)) * factor
    out = Image.new(im.mode, ((width + factor - 1) // factor, (height + factor - 1) // factor))
    for top in range(0, height, rows):
        band = im.crop((0, top, width, min(height, top + rows)))
        out.paste(band.reduce(factor), (0, top // factor))
    return out


def _fit(width: int, height: int, longest: int) -> tuple[int, int] | None:
    """The size ``Image.thumbnail`` will produce, or None when no reduction is needed."""
    if max(width, height) <= longest:
        return None
    scale = longest / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))
