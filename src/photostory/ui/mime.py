"""Drag-and-drop payloads: stable ids as JSON, never pickles or row numbers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData

PHOTO_IDS = "application/x-photostory-photo-ids"
BLOCK_ID = "application/x-photostory-block-id"
URI_LIST = "text/uri-list"


def photo_ids_mime(ids: Sequence[str]) -> QMimeData:
    data = QMimeData()
    data.setData(PHOTO_IDS, json.dumps(list(ids)).encode("utf-8"))
    return data


def photo_ids(data: QMimeData | None) -> list[str]:
    """The photo ids carried by ``data``; empty for anything else or a damaged payload."""
    if data is None or not data.hasFormat(PHOTO_IDS):
        return []
    try:
        ids = json.loads(bytes(data.data(PHOTO_IDS).data()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def block_id_mime(block_id: str) -> QMimeData:
    data = QMimeData()
    data.setData(BLOCK_ID, block_id.encode("utf-8"))
    return data


def block_id(data: QMimeData | None) -> str:
    if data is None or not data.hasFormat(BLOCK_ID):
        return ""
    return bytes(data.data(BLOCK_ID).data()).decode("utf-8", "replace")


def local_paths(data: QMimeData | None) -> list[Path]:
    """Local files and folders dropped from a file manager."""
    if data is None or not data.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
