"""Reversible edits of a story's language versions: add, replace, remove, and edit one.

The source version's texts are the story's own fields, edited as ever through
:mod:`photostory.core.edits`; these edits change the other versions. An edit of a
version's text marks that text edited by hand, so a derived version stops rewriting it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from photostory.core.i18n import _
from photostory.core.edits import Edit, NoChange
from photostory.core.story import VERSION_TEXT_FIELDS, Block, Paragraph, Story, Translation, copy_body
from photostory.errors import LanguageError

#: Version fields SetVersionFields sets: the texts, and the credit prefix.
VERSION_FIELDS = (*VERSION_TEXT_FIELDS, "credit_prefix")


class _VersionEdit(Edit):
    """Swaps one version for a changed copy of it; the revert swaps the old one back."""

    def __init__(self, story: Story, tag: str) -> None:
        self.tag = tag
        self.typing = False
        self.old = story.translation(tag).copy()
        self.new = self.old.copy()

    def apply(self, story: Story) -> None:
        self._put(story, self.new)

    def revert(self, story: Story) -> None:
        self._put(story, self.old)

    def _put(self, story: Story, translation: Translation) -> None:
        index = story.versions().index(self.tag) - 1
        story.translations[index] = translation.copy()
        story.notify_versions([self.tag])

    def merge(self, other: Edit) -> bool:
        # Typing into one version's fields (or captions) is one undo step.
        if (self.typing and isinstance(other, _VersionEdit) and type(other) is type(self)
                and other.typing and other.tag == self.tag):
            self.new = other.new
            return True
        return False

    def _check_changed(self) -> None:
        if self.new == self.old:
            raise NoChange("the version is unchanged")


class AddVersion(Edit):
    """Add a language version after the others, or replace the version with its tag."""

    def __init__(self, story: Story, translation: Translation, description: str = "") -> None:
        if translation.language == story.language:
            raise LanguageError(_("{language} is the story's source version")
                                .format(language=translation.language),
                                _("(its texts are the story's own)."))
        self.translation = translation.copy()
        tags = story.versions()
        self.index = tags.index(translation.language) - 1 if translation.language in tags else None
        self.description = description or (
            f"{'Replace' if self.index is not None else 'Add'} the {translation.language} version")

    def apply(self, story: Story) -> None:
        if self.index is None:
            story.translations.append(self.translation.copy())
        else:
            self._old = story.translations[self.index]
            story.translations[self.index] = self.translation.copy()
        story.notify_versions([self.translation.language])

    def revert(self, story: Story) -> None:
        if self.index is None:
            story.translations.pop()
        else:
            story.translations[self.index] = self._old
        story.notify_versions([self.translation.language])


class RemoveVersion(Edit):
    """Remove a language version (never the source version)."""

    def __init__(self, story: Story, tag: str) -> None:
        if tag == story.language:
            raise LanguageError(_("{tag} is the story's source version and cannot be removed")
                                .format(tag=tag))
        if tag not in story.versions():
            raise LanguageError(_("the story has no {tag} version to remove").format(tag=tag))
        self.index = story.versions().index(tag) - 1
        self.tag = tag
        self.description = _("Remove the {tag} version").format(tag=tag)

    def apply(self, story: Story) -> None:
        self._old = story.translations.pop(self.index)
        story.notify_versions([self.tag])

    def revert(self, story: Story) -> None:
        story.translations.insert(self.index, self._old)
        story.notify_versions([self.tag])


class SetVersionFields(_VersionEdit):
    """Set a version's title, byline, dateline or credit prefix."""

    def __init__(self, story: Story, tag: str, changes: Mapping[str, str | None],
                 *, typing: bool = False) -> None:
        super().__init__(story, tag)
        unknown = set(changes) - set(VERSION_FIELDS)
        if unknown:
            raise ValueError(f"versions have no field {sorted(unknown)[0]!r}")
        for name, value in changes.items():
            setattr(self.new, name, value)
            if name in VERSION_TEXT_FIELDS:
                self.new.edited.add(name)
        self._check_changed()
        self.typing = typing
        self.description = f"Set {', '.join(sorted(changes))} ({tag})"


class SetVersionCaptions(_VersionEdit):
    """Set captions and alt texts of one version, per photo id, as one step."""

    def __init__(self, story: Story, tag: str, captions: Mapping[str, str] | None = None,
                 alts: Mapping[str, str] | None = None, *, typing: bool = False) -> None:
        super().__init__(story, tag)
        for kind, texts, values in (("caption", self.new.captions, captions or {}),
                                    ("alt", self.new.alts, alts or {})):
            for photo_id, text in values.items():
                story.photo(photo_id)  # KeyError for a photo not in the story
                if texts.get(photo_id, "") != text:
                    texts[photo_id] = text
                    self.new.edited.add(f"{kind}:{photo_id}")
        self._check_changed()
        self.typing = typing
        self.description = _("Set captions ({tag})").format(tag=tag)


class SetVersionBody(_VersionEdit):
    """Replace a version's body (its paragraphs and the groups placing the shared photos);
    a paragraph whose text differs from the one with its id before counts as edited."""

    def __init__(self, story: Story, tag: str, body: Sequence[Block],
                 description: str = "") -> None:
        super().__init__(story, tag)
        known = {p.id for p in story.photos}
        before = {b.id: b.text for b in self.old.body if isinstance(b, Paragraph)}
        self.new.body = copy_body(body)
        for block in self.new.body:
            if isinstance(block, Paragraph) and before.get(block.id) != block.text:
                self.new.edited.add(f"paragraph:{block.id}")
            elif not isinstance(block, Paragraph) and set(block.photo_ids) - known:
                raise KeyError(sorted(set(block.photo_ids) - known)[0])
        self._check_changed()
        self.description = description or _("Edit the article ({tag})").format(tag=tag)
