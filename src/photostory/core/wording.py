"""Small helpers for the sentences users read."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """``1 photo``, ``3 photos``."""
    return f"{count} {word}{'s' if count != 1 else ''}"
