"""What undo steps are called ("Undo Add 3 photos"), in the user's language."""

from __future__ import annotations

from collections.abc import Iterable

from photostory.core.i18n import N_, _, ngettext

# The story's and photos' fields as undo steps name them; marked, translated when named.
FIELD_NAMES = {
    "caption": N_("caption"), "credit": N_("credit"), "alt": N_("alt text"),
    "creator": N_("creator"), "copyright": N_("copyright notice"), "headline": N_("headline"),
    "title": N_("title"), "byline": N_("byline"), "dateline": N_("dateline"),
    "published": N_("date"), "language": N_("language"), "default_credit": N_("default credit"),
    "tags": N_("tags"), "credit_prefix": N_("credit prefix"),
    "show_gallery": N_("gallery setting"), "keep_location": N_("location setting"),
}


def photos_added(count: int) -> str:
    return ngettext("Add {count} photo", "Add {count} photos", count).format(count=count)


def photos_removed(count: int) -> str:
    return ngettext("Remove {count} photo", "Remove {count} photos", count).format(count=count)


def photos_moved(count: int) -> str:
    return ngettext("Move {count} photo", "Move {count} photos", count).format(count=count)


def photos_placed(count: int) -> str:
    return ngettext("Place {count} photo in the article", "Place {count} photos in the article",
                    count).format(count=count)


def fields_set(names: Iterable[str], photos: int = 1) -> str:
    """``Set caption``, ``Set title, byline``, ``Set fields of 3 photos``."""
    names = sorted(names)
    if photos > 1:
        what = _(FIELD_NAMES.get(names[0], names[0])) if len(names) == 1 else _("fields")
        return ngettext("Set {field} of {count} photo", "Set {field} of {count} photos",
                        photos).format(field=what, count=photos)
    return _("Set {field}").format(field=", ".join(_(FIELD_NAMES.get(n, n)) for n in names))
