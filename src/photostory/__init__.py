"""Photostory: a photo-story and gallery editor for newsrooms."""

__version__ = "0.1.0"
