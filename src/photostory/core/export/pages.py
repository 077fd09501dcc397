"""The pages of an export: each language version's page, fragment and story.json.

A one-version story writes them at the top of the export folder. A story with several
versions writes each into a folder named by its tag (``kk/``, ``ru/``, ``kk-Latn/``) over
one shared ``images/`` and ``assets/``, and an ``index.html`` at the top that links them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from photostory.core.export.context import RenditionRef, build_context, export_url, manifest
from photostory.core.export.folder import FOLDERS, VERSION_FOLDER
from photostory.core.export.render import html_text, render
from photostory.core.export.social import site_head
from photostory.core.export.urls import page_root
from photostory.core.i18n import _
from photostory.core.languages import language_name, language_tag
from photostory.core.story import Story
from photostory.errors import ExportError, LanguageError
from photostory.resources import resource

STATIC_FILES = ("photostory.css", "photostory.js")


def check_versions(story: Story) -> None:
    """ExportError unless every version's tag can name its folder: a registered language
    tag, written as the story keeps it, once. A story file edited by hand could otherwise
    name a folder outside the export (``../x``) or the same folder twice."""
    tags = story.versions()
    if len(tags) == 1:
        return
    for tag in tags:
        try:
            normal = language_tag(tag)
        except LanguageError:
            normal = ""
        if normal != tag or not VERSION_FOLDER.fullmatch(tag) or tag in FOLDERS:
            raise ExportError(_("The language version {tag!r} cannot be exported: its tag is "
                                "not a language tag such as kk, ru or kk-Latn.").format(tag=tag),
                              _("Correct it in the story, then export again."))
    if len(set(tags)) != len(tags):
        repeated = sorted({t for t in tags if tags.count(t) > 1})
        raise ExportError(_("The story has the {versions} version more than once; nothing "
                            "was exported.").format(versions=", ".join(repeated)),
                          _("Remove one of them, then export again."))


def write_pages(story: Story, staging: Path, renditions: dict[str, list[RenditionRef]]) -> None:
    """Write the pages of every version of ``story`` and the assets into ``staging``."""
    assets = staging / "assets"
    assets.mkdir()
    for name in STATIC_FILES:
        shutil.copyfile(resource("static", name), assets / name)
    tags = story.versions()
    # With a base URL every page refers to everything by its absolute URL under it.
    top, up = page_root(story.base_url, ""), page_root(story.base_url, "../")
    if len(tags) == 1:
        _write_version(story, staging, renditions, root=top, versions=[], x_default="")
        return
    for tag in tags:
        folder = staging / tag
        folder.mkdir()
        _write_version(story.version(tag), folder, renditions, root=up,
                       versions=version_links(story, up, current=tag),
                       x_default=export_url(up, "index.html"), page=f"{tag}/index.html")
    _write_chooser(story, staging, top)


def version_links(story: Story, root: str, current: str | None = None) -> list[dict[str, Any]]:
    """Every version of ``story`` as a page under ``root`` links to it: its tag, its name
    in its own language (Қазақша, Русский, English), its title and whether it is the
    page's own (``current``)."""
    links = []
    for tag in story.versions():
        title = story.title if tag == story.language else story.translation(tag).title
        links.append({"tag": tag, "name": language_name(tag), "title": _clean(title),
                      "href": export_url(root, f"{tag}/index.html"), "current": tag == current})
    return links


def _clean(text: str) -> str:
    return str(html_text(text)).strip()


def _write_version(story: Story, folder: Path, renditions: dict[str, list[RenditionRef]],
                   root: str, versions: list[dict[str, Any]], x_default: str,
                   page: str = "index.html") -> None:
    """One version's page, fragment and story.json in ``folder`` (``root`` leads from
    there to the export folder, ``page`` from the export folder to the page)."""
    first_text = next((_clean(p.text) for p in story.paragraphs() if _clean(p.text)), "")
    description = first_text if len(first_text) <= 200 else first_text[:197].rsplit(" ", 1)[0] + "…"
    links = {"versions": versions, "x_default": x_default}
    head = site_head(story, renditions, story.base_url, page, description,
                     [v["tag"] for v in versions])
    context = build_context(story, renditions, root=root)
    (folder / "index.html").write_text(
        render("index.html.j2", description=description, **links, **head, **context),
        encoding="utf-8")
    # The fragment goes into someone else's page: no switcher there, it would navigate the
    # host page to a bare fragment.
    embedded = build_context(story, renditions, id_prefix=context["story"]["key"] + "-",
                             root=root)
    (folder / "embed.html").write_text(
        render("embed.html.j2", versions=[], x_default="", **embedded), encoding="utf-8")
    data = manifest(story, renditions, root=root)
    if versions:
        data["versions"] = [{"language": v["tag"], "url": export_url(root, f"{v['tag']}/story.json")}
                            for v in versions]
    (folder / "story.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                                       encoding="utf-8")


def _write_chooser(story: Story, staging: Path, root: str) -> None:
    """The export's top ``index.html`` when it holds several versions: the x-default page.

    A page that links every version by its own name, not a copy of the source version:
    that is what Google's hreflang guidance means by x-default (a language chooser for
    readers no version matches), a reader arriving there picks a language they read
    rather than being served the desk's, and crawlers see no duplicate of a version page.
    """
    html = render("versions.html.j2", language=story.language, title=_clean(story.title),
                  versions=version_links(story, root), x_default=export_url(root, "index.html"),
                  stylesheet=export_url(root, "assets/photostory.css"))
    (staging / "index.html").write_text(html, encoding="utf-8")
