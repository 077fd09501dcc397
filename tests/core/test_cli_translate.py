"""photostory translate: a version from an article text, or derived Latin-script Kazakh."""

from pathlib import Path

import pytest

from cli_support import photostory
from photostory.core.edits import SetPhotoFields
from photostory.core.story import Paragraph, Photo, PhotoGroup, Story
from photostory.core.storyfile import load_story, save_story

KK_LETTERS = "Аа Әә Бб Вв Гг Ғғ Дд Ее Ёё Жж Зз Ии Йй Кк Ққ Лл Мм Нн Ңң Оо Өө Пп Рр Сс Тт Уу Ұұ Үү Фф Хх Һһ Цц Чч Шш Щщ Ъъ Ыы Іі Ьь Ээ Юю Яя"
KK_LATIN = "Aa Ää Bb Vv Gg Ğğ Dd Ee İoio Jj Zz İi İi Kk Qq Ll Mm Nn Ññ Oo Öö Pp Rr Ss Tt Uu Ūū Üü Ff Hh Hh Tsts Chch Şş Şş  Yy Iı  Ee İuiu İaia"


def kk_story(tmp_path: Path) -> Path:
    story = Story(title="Мемлекет басшысы Саранда", language="kk", dateline="САРАН",
                  byline="Қазақпарат", default_credit="akorda.kz")
    story.photos = [Photo(path=tmp_path / f"IMG_{i}.jpg", id=f"p{i}", caption=f"Сурет {i}",
                          alt=f"Зауыт {i}") for i in range(4)]
    story.body = [Paragraph("Мемлекет басшысы зауытқа барды.", id="t1"),
                  PhotoGroup(["p2", "p0"], id="g1"), Paragraph("Өнім.", id="t2"),
                  PhotoGroup(["p1"], id="g2")]
    path = tmp_path / "visit.photostory"
    save_story(story, path)
    return path


def article(tmp_path: Path, text: str, name: str = "ru.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


RU = ("Глава государства посетил Сарань\n\nСАРАНЬ. Президент осмотрел завод.\n\nphoto\n\n"
      "Затем он встретился с рабочими.\n\nphoto\nphoto\n\nФото: akorda.kz\n")


def test_an_article_becomes_a_version_placing_the_source_photos_in_order(tmp_path):
    story = kk_story(tmp_path)
    result = photostory("translate", story, "--language", "RU", "--article", article(tmp_path, RU))
    assert result.returncode == 0, result.stderr
    assert "Added the ru version" in result.stdout and result.stderr == ""
    loaded = load_story(story)
    assert loaded.versions() == ["kk", "ru"]
    ru = loaded.version("ru")
    assert (ru.title, ru.dateline) == ("Глава государства посетил Сарань", "САРАНЬ")
    groups = [b.photo_ids for b in ru.body if isinstance(b, PhotoGroup)]
    # The source version places p2, p0, p1 in that order: so do the ru slots.
    assert groups == [["p2"], ["p0", "p1"]]
    assert [b.text for b in ru.body if isinstance(b, Paragraph)] == [
        "Президент осмотрел завод.", "Затем он встретился с рабочими."]
    # The source version is untouched.
    assert loaded.title == "Мемлекет басшысы Саранда" and loaded.photos[0].caption == "Сурет 0"


def test_slots_and_photos_that_do_not_line_up_are_reported(tmp_path):
    story = kk_story(tmp_path)
    one_slot = article(tmp_path, "Заголовок\n\nТекст.\n\nphoto\n\nФото: Reuters\n")
    result = photostory("translate", story, "--language", "ru", "--article", one_slot)
    assert result.returncode == 0, result.stderr
    assert "photo 1 (IMG_0.jpg) is placed in the kk version but has no slot in the ru version" \
        in result.stderr
    assert "photo 2 (IMG_1.jpg)" in result.stderr and "IMG_2.jpg" not in result.stderr
    assert "'Reuters' was not applied" in result.stderr
    many = article(tmp_path, "Заголовок\n\nphoto\nphoto\nphoto\nphoto\nphoto\n")
    result = photostory("translate", story, "--language", "ru", "--article", many)
    assert "Replaced the ru version" in result.stdout
    assert "2 photo slots left empty: the kk version places 3 photos" in result.stderr
    assert load_story(story).versions() == ["kk", "ru"]


def test_replacing_a_version_from_an_article_keeps_its_captions(tmp_path):
    story = kk_story(tmp_path)
    photostory("translate", story, "--language", "ru", "--article", article(tmp_path, RU))
    loaded = load_story(story)
    loaded.translation("ru").captions["p0"] = "Рабочие"
    save_story(loaded, story)
    result = photostory("translate", story, "--language", "ru", "--article",
                        article(tmp_path, "Новый заголовок\n\nphoto\n"))
    assert result.returncode == 0, result.stderr
    ru = load_story(story).version("ru")
    assert ru.title == "Новый заголовок" and ru.photos[0].caption == "Рабочие"


def test_latin_kazakh_is_derived_from_every_text_and_every_kazakh_letter(tmp_path):
    story = kk_story(tmp_path)
    loaded = load_story(story)
    loaded.photos[3].caption = KK_LETTERS
    save_story(loaded, story)
    result = photostory("translate", story, "--language", "kk-latn", "--from", "kk")
    assert result.returncode == 0, result.stderr
    latn = load_story(story).version("kk-Latn")
    assert latn.title == "Memleket basşysy Saranda"
    assert (latn.dateline, latn.byline) == ("SARAN", "Qazaqparat")
    assert latn.photos[3].caption == KK_LATIN
    assert [p.alt for p in latn.photos[:2]] == ["Zauyt 0", "Zauyt 1"]
    assert [b.text for b in latn.body if isinstance(b, Paragraph)] == [
        "Memleket basşysy zauytqa bardy.", "Önım."]
    assert [b.photo_ids for b in latn.body if isinstance(b, PhotoGroup)] == [["p2", "p0"], ["p1"]]


def test_deriving_again_follows_the_source_but_keeps_hand_edits(tmp_path):
    story = kk_story(tmp_path)
    photostory("translate", story, "--language", "kk-Latn", "--from", "kk")
    loaded = load_story(story)
    latn = loaded.translation("kk-Latn")
    latn.captions["p1"] = "Qolmen jazylğan"
    latn.edited.add("caption:p1")
    # A source text changed by a program that does not derive (an older Photostory).
    loaded.photos[0].caption = "Жаңа"
    loaded.photos[1].caption = "Ескі"
    save_story(loaded, story)
    result = photostory("translate", story, "--language", "kk-Latn", "--from", "kk")
    assert "Replaced the kk-Latn version" in result.stdout
    latn = load_story(story).version("kk-Latn")
    assert [p.caption for p in latn.photos[:2]] == ["Jaña", "Qolmen jazylğan"]


def test_a_source_edit_through_the_core_rederives_and_is_saved(tmp_path):
    story = kk_story(tmp_path)
    photostory("translate", story, "--language", "kk-Latn", "--from", "kk")
    loaded = load_story(story)
    SetPhotoFields(loaded, {"p2": {"alt": "Цех"}}).apply(loaded)
    save_story(loaded, story)
    assert load_story(story).version("kk-Latn").photos[2].alt == "Tseh"


@pytest.mark.parametrize("args, message", [
    (["--language", "xx-nope", "--from", "kk"], '"xx-nope" is not a language tag'),
    (["--language", "en", "--from", "kk"], "en cannot be derived from kk"),
    (["--language", "kk-Latn", "--from", "ru"], "kk-Latn cannot be derived from ru"),
    (["--language", "kk", "--article", "ru.txt"], "kk is the story's source version"),
    (["--language", "ru", "--article", "missing.txt"], "missing.txt"),
])
def test_impossible_versions_are_refused_in_one_line_and_the_story_is_unchanged(
        tmp_path, args, message):
    story = kk_story(tmp_path)
    article(tmp_path, RU)
    before = story.read_bytes()
    result = photostory("translate", story, *args, cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.error_lines) == 1 and message in result.error_lines[0], result.stderr
    assert story.read_bytes() == before


def test_deriving_from_a_version_the_story_lacks_names_its_versions(tmp_path):
    story = Story(title="Title", language="ru")
    path = tmp_path / "s.photostory"
    save_story(story, path)
    result = photostory("translate", path, "--language", "kk-Latn", "--from", "kk")
    assert result.returncode == 1
    assert "s.photostory: has no kk version to derive kk-Latn from (its versions: ru)" \
        in result.error_lines[0]


def test_a_captions_sheet_fills_every_version_and_exports_them_all(tmp_path):
    story = kk_story(tmp_path)
    photostory("translate", story, "--language", "ru", "--article", article(tmp_path, RU))
    photostory("translate", story, "--language", "kk-Latn", "--from", "kk")
    sheet = article(tmp_path, "file,caption,caption:ru,alt:ru\n"
                              "IMG_0.jpg,Жаңа сурет,Новое фото,Завод\n", "captions.csv")
    result = photostory("captions", story, "--import", sheet)
    assert result.returncode == 0, result.stderr
    loaded = load_story(story)
    assert loaded.version("ru").photos[0].caption == "Новое фото"
    assert loaded.version("ru").photos[0].alt == "Завод"
    assert loaded.version("kk-Latn").photos[0].caption == "Jaña suret"  # derived again
    result = photostory("captions", story, "--export", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    header = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "file,caption,credit,alt,caption:ru,alt:ru,caption:kk-Latn,alt:kk-Latn"


def test_check_reports_each_version_by_its_tag(tmp_path):
    story = kk_story(tmp_path)
    photostory("translate", story, "--language", "ru", "--article",
               article(tmp_path, "Заголовок\n\nphoto\n"))
    result = photostory("check", story)
    lines = result.stdout.splitlines()
    assert "warning: Photo 3 (ru): has no caption." in lines
    # The one ru slot takes the first photo the kk article places (photo 3); not the others.
    assert "warning: Photo 1 (ru): is placed in the kk article but not in the ru one." in lines
    assert "warning: Photo 2 (ru): is placed in the kk article but not in the ru one." in lines
    assert not any("Photo 3 (ru): is placed" in line for line in lines)


def test_export_writes_the_version_asked_for(tmp_path):
    from html.parser import HTMLParser

    from PIL import Image

    story_path = kk_story(tmp_path)
    for i in range(4):
        Image.new("RGB", (640, 480), (40 * i, 90, 120)).save(tmp_path / f"IMG_{i}.jpg")
    photostory("translate", story_path, "--language", "ru", "--article", article(tmp_path, RU))
    photostory("captions", story_path, "--import",
               article(tmp_path, "file,caption:ru,alt:ru\nIMG_2.jpg,Рабочие у линии,Конвейер\n",
                       "ru.csv"))
    result = photostory("export", story_path, "--language", "ru", "-o", tmp_path / "ru")
    assert result.returncode == 0, result.stderr

    class Page(HTMLParser):
        lang, alts = "", []

        def handle_starttag(self, tag, attrs):
            if tag == "html":
                self.lang = dict(attrs).get("lang", "")
            if tag == "img":
                self.alts.append(dict(attrs).get("alt"))

    page = Page()
    html = (tmp_path / "ru" / "index.html").read_text(encoding="utf-8")
    page.feed(html)
    assert page.lang == "ru" and page.alts[0] == "Конвейер"
    assert "Глава государства посетил Сарань" in html and "Рабочие у линии" in html
    assert "Мемлекет басшысы" not in html and "Фото:" in html
    result = photostory("export", story_path, "--language", "en", "-o", tmp_path / "en")
    assert result.returncode == 1
    assert "visit.photostory: has no en version (its versions: kk, ru)." in result.error_lines[0]
