"""Recovery files: the editor's autosaves, and what restoring one would bring back.

While a story has unsaved changes the editor writes them, every 30 s and when it
loses focus, to a *recovery file* beside the story (``.<name>.photostory-recovery``,
the same JSON as a story file, written atomically); it never touches the story file
itself. Saving, or closing without saving, removes the recovery file. If the editor
is killed, the recovery file stays, and opening the story offers to restore it with
a one-line summary of the difference ("Recovered changes from 14:32: title,
3 captions, 1 photo added").

Nothing here imports Qt: the editor decides when to write, this module says where and
what the difference is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from babel.dates import format_datetime

from photostory.core.i18n import N_, _, current_language, ngettext
from photostory.core.story import Paragraph, PhotoGroup, Story
from photostory.core.storyfile import SUFFIX, load_story, write_story_file
from photostory.core.userfiles import is_regular_file

RECOVERY_SUFFIX = ".photostory-recovery"

# Story fields as the summary names them (in this order; translated where shown).
_STORY_NAMES = (
    ("title", N_("title")), ("byline", N_("byline")), ("dateline", N_("dateline")),
    ("published", N_("date")), ("language", N_("language")), ("tags", N_("tags")),
    ("default_credit", N_("default credit")), ("credit_prefix", N_("credit prefix")),
    ("show_gallery", N_("gallery setting")), ("keep_location", N_("location setting")),
    ("base_url", N_("base URL")), ("cover_photo", N_("cover photo")), ("license", N_("licence")),
    ("acquire_license_page", N_("licence page")),
)
# Photo text fields and how many of them changed, in the user's language.
_PHOTO_NAMES: tuple[tuple[str, Callable[[int], str]], ...] = (
    ("caption", lambda n: ngettext("{count} caption", "{count} captions", n)),
    ("credit", lambda n: ngettext("{count} credit", "{count} credits", n)),
    ("alt", lambda n: ngettext("{count} alt text", "{count} alt texts", n)),
    ("headline", lambda n: ngettext("{count} headline", "{count} headlines", n)),
    ("creator", lambda n: ngettext("{count} creator", "{count} creators", n)),
    ("copyright", lambda n: ngettext("{count} copyright notice", "{count} copyright notices", n)),
    ("license", lambda n: ngettext("{count} licence", "{count} licences", n)),
    ("acquire_license_page", lambda n: ngettext("{count} licence page", "{count} licence pages", n)),
)


def recovery_path(story_path: Path) -> Path:
    """``/news/trip.photostory`` -> ``/news/.trip.photostory-recovery`` (hidden, beside it)."""
    story_path = Path(story_path)
    name = story_path.name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) and len(name) > len(SUFFIX) else name
    return story_path.with_name(f".{stem}{RECOVERY_SUFFIX}")


def pending_recovery(story_path: Path) -> Path | None:
    """The story's recovery file if there is one, else None.

    Its age says nothing about whose work is newer: an editor that died may be followed
    by a colleague's save of the same story, and the autosave is then the only copy of
    the first editor's changes. The caller compares it with the story file and drops it
    when both hold the same.
    """
    recovery = recovery_path(story_path)
    return recovery if is_regular_file(recovery) else None


def write_recovery(story: Story, path: Path) -> None:
    """Write ``story`` to the recovery file ``path`` atomically (StoryFileError on failure).

    Refuses to write over a story file: a recovery never replaces the user's own file.
    Only this editor writes its recovery file, so no save lock is taken and nothing is
    checked: an autosave neither waits for nor trips over a colleague's save of the story.
    """
    path = Path(path)
    if not path.name.endswith(RECOVERY_SUFFIX):
        raise ValueError(f"not a recovery file name: {path.name}")
    write_story_file(story, path)


def read_recovery(path: Path, warnings: list[str] | None = None) -> Story:
    """The story a recovery file holds (StoryFileError if it cannot be read)."""
    return load_story(Path(path), warnings)


def remove_recovery(path: Path | None) -> bool:
    """Delete a recovery file; True if one was there. Never raises for a missing file."""
    if path is None or not Path(path).name.endswith(RECOVERY_SUFFIX):
        return False
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False


# -- what restoring would bring back ----------------------------------------------------


def describe_changes(saved: Story | None, recovered: Story) -> list[str]:
    """Short phrases for what ``recovered`` changes relative to ``saved`` (None: an
    empty new story), e.g. ``["title", "3 captions", "1 photo added"]``; [] if equal."""
    saved = saved if saved is not None else Story()
    items: list[str] = []
    for name, label in _STORY_NAMES:
        if getattr(saved, name) != getattr(recovered, name):
            items.append(_(label))

    before = {p.id: p for p in saved.photos}
    after = {p.id: p for p in recovered.photos}
    common = [pid for pid in after if pid in before]
    for field, counted in _PHOTO_NAMES:
        count = sum(1 for pid in common if getattr(before[pid], field) != getattr(after[pid], field))
        if count:
            items.append(counted(count).format(count=count))
    relinked = sum(1 for pid in common if before[pid].path != after[pid].path)
    added, removed = len(after.keys() - before.keys()), len(before.keys() - after.keys())
    items += _counted(
        (relinked, ngettext("{count} photo relinked", "{count} photos relinked", relinked)),
        (added, ngettext("{count} photo added", "{count} photos added", added)),
        (removed, ngettext("{count} photo removed", "{count} photos removed", removed)))
    if [pid for pid in before if pid in after] != common:
        items.append(_("photo order"))
    items += _body_changes(saved.body, recovered.body)
    items += _version_changes(saved, recovered)
    return items


def _version_changes(saved: Story, recovered: Story) -> list[str]:
    """``["ru version", "kk-Latn version added"]``: language versions changed, added, removed."""
    before = {t.language: t for t in saved.translations}
    after = {t.language: t for t in recovered.translations}
    items = [_("{language} version").format(language=tag) for tag, version in after.items()
             if tag in before and before[tag] != version]
    items += [_("{language} version added").format(language=tag)
              for tag in after if tag not in before]
    items += [_("{language} version removed").format(language=tag)
              for tag in before if tag not in after]
    return items


def _body_changes(before: Sequence[Paragraph | PhotoGroup],
                  after: Sequence[Paragraph | PhotoGroup]) -> list[str]:
    old_text = {b.id: b.text for b in before if isinstance(b, Paragraph)}
    new_text = {b.id: b.text for b in after if isinstance(b, Paragraph)}
    edited = sum(1 for bid, text in new_text.items() if bid in old_text and old_text[bid] != text)
    added = len(new_text.keys() - old_text.keys())
    removed = len(old_text.keys() - new_text.keys())
    items = _counted(
        (edited, ngettext("{count} paragraph edited", "{count} paragraphs edited", edited)),
        (added, ngettext("{count} paragraph added", "{count} paragraphs added", added)),
        (removed, ngettext("{count} paragraph removed", "{count} paragraphs removed", removed)))

    def layout(body: Sequence[Paragraph | PhotoGroup]) -> list[tuple[str, ...]]:
        return [tuple(b.photo_ids) if isinstance(b, PhotoGroup) else (b.id,) for b in body]

    old_groups = [tuple(b.photo_ids) for b in before if isinstance(b, PhotoGroup)]
    new_groups = [tuple(b.photo_ids) for b in after if isinstance(b, PhotoGroup)]
    if old_groups != new_groups:
        items.append(_("photos in the article"))
    elif not items and layout(before) != layout(after):
        items.append(_("article order"))
    return items


def _counted(*counts: tuple[int, str]) -> list[str]:
    """``["2 photos added"]`` for the non-zero counts, in the order given; each count comes
    with its sentence in the right plural form."""
    return [text.format(count=count) for count, text in counts if count]


def summary(items: Sequence[str]) -> str:
    """``title, 3 captions, 1 photo added`` (``no changes`` for none)."""
    return ", ".join(items) if items else _("no changes")


def recovery_message(items: Sequence[str], when: datetime, now: datetime | None = None) -> str:
    """``Recovered changes from 14:32: title, 3 captions, 1 photo added``; the date is
    added when ``when`` is not today (``from 5 Oct 14:32``, ``from 5 Oct 2025 14:32``)."""
    now = now or datetime.now()
    if when.date() == now.date():
        pattern = "HH:mm"
    elif when.year == now.year:
        pattern = "d MMM HH:mm"
    else:
        pattern = "d MMM y HH:mm"
    # The month's abbreviation in the user's language, from CLDR.
    stamp = format_datetime(when, pattern, locale=current_language())
    return _("Recovered changes from {when}: {changes}").format(when=stamp,
                                                                changes=summary(items))


def modified_at(path: Path) -> datetime:
    """When the file was last written, as local time."""
    return datetime.fromtimestamp(Path(path).stat().st_mtime)
