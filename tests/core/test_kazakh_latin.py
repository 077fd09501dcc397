"""Kazakh Cyrillic to the 2021 Latin alphabet, checked against hand-written Latin."""

from hypothesis import given
from hypothesis import strategies as st

from photostory.core.kazakh_latin import to_latin

ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"

# A caption-like sentence holding every letter of the Kazakh Cyrillic alphabet.
EVERY_LETTER = ("Шымкенттегі съезде әнші Ғалия Өмірбекқызы мен Һәкім Ұлықбекұлы Үржардағы "
                "цирк, чемпионат, щетка фабрикасы жайлы эссе жазып, Юлия мен Ёлкаға "
                "«Жаңа уақыт хабары» видеофильмін көрсетті.")
# Written by hand from the alphabet's table, not produced by the code under test.
EVERY_LETTER_LATIN = ("Şymkenttegı sezde änşı Ğaliia Ömırbekqyzy men Häkım Ūlyqbekūly Ürjardağy "
                      "tsirk, chempionat, şetka fabrikasy jaily esse jazyp, İuliia men İolkağa "
                      "«Jaña uaqyt habary» videofilmın körsettı.")


def test_the_sentence_holds_every_kazakh_letter():
    assert len(ALPHABET) == 42
    assert set(ALPHABET) <= set(EVERY_LETTER.lower())


def test_every_letter_in_latin():
    assert to_latin(EVERY_LETTER) == EVERY_LETTER_LATIN


def test_each_capital_letter_alone_in_a_title_cased_word():
    # Every capital as the first letter of a word: the two-letter ones become Ch, Ts, İa...
    words = " ".join(letter.upper() + "ан" for letter in ALPHABET)
    assert to_latin(words).split() == [
        "Aan", "Äan", "Ban", "Van", "Gan", "Ğan", "Dan", "Ean", "İoan", "Jan", "Zan", "İan",
        "İan", "Kan", "Qan", "Lan", "Man", "Nan", "Ñan", "Oan", "Öan", "Pan", "Ran", "San",
        "Tan", "Uan", "Ūan", "Üan", "Fan", "Han", "Han", "Tsan", "Chan", "Şan", "Şan", "an",
        "Yan", "Ian", "an", "Ean", "İuan", "İaan"]


def test_words_in_capitals_stay_in_capitals():
    assert to_latin("АҚШ") == "AQŞ"
    assert to_latin("ЦСКА мен ЯНДЕКС") == "TSSKA men İANDEKS"
    # І is the dotless I, И the dotted İ, in capitals too.
    assert to_latin("ПРЕЗИДЕНТІ ЧЕМПИОНАТҚА") == "PREZİDENTI CHEMPİONATQA"


def test_title_case():
    assert to_latin("Шымкент") == "Şymkent"
    assert to_latin("Чемпионат Яссы Ясауи Ы") == "Chempionat İassy İasaui Y"
    assert to_latin("Я") == "İa"


def test_text_that_is_not_cyrillic_is_kept():
    text = ("Толығырақ: https://akorda.kz/kk/news/123?id=7 — Tokayev, 2024 ж., "
            "iPhone 15 «Astana Open».")
    assert to_latin(text) == ("Tolyğyraq: https://akorda.kz/kk/news/123?id=7 — Tokayev, 2024 j., "
                              "iPhone 15 «Astana Open».")


def test_latin_text_is_returned_unchanged():
    assert to_latin(EVERY_LETTER_LATIN) == EVERY_LETTER_LATIN
    assert to_latin(to_latin(EVERY_LETTER)) == to_latin(EVERY_LETTER)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                      blacklist_characters=[chr(c) for c in range(0x400, 0x530)])))
def test_anything_without_cyrillic_passes_through(text):
    assert to_latin(text) == text


def test_latin_i_typed_in_a_cyrillic_word_is_the_kazakh_i():
    # Typed on a keyboard without Kazakh letters: бiр with a Latin i is бір.
    assert to_latin("бiр кiсi") == "bır kısı"
    assert to_latin("Wi-Fi") == "Wi-Fi"


def test_decomposed_short_i_and_yo():
    assert to_latin("саи\u0306ын е\u0308лка") == "saiyn iolka"


def test_hard_and_soft_signs_are_left_out():
    assert to_latin("съезд, фельдшер, Подъезд") == "sezd, feldşer, Podezd"
