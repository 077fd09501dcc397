"""The editor's few controls for the story on the site: the base URL and licences (in the
export dialog), a photo's licence (in the inspector) and the cover photo (the tray's
context menu). Every address is checked by the core's own rules before it is set, so the
story never holds one its file would refuse."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QFormLayout, QLineEdit

from photostory.core.edits import SetPhotoFields, SetStoryFields
from photostory.core.i18n import N_, _, sentence_start
from photostory.core.story import Story
from photostory.core.storyfile_site import checked_address
from photostory.ui.document import StoryDocument
# The inspector's own binding of a widget to a photo field, for the rows added here.
from photostory.ui.inspector import Inspector
from photostory.ui.inspector import PhotoField
from photostory.ui.widgets import ERROR_COLOR, LineEdit

#: (story field, label, placeholder) of the export dialog's "On the site" rows.
STORY_ROWS = (
    ("base_url", N_("&Base URL"), N_("https://static.example.kz/stories/saran/ (empty: relative links)")),
    ("license", N_("&Licence"), "https://creativecommons.org/licenses/by/4.0/"),
    ("acquire_license_page", N_("Licence pa&ge"), N_("Where readers can license the photos")),
)
#: (photo field, label, placeholder) of the inspector's licence rows.
PHOTO_ROWS = (
    ("license", N_("Licen&ce"), N_("The story's licence")),
    ("acquire_license_page", N_("Licence pa&ge"), N_("The story's licence page")),
)
TIPS = {"base_url": N_("Where the export will be served. With it, the pages and the fragment "
                       "for the site use absolute addresses, and pages get social cards and "
                       "structured data for search engines."),
        "license": N_("A web address stating the licence (written into the photos' XMP and "
                      "the page's structured data).")}


class StorySiteRows:
    """The export dialog's rows for the story's base URL and licences."""

    def __init__(self, form: QFormLayout, story: Story) -> None:
        self.edits: dict[str, QLineEdit] = {}
        for name, label, placeholder in STORY_ROWS:
            edit = QLineEdit(getattr(story, name))
            edit.setPlaceholderText(_(placeholder))
            edit.setToolTip(_(TIPS.get(name, TIPS["license"])))
            form.addRow(_(label), edit)
            self.edits[name] = edit

    def values(self) -> dict[str, str]:
        """The fields as the story will hold them; ValueError with a sentence naming the
        field when an address is not one."""
        values = {}
        for (name, label, _placeholder), edit in zip(STORY_ROWS, self.edits.values()):
            try:
                values[name] = checked_address(name, edit.text())
            except ValueError as exc:
                raise ValueError(_("{field}: {problem}.").format(
                    field=_(label).replace("&", ""), problem=sentence_start(str(exc)))) from None
        return values


def apply_story_site(document: StoryDocument, values: dict[str, str]) -> None:
    """Set the story's site fields to ``values`` as one undo step (nothing when equal)."""
    story = document.story
    document.try_edit(lambda: SetStoryFields(story, values, _("Set site addresses")))


def attach_licence_rows(inspector: Inspector) -> list[LineEdit]:
    """Give the inspector a photo's licence rows under its copyright: they commit only a
    valid address (an invalid one is marked red and kept out of the story), and give way to
    the translator's reference texts while another version than the source is written."""
    form, document = inspector.form, inspector.document

    def commit(name: str, value: str) -> None:  # a licence is the same in every version
        if inspector.ids:
            ids = list(inspector.ids)
            document.try_edit(lambda: SetPhotoFields.same(document.story, ids, name, value,
                                                          typing=True))

    row = form.getWidgetPosition(inspector.copyright)[0] + 1
    edits = []
    for offset, (name, label, placeholder) in enumerate(PHOTO_ROWS):
        edit = LineEdit()
        edit.setAccessibleName(_(label).replace("&", ""))
        edit.setToolTip(_(TIPS["license"]))
        form.insertRow(row + offset, _(label), edit)
        inspector.fields.append(PhotoField(name, edit, _checked_commit(name, edit, commit),
                                               _(placeholder)))
        edits.append(edit)

    def follow_version() -> None:
        for edit in edits:
            form.setRowVisible(edit, document.version == document.story.language)

    document.version_changed.connect(lambda _tag: follow_version())
    document.story_reset.connect(follow_version)
    follow_version()
    inspector.show_photos(inspector.ids)
    return edits


def _checked_commit(name: str, edit: LineEdit,
                    commit: Callable[[str, str], None]) -> Callable[[str, str], None]:
    def checked(field: str, text: str) -> None:
        try:
            value = checked_address(name, text)
        except ValueError as exc:  # half typed: kept in the field, not in the story
            edit.setStyleSheet(f"color: {ERROR_COLOR}")
            edit.setToolTip(_("{problem}.").format(problem=sentence_start(str(exc))))
            return
        edit.setStyleSheet("")
        edit.setToolTip(_(TIPS["license"]))
        commit(field, value)
    return checked


def use_as_cover(document: StoryDocument, ids: Sequence[str], say: Callable[[str], None]) -> None:
    """Make the one selected photo the story's cover (its social card), as one undo step."""
    if len(ids) != 1:
        say(_("Select one photo to use as the cover photo."))
        return
    story = document.story
    if document.try_edit(lambda: SetStoryFields(story, {"cover_photo": ids[0]},
                                                _("Use as cover photo"))):
        say(_("{file} is the cover photo: social cards show it.").format(
            file=story.photo(ids[0]).file_name))
