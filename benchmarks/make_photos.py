"""Build the benchmarks' input set once: N camera-like JPEGs of realistic texture and noise.

    .venv/bin/python benchmarks/make_photos.py [--count 40] [--size 6000x4000] [--force]

Photos go to ``$PHOTOSTORY_BENCH_DIR/photos-WxH/`` (default ``~/.cache/photostory-bench``),
named ``bench-0001.jpg``...; existing ones are kept, so later runs cost nothing.

Each photo: one of scikit-image's bundled sample photos (astronaut, coffee, cat,
rocket, motorcycle...) scaled up to the full frame, overlaid with a fine natural
texture tiled at native resolution (grass, gravel, brick: pixel-level detail as in
a sharp camera file) and Gaussian sensor noise, saved as JPEG quality 90, 4:2:0,
with EXIF Make/Model/DateTimeOriginal. Every 8th photo (index 3, 11, 19...) is
stored rotated with EXIF orientation 6, as a camera held upright writes it.
Without scikit-image a procedural texture (gradients, sine gratings, blobs) is used.
A 24 MP file comes out at about 9-12 MB, like a camera's fine JPEG.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_size, photos_dir  # noqa: E402

BASES = ("astronaut", "coffee", "chelsea", "rocket", "stereo_motorcycle", "hubble_deep_field",
         "retina", "immunohistochemistry")
TEXTURES = ("grass", "gravel", "brick")
ROTATED_EVERY, ROTATED_AT = 8, 3


def _skimage_image(name: str) -> np.ndarray | None:
    try:
        from skimage import data
    except ImportError:
        return None
    try:
        image = getattr(data, name)()  # only the files bundled with the wheel: no download
    except Exception:
        return None
    if isinstance(image, tuple):  # stereo pairs: the left view
        image = image[0]
    return np.asarray(image)


def _procedural(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    out = np.zeros((height, width, 3), np.float32)
    for channel in range(3):
        fx, fy = rng.uniform(2, 40, 2) / width
        out[..., channel] = (127 + 60 * np.sin(2 * np.pi * (fx * x + fy * y) + rng.uniform(0, 6))
                             + 40 * (x / width) * rng.uniform(-1, 1))
    for _ in range(30):
        cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(50, 800)
        mask = ((x - cx) ** 2 + (y - cy) ** 2) < r * r
        out[mask] += rng.uniform(-50, 50, 3)
    return np.clip(out, 0, 255).astype(np.uint8)


def _cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale and centre-crop ``image`` to exactly width x height."""
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.BICUBIC)
    left, top = (image.width - width) // 2, (image.height - height) // 2
    return image.crop((left, top, left + width, top + height))


def make_photo(index: int, width: int, height: int, out: Path) -> Path:
    rng = np.random.default_rng(1000 + index)
    base = _skimage_image(BASES[index % len(BASES)])
    if base is None:
        frame = _procedural(width, height, rng).astype(np.float32)
    else:
        if base.ndim == 2:
            base = np.stack([base] * 3, axis=-1)
        base_image = Image.fromarray(base[..., :3].astype(np.uint8), "RGB")
        if index % 2:
            base_image = base_image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        frame = np.asarray(_cover(base_image, width, height), np.float32)
    texture = _skimage_image(TEXTURES[index % len(TEXTURES)])
    if texture is not None:
        if texture.ndim == 3:
            texture = texture.mean(axis=2)
        reps = (height // texture.shape[0] + 1, width // texture.shape[1] + 1)
        tiled = np.tile(texture.astype(np.float32), reps)[:height, :width]
        frame += 0.4 * (tiled - tiled.mean())[..., None]  # fine detail at pixel level
    frame += rng.standard_normal((height, width, 3), dtype=np.float32) * 5.5  # sensor noise
    pixels = np.clip(frame, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    del frame, pixels

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Benchcam"
    exif[ExifTags.Base.Model] = "Benchcam X24"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = (
        f"2024:05:01 {9 + index // 60 % 10:02d}:{index % 60:02d}:00")
    if index % ROTATED_EVERY == ROTATED_AT:
        # A portrait frame as a camera writes it: pixels stored landscape, turned by EXIF.
        image = image.transpose(Image.Transpose.ROTATE_90)
        image = _cover(image, width, height) if image.size != (width, height) else image
        exif[ExifTags.Base.Orientation] = 6
    path = out / f"bench-{index + 1:04d}.jpg"
    tmp = path.with_suffix(".tmp")
    image.save(tmp, "JPEG", quality=90, subsampling="4:2:0", exif=exif.tobytes())
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--size", type=parse_size, default=(6000, 4000), help="WIDTHxHEIGHT")
    parser.add_argument("--force", action="store_true", help="rebuild existing photos")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    width, height = args.size
    out = photos_dir(width, height)
    out.mkdir(parents=True, exist_ok=True)
    todo = [i for i in range(args.count)
            if args.force or not (out / f"bench-{i + 1:04d}.jpg").exists()]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for path in pool.map(make_photo, todo, [width] * len(todo), [height] * len(todo),
                             [out] * len(todo)):
            print(f"{path}  {path.stat().st_size / 1e6:.1f} MB", flush=True)
    print(f"{args.count} photos of {width}x{height} in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
