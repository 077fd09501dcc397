"""Reading, checking and resizing images: pure functions over paths.

Everything Pillow can throw while reading a file becomes an :class:`ImageReadError`
whose text names the file and says what is wrong in the user's words.

Nothing here changes Pillow's global settings (``Image.MAX_IMAGE_PIXELS``,
``ImageFile.LOAD_TRUNCATED_IMAGES`` stay as they are, so truncated files are errors)
and nothing prints: Pillow's warnings are silenced around each read and the pixel
limit is enforced here, from the header, before any pixel is decoded.

Speed: JPEGs are decoded with ``Image.draft`` at the smallest DCT scale (1/2, 1/4,
1/8) that still covers the size asked for; that is what makes thumbnails of camera
files cheap.
"""

from __future__ import annotations

import io
import os
import re
import struct
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import (ExifTags, Image, ImageFile, JpegImagePlugin, MpoImagePlugin, PngImagePlugin,
                 UnidentifiedImageError)

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without LittleCMS: colours stay unmanaged
    ImageCms = None  # type: ignore[assignment]

from photostory.core.userfiles import open_user_file
from photostory.errors import ImageReadError

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {
        ".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".webp", ".gif", ".bmp",
        ".mpo", ".jp2", ".j2k", ".avif", ".heic", ".heif",
    }
)
MAX_PIXELS = 178_956_970
#: Largest image file opened: far above any photo within MAX_PIXELS (16-bit RGBA is 1.4 GB
#: uncompressed), so only a runaway file is refused.
MAX_IMAGE_BYTES = 4 << 30

# Only these decoders are tried, whatever the file is called: no EPS (Ghostscript),
# no exotic fuzz-prone formats. "HEIF" is used only when pillow-heif registered it.
_FORMATS = ("JPEG", "MPO", "PNG", "TIFF", "WEBP", "GIF", "BMP", "JPEG2000", "AVIF", "HEIF")
_HEIF_SUFFIXES = frozenset({".heic", ".heif"})

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
_SWAPS_SIDES = frozenset({5, 6, 7, 8})

# What Pillow and its codecs raise on bad input (fuzzed files reach all of these).
_READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # includes UnidentifiedImageError, FileNotFoundError, PermissionError
    ValueError,
    TypeError,
    SyntaxError,
    EOFError,
    struct.error,
    MemoryError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    OverflowError,
    RecursionError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


@dataclass(frozen=True)
class ImageInfo:
    """What the header says; width and height as displayed (after EXIF orientation)."""

    width: int
    height: int
    orientation: int
    format: str
    mode: str
    frames: int


@dataclass(frozen=True)
class Rendition:
    """One JPEG-encoded size of an image."""

    width: int
    height: int
    data: bytes


# --------------------------------------------------------------------------- public


def read_image_info(path: Path) -> ImageInfo:
    """Size, orientation, format, mode and frame count from the header only."""
    path = Path(path)
    with opened_image(path) as im:
        return _info(im, _orientation(im, path))


def verify_image(path: Path) -> ImageInfo:
    """Prove that the first frame decodes; JPEGs are decoded at 1/8 scale for speed."""
    return _verify(Path(path), quick=False)


def check_image(path: Path) -> ImageInfo:
    """What import needs: the header parses and the image data is complete.

    A baseline or progressive JPEG (or a camera's MPO) whose header parses up to its
    first scan and whose file ends with the EOI marker is accepted without decoding (a
    header read and a 2-byte read at the end: about 1 ms instead of ~100 ms for a 24 MP
    file); truncated JPEGs lack that marker and are decoded like every other format and
    every JPEG that does not end cleanly (trailing bytes), so they are rejected as by
    :func:`verify_image`. Damage in the middle of the entropy-coded data of an
    otherwise complete JPEG is found later, when the photo is first decoded.
    """
    return _verify(Path(path), quick=True)


def _verify(path: Path, quick: bool) -> ImageInfo:
    with opened_image(path) as im:
        info = _info(im, _orientation(im, path))
        if quick and _jpeg_is_complete(im):
            return info
        if _is_jpeg(im):
            # Reduced DCT scaling still reads every byte of entropy-coded data,
            # so truncation and corruption are still detected.
            im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
        _load_pixels(im)
        return info


def load_image(path: Path, min_size: tuple[int, int] | None = None) -> Image.Image:
    """The first frame, upright, as 8-bit sRGB ``RGB``.

    With ``min_size`` (displayed width, height), a JPEG may come back smaller than
    the file but never smaller than ``min_size`` in either direction.
    """
    image, _ = _decode(Path(path), lambda width, height: min_size)
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
        image, info = _decode(Path(path), min_size, upright=False, preview=True)
    except ImageReadError:  # perhaps only the embedded copy is damaged: open again, without it
        image, info = _decode(Path(path), min_size, upright=False)
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    return _upright(image, info.orientation)  # turned after reduction: fewer pixels to move


def embedded_thumbnail(path: Path) -> Image.Image | None:
    """The camera's EXIF (IFD1) JPEG thumbnail, upright and RGB; None if absent or unreadable."""
    path = Path(path)
    try:
        with opened_image(path) as im:
            data = _exif_thumbnail_bytes(im)
            orientation = _orientation(im, path)
        if data is None:
            return None
        with _quiet(), Image.open(io.BytesIO(data), formats=["JPEG"]) as thumb:
            if thumb.width * thumb.height > MAX_PIXELS:
                return None
            rgb = _to_srgb(thumb)
        return _upright(rgb, orientation)
    except Exception:  # a preview is optional: any failure just means "no preview"
        return None


def rendition_widths(source_width: int, widths: Sequence[int]) -> list[int]:
    """The widths to export without upscaling: requested widths wider than the
    source collapse to the source width itself. Sorted, unique."""
    if source_width < 1:
        raise ValueError(f"source width must be positive, not {source_width}")
    _check_widths(widths)
    return sorted({min(width, source_width) for width in widths})


def _check_widths(widths: Sequence[int]) -> None:
    if any(width < 1 for width in widths):
        raise ValueError(f"rendition widths must be positive: {list(widths)}")


def make_renditions(
    path: Path, widths: Sequence[int], quality: int = 82, *, xmp: bytes | None = None,
    exif: bytes | None = None,
) -> list[Rendition]:
    """JPEG renditions at ``rendition_widths(...)``, smallest first.

    The file is decoded once (at the smallest JPEG draft scale covering the largest
    rendition); each smaller size is resized from the previous one. Output carries
    no EXIF (so no GPS) and no ICC profile (pixels are sRGB, which untagged means);
    ``xmp`` and ``exif`` (a desk's choice, such as a kept location) are embedded when
    given. Same input gives the same bytes.
    """
    path = Path(path)
    _check_widths(widths)  # before decoding: a ValueError there would read as a damaged file
    if not widths:
        return []

    def largest_size(width: int, height: int) -> tuple[int, int]:
        largest = rendition_widths(width, widths)[-1]
        return largest, _height_for(largest, width, height)

    image, info = _decode(path, largest_size, upright=False)
    sizes = [(w, _height_for(w, info.width, info.height)) for w in rendition_widths(info.width, widths)]
    # The largest size is made from the decode as stored and only then turned upright
    # (turning 6 MP costs ~25 ms, turning the rendition a third of that).
    largest = sizes[-1][::-1] if info.orientation in _SWAPS_SIDES else sizes[-1]
    image = _upright(downscale(image, largest), info.orientation)
    renditions: list[Rendition] = []
    for size in reversed(sizes):
        image = downscale(image, size)
        renditions.append(Rendition(size[0], size[1], _encode_jpeg(image, quality, xmp, exif)))
    return renditions[::-1]


def downscale(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` resized to ``size`` the way every rendition is (``image`` if it is that size).

    BICUBIC, not LANCZOS: a third cheaper, and once encoded at quality 82 the renditions
    score within 0.4 dB PSNR of the full-size decode resized with LANCZOS and encoded
    the same way (LANCZOS here: within 0.1 dB; benchmarks/bench_renditions.py).
    reducing_gap=3 lets Pillow reduce() by a whole factor first when the step is large.
    """
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)


# --------------------------------------------------------------------------- opening


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence Pillow's warnings (corrupt EXIF, bomb warnings...): we never print.

    catch_warnings is process-wide; a race with another thread only means a
    warning may be shown or hidden, never a different result (the pixel limit
    is checked explicitly).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@contextmanager
def opened_image(path: Path) -> Iterator[ImageFile.ImageFile]:
    """Open ``path`` with Pillow; any read failure inside the block becomes ImageReadError.

    Only a regular file is opened (a FIFO, a device such as /dev/zero, a folder or a
    socket named as a photo is refused with what it is, before a byte is read).
    """
    with open_user_file(path, ImageReadError, MAX_IMAGE_BYTES) as fh:
        try:
            with _quiet():
                if os.fstat(fh.fileno()).st_size == 0:
                    raise ImageReadError(f"{_name(path)}: the file is empty.")
                with Image.open(fh, formats=_available_formats()) as im:
                    _check_pixels(path, im.size)
                    yield im
        except _READ_ERRORS as exc:
            raise ImageReadError(f"{_name(path)}: {_problem(exc, path)}.") from exc


def _available_formats() -> list[str]:
    # Image.open raises KeyError for a requested format no plugin provides (HEIF).
    Image.init()
    return [name for name in _FORMATS if name in Image.OPEN]


def _check_pixels(path: Path, size: tuple[int, int]) -> None:
    pixels = size[0] * size[1]
    if pixels > MAX_PIXELS:
        raise ImageReadError(f"{_name(path)}: {_too_large(pixels)}.")


def _name(path: Path) -> str:
    return path.name or str(path)


def _too_large(pixels: int | None) -> str:
    if pixels is None:
        return f"the image is too large (more than {MAX_PIXELS:,} pixels)"
    return f"the image is too large ({pixels:,} pixels; the limit is {MAX_PIXELS:,})"


def _problem(exc: BaseException, path: Path) -> str:
    """The user's words for what went wrong."""
    text = str(exc)
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "this is a folder, not an image file"
    if isinstance(exc, PermissionError):
        return "permission denied (the file cannot be opened)"
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        found = re.search(r"\((\d+) pixels\)", text)
        return _too_large(int(found[1]) if found else None)
    if isinstance(exc, MemoryError):
        return "not enough memory to decode the image"
    if isinstance(exc, UnidentifiedImageError):
        if path.suffix.lower() in _HEIF_SUFFIXES and "HEIF" not in Image.OPEN:
            return "HEIC/HEIF images need the optional pillow-heif codec, which is not installed"
        return "not an image file Photostory can read (unrecognised format)"
    if isinstance(exc, EOFError) or "truncated" in text.lower():
        return "the file is truncated (part of the image data is missing)"
    if "Decompressed data too large" in text:
        return "a metadata block is too large to unpack safely (possible decompression bomb)"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"the file cannot be read ({exc.strerror or 'input/output error'})"
    if "decoder error" in text or "when reading image file" in text:
        return "the image data is damaged (decoder error)"
    return "the image data is damaged (invalid file structure)"


# --------------------------------------------------------------------------- header


def _info(im: ImageFile.ImageFile, orientation: int) -> ImageInfo:
    width, height = im.size
    if orientation in _SWAPS_SIDES:
        width, height = height, width
    try:
        frames = int(getattr(im, "n_frames", 1))
    except _READ_ERRORS:  # counting frames walks the file; damage there is verify's job
        frames = 1
    return ImageInfo(width, height, orientation, im.format or "", im.mode, frames)


def _orientation(im: ImageFile.ImageFile, path: Path) -> int:
    """EXIF orientation 1..8 (XMP tiff:Orientation as fallback); 1 if absent or invalid."""
    try:
        if isinstance(im, PngImagePlugin.PngImageFile):
            # PngImageFile.getexif() decodes all pixels to reach chunks after IDAT;
            # the base method reads what the header gave, and we look for a late eXIf.
            value = Image.Image.getexif(im).get(ExifTags.Base.Orientation)
            if value is None and "exif" not in im.info:
                late = _png_late_exif(path)
                if late:
                    exif = Image.Exif()
                    exif.load(late)
                    value = exif.get(ExifTags.Base.Orientation)
        else:
            value = im.getexif().get(ExifTags.Base.Orientation)
    except Exception:  # damaged EXIF never blocks an image: show it as stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _png_late_exif(path: Path) -> bytes | None:
    """The eXIf chunk's data, found by skipping over chunks (no decompression)."""
    with open_user_file(path, ImageReadError, MAX_IMAGE_BYTES) as fh:
        fh.seek(8)
        while True:
            head = fh.read(8)
            if len(head) < 8:
                return None
            length, kind = struct.unpack(">I4s", head)
            if kind == b"eXIf":
                return fh.read(length)
            if kind == b"IEND":
                return None
            fh.seek(length + 4, io.SEEK_CUR)


def _exif_thumbnail_bytes(im: ImageFile.ImageFile) -> bytes | None:
    raw = im.info.get("exif")
    if not isinstance(raw, bytes):
        return None
    tiff = raw[6:] if raw.startswith(b"Exif\x00\x00") else raw
    ifd1 = im.getexif().get_ifd(ExifTags.IFD.IFD1)
    offset = ifd1.get(ExifTags.Base.JpegIFOffset)
    length = ifd1.get(ExifTags.Base.JpegIFByteCount)
    if not isinstance(offset, int) or not isinstance(length, int) or length <= 0:
        return None
    data = tiff[offset : offset + length]
    return data if data.startswith(b"\xff\xd8") else None


# --------------------------------------------------------------------------- decoding


def _decode(
    path: Path, min_size_for: Callable[[int, int], tuple[int, int] | None], upright: bool = True,
    preview: bool = False,
) -> tuple[Image.Image, ImageInfo]:
    """Decode the first frame to sRGB RGB, upright unless ``upright`` is False (then the
    caller applies ``_upright(image, info.orientation)`` itself, after reducing).

    ``min_size_for(displayed_width, displayed_height)`` says how large the result
    must at least be; JPEGs are then decoded at the smallest DCT scale covering it.
    With ``preview``, a camera's embedded reduced copy may be decoded instead.
    """
    with opened_image(path) as im:
        orientation = _orientation(im, path)
        info = _info(im, orientation)
        min_size = min_size_for(info.width, info.height)
        if min_size and _is_jpeg(im):
            if orientation in _SWAPS_SIDES:  # draft works on the stored, unrotated size
                min_size = (min_size[1], min_size[0])
            if preview:
                _seek_preview(im, min_size)
            im.draft("RGB", (max(1, min_size[0]), max(1, min_size[1])))
        _load_pixels(im)
        rgb = _to_srgb(_shrink_large(im, min_size, orientation))
    return (_upright(rgb, orientation) if upright else rgb), info


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
    except (*_READ_ERRORS, KeyError, IndexError):
        pass
    try:
        im.seek(0)
    except _READ_ERRORS:
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
    want_w, want_h = min_size[::-1] if orientation in _SWAPS_SIDES else min_size
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


def _load_pixels(im: ImageFile.ImageFile) -> None:
    """Decode the current frame.

    For PNG, damage in the chunks *after* the image data (a missing IEND, a cut
    text chunk) does not reject a picture whose pixels decoded completely: Pillow
    raises it from load_end(), before its own check of the decoder's result, which
    still runs.
    """
    if isinstance(im, PngImagePlugin.PngImageFile):
        trailing_chunks = im.load_end

        def tolerant_load_end() -> None:
            try:
                trailing_chunks()
            except _READ_ERRORS:
                pass

        im.load_end = tolerant_load_end  # type: ignore[method-assign]  # this object only
    im.load()


def _jpeg_is_complete(im: ImageFile.ImageFile) -> bool:
    """A JPEG with one scan tile after the header and EOI as its last bytes.

    Also for MPO (a camera file with its reduced copy after the picture): the picture
    comes first, so a file that ends cleanly holds all of it.
    """
    if im.format not in ("JPEG", "MPO") or not isinstance(im, JpegImagePlugin.JpegImageFile):
        return False
    tile = getattr(im, "tile", None)
    fp = getattr(im, "fp", None)
    if not tile or len(tile) != 1 or fp is None or im.width < 1 or im.height < 1:
        return False
    start = tile[0][2]
    try:
        position = fp.tell()
        try:
            end = fp.seek(0, io.SEEK_END)
            if not isinstance(start, int) or end - start < 4:
                return False
            fp.seek(end - 2)
            return fp.read(2) == b"\xff\xd9"
        finally:
            fp.seek(position)
    except (OSError, ValueError):
        return False


def _is_jpeg(im: Image.Image) -> bool:
    return isinstance(im, JpegImagePlugin.JpegImageFile)  # includes MPO


def _fit(width: int, height: int, longest: int) -> tuple[int, int] | None:
    """The size ``Image.thumbnail`` will produce, or None when no reduction is needed."""
    if max(width, height) <= longest:
        return None
    scale = longest / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _height_for(width: int, source_width: int, source_height: int) -> int:
    return max(1, round(width * source_height / source_width))


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return im.transpose(method) if method is not None else im


# --------------------------------------------------------------------------- colour


def _to_srgb(im: Image.Image) -> Image.Image:
    """A new 8-bit RGB image in sRGB, with ``info`` emptied.

    ``info`` is emptied because the old EXIF orientation, ICC profile and comments
    no longer describe these pixels and Pillow would write them back on save.
    """
    icc = im.info.get("icc_profile")
    mode = im.mode
    if mode == "F" or mode.startswith("I"):
        out, icc = _scale_to_grey(im), None  # an ICC profile for raw counts is rare and ambiguous
    elif mode in ("RGBA", "RGBa", "LA", "La", "PA") or (mode == "P" and "transparency" in im.info):
        out = _flatten_on_white(im)
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


def _flatten_on_white(im: Image.Image) -> Image.Image:
    rgba = im.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


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


# --------------------------------------------------------------------------- encoding


def _encode_jpeg(im: Image.Image, quality: int, xmp: bytes | None,
                 exif: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, object] = {
        "quality": quality,
        "optimize": True,
        "progressive": True,
        "subsampling": "4:2:0",
    }
    if xmp:
        options["xmp"] = xmp
    if exif:
        options["exif"] = exif
    im.save(buffer, "JPEG", **options)
    return buffer.getvalue()
