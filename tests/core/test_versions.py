"""Language versions of one story: the model, its edits with undo, derived Latin Kazakh."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edit_history import History
from photostory.core.derive import derive
from photostory.core.edits import (NoChange, RemovePhotos, SetParagraphText, SetPhotoFields,
                                   SetStoryFields)
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story, StoryEventKind, Translation
from photostory.core.version_edits import (AddVersion, RemoveVersion, SetVersionBody,
                                           SetVersionCaptions, SetVersionFields)
from photostory.errors import LanguageError


def kk_story() -> Story:
    story = Story(title="Президент Сарандағы зауытта болды", language="kk", dateline="САРАН",
                  byline="Қазақпарат", default_credit="akorda.kz")
    story.photos = [Photo(path=Path(f"/photos/{i}.jpg"), id=f"p{i}", caption=f"Жұмысшылар {i}",
                          alt=f"Автобус {i}") for i in range(3)]
    story.body = [Paragraph("Мемлекет басшысы зауытқа барды.", id="t1"),
                  PhotoGroup(["p0", "p1"], id="g1"), Paragraph("Өндіріс өсті.", id="t2"),
                  PhotoGroup(["p2"], id="g2")]
    return story


def ru_version() -> Translation:
    return Translation("ru", title="Президент посетил завод в Сарани",
                       body=[Paragraph("Глава государства посетил завод."),
                             PhotoGroup(["p0", "p1", "p2"])],
                       captions={"p0": "Рабочие 0", "p1": "Рабочие 1"}, alts={"p0": "Автобус"})


def test_a_version_is_a_plain_story_with_its_texts_and_the_shared_photos():
    story = kk_story()
    History(story).push(AddVersion(story, ru_version()))
    assert story.versions() == ["kk", "ru"]
    ru = story.version("ru")
    assert (ru.language, ru.title) == ("ru", "Президент посетил завод в Сарани")
    assert [p.caption for p in ru.photos] == ["Рабочие 0", "Рабочие 1", ""]
    assert [p.alt for p in ru.photos] == ["Автобус", "", ""]
    assert [p.id for p in ru.photos] == [p.id for p in story.photos]
    assert ru.default_credit == "akorda.kz" and ru.credit_line("akorda.kz") == "Фото: akorda.kz"
    assert ru.translations == [] and story.version("kk").title == story.title
    # The view is a copy: changing it leaves the story alone.
    ru.photos[0].caption = "x"
    assert story.translation("ru").captions["p0"] == "Рабочие 0"
    with pytest.raises(KeyError):
        story.version("en")


def test_adding_replacing_and_removing_versions_is_undone_with_events():
    story = kk_story()
    events = []
    story.subscribe(events.append)
    history = History(story)
    history.push(AddVersion(story, ru_version()))
    assert events[-1].kind == StoryEventKind.VERSIONS_CHANGED and events[-1].names == ("ru",)
    history.push(AddVersion(story, Translation("ru", title="Другой")))
    assert story.versions() == ["kk", "ru"] and story.translation("ru").title == "Другой"
    history.push(RemoveVersion(story, "ru"))
    assert story.versions() == ["kk"]
    history.undo()
    assert story.translation("ru").title == "Другой"
    history.undo()
    assert story.translation("ru").title == "Президент посетил завод в Сарани"
    history.undo()
    assert story.versions() == ["kk"]
    with pytest.raises(LanguageError, match="source version"):
        AddVersion(story, Translation("kk"))
    with pytest.raises(LanguageError, match="source version"):
        RemoveVersion(story, "kk")


def test_version_fields_captions_and_body_edits_undo():
    story = kk_story()
    history = History(story)
    history.push(AddVersion(story, ru_version()))
    history.push(SetVersionFields(story, "ru", {"byline": "Казинформ", "credit_prefix": "Фото"}))
    history.push(SetVersionCaptions(story, "ru", {"p2": "Рабочие 2"}, {"p1": "Цех"}))
    history.push(SetVersionBody(story, "ru", [Paragraph("Один абзац.")]))
    ru = story.version("ru")
    assert ru.byline == "Казинформ" and ru.credit_line("x") == "Фото x"
    assert ru.photos[2].caption == "Рабочие 2" and ru.photos[1].alt == "Цех"
    assert ru.placed_ids() == set()
    for _ in range(3):
        history.undo()
    assert story.version("ru") .byline == "" and story.version("ru").placed_ids() == {"p0", "p1", "p2"}
    assert story.version("ru").photos[2].caption == ""


def test_removing_a_photo_takes_it_out_of_every_version_and_undo_puts_it_back():
    story = kk_story()
    history = History(story)
    history.push(AddVersion(story, ru_version()))
    history.push(RemovePhotos(story, ["p1"]))
    assert story.translation("ru").placed_ids() == {"p0", "p2"}
    history.undo()
    assert story.translation("ru").body[1].photo_ids == ["p0", "p1", "p2"]


def test_source_language_cannot_become_another_versions_tag():
    story = kk_story()
    History(story).push(AddVersion(story, ru_version()))
    with pytest.raises(LanguageError, match="already has a ru version"):
        SetStoryFields(story, {"language": "ru"})


LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"


def test_latin_kazakh_is_derived_from_every_text_of_the_kazakh_version():
    story = kk_story()
    story.photos[0].caption = LETTERS
    latn = derive(story, "kk-Latn", "kk")
    assert latn.derived_from == "kk" and latn.edited == set()
    assert latn.title == "Prezident Sarandağy zauytta boldy"
    assert latn.dateline == "SARAN" and latn.byline == "Qazaqparat"
    assert latn.captions["p0"] == "Ää Ğğ Qq Ññ Öö Ūū Üü Hh Iı"
    assert latn.alts["p1"] == "Avtobus 1"
    assert [b.text for b in latn.body if isinstance(b, Paragraph)] == [
        "Memleket basşysy zauytqa bardy.", "Öndırıs östı."]
    assert [b.photo_ids for b in latn.body if isinstance(b, PhotoGroup)] == [["p0", "p1"], ["p2"]]
    with pytest.raises(LanguageError, match="cannot be derived"):
        derive(story, "en", "kk")


def test_a_derived_version_follows_its_source_until_edited_by_hand():
    story = kk_story()
    history = History(story)
    history.push(AddVersion(story, derive(story, "kk-Latn", "kk")))
    history.push(SetPhotoFields(story, {"p0": {"caption": "Жаңа"}}))
    assert story.translation("kk-Latn").captions["p0"] == "Jaña"
    history.push(SetParagraphText(story, "t1", "Қала"))
    assert story.translation("kk-Latn").body[0].text == "Qala"
    history.push(SetStoryFields(story, {"title": "Ақорда"}))
    assert story.translation("kk-Latn").title == "Aqorda"
    # Hand edits in the derived version stay through later source edits.
    history.push(SetVersionCaptions(story, "kk-Latn", {"p0": "Jaña jūmys"}))
    history.push(SetVersionFields(story, "kk-Latn", {"title": "Aqorda (hand)"}))
    history.push(SetPhotoFields(story, {"p0": {"caption": "Ескі"}, "p1": {"caption": "Бір"}}))
    history.push(SetStoryFields(story, {"title": "Астана"}))
    latn = story.translation("kk-Latn")
    assert latn.captions["p0"] == "Jaña jūmys" and latn.captions["p1"] == "Bır"
    assert latn.title == "Aqorda (hand)"
    # Undo of a source edit puts the derived text back as it was too.
    history.undo()
    history.undo()
    assert story.translation("kk-Latn").captions["p1"] == "Jūmysşylar 1"


def test_undo_of_a_source_edit_sends_a_versions_event_for_the_derived_version():
    story = kk_story()
    history = History(story)
    history.push(AddVersion(story, derive(story, "kk-Latn", "kk")))
    events = []
    story.subscribe(events.append)
    history.push(SetPhotoFields(story, {"p2": {"alt": "Зауыт"}}))
    history.undo()
    kinds = [(e.kind, e.names) for e in events]
    assert kinds.count((StoryEventKind.VERSIONS_CHANGED, ("kk-Latn",))) == 2


def test_typing_into_a_versions_caption_is_one_undo_step():
    story = kk_story()
    history = History(story)
    history.push(AddVersion(story, ru_version()))
    for text in ("Р", "Ра", "Раб"):
        history.push(SetVersionCaptions(story, "ru", {"p2": text}, typing=True))
    assert story.translation("ru").captions["p2"] == "Раб"
    history.undo()
    assert story.translation("ru").captions.get("p2", "") == ""


def test_undoing_a_hand_edit_of_a_derived_version_derives_that_text_again():
    story = kk_story()
    history = History(story)
    history.push(AddVersion(story, derive(story, "kk-Latn", "kk")))
    history.push(SetVersionCaptions(story, "kk-Latn", {"p0": "Qolmen"}))
    history.push(SetVersionFields(story, "kk-Latn", {"title": "Qolmen"}))
    history.undo()
    history.undo()
    latn = story.translation("kk-Latn")
    assert (latn.title, latn.captions["p0"], latn.edited) == (
        "Prezident Sarandağy zauytta boldy", "Jūmysşylar 0", set())
    history.push(SetPhotoFields(story, {"p0": {"caption": "Жаңа"}}))
    assert story.translation("kk-Latn").captions["p0"] == "Jaña"

WORDS = st.sampled_from(["Қала", "Өзен", "Іс", "Астана", ""])
STEPS = st.lists(st.one_of(
    st.tuples(st.just("caption"), st.sampled_from(["p0", "p1", "p2"]), WORDS),
    st.tuples(st.just("title"), WORDS),
    st.tuples(st.just("paragraph"), WORDS),
    st.tuples(st.just("latn caption"), st.sampled_from(["p0", "p1"]), WORDS),
    st.tuples(st.just("ru title"), WORDS),
    st.tuples(st.just("remove"), st.sampled_from(["p0", "p1", "p2"])),
), max_size=8)


@settings(max_examples=60, deadline=None)
@given(STEPS)
def test_undoing_any_mix_of_source_and_version_edits_restores_every_version(steps):
    story = kk_story()
    history = History(story)
    history.push(AddVersion(story, ru_version()))
    history.push(AddVersion(story, derive(story, "kk-Latn", "kk")))
    start = story.snapshot()
    pushed = 0
    for step in steps:
        kind = step[0]
        ids = {p.id for p in story.photos}
        try:
            if kind == "caption" and step[1] in ids:
                history.push(SetPhotoFields(story, {step[1]: {"caption": step[2]}}))
            elif kind == "title":
                history.push(SetStoryFields(story, {"title": step[1]}))
            elif kind == "paragraph":
                history.push(SetParagraphText(story, "t1", step[1], typing=False))
            elif kind == "latn caption" and step[1] in ids:
                history.push(SetVersionCaptions(story, "kk-Latn", {step[1]: step[2]}))
            elif kind == "ru title":
                history.push(SetVersionFields(story, "ru", {"title": step[1]}))
            elif kind == "remove" and step[1] in ids:
                history.push(RemovePhotos(story, [step[1]]))
            else:
                continue
            pushed += 1
        except NoChange:
            pass
    end = story.snapshot()
    for _ in range(pushed):
        history.undo()
    assert story == start
    while history.redo():
        pass
    assert story == end
