"""Where the bundled resources (templates, gallery CSS/JS, icons, sample story) live."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """``$PHOTOSTORY_RESOURCES``, else the checkout's ``resources/`` (development and
    editable installs), else the copy installed beside the package."""
    override = os.environ.get("PHOTOSTORY_RESOURCES")
    candidates = [Path(override)] if override else []
    here = Path(__file__).resolve().parent
    candidates += [here.parent.parent / "resources", here / "_resources"]
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("Photostory's resources folder is missing; reinstall Photostory.")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_story() -> Path:
    return resource("sample", "sample.photostory")
