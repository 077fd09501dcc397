"""Any version by its tag (core/version_fields), an article applied to a version
(core/article_to_version) and the story's date as typed (core/published)."""

from __future__ import annotations

from pathlib import Path

import pytest

from photostory.core.article import article_from_html, parse_article
from photostory.core.article_to_version import article_change
from photostory.core.edits import NoChange, insert_paragraph
from photostory.core.preflight import Finding
from photostory.core.published import could_become_published, normalise_published
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story, Translation
from photostory.core.version_fields import (body_edit, findings_for, paragraph_edit, photo_text,
                                            set_photo_text_edit, set_text_edit)


def two_versions() -> Story:
    photos = [Photo(Path(f"/p/{n}.jpg"), id=f"p{n}", caption=f"Caption {n}") for n in range(3)]
    story = Story(title="Visit", language="en", photos=photos,
                  body=[Paragraph("One.", id="t1"), PhotoGroup(["p0", "p1"], id="g1")])
    story.translations = [Translation("ru", title="Визит", body=[
        Paragraph("Один.", id="r1"), PhotoGroup(["p0", "p1"], id="rg")], captions={"p0": "Подпись"})]
    return story


def test_texts_and_captions_by_tag_and_their_edits_undo() -> None:
    story = two_versions()
    photo = story.photos[0]
    assert (photo_text(story, "en", photo, "caption"), photo_text(story, "ru", photo, "caption")) == (
        "Caption 0", "Подпись")
    assert photo_text(story, "ru", photo, "credit") == ""  # shared fields are the photo's
    edit = set_text_edit(story, "ru", {"title": "Визит в Сарань"})
    edit.apply(story)
    assert story.translation("ru").title == "Визит в Сарань" and story.title == "Visit"
    edit.revert(story)
    assert story.translation("ru").title == "Визит"
    edit = set_photo_text_edit(story, "ru", ["p0", "p1"], "alt", "Вид")
    edit.apply(story)
    assert story.translation("ru").alts == {"p0": "Вид", "p1": "Вид"} and photo.alt == ""
    credit = set_photo_text_edit(story, "ru", ["p0"], "credit", "akorda.kz")
    credit.apply(story)
    assert photo.credit == "akorda.kz"  # one credit for every version


def test_body_edits_and_typing_a_versions_paragraph_merge_into_one_step() -> None:
    story = two_versions()
    edit = body_edit(story, "ru", lambda view: insert_paragraph(view, 2, "Два."))
    edit.apply(story)
    assert [b.id for b in story.body] == ["t1", "g1"]
    assert story.translation("ru").body[2].text == "Два."
    first = paragraph_edit(story, "ru", "r1", "Один")
    first.apply(story)
    second = paragraph_edit(story, "ru", "r1", "Од")
    second.apply(story)
    assert first.merge(second)
    assert not first.merge(paragraph_edit(story, "ru", story.translation("ru").body[2].id, "X"))
    first.revert(story)
    assert story.translation("ru").body[0].text == "Один."
    with pytest.raises(NoChange):
        paragraph_edit(story, "ru", "r1", "Один.")


def test_findings_of_a_version_keep_the_shared_ones() -> None:
    story = two_versions()
    findings = [Finding("p0", "0.jpg", "missing_caption", "Photo 1 (0.jpg): has no caption.", "warning"),
                Finding("p0", "0.jpg", "missing_file", "Photo 1 (0.jpg): missing.", "error"),
                Finding("p1", "1.jpg", "missing_caption", "Photo 2 (ru): has no caption.", "warning", "ru")]
    assert [f.rule for f in findings_for(story, findings, "en")] == ["missing_caption", "missing_file"]
    assert [f.message for f in findings_for(story, findings, "ru")] == [
        "Photo 1 (0.jpg): missing.", "Photo 2 (ru): has no caption."]


def test_an_html_article_into_a_version_fills_only_its_empty_captions() -> None:
    story = two_versions()
    article = article_from_html("<h1>Визит</h1><p>Текст.</p><figure><img src='a.jpg' alt='A'>"
                                "<figcaption>Первая</figcaption></figure><figure><img src='b.jpg' "
                                "alt='Вторая'></figure>")
    change = article_change(story, "ru", article, "the clipboard")
    assert change.edit is not None
    change.edit.apply(story)
    ru = story.translation("ru")
    assert ru.captions == {"p0": "Подпись", "p1": "Вторая"}
    assert change.notes == ["1 caption taken from the article's pictures, for photos that had none."]
    change.edit.revert(story)
    assert story.translation("ru").captions == {"p0": "Подпись"}


def test_an_article_into_the_source_with_too_few_photos_offers_no_captions() -> None:
    story = two_versions()
    article = parse_article("Title\n\nText.\n\n[photo]\n[photo]\n[photo]\n[photo]\n")
    change = article_change(story, "en", article, "a.txt")
    assert change.notes == ["1 photo slot stayed empty: import more photos, then drag them into "
                            "the article."]


@pytest.mark.parametrize("typed, stored", [
    ("", ""), ("2022-10-05", "2022-10-05"), ("2022-10-05T15:44", "2022-10-05T15:44"),
    (" 2022-10-05 15:44 ", "2022-10-05T15:44"), ("2022-10-05T15:44:10+05:00", "2022-10-05T15:44:10+05:00"),
])
def test_dates_as_typed(typed: str, stored: str) -> None:
    assert normalise_published(typed) == stored


@pytest.mark.parametrize("typed", ["2022-02-30", "2022-10-05T25:00", "5 October 2022", "2022-10"])
def test_what_is_no_date_is_refused_in_words(typed: str) -> None:
    with pytest.raises(ValueError, match="write the date as YYYY-MM-DD"):
        normalise_published(typed)


def test_half_a_date_could_still_become_one() -> None:
    assert could_become_published("2022-1") and could_become_published("2022-10-05T1")
    assert not could_become_published("2022-13-05") and not could_become_published("5 Oct")
