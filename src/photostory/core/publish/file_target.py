"""Publish into a local (or mounted) folder: ``file:///path``."""

from __future__ import annotations

from pathlib import Path

from photostory.core.i18n import _
from photostory.core.atomic import write_atomic
from photostory.core.publish.destinations import Destination
from photostory.core.publish.target import read_source
from photostory.errors import PublishError


class FileTarget:
    """A folder; each file is written beside its place and renamed into it."""

    def __init__(self, destination: Destination) -> None:
        self.destination = destination
        self.root = Path(destination.path)
        self.public_url: str | None = (self.root / "index.html").as_uri()
        if self.root.exists() and not self.root.is_dir():
            raise PublishError(_("{destination}: {root} is not a folder.")
                               .format(destination=destination, root=self.root))

    def _path(self, path: str) -> Path:
        return self.root.joinpath(*path.split("/"))

    def _fail(self, what: str, path: str, exc: OSError) -> PublishError:
        return PublishError(_("{destination}: cannot {what} {path}: {reason}.")
                            .format(destination=self.destination, what=what, path=path, reason=exc.strerror or exc))

    def get(self, path: str) -> bytes | None:
        try:
            return self._path(path).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._fail(_("read"), path, exc) from exc

    def put(self, path: str, source: Path | bytes, content_type: str, cache_control: str) -> None:
        target = self._path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # A link at the destination is replaced, never written through.
            write_atomic(target, read_source(source), follow_links=False)
        except OSError as exc:
            raise self._fail(_("write"), path, exc) from exc

    def delete(self, path: str) -> None:
        try:
            self._path(path).unlink(missing_ok=True)
        except OSError as exc:
            raise self._fail(_("remove"), path, exc) from exc

    def close(self) -> None:
        pass
