"""An export with a base URL: absolute addresses everywhere, one schema.org NewsArticle
that agrees with the renditions' XMP, and social cards for the cover photo."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from htmlcheck import Page, parse_srcset
from photostory.core.export.options import ExportOptions
from photostory.core.export.pipeline import export_story
from photostory.core.export.social import og_locale
from photostory.core.export.structured_data import published_iso
from photostory.core.importing import import_photos
from photostory.core.story import Paragraph, PhotoGroup, Story, Translation
from support import require_tool

BASE = "https://static.example.kz/stories/saran-2022/"
SERIAL = ExportOptions(workers=1)
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def site_story(tmp_path: Path, sizes=((2400, 1600), (1600, 1200), (900, 1200), (3000, 2000))) -> Story:
    folder = tmp_path / "photos"
    folder.mkdir()
    paths = []
    for i, size in enumerate(sizes):
        path = folder / f"photo {i + 1}.jpg"
        Image.new("RGB", size, (50 * i % 255, 120, 200)).save(path, quality=90)
        paths.append(path)
    story = Story(title="Президент посетил завод", byline="Ақорда баспасөз қызметі",
                  dateline="САРАНЬ", language="ru", default_credit="akorda.kz",
                  published="2022-10-05T15:44+06:00", base_url=BASE,
                  license=CC_BY, acquire_license_page="https://akorda.kz/ru/licensing")
    story.photos = import_photos(paths, workers=1).photos
    ids = [p.id for p in story.photos]
    story.body = [Paragraph("Глава государства посетил автобусный завод в Сарани, где работают "
                            "400 человек. " * 3), PhotoGroup(ids[1:3]), Paragraph("Второй."),
                  PhotoGroup([ids[0], ids[3]])]
    for i, photo in enumerate(story.photos):
        photo.caption = f"Подпись {i + 1}: цех «Сарыарқа» & </script><!-- не конец"
        photo.alt = f"Описание {i + 1}"
    story.photos[0].creator = "Айдос Нұрланов; Мария Ким"
    story.photos[3].creator = "Ерлан Омаров"
    story.photos[0].copyright = "© 2022 Akorda"
    story.photos[1].credit = "Reuters"
    story.photos[2].license = "https://example.kz/rights/photo-3"
    story.photos[2].acquire_license_page = "https://example.kz/buy/photo-3"
    return story


def export(story: Story, tmp_path: Path, options: ExportOptions = SERIAL) -> Path:
    out = tmp_path / "out"
    export_story(story, out, options)
    return out


def json_ld_blocks(html: str) -> list[dict]:
    import extruct

    return extruct.extract(html, base_url=BASE + "index.html", syntaxes=["json-ld"])["json-ld"]


def meta(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in Page(html).find("meta"):
        key = element.attrs.get("property") or element.attrs.get("name")
        if key:
            found.setdefault(key, []).append(element.attrs.get("content", ""))
    return found


def exiftool_xmp(paths: list[Path]) -> dict[str, dict]:
    exiftool = require_tool("exiftool")
    run = subprocess.run([exiftool, "-j", "-struct", "-XMP:all", *map(str, paths)],
                         capture_output=True, text=True, check=True)
    return {Path(item["SourceFile"]).name: item for item in json.loads(run.stdout)}


def as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def creator_names(image: dict) -> list[str]:
    return [person["name"] for person in as_list(image.get("creator", []))]


def test_one_news_article_agrees_with_the_xmp_of_every_rendition(tmp_path):
    story = site_story(tmp_path)
    out = export(story, tmp_path)
    html = (out / "index.html").read_text(encoding="utf-8")
    articles = [b for b in json_ld_blocks(html) if b.get("@type") == "NewsArticle"]
    assert len(articles) == 1
    article = articles[0]
    assert article["headline"] == story.title
    assert article["inLanguage"] == Page(html).find("html")[0].attrs["lang"] == "ru"
    assert article["datePublished"] == "2022-10-05T15:44:00+06:00"
    assert article["author"] == [{"@type": "Person", "name": story.byline}]
    assert article["url"] == BASE + "index.html"
    images = article["image"]
    assert len(images) == len(story.photos)
    files = [out / urlsplit(image["contentUrl"]).path.removeprefix(urlsplit(BASE).path)
             for image in images]
    assert all(image["contentUrl"].startswith(BASE) and f.is_file() for image, f in zip(images, files))
    xmp = exiftool_xmp(files)
    for photo, image, file in zip(story.photos, images, files):
        tags = xmp[file.name]
        assert image["caption"] == tags["Description"] == photo.caption
        assert image["creditText"] == tags["Credit"] == story.effective_credit(photo)
        assert creator_names(image) == as_list(tags.get("Creator", []))
        assert "; ".join(creator_names(image)) == photo.creator
        assert image.get("copyrightNotice", "") == tags.get("Rights", "") == photo.copyright
        licence, page = story.effective_license(photo)
        assert image["license"] == tags["WebStatement"] == licence
        assert image["acquireLicensePage"] == tags["Licensor"][0]["LicensorURL"] == page
        # Google's image licence metadata: contentUrl and one of these, for every photo.
        assert image["contentUrl"]
        assert any(image.get(k) for k in ("creditText", "creator", "copyrightNotice", "license"))
    assert images[2]["license"] == "https://example.kz/rights/photo-3"  # the photo's own
    assert images[0]["license"] == CC_BY  # the story's


def test_captions_cannot_end_the_json_ld_script(tmp_path):
    story = site_story(tmp_path)
    html = (export(story, tmp_path) / "index.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">')
    body = html[start:html.index("</script>", start)]
    assert "<!--" not in body and body.count("<") == 1  # only the opening tag's
    data = json.loads(body.split(">", 1)[1])
    assert data["image"][0]["caption"] == story.photos[0].caption


def test_without_a_base_url_pages_stay_relative_and_carry_no_cards(tmp_path):
    story = site_story(tmp_path)
    story.base_url = ""
    out = export(story, tmp_path)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "application/ld+json" not in html and "og:" not in html
    assert Page(html).find("img")[0].attrs["src"].startswith("images/")


def absolute_everywhere(folder: Path, page: str) -> list[str]:
    """Every address a page or story.json names, and assert each is under the base URL."""
    html = (folder / page).read_text(encoding="utf-8")
    urls = []
    for element in Page(html).elements:
        for name in ("src", "href"):
            if name in element.attrs and not element.attrs[name].startswith(("data:", "#")):
                urls.append(element.attrs[name])
        if "srcset" in element.attrs:
            urls += [url for url, _ in parse_srcset(element.attrs["srcset"])]
    data = json.loads((folder / page.replace("index.html", "story.json")
                       .replace("embed.html", "story.json")).read_text(encoding="utf-8"))
    urls += [r["url"] for p in data["photos"] for r in p["renditions"]]
    urls += [v["url"] for v in data.get("versions", [])]
    assert urls and all(url.startswith(BASE) for url in urls), [u for u in urls if not u.startswith(BASE)]
    return urls


def test_every_address_is_absolute_under_the_base_url(tmp_path):
    out = export(site_story(tmp_path), tmp_path)
    for page in ("index.html", "embed.html"):
        urls = absolute_everywhere(out, page)
        for url in urls:  # and each names a file the export holds
            path = url.removeprefix(BASE)
            assert (out / path).is_file(), url


def test_language_versions_use_absolute_urls_hreflang_and_locales(tmp_path):
    story = site_story(tmp_path)
    ids = [p.id for p in story.photos]
    story.translations = [Translation("kk", title="Президент зауытқа барды",
                                      body=[Paragraph("Мемлекет басшысы зауытқа барды."),
                                            PhotoGroup(ids[:2])],
                                      captions={pid: f"Сурет {n}" for n, pid in enumerate(ids)})]
    out = export(story, tmp_path)
    for tag, other in (("ru", "kk"), ("kk", "ru")):
        html = (out / tag / "index.html").read_text(encoding="utf-8")
        absolute_everywhere(out / tag, "index.html")
        absolute_everywhere(out / tag, "embed.html")
        tags = meta(html)
        assert tags["og:locale"] == [og_locale(tag)]
        assert tags["og:locale:alternate"] == [og_locale(other)]
        assert tags["og:url"] == [f"{BASE}{tag}/index.html"]
        alternates = {e.attrs["hreflang"]: e.attrs["href"] for e in Page(html).find("link")
                      if e.attrs.get("rel") == "alternate"}
        assert alternates == {"ru": f"{BASE}ru/index.html", "kk": f"{BASE}kk/index.html",
                              "x-default": f"{BASE}index.html"}
        (article,) = json_ld_blocks(html)
        assert article["inLanguage"] == tag
    top = Page((out / "index.html").read_text(encoding="utf-8"))  # the language chooser
    hrefs = [e.attrs["href"] for e in top.find("a") + top.find("link") if "href" in e.attrs]
    assert hrefs and all(h.startswith(BASE) or h.startswith("data:") for h in hrefs), hrefs
    kk = json_ld_blocks((out / "kk" / "index.html").read_text(encoding="utf-8"))[0]
    assert kk["image"][0]["caption"] == "Сурет 0"


def test_social_card_shows_the_cover_at_1200_px_or_more(tmp_path):
    story = site_story(tmp_path)
    out = export(story, tmp_path)
    tags = meta((out / "index.html").read_text(encoding="utf-8"))
    cover = story.photos[1]  # the first placed photo
    assert tags["og:title"] == [story.title]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["og:image:alt"] == [cover.alt]
    (url,) = tags["og:image"]
    assert url.startswith(BASE + "images/photo-2-")
    with Image.open(out / url.removeprefix(BASE)) as image:
        assert image.width >= 1200
        assert tags["og:image:width"] == [str(image.width)]
        assert tags["og:image:height"] == [str(image.height)]
    description = tags["og:description"][0]
    first = story.body[0].text.strip()
    assert len(description) <= 200 and description.endswith("…")
    assert first.startswith(description[:-1]) and first[len(description) - 1] == " "  # on a word


def test_the_chosen_cover_gets_a_1200_rendition_even_when_the_widths_stop_short(tmp_path):
    story = site_story(tmp_path)
    story.cover_photo = story.photos[3].id
    out = export(story, tmp_path, ExportOptions(workers=1, widths=(480, 960)))
    names = sorted(p.name for p in (out / "images").iterdir())
    assert "photo-4-1200.jpg" in names
    assert not any(n.endswith("-1200.jpg") for n in names if not n.startswith("photo-4-"))
    tags = meta((out / "index.html").read_text(encoding="utf-8"))
    assert tags["og:image"] == [BASE + "images/photo-4-1200.jpg"]
    assert tags["og:image:width"] == ["1200"]


@pytest.mark.parametrize("tag, locale", [("kk", "kk_KZ"), ("ru", "ru_RU"), ("en", "en_GB"),
                                         ("en-US", "en_US"), ("kk-Latn", "kk_KZ"),
                                         ("uz-Cyrl", "uz_UZ"), ("", ""), ("x!", "")])
def test_open_graph_locales(tag, locale):
    assert og_locale(tag) == locale


def test_a_time_without_an_offset_is_the_desk_computers_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Almaty")
    time.tzset()
    try:
        assert published_iso("2022-10-05T15:44") == "2022-10-05T15:44:00+06:00"
        assert published_iso("2022-10-05T15:44-04:00") == "2022-10-05T15:44:00-04:00"
        assert published_iso("2022-10-05") == "2022-10-05"
        assert published_iso("5 октября") == ""
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert os.environ.get("TZ") is None


def test_the_cover_gets_its_card_rendition_and_every_version_shares_it(tmp_path):
    story = site_story(tmp_path)
    ids = [p.id for p in story.photos]
    story.translations = [Translation("kk", title="Зауыт", body=[PhotoGroup([ids[3]])])]
    out = export(story, tmp_path, ExportOptions(workers=1, widths=(480, 960)))
    names = {p.name for p in (out / "images").iterdir()}
    # The source article's first photo, the one the tray marks, even where the Kazakh
    # article places another first; no other photo gets a card-sized copy.
    assert "photo-2-1200.jpg" in names and "photo-4-1200.jpg" not in names
    assert meta((out / "kk" / "index.html").read_text(encoding="utf-8"))["og:image"] == [
        BASE + "images/photo-2-1200.jpg"]
