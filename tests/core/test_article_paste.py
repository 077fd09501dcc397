"""Articles pasted as they come: whole pages copied from a browser or the CMS."""

from pathlib import Path

import pytest

from cli_support import photostory
from photostory.core.article import article_from_html, parse_article, read_article, recognise_page
from photostory.core.article_paste import looks_like_page, parse_date_time
from photostory.core.storyfile import read_story

# The Qazaq TV / Kazinform page of 5 October 2022 as a browser copies it: site name and
# breadcrumbs, headline, byline, date, the headline again, the text with photo slots, the
# credit, then tags and a "Read also" list.
QAZAQ_TV = """Qazaq TV Телерадиокомпания Президента Казахстана
Main Page  >
  News  >
  President

Tokayev visits bus assembly plant in Saran

Автор:
Temirgaliyeva Arailym
5 October 2022, 15:44
Tokayev visits bus assembly plant in Saran

SARAN. KAZINFORM Head of State Kassym-Jomart Tokayev has visited the SaryarkaAvtoProm bus assembly plant in Saran, Karaganda region.

photo

The President was briefed on the plant's production capacity and its plans to localise parts.

photo
photo

Since 2021 the plant has assembled electric buses and exports them to Russia and Uzbekistan.

Presently the plant employs 560 people.

Photo:akorda.kz



Karaganda region    President of Kazakhstan    Kazakhstan
News
Read also
Kazakhstan, Uzbekistan sign agreement on strategic partnership
Tokayev meets with Karaganda region residents
President holds meeting on the development of the mining sector
Kazakh PM inspects construction of gas pipeline
Tokayev: Kazakhstan to build 3 new cities
Almaty hosts international book fair
Weather forecast for October 6
Kazakhstan's GDP grows 2.8% in January-September
Astana to host forum of regional leaders
Share
Subscribe to our Telegram channel
"""

RUSSIAN = """Казинформ — Международное информационное агентство
Главная / Новости / Президент

Токаев посетил завод по сборке автобусов в Сарани

Автор: Темиргалиева Арайлым
5 октября 2022, 15:44

САРАНЬ. КАЗИНФОРМ – Глава государства Касым-Жомарт Токаев посетил завод «СарыаркаАвтоПром» в Сарани.

[photo]
[photo]

С 2021 года завод собирает электробусы и поставляет их в Россию и Узбекистан.

На заводе работают 560 человек.

Фото: akorda.kz

Карагандинская область   Президент Казахстана
Читайте также
Казахстан и Узбекистан подписали договор о стратегическом партнерстве
Токаев встретился с жителями Карагандинской области
Популярное
В Алматы открылась книжная ярмарка
"""

KAZAKH = """Kazinform — Халықаралық ақпарат агенттігі
Басты бет > Жаңалықтар > Президент

Тоқаев Сарандағы автобус жинау зауытына барды

Автор
Теміргалиева Арайлым
5 қазан 2022, 15:44
Тоқаев Сарандағы автобус жинау зауытына барды

САРАН. ҚАЗАҚПАРАТ – Мемлекет басшысы Қасым-Жомарт Тоқаев «СарыарқаАвтоПром» зауытына барды.

photo

Зауыт 2021 жылдан бері электробустар жинайды.

Фото: akorda.kz

Қарағанды облысы   Президент
Тағы оқыңыз
Қазақстан мен Өзбекстан стратегиялық әріптестік туралы келісімге қол қойды
Тоқаев Қарағанды облысының тұрғындарымен кездесті
"""


@pytest.mark.parametrize("page, title, byline, dateline, agency, paragraphs, slots, notice", [
    pytest.param(QAZAQ_TV, "Tokayev visits bus assembly plant in Saran", "Temirgaliyeva Arailym",
                 "SARAN", "KAZINFORM", 4, 3, "4 lines before the headline: site name and navigation; "
                 "14 lines after the credit: tags and related links", id="qazaq-tv"),
    # The byline on the marker's own line; "Читайте также" and "Популярное" lists.
    pytest.param(RUSSIAN, "Токаев посетил завод по сборке автобусов в Сарани", "Темиргалиева Арайлым",
                 "САРАНЬ", "КАЗИНФОРМ", 3, 2, "2 lines before the headline: site name and navigation; "
                 "6 lines after the credit: tags and related links", id="russian"),
    # "Автор" with no colon, the name on the next line, the headline printed again.
    pytest.param(KAZAKH, "Тоқаев Сарандағы автобус жинау зауытына барды", "Теміргалиева Арайлым",
                 "САРАН", "ҚАЗАҚПАРАТ", 2, 1, "2 lines before the headline: site name and navigation; "
                 "4 lines after the credit: tags and related links", id="kazakh"),
])
def test_pages_as_copied_from_the_browser(page, title, byline, dateline, agency, paragraphs,
                                          slots, notice):
    article = recognise_page(page)
    assert (article.title, article.byline) == (title, byline)
    assert article.published == "2022-10-05T15:44"
    assert (article.dateline, article.agency, article.credit) == (dateline, agency, "akorda.kz")
    # The page keeps the agency as the site prints it, right after the dateline.
    assert article.blocks[0].startswith(agency + " ")
    assert len([b for b in article.blocks if isinstance(b, str)]) == paragraphs
    assert article.slot_count == slots
    assert article.notices == [f"Left out {notice}."]


@pytest.mark.parametrize("line, iso", [
    ("5 October 2022, 15:44", "2022-10-05T15:44"),
    ("5 октября 2022, 15:44", "2022-10-05T15:44"),
    ("5 октября 2022 г., 15:44", "2022-10-05T15:44"),
    ("05.10.2022 15:44", "2022-10-05T15:44"),
    ("5 қазан 2022, 15:44", "2022-10-05T15:44"),
    ("2022 ж. 5 қазан, 15:44", "2022-10-05T15:44"),
    ("12 желтоқсан 2023", "2023-12-12"),
    ("15:44, 1 March 2021", "2021-03-01T15:44"),
    ("Tokayev visits plant on 5 October 2022", ""),
    ("31 February 2022", ""),
])
def test_date_lines_in_english_russian_and_kazakh(line, iso):
    assert parse_date_time(line) == iso


def test_page_without_credit_stops_at_read_also():
    page = ("Site\n\nHeadline here\n\nAuthor: A. Writer\n05.10.2022 15:44\n\n"
            "One.\n\nTwo.\n\nRead also\nOther story\nAnother story\n")
    article = recognise_page(page)
    assert (article.title, article.byline, article.credit) == ("Headline here", "A. Writer", "")
    assert article.blocks == ["One.", "Two."]
    assert article.notices == ["Left out 1 line before the headline: site name and navigation; "
                               "3 lines after the article: tags and related links."]


FIGURES_HTML = """<html><body>
<nav><a href="/"><img src="logo.png" alt="Казинформ"></a><ul><li><a href="/">Главная</a></li><li><a href="/news">Новости</a></li></ul></nav>
<article>
<h1>Токаев посетил завод по сборке автобусов в Сарани</h1>
<p class="author">Автор: Темиргалиева Арайлым</p>
<p class="date">5 октября 2022, 15:44</p>
<p>САРАНЬ. КАЗИНФОРМ – Глава государства Касым-Жомарт Токаев посетил завод &laquo;СарыаркаАвтоПром&raquo;.</p>
<figure><img src="a.jpg" alt="Президент в цехе"><figcaption>Касым-Жомарт Токаев в сборочном цехе</figcaption></figure>
<figure><img src="b.jpg" alt="Электробус"></figure>
<p>С 2021 года завод <b>собирает</b> электробусы.</p>
<p>Фото: akorda.kz</p>
</article>
<div class="tags"><a>Карагандинская область</a></div>
<h2>Читайте также</h2>
<ul><li><img src="t.jpg" alt="Миниатюра"><a>Другая новость</a></li></ul>
<script>var x = "<p>not text</p>";</script>
</body></html>"""

BARE_IMAGES_HTML = """<h1>Tokayev visits bus assembly plant in Saran</h1>
<p>Author: Temirgaliyeva Arailym</p><p>5 October 2022, 15:44</p>
<p>SARAN. KAZINFORM Head of State Kassym-Jomart Tokayev has visited the plant.</p>
<img src="1.jpg" alt="The President at the assembly line">
<p>Since 2021 the plant has assembled electric buses.<br>It exports them.</p>
<p><img src="2.jpg" alt=""></p>
<p>Presently the plant employs 560 people.</p>
<p>Photo:akorda.kz</p>
<p>Karaganda region President of Kazakhstan</p>
<p>Read also</p>
<p>Another headline</p>"""


def test_html_figures_become_slots_with_their_captions():
    article = article_from_html(FIGURES_HTML)
    assert article.title == "Токаев посетил завод по сборке автобусов в Сарани"
    assert article.byline == "Темиргалиева Арайлым"
    assert article.published == "2022-10-05T15:44"
    assert (article.dateline, article.agency) == ("САРАНЬ", "КАЗИНФОРМ")
    assert article.credit == "akorda.kz"
    assert article.blocks[0] == "КАЗИНФОРМ – Глава государства Касым-Жомарт Токаев посетил завод «СарыаркаАвтоПром»."
    assert article.blocks[2] == "С 2021 года завод собирает электробусы."
    assert len([b for b in article.blocks if isinstance(b, str)]) == 2
    assert article.slot_count == 2
    # A figcaption is offered over the image's alt text; alt text alone is offered too.
    assert [s.caption for s in article.blocks[1].slots] == [
        "Касым-Жомарт Токаев в сборочном цехе", "Электробус"]
    # The site's logo and the related links' thumbnails are no slots of the story.
    assert article.notices == ["Left out 3 lines before the headline: site name and navigation; "
                               "4 lines after the credit: tags and related links."]


def test_html_bare_images_between_paragraphs():
    article = article_from_html(BARE_IMAGES_HTML)
    assert article.title == "Tokayev visits bus assembly plant in Saran"
    assert article.byline == "Temirgaliyeva Arailym"
    assert article.published == "2022-10-05T15:44"
    assert (article.dateline, article.agency, article.credit) == ("SARAN", "KAZINFORM", "akorda.kz")
    texts = [b for b in article.blocks if isinstance(b, str)]
    assert texts[1] == "Since 2021 the plant has assembled electric buses. It exports them."
    assert len(texts) == 3
    assert article.slot_count == 2
    captions = [s.caption for b in article.blocks if not isinstance(b, str) for s in b.slots]
    assert captions == ["The President at the assembly line", ""]
    assert article.notices == ["Left out 3 lines after the credit: tags and related links."]


def test_cms_html_with_time_element_and_date_before_the_byline():
    html = ("<p>Kazinform</p><h1>Headline</h1><time datetime='2022-10-05T15:44:10+05:00'>"
            "yesterday</time><p>5 October 2022</p><p>Author: A. Writer</p>"
            "<p>SARAN. NATO leaders met in the city.</p>")
    article = article_from_html(html)
    # The time element's own date and time, not "yesterday", and the printed date agrees.
    assert (article.title, article.byline, article.published) == (
        "Headline", "A. Writer", "2022-10-05T15:44")
    assert (article.dateline, article.agency) == ("SARAN", "")
    page = "Site\n\nHeadline\n5 October 2022, 15:44\nAuthor: A. Writer\n\nText.\n"
    article = recognise_page(page)
    assert (article.title, article.byline, article.published) == (
        "Headline", "A. Writer", "2022-10-05T15:44")
    assert article.blocks == ["Text."]


def test_cms_html_date_only_in_the_time_element():
    html = "<h1>Headline</h1><p>Author: A. Writer</p><time datetime='2022-10-05T15:44'>вчера</time><p>Text.</p>"
    assert article_from_html(html).published == "2022-10-05T15:44"


def test_clean_article_files_are_not_taken_for_pages(tmp_path):
    clean = "Title\n\nSARAN. Author of the plan spoke.\n\nAuthor of many books, he\n\nPhoto: x\n"
    assert not looks_like_page(clean)
    path = tmp_path / "clean.txt"
    path.write_text(clean, encoding="utf-8")
    assert read_article(path) == parse_article(clean)


def test_a_date_deep_in_the_text_of_a_clean_article_stays_text():
    paragraphs = [f"Paragraph {n}." for n in range(1, 16)]
    clean = "\n\n".join(["Title", *paragraphs, "5 October 2022", "Last."])
    assert not looks_like_page(clean)
    assert recognise_page(clean) == parse_article(clean)


def test_read_article_recognises_a_copied_page(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(QAZAQ_TV, encoding="utf-8")
    article = read_article(path)
    assert article.title == "Tokayev visits bus assembly plant in Saran"
    assert article.byline == "Temirgaliyeva Arailym" and article.notices


def test_new_story_from_a_copied_page(tmp_path: Path):
    page = tmp_path / "page.txt"
    page.write_text(QAZAQ_TV, encoding="utf-8")
    result = photostory("new", tmp_path / "saran.photostory", "--article", page)
    assert result.returncode == 0, result.stderr
    story, _ = read_story(tmp_path / "saran.photostory")
    assert story.title == "Tokayev visits bus assembly plant in Saran"
    assert story.byline == "Temirgaliyeva Arailym"
    assert story.published == "2022-10-05T15:44"
    assert story.dateline == "SARAN"
    assert story.default_credit == "akorda.kz"
    # What was left out of the page is said once, naming the file, never silently.
    notices = [line for line in result.stdout.splitlines() if line.startswith("page.txt: Left out")]
    assert len(notices) == 1 and "after the credit" in notices[0], result.stdout
