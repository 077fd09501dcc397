"""An article text as a language version of a story: its photo slots take the source
version's photos, in the order the source version places them."""

from __future__ import annotations

from dataclasses import dataclass, field

from photostory.core.article import Article, place_article_photos
from photostory.core.i18n import N_, _, ngettext
from photostory.core.importing import read_version_texts
from photostory.core.story import Photo, Story, Translation


@dataclass
class ArticleVersion:
    """The version built from an article, and what did not line up, as sentences."""

    translation: Translation
    warnings: list[str] = field(default_factory=list)


def version_from_article(story: Story, article: Article, tag: str,
                         name: str = N_("the article")) -> ArticleVersion:
    """The ``tag`` version of ``story`` from ``article``: its title, dateline, paragraphs,
    and its slots filled with the photos the source version places, in that order
    (``[photo: NAME]`` still binds a file). A version ``tag`` the story already has keeps
    its captions, alt texts, byline and credit prefix; a new one takes the captions and
    alt texts the photos' files give in its language (XMP language alternatives).
    ``name`` names the article in warnings."""
    name = _(name)  # the default is translated here; a file name is left as it is
    placed: list[Photo] = [story.photo(pid) for group in story.groups() for pid in group.photo_ids]
    placement = place_article_photos(article, placed)
    old = story.translation(tag) if tag in story.versions()[1:] else None
    translation = Translation(tag, title=article.title, dateline=article.dateline,
                              body=placement.body)
    if old is not None:
        translation.byline, translation.credit_prefix = old.byline, old.credit_prefix
        translation.captions, translation.alts = dict(old.captions), dict(old.alts)
    else:  # a new version starts with what the photos' files say in its language
        translation.captions, translation.alts = read_version_texts(story.photos, tag)
    result = ArticleVersion(translation)
    source = story.language
    for slot_name in placement.unknown_names:
        result.warnings.append(_("{file}: [photo: {name}] names no photo of the {language} "
                                 "version; the next photo was used.")
                               .format(file=name, name=slot_name, language=source))
    if placement.unfilled_slots:
        empty = placement.unfilled_slots
        photos = ngettext("{count} photo", "{count} photos", len(placed)).format(count=len(placed))
        result.warnings.append(
            ngettext("{file}: {count} photo slot left empty: the {language} version places "
                     "{photos}.",
                     "{file}: {count} photo slots left empty: the {language} version places "
                     "{photos}.", empty).format(file=name, count=empty, language=source,
                                                photos=photos))
    mine = translation.placed_ids()
    numbers = {photo.id: number for number, photo in enumerate(story.photos, start=1)}
    for photo in placed:
        if photo.id not in mine:
            result.warnings.append(
                _("{file}: photo {number} ({name}) is placed in the {source} version but has no "
                  "slot in the {language} version.").format(
                    file=name, number=numbers[photo.id], name=photo.file_name, source=source,
                    language=tag))
    if article.credit and article.credit.strip() != story.default_credit.strip():
        result.warnings.append(
            _("{file}: the credit {credit!r} was not applied: the credit is shared by every "
              "version ({shared!r}).").format(file=name, credit=article.credit,
                                             shared=story.default_credit))
    return result
