"""Image files as pixels, one module per job.

Opening and checking (``opening``, with ``pillow`` for how Pillow is called),
decoding and thumbnails (``decoding``), ``colour``, ``orientation`` and the export's
``renditions``.
"""
