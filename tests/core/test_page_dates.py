"""Exported pages dated and counted in the story's language (CLDR through Babel), the time
shown when the story has one, what is not a date shown as typed, and a language
Photostory has no words for: English labels with the page's own ``lang``."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from htmlcheck import Page
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.kazakh_latin import to_latin
from photostory.core.page_dates import published_display
from photostory.core.page_words import page_words, photo_count
from photostory.core.storyfile import load_story
from photostory.resources import sample_story

OCTOBER_5 = dt.date(2022, 10, 5)
#: CLDR joins "2022" and "г." with a narrow no-break space, so a line never breaks there.
NNBSP = "\u202f"


@pytest.mark.parametrize(("language", "locale", "by_hand"), [
    ("en", "en_GB", "5 October 2022"),
    ("ru", "ru", f"5 октября 2022{NNBSP}г."),
    ("kk", "kk", None),  # whatever CLDR says ("2022 ж. 5 қазан" in CLDR 47)
    ("ru-KZ", "ru_KZ", f"5 октября 2022{NNBSP}г."),
    ("en-US", "en_US", "October 5, 2022"),
])
def test_date_is_cldrs_long_date_of_the_language(language, locale, by_hand):
    shown = published_display("2022-10-05", language)
    assert shown == format_date(OCTOBER_5, format="long", locale=locale)
    if by_hand:
        assert shown == by_hand


def test_kazakh_date_has_the_kazakh_month_name():
    shown = published_display("2022-10-05", "kk")
    assert "қазан" in shown and "2022" in shown and "5" in shown


def test_latin_kazakh_is_the_kazakh_date_in_latin_letters():
    shown = published_display("2022-10-05", "kk-Latn")
    assert shown == to_latin(format_date(OCTOBER_5, format="long", locale="kk"))
    assert "qazan" in shown
    assert not any("\u0400" <= char <= "\u04ff" for char in shown)


@pytest.mark.parametrize(("published", "language", "expected"), [
    ("2022-10-05T15:44", "en", "5 October 2022, 15:44"),
    ("2022-10-05T15:44", "ru", f"5 октября 2022{NNBSP}г., 15:44"),
    ("2022-10-05 15:44:30", "ru", f"5 октября 2022{NNBSP}г., 15:44"),
    # The desk's wall clock as written: an offset never moves the time shown.
    ("2022-10-05T15:44+06:00", "en", "5 October 2022, 15:44"),
    ("2022-10-05T23:30Z", "ru", f"5 октября 2022{NNBSP}г., 23:30"),
])
def test_time_is_shown_when_the_story_has_one(published, language, expected):
    assert published_display(published, language) == expected


def test_kazakh_time_follows_the_kazakh_date():
    date_only = published_display("2022-10-05", "kk")
    assert published_display("2022-10-05T15:44", "kk") == f"{date_only}, 15:44"


@pytest.mark.parametrize("language", ["en", "ru", "kk", "kk-Latn"])
def test_no_time_is_shown_for_a_date_alone(language):
    assert ":" not in published_display("2022-10-05", language)


@pytest.mark.parametrize("typed", [
    "5 Oct 2022", "2022-13-01", "2022-10-05T25:00", "soon", "2022-10", "20221005",
    "2022-10-05 evening", "",
])
def test_what_is_not_an_iso_date_is_shown_as_typed(typed):
    assert published_display(typed, "ru") == typed


@pytest.mark.parametrize("language", ["tlh", "", "not a tag!", "und", "en-Cyrl"])
def test_a_language_cldr_cannot_date_gets_english(language):
    assert published_display("2022-10-05T15:44", language) == "5 October 2022, 15:44"


def test_kazakh_in_latin_gets_latin_labels():
    words = page_words("kk-Latn")
    assert words["close"] == "Jabu"
    assert words["counter"] == "{n}-foto, barlyğy {total}"
    assert page_words("kk")["close"] == "Жабу"


@pytest.mark.parametrize(("language", "counts"), [
    ("en", ["1 photo", "2 photos", "5 photos", "21 photos", "1,234 photos"]),
    ("ru", ["1 фото", "2 фото", "5 фото", "21 фото", "1\u00a0234 фото"]),
    ("kk", ["1 фото", "2 фото", "5 фото", "21 фото", "1\u00a0234 фото"]),
    ("kk-Latn", ["1 foto", "2 foto", "5 foto", "21 foto", "1\u00a0234 foto"]),
    ("uz", ["1 photo", "2 photos", "5 photos", "21 photos", "1,234 photos"]),
])
def test_photos_are_counted_in_the_words_language(language, counts):
    assert [photo_count(n, language) for n in (1, 2, 5, 21, 1234)] == counts


@pytest.mark.parametrize(("language", "date", "viewer", "close", "counter"), [
    ("ru", f"5 октября 2022{NNBSP}г., 15:44", "Просмотр фотографий", "Закрыть", "{n} из {total}"),
    # Photostory has no Uzbek words: English labels, Uzbek date from CLDR, lang="uz".
    ("uz", format_date(OCTOBER_5, format="long", locale="uz") + ", 15:44",
     "Photo viewer", "Close", "{n} of {total}"),
])
def test_exported_page_dates_and_labels(tmp_path, language, date, viewer, close, counter):
    story = load_story(sample_story())
    story.language = language
    story.published = "2022-10-05T15:44"
    export_story(story, tmp_path / "out", ExportOptions(workers=1))
    index = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert index.find("html")[0].attrs["lang"] == language
    for name in ("index.html", "embed.html"):
        page = Page((tmp_path / "out" / name).read_text(encoding="utf-8"))
        (article,) = page.find("article", "photostory")
        assert article.attrs["lang"] == language
        assert article.attrs["data-ps-counter"] == counter
        (time,) = page.find("time")
        assert time.attrs["datetime"] == "2022-10-05T15:44"
        assert time.text == date
        (dialog,) = page.find("dialog", "ps-lightbox")
        assert dialog.attrs["aria-label"] == viewer
        assert page.find("button", "ps-lb-close")[0].attrs["aria-label"] == close
