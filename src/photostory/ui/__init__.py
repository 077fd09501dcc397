"""The Qt editor: a thin adapter over :mod:`photostory.core` (the only package importing PySide6)."""
