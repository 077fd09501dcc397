"""Plain-text article import in the shape news sites use."""

from pathlib import Path

import pytest

from photostory.core.article import Slot, SlotGroup, parse_article, place_article_photos, read_article
from photostory.core.story import Paragraph, Photo, PhotoGroup
from photostory.errors import ArticleError

SEED = """President visits bus plant in Saran

SARAN. Head of State Kassym-Jomart Tokayev visited the SaryarkaAvtoProm plant.

[photo]

Since 2021 the plant has assembled electric buses.
It exports them to Russia.

photo
[Photo]
PHOTO
[photo]

Presently the plant employs 560 people.

Photo:akorda.kz
"""


def test_seed_shape_slots_between_paragraphs_and_trailing_credit():
    article = parse_article(SEED)
    assert article.title == "President visits bus plant in Saran"
    assert article.dateline == "SARAN"
    assert article.credit == "akorda.kz"
    assert article.blocks == [
        "Head of State Kassym-Jomart Tokayev visited the SaryarkaAvtoProm plant.",
        SlotGroup([Slot()]),
        "Since 2021 the plant has assembled electric buses. It exports them to Russia.",
        SlotGroup([Slot(), Slot(), Slot(), Slot()]),
        "Presently the plant employs 560 people.",
    ]
    assert article.slot_count == 5


@pytest.mark.parametrize("line, credit", [
    ("Photo: akorda.kz", "akorda.kz"), ("Photo:akorda.kz", "akorda.kz"),
    ("Фото: Ақорда", "Ақорда"), ("photos: Reuters / AP", "Reuters / AP"),
])
def test_trailing_credit_forms(line, credit):
    assert parse_article(f"Title\n\nText.\n\n{line}\n").credit == credit


def test_a_credit_line_that_is_not_last_is_text():
    article = parse_article("Title\n\nPhoto: x\n\nMore text.")
    assert article.credit == "" and article.blocks == ["Photo: x", "More text."]


def test_named_slots_bind_files_and_the_rest_fill_in_order():
    photos = [Photo(path=Path(f"/p/{name}.jpg"), id=name) for name in ("a", "b", "c", "d")]
    article = parse_article("T\n\nOne.\n\n[photo]\n[photo: C.JPG]\n\nTwo.\n\n[photo]\n")
    placement = place_article_photos(article, photos)
    groups = [b.photo_ids for b in placement.body if isinstance(b, PhotoGroup)]
    assert groups == [["a", "c"], ["b"]]
    assert [b.text for b in placement.body if isinstance(b, Paragraph)] == ["One.", "Two."]


def test_more_slots_than_photos_are_counted_and_unknown_names_reported():
    photos = [Photo(path=Path("/p/a.jpg"), id="a")]
    placement = place_article_photos(parse_article("T\n\n[photo: zzz.jpg]\n[photo]\n[photo]"), photos)
    assert [b.photo_ids for b in placement.body] == [["a"]]
    assert placement.unfilled_slots == 2
    assert placement.unknown_names == ["zzz.jpg"]


def test_one_paragraph_per_line_when_the_text_has_no_blank_lines():
    article = parse_article("Title\nFirst paragraph.\n[photo]\nSecond paragraph.\nThird.")
    assert article.blocks == ["First paragraph.", SlotGroup([Slot()]), "Second paragraph.", "Third."]


def test_crlf_bom_and_kazakh_dateline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffТақырып\r\n\r\nАСТАНА. Мемлекет басшысы келді.\r\n".encode("utf-8"))
    article = read_article(path)
    assert article.title == "Тақырып" and article.dateline == "АСТАНА"
    assert article.blocks == ["Мемлекет басшысы келді."]


def test_sentence_starting_with_a_capital_is_not_a_dateline():
    assert parse_article("T\n\nA bus plant opened.").dateline == ""


def test_unreadable_articles_are_reported(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    with pytest.raises(ArticleError, match="latin1.txt: is not UTF-8"):
        read_article(tmp_path / "latin1.txt")
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="empty.txt: the article is empty"):
        read_article(tmp_path / "empty.txt")
