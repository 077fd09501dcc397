"""publish: an export folder -> a site (a folder, an SFTP server or an S3 bucket).

Only files whose bytes changed since the last publish are sent (see :mod:`.plan` for
the manifest and the order that keeps every page's files present while the site
changes). The editor and the command line call the same ``publish`` with their own
progress callback and CancelToken; a cancelled publish stops between files and leaves
the site as consistent as a failed one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from photostory.core.i18n import _, ngettext
from photostory.core.progress import CancelToken, Progress, no_progress
from photostory.core.publish.destinations import Destination, parse_destination
from photostory.core.publish.plan import (MANIFEST, REVALIDATE, manifest_bytes, plan_publish,
                                          read_manifest, scan_export)
from photostory.core.publish.target import Target

__all__ = ["Destination", "PublishReport", "open_target", "parse_destination", "publish"]

log = logging.getLogger(__name__)


@dataclass
class PublishReport:
    """What one publish did; ``sent`` in the order it was sent."""

    destination: str
    sent: list[str] = field(default_factory=list)
    sent_bytes: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    public_url: str | None = None

    def summary(self) -> str:
        return ngettext("Sent {count} file ({size}), {unchanged} unchanged, {removed} removed to "
                        "{destination}.",
                        "Sent {count} files ({size}), {unchanged} unchanged, {removed} removed to "
                        "{destination}.", len(self.sent)).format(
            count=len(self.sent), size=_size(self.sent_bytes), unchanged=self.unchanged,
            removed=len(self.removed), destination=self.destination)


def open_target(destination: Destination) -> Target:
    """A connection to ``destination`` (raises PublishError when it cannot be made)."""
    if destination.kind == "sftp":
        from photostory.core.publish.sftp_target import SftpTarget
        return SftpTarget(destination)
    if destination.kind == "s3":
        from photostory.core.publish.s3_target import S3Target
        return S3Target(destination)
    from photostory.core.publish.file_target import FileTarget
    return FileTarget(destination)


def publish(export_dir: Path, destination: Destination, progress: Progress = no_progress,
            cancel: CancelToken | None = None, public_url: str | None = None) -> PublishReport:
    """Bring ``destination`` up to date with the export in ``export_dir``. ``public_url``
    is where readers find the story when the story knows it (its base URL); else the
    destination's own guess (an S3 address, a file:// one, none for SFTP).

    Raises PublishError (the site keeps a complete story, old or new; publishing again
    finishes the work) or Cancelled.
    """
    cancel = cancel or CancelToken()
    local = scan_export(Path(export_dir))
    cancel.check()
    target = open_target(destination)
    try:
        published = read_manifest(target.get(MANIFEST), str(destination))
        plan = plan_publish(local, published)
        report = PublishReport(str(destination), unchanged=plan.unchanged,
                               public_url=public_url or target.public_url)
        total = len(plan.uploads) + len(plan.deletions) + 1
        for done, item in enumerate(plan.uploads):
            cancel.check()
            progress(done, total, _("Sending {path}").format(path=item.path))
            target.put(item.path, Path(export_dir, *item.path.split("/")),
                       item.content_type, item.cache_control)
            report.sent.append(item.path)
            report.sent_bytes += item.size
        for done, path in enumerate(plan.deletions, len(plan.uploads)):
            cancel.check()
            progress(done, total, _("Removing {path}").format(path=path))
            target.delete(path)
            report.removed.append(path)
        if plan.uploads or plan.deletions or plan.files != published:
            target.put(MANIFEST, manifest_bytes(plan.files), "application/json", REVALIDATE)
        progress(total, total, "Published")
    finally:
        target.close()
    log.info("published %s: %s", export_dir, report.summary())
    return report


def _size(count: int) -> str:
    if count < 1024:
        return ngettext("{count} byte", "{count} bytes", count).format(count=count)
    if count < 1024 * 1024:
        return _("{size:.0f} KB").format(size=count / 1024)
    return _("{size:.1f} MB").format(size=count / (1024 * 1024))
