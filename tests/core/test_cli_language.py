"""photostory new: the story's language given as a BCP 47 tag, or detected from the article."""

import json
from pathlib import Path

import pytest

from cli_support import assert_refused, photostory

DETECTED = "(detected from the article; set it with --language)."


def _article(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _language(story: Path) -> str:
    return json.loads(story.read_text(encoding="utf-8"))["story"]["language"]


KAZAKH = ("Мемлекет басшысы Саран қаласында болды\n\n"
          "САРАН. Мемлекет басшысы зауытқа барып, жұмысшылармен кездесті.\n\n"
          "Президент жаңа цехты аралап, өнім сапасы туралы сұрады.\n")
RUSSIAN = ("Глава государства посетил Сарань\n\n"
           "САРАНЬ. Президент осмотрел завод и встретился с рабочими.\n\n"
           "Затем он вернулся в Ақорда.\n")
ENGLISH = "The Head of State in Saran\n\nSARAN. The President visited the plant.\n"


def test_language_tag_is_stored_normalised(tmp_path):
    story = tmp_path / "visit.photostory"
    result = photostory("new", story, "--article", _article(tmp_path, KAZAKH),
                        "--language", "KK-latn")
    assert result.returncode == 0, result.stderr
    assert _language(story) == "kk-Latn"
    assert "Language:" not in result.stdout  # nothing was guessed


def test_invalid_tag_is_refused_and_nothing_is_created(tmp_path):
    story = tmp_path / "visit.photostory"
    result = photostory("new", story, "--article", _article(tmp_path, KAZAKH),
                        "--language", "xx-!!")
    assert_refused(result, '"xx-!!" is not a language tag',
                   "use a BCP 47 tag such as kk, ru, en or kk-Latn")
    assert not story.exists()


# The Russian article ends on a Kazakh name: one word does not make it Kazakh.
@pytest.mark.parametrize("text, language", [(KAZAKH, "kk"), (RUSSIAN, "ru"), (ENGLISH, "en")])
def test_language_is_detected_from_the_article_and_said(tmp_path, text, language):
    story = tmp_path / "visit.photostory"
    result = photostory("new", story, "--article", _article(tmp_path, text))
    assert result.returncode == 0, result.stderr
    assert f"Language: {language} {DETECTED}" in result.stdout.splitlines()
    assert _language(story) == language
