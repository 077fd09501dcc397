"""Walk image containers: the one JPEG segment walker and the one PNG chunk walker.

Everything that reads metadata from, or splices metadata into, a JPEG or a PNG finds
its blocks here. The walkers read headers only and seek over everything else, so a
24 MP photo costs a few small reads. Splicing keeps every byte it does not remove,
and the image data from the first SOS marker on is never touched.
"""

from __future__ import annotations

import io
import struct
from typing import IO, Iterator, NamedTuple

from photostory.core.i18n import _

JPEG_SOI = b"\xff\xd8"
JPEG_EOI = b"\xff\xd9"  # a complete JPEG ends with it
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: The code given to bytes between two JPEG segments (not a marker).
JUNK = -1
SOS, EOI = 0xDA, 0xD9
APP0, APP1, APP13 = 0xE0, 0xE1, 0xED
_STANDALONE = frozenset({0x01, 0xD8, *range(0xD0, 0xD8)})  # markers without a length


class Span(NamedTuple):
    """One JPEG segment or PNG chunk: where it starts, where its payload starts, and
    where it ends as its length says (beyond the file's end when the file is cut short)."""

    code: int | bytes  # JPEG marker code (or JUNK); PNG chunk type such as b"eXIf"
    start: int
    body: int
    end: int

    def read(self, fh: IO[bytes]) -> bytes:
        """The payload (shorter than its length says when the file is cut short)."""
        fh.seek(self.body)
        return fh.read(self.end - self.body)


def jpeg_segments(fh: IO[bytes]) -> Iterator[Span]:
    """The segments after SOI, in order, ending with SOS (start of the image data) or EOI.

    Fill bytes belong to the segment they precede; bytes between segments come as one
    JUNK span each (readers skip them, as Pillow and libjpeg do; splicers keep them). A
    missing or impossible length ends the walk. Callers may read from ``fh`` between
    segments: the walk seeks back to where it was.
    """
    fh.seek(2)
    while True:
        start = fh.tell()
        byte = fh.read(1)
        if not byte:
            return
        if byte != b"\xff":
            while byte and byte != b"\xff":
                byte = fh.read(1)
            end = fh.tell() - len(byte)
            yield Span(JUNK, start, end, end)
            fh.seek(end)
            continue
        marker = fh.read(1)
        while marker == b"\xff":  # fill bytes
            marker = fh.read(1)
        if not marker:
            return
        code, body = marker[0], fh.tell()
        if code in _STANDALONE or code in (SOS, EOI):
            yield Span(code, start, body, body)
            if code in (SOS, EOI):
                return  # every metadata segment comes before the image data
            fh.seek(body)
            continue
        size = fh.read(2)
        if len(size) < 2 or int.from_bytes(size, "big") < 2:
            return
        end = body + int.from_bytes(size, "big")
        yield Span(code, start, body + 2, end)
        fh.seek(end)


def jpeg_header(jpeg: bytes) -> tuple[list[Span], int]:
    """The segments of ``jpeg`` before its image data, and the offset where the image
    data (its SOS marker) begins. ValueError, in the user's words, when ``jpeg`` is not
    a JPEG or its header is damaged or cut short."""
    if not jpeg.startswith(JPEG_SOI):
        raise ValueError(_("This is not a JPEG file: it does not start with a JPEG marker."))
    segments = []
    for segment in jpeg_segments(io.BytesIO(jpeg)):
        if segment.code == SOS:
            return segments, segment.start
        if segment.code == EOI or segment.end > len(jpeg):
            break
        segments.append(segment)
    raise ValueError(_("This JPEG file is damaged or truncated: no image data follows its header."))


def png_chunks(fh: IO[bytes]) -> Iterator[Span]:
    """The chunks after the PNG signature up to IEND, also those after the image data
    (Pillow reads those only when it decodes the pixels). Callers may read from ``fh``
    between chunks. ValueError at a chunk whose type is not four letters: the file is
    damaged there, and its length cannot be trusted to find the next one."""
    fh.seek(len(PNG_SIGNATURE))
    while True:
        header = fh.read(8)
        if len(header) < 8:
            return
        length, kind = struct.unpack(">I4s", header)
        if kind == b"IEND":
            return
        body = fh.tell()
        if not kind.isalpha():
            raise ValueError(f"a damaged chunk at byte {body - 8:,}")
        yield Span(kind, body - 8, body, body + length)
        fh.seek(body + length + 4)  # and the CRC
