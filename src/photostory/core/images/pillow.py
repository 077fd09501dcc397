"""Call Pillow one way on users' files: only the allowed decoders, its warnings silenced.

Nothing here changes Pillow's global settings (``Image.MAX_IMAGE_PIXELS``,
``ImageFile.LOAD_TRUNCATED_IMAGES`` stay as they are, so truncated files are errors)
and nothing prints.
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from PIL import Image, ImageFile

# Only these decoders are tried, whatever the file is called: no EPS (Ghostscript),
# no exotic fuzz-prone formats. "HEIF" is used only when pillow-heif registered it.
_FORMATS = ("JPEG", "MPO", "PNG", "TIFF", "WEBP", "GIF", "BMP", "JPEG2000", "AVIF", "HEIF")

#: What Pillow and its codecs raise on bad input (fuzzed files reach all of these).
READ_ERRORS: tuple[type[BaseException], ...] = (
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


@contextmanager
def quiet() -> Iterator[None]:
    """Silence Pillow's warnings (corrupt EXIF, bomb warnings...): we never print.

    catch_warnings is process-wide; a race with another thread only means a
    warning may be shown or hidden, never a different result (the pixel limit
    is checked explicitly).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def available_formats() -> list[str]:
    """The allowed decoders this Pillow has (Image.open raises KeyError for a format no
    plugin provides, such as HEIF without pillow-heif)."""
    Image.init()
    return [name for name in _FORMATS if name in Image.OPEN]


@contextmanager
def pillow_open(fh: IO[bytes]) -> Iterator[ImageFile.ImageFile]:
    """``Image.open(fh)`` with the allowed decoders only, quiet for the whole block.
    Reads the header only; Pillow's exceptions (see READ_ERRORS) pass through."""
    with quiet(), Image.open(fh, formats=available_formats()) as im:
        yield im
