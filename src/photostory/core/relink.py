"""Relinking: point a photo whose file moved at its new location.

Photos are often moved as a folder, so the other missing photos of the old folder are
looked for in the new folder by file name, and all are relinked as one undo step.
"""

from __future__ import annotations

from pathlib import Path

from photostory.core.edits import SetPhotoFields
from photostory.core.i18n import ngettext
from photostory.core.story import Story


def relink_changes(story: Story, photo_id: str, new_path: Path) -> dict[str, dict[str, Path]]:
    """``{photo id: {"path": new path}}`` for the photo and its missing folder-mates."""
    photo = story.photo(photo_id)
    new_path = Path(new_path).absolute()
    old_folder, new_folder = photo.path.parent, new_path.parent
    changes: dict[str, dict[str, Path]] = {photo_id: {"path": new_path}}
    for other in story.photos:
        if other.id == photo_id or other.path.parent != old_folder or other.path.is_file():
            continue
        candidate = new_folder / other.path.name
        if candidate.is_file():
            changes[other.id] = {"path": candidate}
    return changes


def relink_edit(story: Story, photo_id: str, new_path: Path) -> SetPhotoFields:
    """One edit for the whole relink; raises NoChange when the path is the same."""
    changes = relink_changes(story, photo_id, new_path)
    count = len(changes)
    return SetPhotoFields(story, changes, ngettext("Relink {count} photo", "Relink {count} photos",
                                                   count).format(count=count))


def missing_photo_ids(story: Story) -> list[str]:
    return [p.id for p in story.photos if not p.path.is_file()]
