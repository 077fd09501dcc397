"""What every destination kind does for a publish: read and write files by relative path."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Target(Protocol):
    """An open connection to a destination; paths are relative, with ``/`` separators.

    Each method raises PublishError naming the destination and the file. ``put`` makes
    the file appear whole or not at all (a reader never gets half a file) and creates
    the folders it needs; ``delete`` of a file that is not there is no error.
    """

    #: Where readers find the story's page, when the destination says (else None).
    public_url: str | None

    def get(self, path: str) -> bytes | None:
        """The file's bytes, or None when there is no such file."""

    def put(self, path: str, source: Path | bytes, content_type: str, cache_control: str) -> None:
        """Store ``source`` (a local file or bytes) at ``path``."""

    def delete(self, path: str) -> None:
        """Remove the file at ``path``."""

    def close(self) -> None:
        """End the connection."""


def read_source(source: Path | bytes) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()
