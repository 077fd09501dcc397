"""Language tags checked and normalised, an article's language guessed, languages named."""

import pytest

from photostory.core.languages import detect_language, language_name, language_tag
from photostory.errors import LanguageError, PhotostoryError

KAZAKH = ("Мемлекет басшысы Сарандағы зауытқа барып, жұмысшылармен кездесті. "
          "Президент кәсіпорынның жаңа цехын аралап, өнім сапасы туралы сұрады.")
RUSSIAN = ("Глава государства посетил завод в Сарани и встретился с рабочими. "
           "Президент осмотрел новый цех предприятия, а затем вернулся в Ақорда.")
ENGLISH = ("The Head of State visited the plant in Saran and met its workers. "
           "He was greeted with «Қош келдіңіз!» at the gate.")


@pytest.mark.parametrize("given, tag", [
    ("kk", "kk"), ("kk-latn", "kk-Latn"), ("KK-LATN", "kk-Latn"), ("EN", "en"),
    ("en_US", "en-US"), ("ru-ru", "ru-RU"), ("zh-hant", "zh-Hant"), (" uz ", "uz"),
    # Cyrillic is how Kazakh is written unless said otherwise: kk-Cyrl is kk.
    ("kk-Cyrl", "kk"),
])
def test_tags_are_normalised(given, tag):
    assert language_tag(given) == tag


@pytest.mark.parametrize("garbage", ["xx-!!", "", "english", "xx", "und", "kk--Latn", "12"])
def test_garbage_is_refused_with_the_tag_named(garbage):
    with pytest.raises(LanguageError) as caught:
        language_tag(garbage)
    assert isinstance(caught.value, PhotostoryError)
    assert str(caught.value) == (f'"{garbage}" is not a language tag '
                                 "(use a BCP 47 tag such as kk, ru, en or kk-Latn).")


def test_kazakh_article_is_kazakh():
    assert detect_language(KAZAKH) == "kk"


def test_russian_article_quoting_a_kazakh_name_stays_russian():
    assert detect_language(RUSSIAN) == "ru"


def test_english_article_quoting_kazakh_stays_english():
    assert detect_language(ENGLISH) == "en"


def test_kazakh_typed_with_a_latin_i_is_kazakh():
    # Keyboards without Kazakh letters: бiр, кiсi with the Latin i.
    assert detect_language("Бiр кiсi келдi, ол бiздiң ауылда тұрады.") == "kk"


def test_text_without_letters_is_english():
    assert detect_language("") == "en"
    assert detect_language("2024 — 15:30") == "en"


@pytest.mark.parametrize("tag, name", [
    ("kk", "Қазақша"), ("kk-Latn", "Qazaqşa"), ("kk-latn", "Qazaqşa"), ("ru", "Русский"),
    ("en", "English"), ("EN", "English"), ("kk-KZ", "Қазақша"), ("kk-Latn-KZ", "Qazaqşa"),
    # CLDR's autonyms, capitalised as a menu entry starts where the language has capitals.
    ("fr", "Français"), ("de", "Deutsch"), ("uz", "O‘zbek"), ("tr", "Türkçe"),
    ("zh", "中文"), ("zh-Hant", "中文（繁體）"),
])
def test_languages_are_named_in_themselves(tag, name):
    assert language_name(tag) == name


def test_a_language_without_a_known_name_is_shown_by_its_tag():
    assert language_name("qaa") == "qaa"


def test_naming_garbage_is_refused():
    with pytest.raises(LanguageError):
        language_name("xx-!!")
