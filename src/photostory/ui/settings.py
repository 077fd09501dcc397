"""Preferences, recent files and window geometry (QSettings; never story data)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from photostory.core.export.options import DEFAULT_QUALITY, DEFAULT_WIDTHS, parse_widths
from photostory.core.preflight import DEFAULT_MAX_CAPTION, PreflightSettings

MAX_RECENT = 8
MAX_CREDITS = 30
MIN_CAPTION_LIMIT, MAX_CAPTION_LIMIT = 40, 10000


class Settings:
    """Typed access to QSettings; tests pass a QSettings pointed at ``tmp_path``."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings if qsettings is not None else QSettings()

    # -- preferences -------------------------------------------------------------------
    @property
    def default_credit(self) -> str:
        return str(self.q.value("preferences/default_credit", "") or "")

    @default_credit.setter
    def default_credit(self, value: str) -> None:
        self.q.setValue("preferences/default_credit", value.strip())

    @property
    def credit_prefix(self) -> str:
        """Empty: the story language's prefix ("Photo:", "Фото:")."""
        return str(self.q.value("preferences/credit_prefix", "") or "")

    @credit_prefix.setter
    def credit_prefix(self, value: str) -> None:
        self.q.setValue("preferences/credit_prefix", value.strip())

    @property
    def language(self) -> str:
        """The editor's language chosen in Preferences (``ru``, ``kk``, ``en``); "" follows
        the system locale. It takes effect when the editor starts."""
        return str(self.q.value("preferences/language", "") or "")

    @language.setter
    def language(self, value: str) -> None:
        self.q.setValue("preferences/language", value)

    @property
    def export_widths(self) -> tuple[int, ...]:
        raw = str(self.q.value("preferences/export_widths", "") or "")
        try:
            widths = parse_widths(raw)
        except ValueError:
            widths = ()
        return widths or DEFAULT_WIDTHS

    @export_widths.setter
    def export_widths(self, widths: tuple[int, ...]) -> None:
        self.q.setValue("preferences/export_widths", ",".join(map(str, widths)))

    @property
    def jpeg_quality(self) -> int:
        try:
            value = int(self.q.value("preferences/jpeg_quality", DEFAULT_QUALITY))
        except (TypeError, ValueError):
            return DEFAULT_QUALITY
        return value if 1 <= value <= 100 else DEFAULT_QUALITY

    @jpeg_quality.setter
    def jpeg_quality(self, value: int) -> None:
        self.q.setValue("preferences/jpeg_quality", int(value))

    @property
    def max_caption(self) -> int:
        """Captions longer than this are a preflight warning."""
        try:
            value = int(self.q.value("preferences/max_caption", DEFAULT_MAX_CAPTION))
        except (TypeError, ValueError):
            return DEFAULT_MAX_CAPTION
        return value if MIN_CAPTION_LIMIT <= value <= MAX_CAPTION_LIMIT else DEFAULT_MAX_CAPTION

    @max_caption.setter
    def max_caption(self, value: int) -> None:
        self.q.setValue("preferences/max_caption", int(value))

    @property
    def shortcuts_file(self) -> Path | None:
        """The caption shortcuts file (``code<TAB>expansion`` lines), if one is set."""
        text = str(self.q.value("preferences/shortcuts_file", "") or "").strip()
        return Path(text) if text else None

    @shortcuts_file.setter
    def shortcuts_file(self, path: Path | None) -> None:
        self.q.setValue("preferences/shortcuts_file", str(path) if path else "")

    def preflight(self, widths: tuple[int, ...] | None = None) -> PreflightSettings:
        """Preflight limits from the preferences (``widths``: an export's own widths)."""
        return PreflightSettings(max_caption=self.max_caption,
                                 largest_width=max(widths or self.export_widths))

    # -- history -----------------------------------------------------------------------
    def recent_files(self) -> list[Path]:
        return [Path(p) for p in self._list("recent/files")]

    def add_recent_file(self, path: Path) -> None:
        text = str(Path(path).absolute())
        items = [text] + [p for p in self._list("recent/files") if p != text]
        self.q.setValue("recent/files", items[:MAX_RECENT])

    def clear_recent_files(self) -> None:
        self.q.setValue("recent/files", [])

    def used_credits(self) -> list[str]:
        """Credits typed before, most recent first (the credit field completes from them)."""
        return self._list("recent/credits")

    def add_used_credit(self, credit: str) -> None:
        credit = credit.strip()
        if credit:
            items = [credit] + [c for c in self._list("recent/credits") if c != credit]
            self.q.setValue("recent/credits", items[:MAX_CREDITS])

    def _list(self, key: str) -> list[str]:
        value = self.q.value(key, [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list
            value = [value] if value else []
        return [str(v) for v in value or [] if str(v)]

    # -- publishing -------------------------------------------------------------------
    def publish_destination(self, story_file: Path) -> tuple[str, str]:
        """The destination and S3 endpoint last published to from this story file
        (``("", "")`` when none). They never hold a secret: the core refuses passwords."""
        group = _story_group(story_file)
        return (str(self.q.value(f"{group}/destination", "") or ""),
                str(self.q.value(f"{group}/endpoint_url", "") or ""))

    def remember_publish_destination(self, story_file: Path, destination: str,
                                     endpoint_url: str) -> None:
        group = _story_group(story_file)
        self.q.setValue(f"{group}/destination", destination)
        self.q.setValue(f"{group}/endpoint_url", endpoint_url)

    # -- window ------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self.q.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def splitter_state(self) -> QByteArray | None:
        value = self.q.value("window/splitter")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)
        self.q.setValue("window/splitter", splitter)

    @property
    def preflight_visible(self) -> bool:
        value = self.q.value("window/preflight_visible", True)
        return value not in (False, "false", "0", 0)

    @preflight_visible.setter
    def preflight_visible(self, visible: bool) -> None:
        self.q.setValue("window/preflight_visible", bool(visible))

    def sync(self) -> None:
        self.q.sync()


def _story_group(story_file: Path) -> str:
    """A settings group per story file: its path hashed, since QSettings reads a key's
    slashes as groups and a Windows path's backslashes differently per format."""
    digest = hashlib.sha256(str(Path(story_file).absolute()).encode()).hexdigest()[:24]
    return f"publish/{digest}"
