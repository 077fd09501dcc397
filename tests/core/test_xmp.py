"""Building XMP packets and putting them into JPEGs (photostory.core.metadata.xmp).

What was written is read back with exiftool, an independent reader, and with
read_metadata; the image data is checked byte for byte with a segment walker written
here, separately from the one under test.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from photostory.core.metadata.reading import read_metadata
from photostory.core.metadata.xmp import (
    MAX_XMP_PACKET,
    build_xmp,
    embed_xmp_in_jpeg,
    fit_xmp,
    replace_xmp_in_jpeg_file,
)
from photostory.errors import PhotostoryError, XmpError
from support import corpus_path, require_tool

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"

TEXTS = {
    "english": {
        "caption": "Workers leave the plant after the night shift.\nSecond line of the caption.",
        "headline": "Night shift ends",
        "title": "PLANT-0412",
        "creator": ["Jane Doe", "John Roe"],
        "credit": "Jane Doe / Example News",
        "source": "Example News",
        "copyright": "© 2024 Example News",
        "alt_text": "Three workers in orange vests walk past a gate at dawn.",
        "keywords": ["industry", "labour"],
        "city": "Karaganda",
        "country": "Kazakhstan",
        "date_taken": "2024-03-01T06:15:00+05:00",
    },
    "russian": {
        "caption": "Президент посетил завод в Караганде",
        "headline": "Визит на завод",
        "title": "Завод",
        "creator": ["Иван Петров"],
        "credit": "Иван Петров / РИА",
        "source": "РИА Новости",
        "copyright": "© РИА Новости",
        "alt_text": "Мужчина в костюме пожимает руку рабочему в каске.",
        "keywords": ["промышленность", "визит"],
        "city": "Караганда",
        "country": "Казахстан",
        "date_taken": "2022-10-05T15:12:00+06:00",
    },
    "kazakh": {
        "caption": "Қазақстан Президенті зауытқа барды 🇰🇿",
        "headline": "Президент зауытта",
        "title": "Зауыт",
        "creator": ["Әлия Нұрғалиқызы"],
        "credit": "Әлия Нұрғалиқызы / Kazinform",
        "source": "Kazinform",
        "copyright": "© Kazinform 2022",
        "alt_text": "Президент жұмысшылармен сөйлесіп тұр 🇰🇿",
        "keywords": ["өнеркәсіп", "сапар"],
        "city": "Қарағанды",
        "country": "Қазақстан",
        "date_taken": "2022-10-05",
    },
    "markup": {
        "caption": """<b>Tom & Jerry</b> say "hi" & 'bye' <!-- not a comment --> ]]>""",
        "headline": "<&>\"'",
        "title": "a < b > c",
        "creator": ["O'Brien & Sons <photo>"],
        "credit": "\"Quoted\" & 'single'",
        "source": "<source/>",
        "copyright": "&copy; is not an entity here",
        "alt_text": "<&>\"'",
        "keywords": ["<tag>", "a&b"],
        "city": "St. John's",
        "country": "\"Country\"",
        "date_taken": "2021-01-02T03:04:05Z",
    },
}


# --------------------------------------------------------------------------- helpers


def pillow_jpeg(*, exif: bool = True, icc: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG with JFIF, optionally EXIF and an ICC profile, and real image data."""
    im = Image.new("RGB", size)
    im.putdata([((x * 7) % 256, (y * 11) % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    kwargs: dict[str, object] = {"quality": 85}
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "TestMake"
        ex[0x0110] = "TestModel"
        ex[0x0112] = 6
        kwargs["exif"] = ex.tobytes()
    if icc:
        kwargs["icc_profile"] = b"\x00" * 128  # Pillow stores it as given; only the segment matters here
    buf = io.BytesIO()
    im.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def walk_jpeg(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """(marker, payload) of each header segment, and the bytes from SOS to the end."""
    assert data[:2] == b"\xff\xd8"
    segments = []
    pos = 2
    while True:
        assert data[pos] == 0xFF, f"no marker at {pos}"
        marker = data[pos + 1]
        if marker == 0xDA:
            return segments, data[pos:]
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length


def xmp_segments(data: bytes) -> list[bytes]:
    return [p for m, p in walk_jpeg(data)[0] if m == 0xE1 and p.startswith(XMP_HEADER)]


def exiftool_json(path: Path, *args: str) -> dict[str, object]:
    exe = require_tool("exiftool")
    result = subprocess.run([exe, "-j", *args, str(path)], capture_output=True, timeout=60, check=True)
    return json.loads(result.stdout.decode("utf-8"))[0]


# --------------------------------------------------------------------------- build_xmp


def test_packet_is_complete_utf8_xmp() -> None:
    packet = build_xmp(TEXTS["russian"])
    text = packet.decode("utf-8")
    assert text.startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>')
    assert text.endswith('<?xpacket end="w"?>')
    root = ET.fromstring(packet)
    ns = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "dc": "http://purl.org/dc/elements/1.1/",
        "photoshop": "http://ns.adobe.com/photoshop/1.0/",
        "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    }
    alt = root.find(".//Iptc4xmpCore:AltTextAccessibility/rdf:Alt/rdf:li", ns)
    assert alt is not None and alt.text == TEXTS["russian"]["alt_text"]
    assert alt.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"
    assert root.find(".//photoshop:Headline", ns).text == "Визит на завод"
    assert [li.text for li in root.findall(".//dc:subject/rdf:Bag/rdf:li", ns)] == ["промышленность", "визит"]
    assert [li.text for li in root.findall(".//dc:creator/rdf:Seq/rdf:li", ns)] == ["Иван Петров"]


def test_packet_is_deterministic() -> None:
    fields = TEXTS["kazakh"]
    reordered = dict(reversed(list(fields.items())))
    assert build_xmp(fields) == build_xmp(dict(fields)) == build_xmp(reordered)
    assert build_xmp(fields) != build_xmp({**fields, "city": "Астана"})


def test_empty_fields_are_omitted() -> None:
    packet = build_xmp({"caption": "Only this", "headline": "", "keywords": [], "creator": ["  "]})
    assert b"Only this" in packet
    for name in (b"Headline", b"dc:subject", b"dc:creator", b"dc:rights", b"AltTextAccessibility"):
        assert name not in packet
    assert b"<rdf:Description" in build_xmp({})  # nothing to say is still a valid packet
    ET.fromstring(build_xmp({}))


def test_strings_for_list_fields_are_split() -> None:
    packet = build_xmp({"keywords": "one, two ,three", "creator": "A; B"})
    assert packet.count(b"<rdf:li>") == 5


def test_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="capton"):
        build_xmp({"capton": "typo"})


def test_bad_date_is_refused() -> None:
    with pytest.raises(XmpError, match="ISO 8601"):
        build_xmp({"date_taken": "5 October 2022"})


def test_characters_xml_cannot_carry_are_dropped() -> None:
    packet = build_xmp({"caption": "bell\x07 and\r\nreturn"})
    ET.fromstring(packet)
    assert b"\x07" not in packet


# --------------------------------------------------------------------------- exact read-back


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_exiftool_reads_back_exactly(tmp_path: Path, language: str) -> None:
    fields = TEXTS[language]
    path = tmp_path / f"{language}.jpg"
    path.write_bytes(embed_xmp_in_jpeg(pillow_jpeg(), build_xmp(fields)))
    tags = exiftool_json(path, "-XMP:all")

    def as_list(value: object) -> list[object]:
        return value if isinstance(value, list) else [value]

    assert tags["Description"] == fields["caption"]
    assert tags["Headline"] == fields["headline"]
    assert tags["Title"] == fields["title"]
    assert as_list(tags["Creator"]) == fields["creator"]
    assert tags["Credit"] == fields["credit"]
    assert tags["Source"] == fields["source"]
    assert tags["Rights"] == fields["copyright"]
    assert tags["AltTextAccessibility"] == fields["alt_text"]
    assert as_list(tags["Subject"]) == fields["keywords"]
    assert tags["City"] == fields["city"]
    assert tags["Country"] == fields["country"]


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_read_metadata_reads_back_what_build_xmp_wrote(tmp_path: Path, language: str) -> None:
    fields = TEXTS[language]
    path = tmp_path / "photo.jpg"
    path.write_bytes(pillow_jpeg())
    replace_xmp_in_jpeg_file(path, build_xmp(fields))
    md = read_metadata(path)
    assert md.caption == fields["caption"]
    assert md.headline == fields["headline"]
    assert md.title == fields["title"]
    assert md.creator == "; ".join(fields["creator"])
    assert md.credit == fields["credit"]
    assert md.source == fields["source"]
    assert md.copyright == fields["copyright"]
    assert md.alt_text == fields["alt_text"]
    assert md.keywords == tuple(fields["keywords"])
    assert md.city == fields["city"]
    assert md.country == fields["country"]
    assert md.date_taken == fields["date_taken"].replace("Z", "+00:00")
    assert (md.camera_make, md.orientation) == ("TestMake", 6)  # EXIF survived
    assert md.warnings == ()


def test_metadata_round_trips_through_build_xmp(tmp_path: Path) -> None:
    """What read_metadata returns can be written back unchanged (creators joined by "; ")."""
    path = tmp_path / "photo.jpg"
    path.write_bytes(pillow_jpeg())
    replace_xmp_in_jpeg_file(path, build_xmp(TEXTS["english"]))
    first = read_metadata(path)
    fields = {
        name: getattr(first, name)
        for name in ("caption", "headline", "title", "creator", "credit", "source", "copyright",
                     "alt_text", "keywords", "city", "country", "date_taken")
    }
    replace_xmp_in_jpeg_file(path, build_xmp(fields))
    assert read_metadata(path) == first


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["metadata", "real"])
def test_whatever_read_metadata_finds_can_be_written_back(folder: str) -> None:
    """Export writes imported fields back; no photographer's data may make build_xmp fail."""
    names = ("caption", "headline", "title", "creator", "credit", "source", "copyright",
             "alt_text", "keywords", "city", "country", "date_taken")
    for path in sorted(corpus_path(folder).iterdir()):
        md = read_metadata(path)
        packet = build_xmp({name: getattr(md, name) for name in names})
        ET.fromstring(packet)
        assert len(packet) <= MAX_XMP_PACKET, path.name


# --------------------------------------------------------------------------- JPEG surgery


def test_xmp_goes_after_jfif_and_exif() -> None:
    original = pillow_jpeg()
    out = embed_xmp_in_jpeg(original, build_xmp({"caption": "x"}))
    markers = [(m, p[:4]) for m, p in walk_jpeg(out)[0]]
    assert markers[:4] == [(0xE0, b"JFIF"), (0xE1, b"Exif"), (0xE1, b"http"), (0xE2, b"ICC_")]
    before, after = walk_jpeg(original), walk_jpeg(out)
    assert [s for s in after[0] if not s[1].startswith(XMP_HEADER)] == before[0]
    assert after[1] == before[1]


def test_xmp_goes_right_after_soi_without_app0(tmp_path: Path) -> None:
    bare = pillow_jpeg(exif=False, icc=False)
    segments, scan = walk_jpeg(bare)
    no_jfif = b"\xff\xd8" + b"".join(
        bytes([0xFF, m]) + (len(p) + 2).to_bytes(2, "big") + p for m, p in segments if m != 0xE0
    ) + scan
    out = embed_xmp_in_jpeg(no_jfif, b"<x/>")
    assert walk_jpeg(out)[0][0] == (0xE1, XMP_HEADER + b"<x/>")


@pytest.mark.corpus
def test_replacing_in_a_file_keeps_image_data_byte_identical(tmp_path: Path) -> None:
    # canon-ixus.jpg: real camera file whose EXIF carries a JPEG thumbnail (a second SOS).
    path = tmp_path / "canon-ixus.jpg"
    shutil.copyfile(corpus_path("real", "canon-ixus.jpg"), path)
    before = path.read_bytes()
    replace_xmp_in_jpeg_file(path, build_xmp(TEXTS["russian"]))
    replace_xmp_in_jpeg_file(path, build_xmp(TEXTS["kazakh"]))
    after = path.read_bytes()
    (seg_before, scan_before), (seg_after, scan_after) = walk_jpeg(before), walk_jpeg(after)
    assert scan_after == scan_before  # SOS to EOI (and beyond) untouched
    assert scan_after.endswith(b"\xff\xd9")
    assert len(xmp_segments(after)) == 1
    assert [s for s in seg_after if not s[1].startswith(XMP_HEADER)] == seg_before
    tags = exiftool_json(path, "-Make", "-Model", "-XMP:Description")
    assert (tags["Make"], tags["Model"]) == ("Canon", "Canon DIGITAL IXUS")
    assert tags["Description"] == TEXTS["kazakh"]["caption"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canon-ixus.jpg"]  # no temp file left


def test_replacing_twice_leaves_exactly_one_xmp_segment(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(pillow_jpeg())
    for language in ("english", "russian"):
        replace_xmp_in_jpeg_file(path, build_xmp(TEXTS[language]))
    data = path.read_bytes()
    assert len(xmp_segments(data)) == 1
    assert data.count(XMP_HEADER) == 1
    assert read_metadata(path).caption == TEXTS["russian"]["caption"]


@pytest.mark.corpus
def test_replacing_existing_xmp_keeps_iptc_and_drops_extended_xmp(tmp_path: Path) -> None:
    metapm = tmp_path / "metapm.jpg"
    shutil.copyfile(corpus_path("metadata", "metapm.jpg"), metapm)
    app13_before = [p for m, p in walk_jpeg(metapm.read_bytes())[0] if m == 0xED]
    replace_xmp_in_jpeg_file(metapm, build_xmp({"caption": "New caption"}))
    after = metapm.read_bytes()
    assert [p for m, p in walk_jpeg(after)[0] if m == 0xED] == app13_before
    assert len(xmp_segments(after)) == 1
    md = read_metadata(metapm)
    assert md.caption == "New caption"
    assert md.title == "OBJECT_NAME"  # not in the new XMP: the untouched IIM still answers

    extended = tmp_path / "ExtendedXMP.jpg"
    shutil.copyfile(corpus_path("metadata", "ExtendedXMP.jpg"), extended)
    replace_xmp_in_jpeg_file(extended, build_xmp({"caption": "x"}))
    assert b"http://ns.adobe.com/xmp/extension/" not in extended.read_bytes()


@pytest.mark.corpus
def test_junk_between_segments_is_kept(tmp_path: Path) -> None:
    original = corpus_path("broken", "junk_jpeg_header.jpg").read_bytes()
    out = embed_xmp_in_jpeg(original, build_xmp({"caption": "junk"}))
    assert len(out) == len(original) + len(build_xmp({"caption": "junk"})) + len(XMP_HEADER) + 4
    path = tmp_path / "junk.jpg"
    path.write_bytes(out)
    assert read_metadata(path).caption == "junk"
    with Image.open(io.BytesIO(original)) as a, Image.open(path) as b:
        assert a.tobytes() == b.tobytes()


def test_not_a_jpeg_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    with pytest.raises(XmpError, match="not a JPEG"):
        embed_xmp_in_jpeg(buf.getvalue(), build_xmp({"caption": "x"}))
    path = tmp_path / "photo.jpg"  # a PNG with a .jpg name
    path.write_bytes(buf.getvalue())
    with pytest.raises(PhotostoryError):
        replace_xmp_in_jpeg_file(path, build_xmp({"caption": "x"}))
    assert path.read_bytes() == buf.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_truncated_jpeg_is_refused() -> None:
    jpeg = pillow_jpeg()
    with pytest.raises(XmpError, match="truncated"):
        embed_xmp_in_jpeg(jpeg[:40], b"<x/>")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XmpError, match="gone.jpg"):
        replace_xmp_in_jpeg_file(tmp_path / "gone.jpg", b"<x/>")


def test_a_name_as_long_as_the_file_system_allows_still_takes_metadata(tmp_path: Path) -> None:
    """The temporary file beside it once took the whole name plus a suffix: "File name
    too long", and the metadata was not written."""
    path = tmp_path / ("Ж" * 125 + ".jpg")  # 254 bytes, the most most file systems allow
    path.write_bytes(pillow_jpeg())
    replace_xmp_in_jpeg_file(path, build_xmp({"caption": "Long names are fine"}))
    assert read_metadata(path).caption == "Long names are fine"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_packet_size_limit() -> None:
    jpeg = pillow_jpeg(exif=False, icc=False)
    out = embed_xmp_in_jpeg(jpeg, b" " * MAX_XMP_PACKET)  # the largest that fits one segment
    assert len(xmp_segments(out)[0]) == len(XMP_HEADER) + 65502
    with pytest.raises(XmpError, match="65,502"):
        embed_xmp_in_jpeg(jpeg, b" " * (MAX_XMP_PACKET + 1))
    with pytest.raises(XmpError):
        embed_xmp_in_jpeg(jpeg, build_xmp({"caption": "Ж" * 40000}))


def test_fit_keeps_what_fits_whole_and_cuts_the_longest_to_one_size() -> None:
    fields = {"caption": "Short caption.", "credit": "Ж&" * 30000, "copyright": "©<" * 30000,
              "creator": ["Айгүл Сәрсенова"] * 9000, "keywords": "завод, " * 9000,
              "date_taken": "2022-10-05T15:12:00+06:00"}
    packet, shortened, dropped = fit_xmp(fields)
    assert len(packet) <= MAX_XMP_PACKET and dropped == []
    assert sorted(shortened) == ["copyright", "creator", "credit", "keywords"]
    root = ET.fromstring(packet)
    assert "Short caption." in ET.tostring(root, encoding="unicode")
    assert "2022-10-05T15:12:00+06:00" in ET.tostring(root, encoding="unicode")
    assert fit_xmp({"caption": "Short."}) == (build_xmp({"caption": "Short."}), [], [])


def test_fit_leaves_out_what_cannot_fit_even_cut() -> None:
    fields = {"caption": "Ж" * 5000, "date_taken": "2022-10-05", "credit": "Agency " * 500}
    room = len(build_xmp({})) + 120  # the caption's tags and a few letters, no more
    packet, shortened, dropped = fit_xmp(fields, limit=room)
    assert len(packet) <= room
    assert "date_taken" in dropped and "2022" not in packet.decode()
    assert set(shortened) | set(dropped) == set(fields)
