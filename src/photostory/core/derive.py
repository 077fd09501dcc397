"""Derived language versions: a version written from another by rule, kept in step.

Latin-script Kazakh is the one derivation: the official 2021 alphabet applied to the
Kazakh version's title, byline, dateline, paragraphs, captions and alt texts. A derived
text follows its source until a person edits it (the Translation's ``edited`` set), and
from then on keeps that person's words.
"""

from __future__ import annotations

from collections.abc import Callable

import langcodes

from photostory.core.i18n import _
from photostory.core.kazakh_latin import to_latin
from photostory.core.story import (VERSION_TEXT_FIELDS, Block, Paragraph, Story, Translation,
                                   copy_body)
from photostory.errors import LanguageError


def deriver(source: str, target: str) -> Callable[[str], str]:
    """How ``target`` is written from ``source``; LanguageError when no rule does it (a
    translation between languages needs a translator)."""
    src, dst = langcodes.Language.get(source), langcodes.Language.get(target)
    if (src.language == dst.language == "kk" and src.script in (None, "Cyrl")
            and dst.script == "Latn"):
        return to_latin
    raise LanguageError(_("{target} cannot be derived from {source}").format(target=target,
                                                                              source=source),
                        _("(only Latin-script Kazakh, such as kk-Latn, is derived from Kazakh, "
                          "kk); add a translation with --article instead."))


def derive(story: Story, target: str, source: str, old: Translation | None = None) -> Translation:
    """The version ``target`` written from version ``source`` of ``story``; texts marked
    edited in ``old`` (the version as it was) keep their words. KeyError when the story
    has no version ``source``."""
    rule = deriver(source, target)
    view = story.version(source)
    edited = set(old.edited) if old else set()
    result = Translation(target, derived_from=source, edited=edited,
                         credit_prefix=old.credit_prefix if old else None)
    for name in VERSION_TEXT_FIELDS:
        mine = old is not None and name in edited
        setattr(result, name, getattr(old, name) if mine else rule(getattr(view, name)))
    kept = {b.id: b.text for b in (old.body if old else []) if isinstance(b, Paragraph)}
    body: list[Block] = copy_body(view.body)
    for block in body:
        if isinstance(block, Paragraph):
            mine = f"paragraph:{block.id}" in edited and block.id in kept
            block.text = kept[block.id] if mine else rule(block.text)
    result.body = body
    for photo in view.photos:
        for kind, texts, value in (("caption", result.captions, photo.caption),
                                   ("alt", result.alts, photo.alt)):
            previous = (old.captions if kind == "caption" else old.alts) if old else {}
            mine = f"{kind}:{photo.id}" in edited and photo.id in previous
            texts[photo.id] = previous[photo.id] if mine else rule(value)
    return result


def rederive_all(story: Story) -> list[Translation] | None:
    """Write every derived version again from its source, in version order (so a version
    derived from a derived one sees its source's new words). Returns the translations as
    they were when any changed, for an undo to put back; else None."""
    if not any(t.derived_from for t in story.translations):
        return None
    before = [t.copy() for t in story.translations]
    changed: list[str] = []
    for index, translation in enumerate(story.translations):
        source = translation.derived_from
        if not source or source not in story.versions() or source == translation.language:
            continue
        fresh = derive(story, translation.language, source, translation)
        if fresh != translation:
            story.translations[index] = fresh
            changed.append(translation.language)
    if not changed:
        return None
    story.notify_versions(changed)
    return before


def restore_translations(story: Story, translations: list[Translation]) -> None:
    """Put back the translations ``rederive_all`` returned."""
    changed = [t.language for t in translations if t not in story.translations]
    story.translations[:] = translations
    story.notify_versions(changed)
