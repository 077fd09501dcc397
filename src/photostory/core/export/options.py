"""Export settings and the report an export returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from photostory.core.i18n import _, ngettext
from photostory.core.slug import slugify

DEFAULT_WIDTHS = (480, 960, 1600)
MIN_WIDTH, MAX_WIDTH = 16, 8192  # a rendition narrower is useless, wider than any screen
DEFAULT_QUALITY = 82  # JPEG quality: no visible artefacts at a third of q95's bytes


def parse_widths(text: str) -> tuple[int, ...]:
    """``"480, 960 1600"`` -> (480, 960, 1600), sorted and without repeats; ``()`` for no
    text. ValueError with a sentence for the user."""
    parts = text.replace(",", " ").split()
    try:
        widths = tuple(sorted({int(p) for p in parts}))
    except ValueError:
        raise ValueError(_("Enter widths as whole numbers separated by commas, "
                         "for example 480, 960, 1600.")) from None
    if any(w < MIN_WIDTH or w > MAX_WIDTH for w in widths):
        raise ValueError(_("Each width must be between {least} and {most} pixels.")
                         .format(least=MIN_WIDTH, most=MAX_WIDTH))
    return widths


def export_name(title: str, story_file: Path | None = None) -> str:
    """The export folder's name when none is given: the title as a slug, else the story
    file's name (``exports/saran-visit``)."""
    return slugify(title or (story_file.stem if story_file else ""), fallback="story")


@dataclass(frozen=True)
class ExportOptions:
    widths: tuple[int, ...] = DEFAULT_WIDTHS
    quality: int = DEFAULT_QUALITY
    write_metadata: bool = True  # XMP caption/credit/creator/copyright in every rendition
    workers: int | None = None  # None: one per core; 1 runs everything in this process
    webp: bool = False  # also WebP renditions, offered before the JPEGs through <picture>

    def __post_init__(self) -> None:
        if not self.widths or any(w < MIN_WIDTH or w > MAX_WIDTH for w in self.widths):
            raise ValueError(_("export widths must be between {least} and {most} pixels")
                             .format(least=MIN_WIDTH, most=MAX_WIDTH))
        if not 1 <= self.quality <= 100:
            raise ValueError(_("JPEG quality must be between 1 and 100"))

    def rendition_settings(self) -> str:
        """What, besides the source file, decides a rendition's pixels."""
        settings = f"w={','.join(map(str, sorted(set(self.widths))))};q={self.quality};v=1"
        return settings + (";webp" if self.webp else "")


@dataclass
class ExportReport:
    out_dir: Path
    photos: int = 0
    rendered: int = 0  # photos decoded and encoded in this export
    reused: int = 0  # photos whose renditions came from the previous export unchanged
    metadata_updated: int = 0  # reused photos whose embedded XMP was rewritten in place
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    warnings: list[str] = field(default_factory=list)  # the photo's name first, as failed
    removed: list[str] = field(default_factory=list)  # privacy: what web copies leave out
    versions: list[str] = field(default_factory=list)  # language versions written (tags)

    @property
    def index_html(self) -> Path:
        return self.out_dir / "index.html"

    def summary(self) -> str:
        photos = ngettext("{count} photo", "{count} photos", self.photos).format(count=self.photos)
        if len(self.versions) > 1:
            count = len(self.versions)
            # Translators: only in "Exported {photos} in {versions} to {folder}".
            versions = ngettext("{count} language version ({tags})",
                                "{count} language versions ({tags})", count).format(
                count=count, tags=", ".join(self.versions))
            text = _("Exported {photos} in {versions} to {folder}").format(
                photos=photos, versions=versions, folder=self.out_dir)
        else:
            text = _("Exported {photos} to {folder}").format(photos=photos, folder=self.out_dir)
        details = []
        if self.reused:
            details.append(_("{count} unchanged").format(count=self.reused))
        if self.failed:
            details.append(_("{count} failed").format(count=len(self.failed)))
        if self.warnings:
            details.append(ngettext("{count} warning", "{count} warnings", len(self.warnings))
                           .format(count=len(self.warnings)))
        return text + (f" ({', '.join(details)})." if details else ".")
