"""Image metadata, one module per format, merged into what a photo says by ``reading``.

``containers`` walks JPEG segments and PNG chunks; ``exif``, ``xmp`` and ``iim`` read
(and for XMP write) their blocks; ``dates`` turns their dates into ISO 8601.
"""
