"""Make the export's JPEG renditions: which widths, resized how, encoded how."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from photostory.core.export.options import DEFAULT_QUALITY
from photostory.core.images.decoding import decode
from photostory.core.images.orientation import SWAPS_SIDES, upright


@dataclass(frozen=True)
class Rendition:
    """One JPEG-encoded size of an image."""

    width: int
    height: int
    data: bytes


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
    path: Path, widths: Sequence[int], quality: int = DEFAULT_QUALITY, *, xmp: bytes | None = None,
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
        return largest, height_for(largest, width, height)

    image, info = decode(path, largest_size, turn=False)
    sizes = [(w, height_for(w, info.width, info.height)) for w in rendition_widths(info.width, widths)]
    # The largest size is made from the decode as stored and only then turned upright
    # (turning 6 MP costs ~25 ms, turning the rendition a third of that).
    largest = sizes[-1][::-1] if info.orientation in SWAPS_SIDES else sizes[-1]
    image = upright(downscale(image, largest), info.orientation)
    renditions: list[Rendition] = []
    for size in reversed(sizes):
        image = downscale(image, size)
        renditions.append(Rendition(size[0], size[1], encode_jpeg(image, quality, xmp, exif)))
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


def height_for(width: int, source_width: int, source_height: int) -> int:
    """The height of a rendition ``width`` wide, the source's aspect kept."""
    return max(1, round(width * source_height / source_width))


def encode_jpeg(im: Image.Image, quality: int, xmp: bytes | None,
                exif: bytes | None = None) -> bytes:
    """``im`` as a progressive, optimised 4:2:0 JPEG, with ``xmp`` and ``exif`` if given."""
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
