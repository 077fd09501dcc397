"""Helpers shared by the tests: the shared corpus and external tools.

Outside CI a missing corpus or tool skips the test with the reason; in CI (``CI`` set)
it fails, so a broken CI machine cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def unavailable(reason: str) -> None:
    """Fail in CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus; skips (fails in CI) when the corpus is absent."""
    if not CORPUS.is_dir():
        unavailable(f"the shared image corpus is not at {CORPUS}")
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        unavailable(f"{path} is missing from the shared image corpus")
    return path


def corpus_manifest() -> list[dict[str, str]]:
    """Rows of corpus/MANIFEST.tsv as dicts."""
    import csv

    with open(corpus_path("MANIFEST.tsv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def require_tool(name: str, *candidates: str) -> str:
    """Path of an external program; skips (fails in CI) when it is not installed."""
    for candidate in (name, *candidates):
        found = shutil.which(candidate)
        if found:
            return found
    unavailable(f"{name} is not installed")
    raise AssertionError("unreachable")
