"""Progress reporting and cancellation for long work (import, export)."""

from __future__ import annotations

import threading
from typing import Protocol

from photostory.errors import Cancelled


class Progress(Protocol):
    """Called as work advances: ``done`` of ``total`` steps, ``message`` for the user."""

    def __call__(self, done: int, total: int, message: str) -> None: ...


def no_progress(done: int, total: int, message: str) -> None:
    """A progress callback that ignores everything."""


class CancelToken:
    """Set from any thread to ask long work to stop at its next check."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` when cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled()
