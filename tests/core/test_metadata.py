"""Reading caption, credit, place, date and camera facts (photostory.core.metadata).

Real files come from the shared corpus; their expected values come from exiftool, an
independent reader, following the same XMP -> IPTC-IIM -> EXIF precedence.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image

from photostory.core.images.opening import read_image_info
from photostory.core.metadata.reading import PhotoMetadata, metadata_as_dict, read_metadata
from photostory.core.privacy import location_exif, sensitive_metadata
from photostory.errors import ImageReadError
from support import HANG_GUARD, corpus_path, counting_decodes, require_tool

# Every file in corpus metadata/ (see MANIFEST.tsv for the fields each carries).
METADATA_FILES = [
    "BlueSquare.jpg",
    "ExifTool.jpg",
    "ExtendedXMP.jpg",
    "FotoStation.jpg",
    "IPTC-PhotometadataRef-Std2021.1.jpg",
    "IPTC.jpg",
    "MWG.jpg",
    "Reagan.jpg",
    "Reagan.tiff",
    "XMP.jpg",
    "app13-multiple.jpg",
    "avif_exif_xmp.avif",
    "exif_canon7d2.JPG",
    "exiv2-bug501.jpg",
    "exiv2-bug540.jpg",
    "exiv2-bug784.jpg",
    "exiv2-bug937.jpg",
    "iptc-psAPP13-wIPTC1-psAPP13-wIPTC2.jpg",
    "iptc.jpg",
    "long_description.jpg",
    "meta.webp",
    "metapm.jpg",
    "metapm.png",
    "smiley1.jpg",
    "xmp_test.jpg",
]


# --------------------------------------------------------------------------- exiftool


def _first_wins(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        out.setdefault(key, value)  # with -a a tag may repeat; the first is the one readers use
    return out


def exiftool_tags(path: Path) -> dict[str, object]:
    exe = require_tool("exiftool")
    result = subprocess.run(
        [exe, "-j", "-a", "-G1", str(path)], capture_output=True, timeout=60, check=True
    )
    return json.loads(result.stdout.decode("utf-8"), object_pairs_hook=_first_wins)[0]


def _text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v).strip() for v in value if str(v).strip())
    return "" if value is None else str(value).strip()


def _pick(tags: dict[str, object], *keys: str) -> str:
    """First non-empty value among ``keys`` (the field's precedence order)."""
    return next((t for t in (_text(tags.get(k)) for k in keys) if t), "")


def _iso(exiftool_date: str) -> str:
    text = re.sub(r"^(\d{4}):(\d\d):(\d\d)", r"\1-\2-\3", exiftool_date).replace(" ", "T")
    return text[:-1] + "+00:00" if text.endswith("Z") else text


def expected_from_exiftool(tags: dict[str, object]) -> dict[str, object]:
    # "IPTC" is the APP13 block; exiftool's IPTC2 (second block, FotoStation trailer) is not read.
    keywords = tags.get("XMP-dc:Subject") or tags.get("IPTC:Keywords") or []
    iptc_date = _text(tags.get("IPTC:DateCreated"))
    if iptc_date and _text(tags.get("IPTC:TimeCreated")):
        iptc_date += " " + _text(tags.get("IPTC:TimeCreated"))
    exif_date = _text(tags.get("ExifIFD:DateTimeOriginal"))
    if exif_date:
        exif_date += _text(tags.get("ExifIFD:OffsetTimeOriginal"))
    return {
        "caption": _pick(tags, "XMP-dc:Description", "IPTC:Caption-Abstract"),
        "headline": _pick(tags, "XMP-photoshop:Headline", "IPTC:Headline"),
        "creator": _pick(tags, "XMP-dc:Creator", "IPTC:By-line", "IFD0:Artist"),
        "credit": _pick(tags, "XMP-photoshop:Credit", "IPTC:Credit"),
        "copyright": _pick(tags, "XMP-dc:Rights", "IPTC:CopyrightNotice", "IFD0:Copyright"),
        "city": _pick(tags, "XMP-photoshop:City", "IPTC:City"),
        "country": _pick(tags, "XMP-photoshop:Country", "IPTC:Country-PrimaryLocationName"),
        "keywords": [str(k).strip() for k in (keywords if isinstance(keywords, list) else [keywords])],
        "date_taken": _iso(
            _pick(tags, "XMP-photoshop:DateCreated") or iptc_date or exif_date
        ),
    }


@pytest.mark.corpus
@pytest.mark.parametrize("name", METADATA_FILES)
def test_fields_match_exiftool(name: str) -> None:
    path = corpus_path("metadata", name)
    expected = expected_from_exiftool(exiftool_tags(path))
    md = metadata_as_dict(read_metadata(path))
    got = {key: md[key] for key in expected}
    assert got == expected


@pytest.mark.corpus
def test_comparison_covers_real_values() -> None:
    """Guard against the exiftool comparison passing because both sides read nothing."""
    filled = 0
    for name in METADATA_FILES:
        md = read_metadata(corpus_path("metadata", name))
        filled += sum(bool(getattr(md, f)) for f in ("caption", "creator", "keywords", "city"))
    assert filled >= 45


# --------------------------------------------------------------------------- IPTC reference


@pytest.mark.corpus
def test_iptc_reference_image() -> None:
    md = read_metadata(corpus_path("metadata", "IPTC-PhotometadataRef-Std2021.1.jpg"))
    assert md.caption == "The description aka caption (ref2021.1)"
    assert md.headline == "The Headline (ref2021.1)"
    assert md.title == "The Title (ref2021.1)"
    assert md.creator == "Creator1 (ref2021.1)"
    assert md.credit == "Credit Line (ref2021.1)"
    assert md.source == "Source (ref2021.1)"
    assert md.copyright == "Copyright (Notice) 2021.1 IPTC - www.iptc.org  (ref2021.1)"
    assert md.alt_text == "This is the Alt Text description to support accessibility in 2021.1"
    assert md.date_taken == "2021-10-20T21:01:01+00:00"
    assert md.city == "City (Core) (ref2021.1)"
    assert md.sublocation == "Sublocation (Core) (ref2021.1)"
    assert md.state == "Province/State(Core)(ref2021.1)"
    assert md.country == "Country (Core) (ref2021.1)"
    assert md.keywords == ("Keyword1ref2021.1", "Keyword2ref2021.1", "Keyword3ref2021.1")
    assert md.warnings == ()


@pytest.mark.corpus
def test_xmp_wins_over_iim_field_by_field() -> None:
    # MWG.jpg: XMP and IIM disagree; City exists in both, Sub-location/State only in IIM.
    md = read_metadata(corpus_path("metadata", "MWG.jpg"))
    assert md.caption == "WRONG-XMP-Description"
    assert md.city == "RIGHT-XMP-City"
    assert md.sublocation == "RIGHT-IPTC-Location"
    assert md.state == "RIGHT-IPTC-State"
    assert md.orientation == 6


@pytest.mark.corpus
def test_first_of_two_iptc_blocks_wins() -> None:
    md = read_metadata(corpus_path("metadata", "iptc-psAPP13-wIPTC1-psAPP13-wIPTC2.jpg"))
    assert md.credit == "This is credit number one"


@pytest.mark.corpus
def test_utf16_xmp_and_xmp_after_png_image_data() -> None:
    assert read_metadata(corpus_path("metadata", "XMP.jpg")).caption == "UTF-16 (big-endian) encoded XMP"
    png = read_metadata(corpus_path("metadata", "metapm.png"))
    assert (png.caption, png.headline, png.keywords) == ("Caption", "Headline", ("Keywords",))


# --------------------------------------------------------------------------- IIM text


def _iim(number: int, data: bytes, record: int = 2) -> bytes:
    return bytes([0x1C, record, number]) + len(data).to_bytes(2, "big") + data


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def _app13(iim: bytes) -> bytes:
    """An APP13 Photoshop 3.0 segment holding one 8BIM IPTC-NAA resource (0x0404)."""
    resource = b"8BIM" + (0x0404).to_bytes(2, "big") + b"\x00\x00" + len(iim).to_bytes(4, "big") + iim
    return _segment(0xED, b"Photoshop 3.0\x00" + resource + b"\x00" * (len(iim) % 2))


def _app1_xmp(packet: bytes) -> bytes:
    return _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet)


def _jpeg(*segments: bytes) -> bytes:
    """A small Pillow JPEG with ``segments`` inserted right after SOI."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buf, "JPEG")
    base = buf.getvalue()
    return base[:2] + b"".join(segments) + base[2:]


def _jpeg_with_iim(iim: bytes) -> bytes:
    return _jpeg(_app13(iim))


RUSSIAN_CAPTION = "Президент России посетил завод в Екатеринбурге"


def test_cp1251_iim_caption_decodes_to_russian(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.jpg"
    path.write_bytes(
        _jpeg_with_iim(
            _iim(0, b"\x00\x04")
            + _iim(120, RUSSIAN_CAPTION.encode("cp1251"))
            + _iim(80, "Иван Петров".encode("cp1251"))
            + _iim(90, "Москва".encode("cp1251"))
        )
    )
    md = read_metadata(path)
    assert md.caption == RUSSIAN_CAPTION
    assert md.creator == "Иван Петров"
    assert md.city == "Москва"
    assert md.warnings == ()


def test_cp1251_fixture_is_valid_iptc(tmp_path: Path) -> None:
    """exiftool, told the charset, reads the same Russian text from the test fixture."""
    exe = require_tool("exiftool")
    path = tmp_path / "cp1251.jpg"
    path.write_bytes(_jpeg_with_iim(_iim(120, RUSSIAN_CAPTION.encode("cp1251"))))
    out = subprocess.run(
        [exe, "-j", "-charset", "iptc=cp1251", "-IPTC:Caption-Abstract", str(path)],
        capture_output=True, timeout=60, check=True,
    )
    assert json.loads(out.stdout)[0]["Caption-Abstract"] == RUSSIAN_CAPTION


@pytest.mark.parametrize(
    ("charset_record", "raw", "text"),
    [
        (_iim(90, b"\x1b%G", record=1), "Алматы — Қазақстан".encode("utf-8"), "Алматы — Қазақстан"),
        (b"", "Kålltorp".encode("utf-8"), "Kålltorp"),  # UTF-8 without 1:90
        (b"", "Göteborg".encode("cp1252"), "Göteborg"),  # Western, not mistaken for Cyrillic
        (b"", "Porträtt på Eva".encode("cp1252"), "Porträtt på Eva"),
        (b"", b"\x00  Moscow \x00 ", "Moscow"),  # NULs and surrounding blanks go
    ],
)
def test_iim_text_decoding(tmp_path: Path, charset_record: bytes, raw: bytes, text: str) -> None:
    path = tmp_path / "iim.jpg"
    path.write_bytes(_jpeg_with_iim(charset_record + _iim(90, raw)))
    assert read_metadata(path).city == text


def test_iim_dates_and_repeated_datasets(tmp_path: Path) -> None:
    path = tmp_path / "iim.jpg"
    path.write_bytes(
        _jpeg_with_iim(
            _iim(55, b"20221005") + _iim(60, b"151200+0600")
            + _iim(25, b"one") + _iim(25, b"two") + _iim(80, b"A") + _iim(80, b"B")
        )
    )
    md = read_metadata(path)
    assert md.date_taken == "2022-10-05T15:12:00+06:00"
    assert md.keywords == ("one", "two")
    assert md.creator == "A; B"


def test_damaged_iim_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(_jpeg_with_iim(_iim(120, b"fine") + b"\x1c\x02\x78\x7f\xff" + b"short"))
    md = read_metadata(path)
    assert md.caption == ""
    assert any("IPTC" in w for w in md.warnings)


def _jpeg_with_xmp(packet: bytes) -> bytes:
    return _jpeg(_app1_xmp(packet))


def test_xmp_shorthand_and_language_alternatives(tmp_path: Path) -> None:
    packet = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
      xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
     <rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
       xmlns:dc="http://purl.org/dc/elements/1.1/" photoshop:City="Алматы"
       photoshop:Credit="Reuters">
      <dc:description><rdf:Alt><rdf:li xml:lang="ru">Подпись</rdf:li>
        <rdf:li xml:lang="x-default">Caption</rdf:li></rdf:Alt></dc:description>
      <dc:title><rdf:Alt><rdf:li xml:lang="kk">Тақырып</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>A</rdf:li><rdf:li>B</rdf:li></rdf:Seq></dc:creator>
     </rdf:Description></rdf:RDF></x:xmpmeta>""".encode()
    path = tmp_path / "x.jpg"
    path.write_bytes(_jpeg_with_xmp(packet))
    md = read_metadata(path)
    assert (md.city, md.credit) == ("Алматы", "Reuters")
    assert md.caption == "Caption"  # x-default, not the first
    assert md.title == "Тақырып"  # no x-default: the first
    assert md.creator == "A; B"


def test_damaged_xmp_falls_back_to_iim(tmp_path: Path) -> None:
    path = tmp_path / "x.jpg"
    path.write_bytes(
        _jpeg(_app1_xmp(b"<x:xmpmeta><rdf:RDF><unclosed></x:xmpmeta>"), _app13(_iim(120, b"IIM caption")))
    )
    md = read_metadata(path)
    assert md.caption == "IIM caption"
    assert any("XMP" in w for w in md.warnings)


def test_xmp_date_that_is_not_a_date_is_a_warning(tmp_path: Path) -> None:
    packet = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
      xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description
      xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:DateCreated="June 2004"/>
      </rdf:RDF></x:xmpmeta>"""
    path = tmp_path / "x.jpg"
    path.write_bytes(_jpeg(_app1_xmp(packet), _app13(_iim(55, b"20040601"))))
    md = read_metadata(path)
    assert md.date_taken == "2004-06-01"  # the IIM date takes over
    assert any("June 2004" in w for w in md.warnings)


def test_xmp_with_dtd_is_refused(tmp_path: Path) -> None:
    packet = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
    path = tmp_path / "x.jpg"
    path.write_bytes(_jpeg_with_xmp(packet))
    assert any("XMP" in w for w in read_metadata(path).warnings)


# --------------------------------------------------------------------------- EXIF


@pytest.mark.corpus
@pytest.mark.parametrize("value", range(9))
def test_orientation(value: int) -> None:
    md = read_metadata(corpus_path("orientation", f"Landscape_{value}.jpg"))
    assert md.orientation == (value or 1)  # 0 is invalid and means "as stored"


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("xmp_tags_orientation.png", 3),  # only in XMP tiff:Orientation
        ("exif_imagemagick_orientation.png", 3),  # EXIF in an ImageMagick text chunk
        ("hopper_orientation_6.webp", 6),
        ("g4_orientation_6.tif", 6),
    ],
)
def test_orientation_outside_jpeg(name: str, value: int) -> None:
    assert read_metadata(corpus_path("orientation", name)).orientation == value


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "gps"),
    [
        ("real/DSCN0010.jpg", True),
        ("real/canon-ixus.jpg", False),
        ("real/Canon_40D.jpg", False),  # GPS IFD with only a version number
        ("broken/empty_gps_ifd.jpg", False),
    ],
)
def test_has_gps(name: str, gps: bool) -> None:
    assert read_metadata(corpus_path(*name.split("/"))).has_gps is gps


@pytest.mark.parametrize("coordinates", [{2: (43.0, 28.0, 0.0)}, {4: (76.0, 57.0, 0.0)},
                                         {2: (43.0, 28.0, 0.0), 4: (76.0, 57.0, 0.0)}])
def test_has_gps_agrees_with_the_privacy_report(tmp_path: Path, coordinates: dict) -> None:
    """Half a position is still a location: the tray's flag, the export report and the
    location a desk keeps all say so. The flag once wanted both coordinates while the
    report named either."""
    exif = Image.Exif()
    exif[0x8825] = {0: b"\x02\x03\x00\x00", **coordinates}  # GPS IFD: version + coordinates
    path = tmp_path / "gps.jpg"
    Image.new("RGB", (16, 16)).save(path, "JPEG", exif=exif.tobytes())
    assert read_metadata(path).has_gps is True
    assert "location (GPS)" in sensitive_metadata(path)
    assert location_exif(path) is not None


@pytest.mark.corpus
def test_orientation_agrees_with_the_image_header() -> None:
    """An AVIF turned by its irot/imir boxes: inspect's metadata and the photo's size once
    came from two EXIF readers that disagreed (1 against 5)."""
    path = corpus_path("orientation", "rot1mir0.avif")
    assert read_metadata(path).orientation == read_image_info(path).orientation == 5


def test_a_format_photostory_does_not_open_is_not_read(tmp_path: Path) -> None:
    """Metadata is read through the same decoders import allows, never another."""
    path = tmp_path / "icon.jpg"
    Image.new("RGB", (16, 16)).save(path, "ICO")
    md = read_metadata(path)
    assert any("not in an image format this program knows" in w for w in md.warnings)
    with pytest.raises(ImageReadError, match="unrecognised format"):
        read_image_info(path)


@pytest.mark.corpus
def test_camera_facts() -> None:
    md = read_metadata(corpus_path("real", "canon-ixus.jpg"))
    assert (md.camera_make, md.camera_model) == ("Canon", "Canon DIGITAL IXUS")
    assert md.exposure == "1/350 s · f/4 · 10.8 mm"  # no ISO recorded
    assert md.date_taken == "2001-06-09T15:17:32"
    assert md.warnings == ()


@pytest.mark.corpus
def test_lens_iso_and_offset_time() -> None:
    md = read_metadata(corpus_path("metadata", "exif_canon7d2.JPG"))
    assert md.lens == "EF300mm f/2.8L IS USM"
    assert md.exposure == "1/500 s · f/2.8 · ISO 1600 · 300 mm"
    google = read_metadata(corpus_path("real", "Google.jpg"))
    assert google.date_taken == "2023-10-06T22:53:51+02:00"


# --------------------------------------------------------------------------- robustness


def _read_with_hang_guard(path: Path) -> PhotoMetadata | BaseException:
    """read_metadata(path), or what it raised; a read still running after HANG_GUARD
    seconds (the slowest file takes about half a second) fails the test as a hang."""
    result: list[PhotoMetadata | BaseException] = []

    def run() -> None:
        try:
            result.append(read_metadata(path))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    if worker.is_alive():
        pytest.fail(f"read_metadata({path.name}) hangs: no answer after {HANG_GUARD} s")
    return result[0]


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["broken", "odd"])
def test_damaged_and_odd_files_never_raise(folder: str) -> None:
    """Metadata comes from the headers: no file, however odd, has its pixels decoded."""
    files = sorted(p for p in corpus_path(folder).iterdir() if p.is_file())
    assert len(files) >= 25
    for path in files:
        with counting_decodes() as decodes:
            outcome = _read_with_hang_guard(path)
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, ImageReadError), f"{path.name}: {outcome!r}"
        else:
            assert isinstance(outcome, PhotoMetadata)
            json.dumps(metadata_as_dict(outcome))
        assert decodes.count == 0, f"{path.name}: reading metadata decoded pixels: {decodes}"


@pytest.mark.corpus
def test_damaged_iptc_keeps_exif() -> None:
    md = read_metadata(corpus_path("broken", "exiv2-bug444.jpg"))
    assert any("IPTC" in w and "damaged" in w for w in md.warnings)
    assert (md.camera_make, md.camera_model) == ("NIKON", "E5700")
    assert md.date_taken == "2004-12-19T21:11:08"
    assert md.orientation == 1


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["zero_bytes.jpg", "issue_2352_poc.jpg", "broken.png"])
def test_unreadable_contents_are_warnings(name: str) -> None:
    md = read_metadata(corpus_path("broken", name))
    assert md.warnings and all(w.endswith(".") for w in md.warnings)


def test_missing_file_raises_image_read_error(tmp_path: Path) -> None:
    path = tmp_path / "no-such-photo.jpg"
    with pytest.raises(ImageReadError, match="no-such-photo.jpg"):
        read_metadata(path)


def test_folder_raises_image_read_error(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError, match=re.escape(tmp_path.name)):
        read_metadata(tmp_path)


def test_metadata_as_dict_is_json_ready() -> None:
    md = PhotoMetadata(caption="c", keywords=("a", "b"), warnings=("w.",))
    data = metadata_as_dict(md)
    assert json.loads(json.dumps(data)) == data
    assert data["keywords"] == ["a", "b"] and data["orientation"] == 1
    assert set(data) == set(PhotoMetadata.__dataclass_fields__)
