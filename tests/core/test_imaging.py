"""Tests for photostory.core.images: opening, decoding, orientation, colour, thumbnails, renditions."""

from __future__ import annotations

import io
import math
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import (ExifTags, Image, ImageChops, ImageDraw, ImageFile, ImageFilter, ImageOps, ImageStat,
                 JpegImagePlugin, PngImagePlugin)
from support import CORPUS, corpus_manifest, corpus_path, counting_decodes, hang_guard

from photostory.core.images import decoding, opening
from photostory.core.images.decoding import embedded_thumbnail, load_image, make_thumbnail
from photostory.core.images.opening import (
    MAX_PIXELS,
    SUPPORTED_SUFFIXES,
    ImageInfo,
    check_image,
    read_image_info,
    verify_image,
)
from photostory.core.images.renditions import make_renditions, rendition_widths
from photostory.errors import ImageReadError

# Outcomes that depend on optional codecs (corpus README): either result is fine.
OPTIONAL_CODECS = {"odd/IMG_5195.HEIC", "odd/17000x17000.avif", "broken/hopper_webp.tif"}
# Where the manifest is wrong for a user: its zlib stream is broken and the bottom
# third of the picture is missing (Pillow's load() raises; the manifest's probe
# called getexif() first, which swallowed the error), so the editor must reject it.
MANIFEST_OVERRIDES = {"broken/broken_data_stream.png": "import_error_clear"}
# Work a step may do (counted, not timed: a loaded machine is slow, not wrong). One decode
# of the picture; a format whose later frames or chunks Pillow must walk may take a few.
MAX_DECODED_PICTURES = 4
# A 256 px thumbnail of a JPEG more than twice that size is decoded at half scale or less.
THUMBNAIL = 256


def _manifest_rows() -> list[dict[str, str]]:
    # Read at collection time: without a corpus there is nothing to parametrize
    # (test_corpus_is_present then skips, or fails in CI).
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    return corpus_manifest()


ROWS = _manifest_rows()
OK_ROWS = [r for r in ROWS if MANIFEST_OVERRIDES.get(r["path"], r["expected"]) != "import_error_clear"]
ERROR_ROWS = [r for r in ROWS if MANIFEST_OVERRIDES.get(r["path"], r["expected"]) == "import_error_clear"]


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["path"] for r in rows]


def _grey(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    return im.convert("L").resize(size, Image.Resampling.BOX)


def _mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / len(a.getbands())


def _near(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int) -> bool:
    return all(abs(p - e) <= tolerance for p, e in zip(pixel, expected, strict=True))


# --------------------------------------------------------------------------- corpus


def test_corpus_is_present() -> None:
    corpus_path("MANIFEST.tsv")
    assert ROWS, "MANIFEST.tsv has no rows"


@pytest.mark.corpus
@pytest.mark.parametrize("row", OK_ROWS, ids=_ids(OK_ROWS))
def test_corpus_file_imports(row: dict[str, str], pytestconfig: pytest.Config) -> None:
    path = corpus_path(row["path"])
    with hang_guard(pytestconfig), counting_decodes() as decodes:
        if row["path"] in OPTIONAL_CODECS:
            try:
                verify_image(path)
            except ImageReadError as err:
                assert str(err).startswith(f"{path.name}: ")
                return

        info = verify_image(path)
        verified = decodes.take()
        stored = (int(row["width"]), int(row["height"]))
        displayed = stored[::-1] if info.orientation in (5, 6, 7, 8) else stored
        assert (info.width, info.height) == displayed
        # The manifest's "rotated" is exactly "orientation 2..8" (0 and invalid count as 1).
        assert (info.orientation != 1) == (row["expected"] == "import_ok_rotated")
        assert read_image_info(path) == info
        assert decodes.take().count == 0, "reading the header decoded pixels"

        image = load_image(path)
        loaded = decodes.take()
        assert image.mode == "RGB"
        assert image.size == displayed

        thumb = make_thumbnail(path, THUMBNAIL)
        thumbnailed = decodes.take()
        assert thumb.mode == "RGB"
        assert max(thumb.size) == min(THUMBNAIL, max(displayed))
        expected_short = min(displayed) * max(thumb.size) / max(displayed)
        assert abs(min(thumb.size) - expected_short) <= 1.5  # aspect kept
        assert (thumb.width >= thumb.height) == (displayed[0] >= displayed[1])

        embedded_thumbnail(path)  # must never raise
        embedded = decodes.take()

    pixels = stored[0] * stored[1]
    for step, done in (("verify_image", verified), ("load_image", loaded),
                       ("make_thumbnail", thumbnailed), ("embedded_thumbnail", embedded)):
        assert done.pixels <= MAX_DECODED_PICTURES * pixels, f"{step}: {done}"
    if path.suffix.lower() in (".jpg", ".jpeg") and min(stored) > 2 * THUMBNAIL:
        half_scale = -(-stored[0] // 2) * -(-stored[1] // 2)
        assert thumbnailed.pixels <= half_scale, f"a thumbnail decoded at full size: {thumbnailed}"
        assert verified.pixels <= half_scale, f"checking the file decoded it at full size: {verified}"


@pytest.mark.corpus
@pytest.mark.parametrize("row", ERROR_ROWS, ids=_ids(ERROR_ROWS))
def test_corpus_file_is_rejected_clearly(row: dict[str, str], recwarn: pytest.WarningsRecorder,
                                         pytestconfig: pytest.Config) -> None:
    path = corpus_path(row["path"])
    with hang_guard(pytestconfig), counting_decodes() as decodes:
        try:
            verify_image(path)
        except ImageReadError as err:
            message = str(err)
        else:
            assert row["path"] in OPTIONAL_CODECS, "a broken file was accepted"
            return
        # Refused from the header or from one attempt at the pixels, never retried more.
        assert decodes.count <= 1, decodes

    # One sentence: "<file name>: <problem>." — no path, no Pillow jargon.
    assert message.startswith(f"{path.name}: ")
    assert message.endswith(".") and "\n" not in message
    assert str(path.parent) not in message
    assert "Traceback" not in message and "cannot identify image file" not in message
    with pytest.raises(ImageReadError, match=f"^{path.name}: "):
        load_image(path)
    with pytest.raises(ImageReadError, match=f"^{path.name}: "):
        make_thumbnail(path, 256)
    assert embedded_thumbnail(path) is None
    assert not [w for w in recwarn if "PIL" in (w.filename or "")], "Pillow warnings leaked"


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken/zero_bytes.jpg", "zero_bytes.jpg: the file is empty."),
        (
            "odd/decompression_bomb.gif",
            "decompression_bomb.gif: the image is too large (4,364,696,535 pixels; the limit is 178,956,970).",
        ),
        ("broken/truncated.jpg", "truncated.jpg: the file is truncated (part of the image data is missing)."),
        ("broken/truncated_image.png", "truncated_image.png: the file is truncated (part of the image data is missing)."),
        (
            "broken/issue_ghsa_hrw9_ggg3_3r4r_poc.jpg",
            "issue_ghsa_hrw9_ggg3_3r4r_poc.jpg: not an image file Photostory can read (unrecognised format).",
        ),
        (
            "broken/crash-1152ec2d1a1a71395b6f2ce6721c38924d025bf3.tif",
            "crash-1152ec2d1a1a71395b6f2ce6721c38924d025bf3.tif: the image data is damaged (decoder error).",
        ),
    ],
)
def test_error_messages_in_user_words(name: str, message: str) -> None:
    with pytest.raises(ImageReadError) as caught:
        verify_image(corpus_path(name))
    assert str(caught.value) == message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError) as caught:
        read_image_info(tmp_path / "x.jpg")
    assert str(caught.value) == "x.jpg: file not found."
    folder = tmp_path / "album.jpg"
    folder.mkdir()
    with pytest.raises(ImageReadError, match="^album.jpg: .*folder"):
        load_image(folder)


def test_text_file_named_jpg_is_unrecognised(tmp_path: Path) -> None:
    fake = tmp_path / "notes.jpg"
    fake.write_text("Caption: mayor opens the bridge\n" * 20)
    with pytest.raises(ImageReadError, match=r"^notes\.jpg: not an image file .*unrecognised format\)\.$"):
        verify_image(fake)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.mark.parametrize("pillow_limit", ["default", None], ids=["pillow-default", "pillow-limit-disabled"])
def test_pixel_limit_is_enforced_from_the_header(
    tmp_path: Path, recwarn: pytest.WarningsRecorder, monkeypatch: pytest.MonkeyPatch, pillow_limit: str | None
) -> None:
    # 20000 x 10000 = 200 M pixels, declared by a tiny file. The limit holds even
    # when other code has disabled Pillow's own check, and nothing is decoded.
    if pillow_limit is None:
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    header = struct.pack(">IIBBBBB", 20_000, 10_000, 1, 0, 0, 0, 0)
    bomb = tmp_path / "huge.png"
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b""))
        + _png_chunk(b"IEND", b"")
    )
    for function in (read_image_info, verify_image, load_image):
        with pytest.raises(ImageReadError) as caught:
            function(bomb)
        assert str(caught.value) == (
            f"huge.png: the image is too large (200,000,000 pixels; the limit is {MAX_PIXELS:,})."
        )
    assert not recwarn.list, [str(w.message) for w in recwarn]


def test_pillow_globals_are_left_alone(tmp_path: Path) -> None:
    before = Image.MAX_IMAGE_PIXELS
    path = tmp_path / "a.jpg"
    Image.new("RGB", (64, 48), "white").save(path)
    load_image(path)
    make_thumbnail(path, 16)
    assert Image.MAX_IMAGE_PIXELS == before
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_supported_suffixes() -> None:
    assert {".jpg", ".jpeg", ".png", ".tif", ".heic", ".avif", ".jp2"} <= SUPPORTED_SUFFIXES
    assert all(s == s.lower() and s.startswith(".") for s in SUPPORTED_SUFFIXES)


# --------------------------------------------------------------------------- orientation


@pytest.mark.corpus
@pytest.mark.parametrize("kind", ["Landscape", "Portrait"])
def test_every_orientation_shows_the_same_upright_picture(kind: str) -> None:
    small = (90, 60) if kind == "Landscape" else (60, 90)
    reference = _grey(make_thumbnail(corpus_path("orientation", f"{kind}_1.jpg"), 180), small)
    # A wrong transpose would differ by far more than this (mirror: ~37-67).
    assert _mean_abs_diff(reference, ImageOps.mirror(reference)) > 20
    for value in range(9):
        thumb = make_thumbnail(corpus_path("orientation", f"{kind}_{value}.jpg"), 180)
        assert thumb.size == ((180, 120) if kind == "Landscape" else (120, 180)), value
        assert _mean_abs_diff(reference, _grey(thumb, small)) < 4, f"{kind}_{value}.jpg"


@pytest.mark.corpus
def test_full_size_load_of_rotated_jpeg() -> None:
    assert load_image(corpus_path("orientation", "Landscape_6.jpg")).size == (1800, 1200)


@pytest.mark.corpus
def test_min_size_is_in_displayed_orientation() -> None:
    # Stored 1200x1800 with orientation 6. Displayed 450x300 needs stored 300x450,
    # which is exactly 1/4 scale; swapping wrongly would only allow 1/2 (900x600).
    image = load_image(corpus_path("orientation", "Landscape_6.jpg"), min_size=(450, 300))
    assert image.size == (450, 300)


@pytest.mark.corpus
def test_canon_orientation_6_thumbnail_is_portrait() -> None:
    thumb = make_thumbnail(corpus_path("real", "canon_hdr_YES.jpg"), 256)
    assert thumb.size == (192, 256)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "orientation", "size"),
    [
        ("orientation/xmp_tags_orientation.png", 3, (326, 268)),  # XMP tiff:Orientation only
        ("orientation/exif_imagemagick_orientation.png", 3, (512, 512)),  # ImageMagick raw profile
        ("orientation/g4_orientation_6.tif", 6, (88, 590)),
        ("orientation/hopper_orientation_6.webp", 6, (128, 128)),
        ("orientation/rot1mir0.avif", 5, (640, 427)),  # irot/imir boxes
        ("orientation/Landscape_0.jpg", 1, (1800, 1200)),  # 0 is invalid: as stored
    ],
)
def test_orientation_from_every_container(name: str, orientation: int, size: tuple[int, int]) -> None:
    info = read_image_info(corpus_path(name))
    assert (info.orientation, (info.width, info.height)) == (orientation, size)


def test_png_exif_chunk_after_image_data(tmp_path: Path) -> None:
    """An eXIf chunk after IDAT (allowed by the PNG spec) is found without decoding."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 20), "white")
    image.paste((255, 0, 0), (0, 0, 10, 20))  # red band on the left
    image.save(buffer, "PNG")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    data = buffer.getvalue()
    iend = data.rindex(b"IEND") - 4
    path = tmp_path / "late.png"
    path.write_bytes(data[:iend] + _png_chunk(b"eXIf", exif.tobytes()) + data[iend:])

    info = read_image_info(path)
    assert (info.orientation, info.width, info.height) == (6, 20, 40)
    upright = load_image(path)
    assert upright.size == (20, 40)
    assert _near(upright.getpixel((10, 2)), (255, 0, 0), 2)  # rotated 90° clockwise: left -> top


@pytest.mark.corpus
def test_read_image_info_does_not_decode_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object) -> None:
        raise AssertionError("pixels decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", refuse)
    for name in ("odd/exif.png", "orientation/xmp_tags_orientation.png", "real/canon_hdr_YES.jpg", "odd/g4-multi.tiff"):
        assert isinstance(read_image_info(corpus_path(name)), ImageInfo)


@pytest.mark.corpus
def test_png_with_missing_end_chunk_imports() -> None:
    # All pixels are there; only the trailing IEND chunk is cut off.
    image = load_image(corpus_path("broken", "truncated_end_chunk.png"))
    assert image.size == (128, 128)
    assert ImageStat.Stat(image).mean[0] > 50


# --------------------------------------------------------------------------- colour


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (64, 64), (0, 255, 255, 0)).save(path, quality=95)  # pure red ink
    image = load_image(path)
    assert image.mode == "RGB"
    assert _near(image.getpixel((32, 32)), (255, 0, 0), 12)


@pytest.mark.corpus
def test_adobe_cmyk_corpus_jpeg_is_not_inverted() -> None:
    # The same "RED on black" picture as an Adobe (inverted) CMYK JPEG and as a
    # CMYK TIFF: both must come out alike, with red text (not cyan) on black.
    jpeg = load_image(corpus_path("odd", "pil_sample_cmyk.jpg"))
    tiff = load_image(corpus_path("odd", "tiff_strip_cmyk_jpeg.tif"))
    assert _mean_abs_diff(jpeg, tiff) < 8
    red, green, blue = ImageStat.Stat(jpeg).mean
    assert red > 2 * green and red > 2 * blue and max(red, green, blue) < 100


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((0, 32768, 65535), (0, 127, 255)),  # full 16-bit range
        ((0, 2048, 4095), (0, 127, 255)),  # 12-bit sensor data in a 16-bit file: not black
    ],
)
def test_16_bit_png_scales_to_8_bit(tmp_path: Path, values: tuple[int, ...], expected: tuple[int, ...]) -> None:
    source = Image.new("I;16", (30, 10))
    for index, value in enumerate(values):
        source.paste(Image.new("I;16", (10, 10), value), (index * 10, 0))  # paste(int) is a no-op on I;16
    path = tmp_path / "sixteen.png"
    source.save(path)
    with Image.open(path) as reopened:
        assert reopened.mode == "I;16"
    image = load_image(path)
    for index, grey in enumerate(expected):
        assert _near(image.getpixel((index * 10 + 5, 5)), (grey,) * 3, 1)
    assert max(make_thumbnail(path, 15).size) == 15  # Pillow's thumbnail() alone fails on I;16


def test_float_tiff_scales_to_8_bit(tmp_path: Path) -> None:
    source = Image.new("F", (20, 10), 0.0)
    source.paste(1.0, (10, 0, 20, 10))
    path = tmp_path / "float.tif"
    source.save(path)
    image = load_image(path)
    assert image.getpixel((5, 5)) == (0, 0, 0)
    assert image.getpixel((15, 5)) == (255, 255, 255)


def test_rgba_png_is_flattened_onto_white(tmp_path: Path) -> None:
    source = Image.new("RGBA", (30, 10), (0, 0, 0, 0))
    source.paste((255, 0, 0, 255), (0, 0, 10, 10))
    source.paste((0, 0, 255, 128), (10, 0, 20, 10))
    path = tmp_path / "alpha.png"
    source.save(path)
    image = load_image(path)
    assert _near(image.getpixel((5, 5)), (255, 0, 0), 0)
    assert _near(image.getpixel((15, 5)), (127, 127, 255), 2)
    assert _near(image.getpixel((25, 5)), (255, 255, 255), 0)


def test_palette_png_with_transparency(tmp_path: Path) -> None:
    source = Image.new("P", (30, 10), 0)
    source.putpalette([0, 200, 0, 10, 20, 30, 99, 99, 99])
    source.paste(1, (10, 0, 20, 10))
    source.paste(2, (20, 0, 30, 10))
    path = tmp_path / "palette.png"
    source.save(path, transparency=2)
    image = load_image(path)
    assert image.getpixel((5, 5)) == (0, 200, 0)
    assert image.getpixel((15, 5)) == (10, 20, 30)
    assert image.getpixel((25, 5)) == (255, 255, 255)


def test_grey_alpha_png(tmp_path: Path) -> None:
    source = Image.new("LA", (20, 10), (50, 255))
    source.paste((0, 0), (10, 0, 20, 10))
    path = tmp_path / "la.png"
    source.save(path)
    image = load_image(path)
    assert image.getpixel((5, 5)) == (50, 50, 50)
    assert image.getpixel((15, 5)) == (255, 255, 255)


def _icc_matrix_profile(description: str, red: tuple[float, ...], green: tuple[float, ...], blue: tuple[float, ...]) -> bytes:
    """A minimal ICC v2 RGB matrix/TRC display profile (gamma 2.2)."""

    def s15(*values: float) -> bytes:
        return b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    def xyz(values: tuple[float, ...]) -> bytes:
        return b"XYZ \0\0\0\0" + s15(*values)

    ascii_text = description.encode("ascii") + b"\0"
    tags = {
        b"desc": b"desc\0\0\0\0" + struct.pack(">I", len(ascii_text)) + ascii_text + bytes(4 + 4 + 2 + 1 + 67),
        b"cprt": b"text\0\0\0\0" + b"No copyright\0",
        b"wtpt": xyz((0.9642, 1.0, 0.8249)),
        b"rXYZ": xyz(red),
        b"gXYZ": xyz(green),
        b"bXYZ": xyz(blue),
    }
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags.update({b"rTRC": curve, b"gTRC": curve, b"bTRC": curve})
    table, data = b"", b""
    offset = 128 + 4 + 12 * len(tags)
    for signature, body in tags.items():
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size) + bytes(4) + b"\x02\x10\x00\x00" + b"mntr" + b"RGB " + b"XYZ "
        + bytes(12) + b"acsp" + bytes(4 + 4 + 4 + 4 + 8 + 4) + s15(0.9642, 1.0, 0.8249) + bytes(4 + 16 + 28)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)


def test_icc_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    # A profile whose "red" primary is sRGB's blue: a colour-managed decode of a
    # red-coded pixel must come out blue; ignoring the profile would leave it red.
    swapped = _icc_matrix_profile("Swapped primaries", SRGB_BLUE, SRGB_GREEN, SRGB_RED)
    path = tmp_path / "swapped.jpg"
    Image.new("RGB", (32, 32), (220, 20, 20)).save(path, quality=95, icc_profile=swapped)
    r, g, b = load_image(path).getpixel((16, 16))
    assert b > 180 and r < 60 and g < 60, (r, g, b)

    (rendition,) = make_renditions(path, (32,))
    with Image.open(io.BytesIO(rendition.data)) as out:
        assert "icc_profile" not in out.info  # sRGB pixels, untagged
        r, g, b = out.convert("RGB").getpixel((16, 16))
    assert b > 180 and r < 60, (r, g, b)


def test_damaged_icc_profile_falls_back_to_plain_colours(tmp_path: Path) -> None:
    path = tmp_path / "bad-icc.jpg"
    Image.new("RGB", (16, 16), (200, 40, 40)).save(path, quality=95, icc_profile=b"not a profile" * 20)
    assert _near(load_image(path).getpixel((8, 8)), (200, 40, 40), 6)


@pytest.mark.corpus
def test_xyb_jpeg_needs_and_gets_its_icc_profile() -> None:
    # sample-xyb.jpg and indexed.png are the same photo; XYB decoded without its
    # profile is green-tinted (mean difference ~26), managed it matches (~5).
    xyb = load_image(corpus_path("odd", "sample-xyb.jpg"))
    reference = load_image(corpus_path("odd", "indexed.png"))
    with Image.open(corpus_path("odd", "sample-xyb.jpg")) as raw:
        unmanaged = raw.convert("RGB")
    assert _mean_abs_diff(unmanaged, reference) > 15
    assert _mean_abs_diff(xyb, reference) < 8


@pytest.mark.corpus
def test_lab_tiff_matches_the_rgb_original() -> None:
    lab = load_image(corpus_path("odd", "hopper.Lab.tif"))
    rgb = load_image(corpus_path("odd", "hopper_bigtiff.tif"))
    assert _mean_abs_diff(lab, rgb) < 5


# --------------------------------------------------------------------------- generated JPEGs


def _photo(size: tuple[int, int]) -> Image.Image:
    """A smooth, non-uniform test picture (gradients in two directions)."""
    gradient = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_90).resize(size), Image.new("L", size, 90)))


def _camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Orientation] = 1
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    return exif


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "camera.jpg"
    _photo((6000, 4000)).save(path, quality=90, exif=_camera_exif())
    return path


def _jpeg(tmp_path: Path, size: tuple[int, int], name: str = "photo.jpg") -> Path:
    path = tmp_path / name
    _photo(size).save(path, quality=90, exif=_camera_exif())
    return path


@pytest.fixture
def draft_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Records (requested size, decoded size) of every JPEG draft."""
    calls: list[tuple[tuple[int, int], tuple[int, int]]] = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self: JpegImagePlugin.JpegImageFile, mode: str | None, size: tuple[int, int] | None):  # type: ignore[no-untyped-def]
        result = original(self, mode, size)
        calls.append((size, self.size))
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    return calls


def test_thumbnail_decodes_at_one_eighth_scale(big_jpeg: Path, draft_calls: list) -> None:
    thumb = make_thumbnail(big_jpeg, 256)
    assert thumb.size == (256, 171)
    assert thumb.mode == "RGB"
    assert [decoded for _, decoded in draft_calls] == [(750, 500)]  # one 1/8-scale decode


def test_verify_decodes_at_one_eighth_scale(big_jpeg: Path, draft_calls: list) -> None:
    info = verify_image(big_jpeg)
    assert (info.width, info.height, info.format, info.frames) == (6000, 4000, "JPEG", 1)
    assert [decoded for _, decoded in draft_calls] == [(750, 500)]


def test_renditions_sizes_and_single_decode(big_jpeg: Path, draft_calls: list) -> None:
    renditions = make_renditions(big_jpeg, (480, 960, 1600))
    assert [(r.width, r.height) for r in renditions] == [(480, 320), (960, 640), (1600, 1067)]
    # Decoded once, at 1/2 scale: the smallest DCT scale still >= 1600 wide.
    assert [decoded for _, decoded in draft_calls] == [(3000, 2000)]
    source_mean = ImageStat.Stat(load_image(big_jpeg, min_size=(100, 100))).mean
    for rendition in renditions:
        with Image.open(io.BytesIO(rendition.data)) as out:
            assert out.format == "JPEG" and out.mode == "RGB"
            assert out.size == (rendition.width, rendition.height)
            assert out.info.get("progressive")
            assert JpegImagePlugin.get_sampling(out) == 2  # 4:2:0
            assert "exif" not in out.info and len(out.getexif()) == 0  # no camera data, no GPS
            assert not out.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            out.load()
            mean = ImageStat.Stat(out).mean
        assert all(abs(a - b) < 4 for a, b in zip(mean, source_mean, strict=True)), (mean, source_mean)


def test_source_for_renditions_really_had_gps(big_jpeg: Path) -> None:
    with Image.open(big_jpeg) as im:
        assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_renditions_are_deterministic(tmp_path: Path) -> None:
    path = _jpeg(tmp_path, (2000, 1333))
    first = make_renditions(path, (480, 960))
    second = make_renditions(path, (480, 960))
    assert [r.data for r in first] == [r.data for r in second]


def test_renditions_never_upscale(tmp_path: Path) -> None:
    medium = make_renditions(_jpeg(tmp_path, (1200, 800), "medium.jpg"), (480, 960, 1600))
    assert [(r.width, r.height) for r in medium] == [(480, 320), (960, 640), (1200, 800)]
    small = make_renditions(_jpeg(tmp_path, (300, 200), "small.jpg"), (480, 960, 1600))
    assert [(r.width, r.height) for r in small] == [(300, 200)]
    with Image.open(io.BytesIO(small[0].data)) as out:
        assert out.size == (300, 200)


@pytest.mark.corpus
def test_renditions_of_rotated_photo_are_upright() -> None:
    renditions = make_renditions(corpus_path("real", "canon_hdr_YES.jpg"), (480, 960))
    assert [(r.width, r.height) for r in renditions] == [(480, 640), (960, 1280)]


def test_renditions_carry_given_xmp(tmp_path: Path) -> None:
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:title="Bridge"/></rdf:RDF></x:xmpmeta>'
    )
    (rendition,) = make_renditions(_jpeg(tmp_path, (800, 600)), (400,), xmp=xmp)
    with Image.open(io.BytesIO(rendition.data)) as out:
        assert out.info.get("xmp") == xmp


@pytest.mark.parametrize(
    ("source", "widths", "expected"),
    [
        (1200, (480, 960, 1600), [480, 960, 1200]),
        (300, (480, 960, 1600), [300]),
        (1600, (480, 960, 1600), [480, 960, 1600]),
        (6000, (1600, 480, 960, 480), [480, 960, 1600]),
        (6000, (), []),
    ],
)
def test_rendition_widths(source: int, widths: tuple[int, ...], expected: list[int]) -> None:
    assert rendition_widths(source, widths) == expected


def test_rendition_widths_rejects_nonsense(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        rendition_widths(0, (480,))
    with pytest.raises(ValueError):
        rendition_widths(1000, (0,))
    path = _jpeg(tmp_path, (100, 50))
    with pytest.raises(ValueError):  # a caller's mistake, not a damaged file
        make_renditions(path, (480, 0))
    assert make_renditions(path, ()) == []


# --------------------------------------------------------------------------- embedded thumbnails


@pytest.mark.corpus
def test_embedded_thumbnail_of_camera_jpeg() -> None:
    path = corpus_path("real", "canon-ixus.jpg")
    preview = embedded_thumbnail(path)
    assert preview is not None and preview.mode == "RGB"
    assert preview.size == (160, 120)
    # It is the same picture as the photo itself.
    assert _mean_abs_diff(_grey(preview, (80, 60)), _grey(make_thumbnail(path, 160), (80, 60))) < 10


@pytest.mark.corpus
def test_embedded_thumbnail_is_turned_upright() -> None:
    path = corpus_path("real", "canon_hdr_YES.jpg")  # orientation 6
    preview = embedded_thumbnail(path)
    assert preview is not None and preview.width < preview.height
    full = make_thumbnail(path, 160)
    assert _mean_abs_diff(_grey(preview, (45, 60)), _grey(full, (45, 60))) < 15


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["odd/exif.png", "real/Google.jpg", "broken/zero_bytes.jpg", "odd/decompression_bomb.gif"])
def test_no_embedded_thumbnail(name: str) -> None:
    assert embedded_thumbnail(corpus_path(name)) is None


def test_embedded_thumbnail_of_missing_file_is_none(tmp_path: Path) -> None:
    assert embedded_thumbnail(tmp_path / "gone.jpg") is None


def test_huge_png_thumbnail_stays_within_memory(tmp_path):
    """A 64 MP half-transparent PNG (256 MB decoded) is reduced, a band of rows at a time,
    before it is flattened onto white, so the thumbnail costs about the decode itself
    (measured in a fresh process: ~390 MB peak, once 456 MB in a full CI run on a busy
    machine; ~510 MB when reduced whole, which makes a premultiplied copy; ~830 MB when
    flattened at full size). The bound sits below the whole reduction, above the noise."""
    import subprocess
    import sys

    path = tmp_path / "huge.png"
    Image.new("RGBA", (8000, 8000), (200, 30, 30, 128)).save(path, compress_level=1)
    probe = (
        "import resource\n"
        "from photostory.core.images.decoding import make_thumbnail\n"
        f"thumb = make_thumbnail({str(path)!r}, 256)\n"
        "print(thumb.size, thumb.getpixel((10, 10)), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("(256, 256) (227, 142, 142)")  # half red over white
    peak_mib = int(out.stdout.split()[-1])
    assert peak_mib < 490, f"the process peaked at {peak_mib} MiB"


def _fine_detail(size: tuple[int, int]) -> Image.Image:
    """Grain and dense diagonal lines: what aliasing or a blurry resize would spoil first."""
    grain = Image.effect_noise(size, 60).filter(ImageFilter.GaussianBlur(1.2))
    lines = Image.new("L", size, 128)
    draw = ImageDraw.Draw(lines)
    for x in range(0, size[0], 7):
        draw.line([(x, 0), (x + size[1] // 3, size[1])], fill=30, width=2)
    return Image.merge("RGB", (grain, lines, ImageChops.blend(grain, lines, 0.5)))


def _psnr(a: Image.Image, b: Image.Image) -> float:
    rms = math.sqrt(sum(v * v for v in ImageStat.Stat(ImageChops.difference(a, b)).rms) / 3)
    return 20 * math.log10(255 / max(rms, 1e-9))


def test_renditions_keep_fine_detail_without_aliasing(tmp_path: Path) -> None:
    # Reference: the whole file decoded at full size, then LANCZOS straight to each width.
    # Ours decode at 1/2 and chain BICUBIC steps; point or box sampling would lose 2-9 dB here.
    path = tmp_path / "detail.jpg"
    _fine_detail((4000, 2667)).save(path, quality=92)
    with Image.open(path) as full:
        full.load()
        for rendition, minimum in zip(make_renditions(path, (480, 960, 1600)), (36.0, 31.0, 26.5),
                                      strict=True):
            reference = full.resize((rendition.width, rendition.height), Image.Resampling.LANCZOS)
            with Image.open(io.BytesIO(rendition.data)) as out:
                assert _psnr(reference, out.convert("RGB")) >= minimum, rendition.width


# --------------------------------------------------------------------------- camera previews


def _camera_file_with_preview(path: Path, picture: Image.Image, preview: Image.Image,
                              orientation: int = 1, mp_type: int = 0x010002) -> Path:
    """A JPEG laid out as many cameras write them: the picture, an MPF index in APP2,
    then the camera's reduced copy (MP type 0x010002, "Large Thumbnail (Full HD)")."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    picture.save(buffer, "MPO", save_all=True, append_images=[preview], quality=90, exif=exif)
    data = bytearray(buffer.getvalue())
    tiff = data.index(b"MPF\x00") + 4  # Pillow writes the index little-endian
    ifd = tiff + struct.unpack_from("<I", data, tiff + 4)[0]
    for n in range(struct.unpack_from("<H", data, ifd)[0]):
        tag, _, _, value = struct.unpack_from("<HHII", data, ifd + 2 + 12 * n)
        if tag == 0xB002:  # MP entries: 16 bytes each, the copy's is the second
            struct.pack_into("<I", data, tiff + value + 16, mp_type)
    path.write_bytes(bytes(data))
    return path


def _marked(size: tuple[int, int], colour: tuple[int, int, int]) -> Image.Image:
    """The test picture with a coloured left half: which file part was decoded shows."""
    image = _photo(size)
    image.paste(colour, (0, 0, size[0] // 2, size[1]))
    return image


def test_thumbnail_comes_from_the_cameras_own_reduced_copy(tmp_path: Path, draft_calls: list) -> None:
    path = _camera_file_with_preview(tmp_path / "DSC_0001.JPG", _marked((4000, 2667), (200, 0, 0)),
                                     _marked((1616, 1077), (0, 0, 200)))
    with Image.open(path) as im:
        assert im.mpinfo[0xB002][1]["Attribute"]["MPType"] == "Large Thumbnail (Full HD Equivalent)"
    thumb = make_thumbnail(path, 256)
    assert thumb.size == (256, 171)
    assert [decoded for _, decoded in draft_calls] == [(404, 270)]  # the copy at 1/4, not 7 MB
    assert _near(thumb.getpixel((20, 85)), (0, 0, 200), 40)
    assert read_image_info(path).width == 4000  # the picture's own size is still reported


def test_preview_of_a_rotated_camera_file_is_turned_like_the_picture(tmp_path: Path, draft_calls: list) -> None:
    path = _camera_file_with_preview(tmp_path / "portrait.jpg", _marked((3000, 2000), (200, 0, 0)),
                                     _marked((1620, 1080), (0, 0, 200)), orientation=6)
    thumb = make_thumbnail(path, 256)
    assert [decoded for _, decoded in draft_calls] == [(405, 270)]
    assert thumb.size == (171, 256)
    assert _near(thumb.getpixel((85, 20)), (0, 0, 200), 40)  # the stored left half, now on top


@pytest.mark.parametrize(("case", "preview_size", "mp_type"), [
    ("too small for the size asked", (160, 107), 0x010001),
    ("another shape: the picture was cropped after shooting", (1080, 1080), 0x010002),
    ("a stereo frame, not a reduced copy", (1620, 1080), 0x020002),
])
def test_picture_is_decoded_when_the_embedded_copy_does_not_fit(
        tmp_path: Path, draft_calls: list, case: str, preview_size: tuple[int, int], mp_type: int) -> None:
    path = _camera_file_with_preview(tmp_path / "photo.jpg", _marked((4000, 2667), (200, 0, 0)),
                                     _marked(preview_size, (0, 0, 200)), mp_type=mp_type)
    thumb = make_thumbnail(path, 256)
    assert [decoded for _, decoded in draft_calls][-1] == (500, 334), case
    assert _near(thumb.getpixel((20, 85)), (200, 0, 0), 40), case


def test_damaged_embedded_copy_falls_back_to_the_picture(tmp_path: Path) -> None:
    path = _camera_file_with_preview(tmp_path / "photo.jpg", _marked((4000, 2667), (200, 0, 0)),
                                     _marked((1620, 1080), (0, 0, 200)))
    data = path.read_bytes()
    second = data.index(b"\xff\xd8", data.index(b"\xff\xd9") + 2)  # the copy's SOI
    path.write_bytes(data[: second + 400])  # the copy is cut short
    thumb = make_thumbnail(path, 256)
    assert thumb.size == (256, 171) and _near(thumb.getpixel((20, 85)), (200, 0, 0), 40)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files whose pixels get decoded."""
    calls: list[str] = []
    original = opening.load_pixels

    def spy(im: ImageFile.ImageFile) -> None:
        # Photos are opened from a checked file handle, not a path: name it from the fd.
        name = im.filename or os.readlink(f"/proc/self/fd/{im.fp.fileno()}")
        calls.append(Path(name).name)
        original(im)

    monkeypatch.setattr(opening, "load_pixels", spy)
    return calls


def test_import_check_reads_no_pixels_of_complete_camera_files(tmp_path: Path, decodes: list[str]) -> None:
    plain = _jpeg(tmp_path, (3000, 2000), "plain.jpg")
    camera = _camera_file_with_preview(tmp_path / "camera.jpg", _photo((3000, 2000)), _photo((1620, 1080)))
    assert check_image(plain).width == 3000 and check_image(camera).width == 3000
    assert decodes == []


def test_import_check_decodes_cut_files_and_judges_the_picture(tmp_path: Path, decodes: list[str]) -> None:
    camera = _camera_file_with_preview(tmp_path / "camera.jpg", _photo((3000, 2000)), _photo((1620, 1080)))
    data = camera.read_bytes()
    copy_starts = data.index(b"\xff\xd8", data.index(b"\xff\xd9") + 2)
    copy_cut = tmp_path / "copy-cut.jpg"
    copy_cut.write_bytes(data[: copy_starts + 400])
    picture_cut = tmp_path / "picture-cut.jpg"
    picture_cut.write_bytes(data[: copy_starts // 2])
    assert check_image(copy_cut).width == 3000  # the picture itself is whole
    with pytest.raises(ImageReadError, match="picture-cut.jpg"):
        check_image(picture_cut)
    assert decodes == ["copy-cut.jpg", "picture-cut.jpg"]


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_reducing_in_stripes_gives_the_same_pixels_as_reducing_whole(
        monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    image = Image.merge("RGBA", (*_fine_detail((1001, 767)).split(), Image.linear_gradient("L").resize((1001, 767))))
    image = image.convert(mode)
    monkeypatch.setattr(decoding, "_STRIPE_BYTES", 1001 * 4 * 3 * 10)  # bands of 30 rows, a partial last one
    assert decoding._reduce_in_stripes(image, 3).tobytes() == image.reduce(3).tobytes()
