"""Story file format 2: language versions saved and read back, version-1 files still open."""

import json
from pathlib import Path

import pytest

from photostory.core.derive import derive
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story, Translation
from photostory.core.storyfile import FORMAT_VERSION, load_story, save_story
from photostory.errors import StoryFileError


def three_versions(tmp_path: Path) -> Story:
    story = Story(title="Президент зауытта", language="kk", default_credit="akorda.kz")
    story.photos = [Photo(path=tmp_path / f"{i}.jpg", id=f"p{i}", caption=f"Сурет {i}")
                    for i in range(3)]
    story.body = [Paragraph("Бірінші.", id="t1"), PhotoGroup(["p0", "p1", "p2"], id="g1")]
    story.translations = [
        Translation("ru", title="Президент на заводе", byline="Казинформ", dateline="САРАНЬ",
                    body=[Paragraph("Первый."), PhotoGroup(["p0"]), Paragraph("Второй."),
                          PhotoGroup(["p2", "p1"])],
                    captions={"p0": "Фото 0", "p1": "Фото 1"}, alts={"p2": "Цех"},
                    credit_prefix="Фотограф:"),
        derive(story, "kk-Latn", "kk"),
    ]
    story.translations[1].edited = {"caption:p1"}
    story.translations[1].captions["p1"] = "Qolmen"
    return story


def test_versions_are_saved_and_read_back_whole(tmp_path):
    story = three_versions(tmp_path)
    path = tmp_path / "s.photostory"
    save_story(story, path)
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == FORMAT_VERSION == 2
    loaded = load_story(path)
    assert loaded.versions() == ["kk", "ru", "kk-Latn"]
    ru = loaded.version("ru")
    assert (ru.title, ru.byline, ru.dateline, ru.credit_prefix) == (
        "Президент на заводе", "Казинформ", "САРАНЬ", "Фотограф:")
    assert [p.caption for p in ru.photos] == ["Фото 0", "Фото 1", ""]
    assert [p.alt for p in ru.photos] == ["", "", "Цех"]
    assert loaded.translation("ru").body == story.translation("ru").body
    latn = loaded.translation("kk-Latn")
    assert latn.derived_from == "kk" and latn.edited == {"caption:p1"}
    assert latn.captions == {"p0": "Suret 0", "p1": "Qolmen", "p2": "Suret 2"}
    for tag in story.versions():
        saved, read = story.version(tag), loaded.version(tag)
        assert [vars(p) for p in read.photos] == [vars(p) for p in saved.photos]
        assert (read.title, read.body, read.credit_prefix) == (saved.title, saved.body,
                                                               saved.credit_prefix)


def test_a_version_1_file_opens_as_one_version_and_is_saved_as_version_2(tmp_path):
    path = tmp_path / "old.photostory"
    path.write_text(json.dumps({
        "format": "photostory", "version": 1,
        "story": {"title": "Old", "language": "ru"},
        "photos": [{"id": "p1", "path": "a.jpg", "caption": "Подпись"}],
        "body": [{"type": "photos", "id": "g1", "photos": ["p1"]}],
    }), encoding="utf-8")
    story = load_story(path)
    assert story.versions() == ["ru"] and story.photos[0].caption == "Подпись"
    save_story(story, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["translations"] == []
    assert load_story(path).photos[0].caption == "Подпись"


def _doc_with(tmp_path: Path, translation: object) -> Path:
    story = three_versions(tmp_path)
    path = tmp_path / "s.photostory"
    save_story(story, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["translations"] = [translation]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("translation, message", [
    ("ru", "translation 1 should be an object"),
    ({"language": "xx-nonsense-tag"}, "translation 1: 'language' should be a language tag"),
    ({"language": "kk"}, "translation 1 repeats the kk version"),
    ({"language": "ru", "title": 5}, "translation 1: 'title' should be text"),
    ({"language": "ru", "edited": "title"}, "translation 1: 'edited' should be a list of texts"),
    ({"language": "ru", "credit_prefix": False}, "'credit_prefix' should be text"),
    ({"language": "ru", "derived_from": "?"}, "'derived_from' should be a language tag"),
    ({"language": "ru", "photos": {}}, "'translation 1 photos' should be a list"),
    ({"language": "ru", "photos": [{"id": "p0", "caption": ["x"]}]},
     "translation 1 photo 1: 'caption' should be text"),
    ({"language": "ru", "body": [{"type": "video"}]},
     "block 1 of the ru article has an unknown type 'video'"),
])
def test_every_version_field_is_checked_by_type(tmp_path, translation, message):
    path = _doc_with(tmp_path, translation)
    with pytest.raises(StoryFileError) as err:
        load_story(path)
    assert str(err.value).startswith("s.photostory: ") and message in str(err.value)


def test_unknown_photos_in_a_version_are_left_out_with_warnings(tmp_path):
    path = _doc_with(tmp_path, {
        "language": "ru", "derived_from": "en",
        "photos": [{"id": "nope", "caption": "x"}, {"id": "p1", "caption": "Один"}],
        "body": [{"type": "photos", "id": "g", "photos": ["nope", "p1"]}]})
    warnings: list[str] = []
    story = load_story(path, warnings)
    ru = story.translation("ru")
    assert ru.captions == {"p1": "Один"} and ru.placed_ids() == {"p1"}
    assert ru.derived_from is None
    assert len(warnings) == 3 and all(w.startswith("s.photostory: ") for w in warnings)
