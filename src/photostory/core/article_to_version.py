"""An article (from a file or pasted from a copied page) applied to one version of a story
as one reversible edit, with the sentences a person should read about it.

The source version takes the article's fields (``article_fields``) and a body whose slots
the story's photos fill in order; another version takes its title, byline, dateline and
paragraphs, its slots filled with the photos the source version places
(``version_from_article``). Captions a pasted page offers for its photos (``<img alt>``,
``<figcaption>``) fill the captions of that version still empty, never over one written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from photostory.core.article import Article, SlotGroup, article_fields, place_article_photos
from photostory.core.article_versions import version_from_article
from photostory.core.edits import CompositeEdit, Edit, NoChange, SetBody, SetPhotoFields, SetStoryFields
from photostory.core.i18n import _, ngettext
from photostory.core.story import Block, PhotoGroup, Story
from photostory.core.version_edits import AddVersion


@dataclass
class ArticleChange:
    """The edit (None: the version already reads so) and what to tell the person."""

    edit: Edit | None
    notes: list[str] = field(default_factory=list)


def article_change(story: Story, tag: str, article: Article, name: str) -> ArticleChange:
    """``article`` as version ``tag`` of ``story``; ``name`` names it in descriptions and
    notes ("the pasted article", "ru.txt")."""
    notes = list(article.notices)  # what a copied page had around the article
    if tag == story.language:
        placement = place_article_photos(article, story.photos)
        notes += [_("[photo: {name}] names no photo in the story; the next free photo was "
                    "used.").format(name=slot) for slot in placement.unknown_names]
        if placement.unfilled_slots:
            empty_slots = placement.unfilled_slots
            notes.append(ngettext("{count} photo slot stayed empty: import more photos, then "
                                  "drag them into the article.",
                                  "{count} photo slots stayed empty: import more photos, then "
                                  "drag them into the article.", empty_slots)
                         .format(count=empty_slots))
        offered = _offered_captions(article, placement.body, placement.unfilled_slots)
        empty = {pid: {"caption": text} for pid, text in offered.items()
                 if not story.photo(pid).caption.strip()}
        edits: list[Edit] = []
        for build in (lambda: SetStoryFields(story, article_fields(article)),
                      lambda: SetBody(story, placement.body, _("Import article")),
                      lambda: SetPhotoFields(story, empty, _("Captions from the article"))):
            try:
                edits.append(build())
            except NoChange:
                pass
        _note_captions(notes, len(empty) if empty else 0)
        described = _("Article from {name}").format(name=name)
        return ArticleChange(CompositeEdit(edits, described) if edits else None, notes)
    result = version_from_article(story, article, tag, name)
    translation = result.translation
    if article.byline:
        translation.byline = article.byline
    unfilled = article.slot_count - sum(len(b.photo_ids) for b in translation.body
                                        if isinstance(b, PhotoGroup))
    filled = 0
    for pid, text in _offered_captions(article, translation.body, unfilled).items():
        if not translation.captions.get(pid, "").strip():
            translation.captions[pid] = text
            filled += 1
    notes += result.warnings
    _note_captions(notes, filled)
    old = story.translation(tag) if tag in story.versions()[1:] else None
    if old is not None and old == translation:
        return ArticleChange(None, notes)
    described = _("Article from {name} ({language})").format(name=name, language=tag)
    return ArticleChange(AddVersion(story, translation, described), notes)


def _offered_captions(article: Article, body: list[Block], unfilled: int) -> dict[str, str]:
    """Photo id -> the caption the page offered for the slot it fills. Slots and photos
    pair up in order only when every slot got a photo; else none are offered."""
    if unfilled:
        return {}
    slots = [slot for block in article.blocks if isinstance(block, SlotGroup) for slot in block.slots]
    ids = [pid for block in body if isinstance(block, PhotoGroup) for pid in block.photo_ids]
    return {pid: slot.caption.strip() for slot, pid in zip(slots, ids) if slot.caption.strip()}


def _note_captions(notes: list[str], count: int) -> None:
    if count:
        notes.append(ngettext("{count} caption taken from the article's pictures, for photos "
                              "that had none.",
                              "{count} captions taken from the article's pictures, for photos "
                              "that had none.", count).format(count=count))
