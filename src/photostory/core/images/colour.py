"""Bring decoded pixels to 8-bit sRGB RGB, whatever the file's mode and ICC profile."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without LittleCMS: colours stay unmanaged
    ImageCms = None  # type: ignore[assignment]


def to_srgb(im: Image.Image) -> Image.Image:
    """A new 8-bit RGB image in sRGB, with ``info`` emptied.

    ``info`` is emptied because the old EXIF orientation, ICC profile and comments
    no longer describe these pixels and Pillow would write them back on save.
    """
    icc = im.info.get("icc_profile")
    mode = im.mode
    if mode == "F" or mode.startswith("I"):
        out, icc = _scale_to_grey(im), None  # an ICC profile for raw counts is rare and ambiguous
    elif mode in ("RGBA", "RGBa", "LA", "La", "PA") or (mode == "P" and "transparency" in im.info):
        out = flatten_on_white(im)
    elif mode in ("P", "1"):
        out = im.convert("RGB")
    else:
        out = im  # RGB, L, CMYK, LAB, YCbCr...: the ICC profile describes these directly
    managed = _icc_to_srgb(out, icc) if icc else None
    if managed is None:
        if out.mode != "RGB":
            managed = out.convert("RGB")
        elif out is not im:
            managed = out  # already a new image (flattened)
        else:
            managed = _detached(im)  # never hand out the file object itself
    managed.info = {}
    return managed


def flatten_on_white(im: Image.Image) -> Image.Image:
    """``im`` as RGB over a white background (transparent parts become white)."""
    rgba = im.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _detached(im: Image.Image) -> Image.Image:
    """A new Image object over ``im``'s decoded pixels, so the file object can be closed.

    Pixels decoded into memory of their own are shared, not copied: copying a 6 MP
    decode costs ~20 ms and as much memory again, for nothing, since the file object
    is closed right after. Pixels that may be a memory map of the file (``readonly``,
    ``map``) are copied.
    """
    if im.readonly or getattr(im, "map", None) is not None:
        return im.copy()
    try:
        return im._new(im.im)
    except AttributeError:  # a Pillow without the private helper: the copy is always right
        return im.copy()


def _scale_to_grey(im: Image.Image) -> Image.Image:
    """16/32-bit integer or float pixels -> 8-bit grey.

    Non-negative integers are scaled by the bit depth they actually use (10-, 12-,
    14-bit sensor and satellite data would otherwise look black); floats in 0..1
    are scaled by 255; anything else is stretched from its minimum to its maximum.
    """
    if im.mode != "F":
        im = im.convert("I")
    low, high = im.getextrema()
    if im.mode == "I" and low >= 0:
        scale, offset = 255 / (2 ** max(8, int(high).bit_length()) - 1), 0.0
    elif im.mode == "F" and 0 <= low and high <= 1:
        scale, offset = 255.0, 0.0
    else:
        scale = 255 / ((high - low) or 1)
        offset = -low * scale
    return im.point(lambda value: value * scale + offset).convert("L")


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _icc_to_srgb(im: Image.Image, icc: bytes) -> Image.Image | None:
    """``im`` converted from its embedded profile to sRGB RGB; None to fall back to
    a plain convert (no LittleCMS, already sRGB, or a profile that does not fit)."""
    if ImageCms is None:
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if _is_srgb(source):
            return None  # sRGB -> sRGB would only add rounding and time
        return ImageCms.profileToProfile(im, source, _srgb_profile(), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    description = ImageCms.getProfileDescription(profile).strip().lower()
    return profile.profile.xcolor_space.strip() == "RGB" and description.startswith("srgb")
