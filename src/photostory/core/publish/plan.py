"""What a publish sends: the export's files by content hash, against what the site holds.

The destination keeps a manifest, ``MANIFEST`` (path -> sha256 of what was last published),
written after everything else; a file is sent when its hash differs from the manifest's.
Order protects readers of the site while it changes: images and assets first, then the
pages that point at them, then deletions of what the story no longer uses. A publish
stopped anywhere leaves pages whose files are all there; the manifest, still the old
one, makes the next run send whatever may not have arrived.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from photostory.core.i18n import _
from photostory.errors import PublishError

MANIFEST = ".photostory-publish.json"
MANIFEST_VERSION = 1

#: Images and assets: a CDN may keep them for a month. Not "immutable": rendition names
#: are not content-hashed, so a re-rendered photo keeps its name.
LONG_LIVED = "public, max-age=2592000"
#: Pages and story.json: kept, but checked with the site on every request.
REVALIDATE = "no-cache"

_PAGE_SUFFIXES = (".html", ".json")
#: mimetypes depends on the system's tables (/etc/mime.types): these must not vary.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalFile:
    """One file of the export: ``path`` relative to the export, with ``/`` separators."""

    path: str
    sha256: str
    size: int
    content_type: str
    cache_control: str

    @property
    def is_page(self) -> bool:
        return self.path.endswith(_PAGE_SUFFIXES)


@dataclass
class PublishPlan:
    """Uploads in the order they must happen, then deletions; ``files`` is the new manifest."""

    uploads: list[LocalFile]
    deletions: list[str]
    unchanged: int
    files: dict[str, str] = field(default_factory=dict)


def content_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def cache_control(path: str) -> str:
    return REVALIDATE if path.endswith(_PAGE_SUFFIXES) else LONG_LIVED


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan_export(export_dir: Path) -> list[LocalFile]:
    """Every file the export holds, except hidden ones (the export's state file names
    local paths and is nobody's business on the site)."""
    export_dir = Path(export_dir)
    if not (export_dir / "index.html").is_file():
        raise PublishError(_("{export_dir} is not an export (no index.html).")
                           .format(export_dir=export_dir),
                           _("Export the story first."))
    found = []
    for path in sorted(export_dir.rglob("*")):
        rel = path.relative_to(export_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        name = rel.as_posix()
        found.append(LocalFile(name, file_sha256(path), path.stat().st_size,
                               content_type(name), cache_control(name)))
    return found


def read_manifest(data: bytes | None, where: str) -> dict[str, str]:
    """The manifest a destination holds (``{}`` when there is none yet)."""
    if data is None:
        return {}
    try:
        parsed = json.loads(data)
        files = parsed["files"]
        if parsed.get("version") != MANIFEST_VERSION or not isinstance(files, dict):
            raise ValueError("unknown version")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise ValueError("bad entry")
    except (ValueError, KeyError, TypeError) as exc:
        raise PublishError(_("{where}: {manifest} is damaged ({reason}).")
                           .format(where=where, manifest=MANIFEST, reason=exc),
                           _("Remove it to publish every file again.")) from None
    return {k: v for k, v in files.items() if _safe_path(k)}


def manifest_bytes(files: dict[str, str]) -> bytes:
    return json.dumps({"version": MANIFEST_VERSION, "files": dict(sorted(files.items()))},
                      indent=1).encode()


def plan_publish(local: list[LocalFile], published: dict[str, str]) -> PublishPlan:
    """Send what differs from ``published``, images and assets before pages; delete what
    was published before and is no longer in the export (never anything else)."""
    changed = [f for f in local if published.get(f.path) != f.sha256]
    uploads = [f for f in changed if not f.is_page] + [f for f in changed if f.is_page]
    names = {f.path for f in local}
    deletions = sorted(p for p in published if p not in names)
    return PublishPlan(uploads, deletions, len(local) - len(changed),
                       {f.path: f.sha256 for f in local})


def _safe_path(path: str) -> bool:
    """A manifest entry must stay inside the destination: the manifest lives on the site
    and whoever can write there must not steer deletions elsewhere."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\\" not in path and all(
        part not in ("", ".", "..") for part in parts)
