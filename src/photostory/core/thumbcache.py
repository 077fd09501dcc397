"""A persistent thumbnail cache shared with the desktop (freedesktop Thumbnail Managing Standard).

Entries live in ``$XDG_CACHE_HOME/thumbnails/<flavour>/<md5 of the file URI>.png``
(``~/.cache/thumbnails`` when ``XDG_CACHE_HOME`` is unset or not absolute), with the
flavours ``normal`` (128 px), ``large`` (256), ``x-large`` (512) and ``xx-large`` (1024).
Each PNG carries the tEXt keys ``Thumb::URI`` and ``Thumb::MTime`` (the source's
modification time in whole seconds); an entry whose MTime differs from the file's
is stale and is made again. File managers (GNOME Files, Thunar, Dolphin...) read
and write the same entries, so thumbnails they made are used here and ours serve them.

Writes are atomic (a unique temporary file in the same folder, then a rename), files
are mode 0600 and folders 0700 as the standard asks. A cache that cannot be written
(read-only home, full disk) never costs a thumbnail: it is only not stored.

Nothing here imports Qt; the editor calls :func:`cached_thumbnail` on its GUI thread
(a hit costs a stat and a small PNG decode, never a photo decode) and
:func:`thumbnail_for` on worker threads.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from pathlib import Path
from urllib.parse import quote_from_bytes

from PIL import Image, PngImagePlugin

from photostory import __version__
from photostory.core.images import decoding
from photostory.core.images.colour import flatten_on_white
from photostory.core.atomic import write_atomic

log = logging.getLogger(__name__)

__all__ = ["FLAVOURS", "cache_root", "cache_path", "file_uri", "thumbnail_for", "cached_thumbnail",
           "flavour_for"]

# Flavour folder -> longest side in pixels, smallest first.
FLAVOURS: tuple[tuple[str, int], ...] = (
    ("normal", 128), ("large", 256), ("x-large", 512), ("xx-large", 1024),
)
SOFTWARE = f"Photostory {__version__}"
# Stored, not deflated: a hit then decodes in ~0.6 ms instead of ~1.2 ms for a 256 px
# photo thumbnail (1000 cached thumbnails: ~0.6 s less before the editor's grid is
# full), for ~35% more bytes (~130 KiB instead of ~95 KiB per "large" entry of a
# detailed photo). Any PNG conforms to the standard; other programs read these as usual.
_PNG_COMPRESS_LEVEL = 0


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/thumbnails``, or ``~/.cache/thumbnails`` (relative XDG paths are ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "thumbnails"


def file_uri(path: Path) -> str:
    """The file's canonical URI: ``Path.as_uri()`` of its absolute (not resolved) path."""
    return Path(os.path.abspath(path)).as_uri()


def _glib_uri(path: Path) -> str:
    """The URI as GLib's g_filename_to_uri (GNOME, Xfce) writes it: like ``as_uri()`` but
    with ``!$&'()*+,:=@`` left unescaped."""
    raw = os.fsencode(os.path.abspath(path))
    return "file://" + quote_from_bytes(raw, safe="/!$&'()*+,:=@")


def flavour_for(size: int) -> tuple[str, int] | None:
    """The smallest flavour whose size covers ``size``; None above 1024 (not cached)."""
    for name, pixels in FLAVOURS:
        if size <= pixels:
            return name, pixels
    return None


def cache_path(path: Path, size: int, cache_dir: Path | None = None) -> Path | None:
    """Where the entry for ``path`` at ``size`` lives (None if ``size`` is not cached)."""
    flavour = flavour_for(size)
    if flavour is None:
        return None
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    return root / flavour[0] / (_md5(file_uri(path)) + ".png")


def cached_thumbnail(path: Path, size: int, cache_dir: Path | None = None) -> Image.Image | None:
    """The cached thumbnail of ``path`` (longest side at most ``size``, RGB), or None.

    Never decodes the photo: a missing, stale (MTime differs), unreadable or foreign
    entry that cannot be used is simply a miss.
    """
    if size < 1:
        raise ValueError(f"thumbnail size must be positive, not {size}")
    flavour = flavour_for(size)
    if flavour is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    folder = root / flavour[0]
    uri = file_uri(path)
    image = _load_entry(folder / (_md5(uri) + ".png"), stat)
    if image is None:
        glib = _glib_uri(path)  # a file manager's entry for a name with ()&,+ and the like
        if glib != uri:
            image = _load_entry(folder / (_md5(glib) + ".png"), stat)
    return fit_within(image, size) if image is not None else None


def thumbnail_for(path: Path, size: int, cache_dir: Path | None = None) -> Image.Image:
    """A thumbnail of ``path`` whose longest side is at most ``size`` (RGB, sRGB, upright).

    From the cache when a fresh entry exists; otherwise made with
    :func:`photostory.core.images.decoding.make_thumbnail` at the flavour's size and stored.
    Raises :class:`~photostory.errors.ImageReadError` for a file that cannot be read.
    """
    cached = cached_thumbnail(path, size, cache_dir)
    if cached is not None:
        return cached
    flavour = flavour_for(size)
    if flavour is None:
        return decoding.make_thumbnail(Path(path), size)
    try:
        # The mtime is taken before decoding: if the file changes meanwhile, the entry
        # carries the old time and is made again next time.
        stat = os.stat(path)
    except OSError:
        stat = None
    image = decoding.make_thumbnail(Path(path), flavour[1])
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    if stat is not None and not _is_inside(Path(os.path.abspath(path)), root):
        _store(image, root / flavour[0], path, stat)
    return fit_within(image, size)


# --------------------------------------------------------------------------- internals


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def fit_within(image: Image.Image, size: int) -> Image.Image:
    """``image`` if its longest side is at most ``size``, else a reduced copy."""
    if max(image.size) > size:
        image = image.copy()
        image.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return image


def _is_inside(path: Path, root: Path) -> bool:
    """The standard: no thumbnails of the thumbnails themselves."""
    try:
        path.relative_to(Path(os.path.abspath(root)))
        return True
    except ValueError:
        return False


def _load_entry(entry: Path, stat: os.stat_result) -> Image.Image | None:
    """The entry's pixels as RGB if it exists and describes the file as ``stat`` does:
    same Thumb::MTime (whole seconds) and, when the writer gave it, same Thumb::Size."""
    try:
        with Image.open(entry, formats=["PNG"]) as im:
            if im.width * im.height > 4096 * 4096:  # not a thumbnail: never decode a bomb
                return None
            # tEXt chunks before the image data are in .info right after open; a writer
            # may put them after it, in which case they appear once the pixels are read.
            if "Thumb::MTime" not in im.info:
                im.load()
                info = {**im.info, **getattr(im, "text", {})}
            else:
                info = im.info
            if _int_of(info.get("Thumb::MTime")) != int(stat.st_mtime):
                return None
            size = info.get("Thumb::Size")
            if size is not None and _int_of(size) != stat.st_size:
                return None
            im.load()
            return _rgb(im)
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged or foreign entry: a miss, made again over it
        log.debug("unusable thumbnail cache entry %s: %s", entry, exc)
        return None


def _int_of(value: object) -> int | None:
    try:
        return int(float(str(value)))  # some writers store fractional seconds
    except (TypeError, ValueError):
        return None


def _rgb(im: Image.Image) -> Image.Image:
    if im.mode == "RGB":
        return im.copy()
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        return flatten_on_white(im)
    return im.convert("RGB")


def _store(image: Image.Image, folder: Path, path: Path, stat: os.stat_result) -> None:
    """Write the entry atomically, mode 0600; any failure only logs."""
    uri = file_uri(path)
    meta = PngImagePlugin.PngInfo()
    meta.add_text("Thumb::URI", uri)
    meta.add_text("Thumb::MTime", str(int(stat.st_mtime)))
    meta.add_text("Thumb::Size", str(stat.st_size))
    meta.add_text("Software", SOFTWARE)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        png = io.BytesIO()
        image.save(png, "PNG", pnginfo=meta, compress_level=_PNG_COMPRESS_LEVEL)
        # Not durable: an entry lost in a crash is only made again. Links are replaced,
        # never followed: the cache holds only files made by thumbnailers.
        write_atomic(folder / (_md5(uri) + ".png"), png.getvalue(), follow_links=False,
                     mode=0o600, durable=False)
    except Exception as exc:  # read-only or full cache: the thumbnail is still returned
        log.debug("could not store thumbnail of %s in %s: %s", path, folder, exc)
