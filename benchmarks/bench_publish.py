"""Publish benchmark: bytes sent after one caption change, against the first publish.

    .venv/bin/python benchmarks/bench_publish.py [--photos 24] [--size 3000x2000]

A story of N generated photos (Pillow: gradients and noise, so they compress like
photos do, not like flat colour) is exported and published to a file:// folder and to
moto's S3 server (started here in its own process on 127.0.0.1); then one caption
changes, the story is exported again and published again; to file:// also with a base
URL set (absolute URLs, JSON-LD, cards). Target: the second publish sends at most 5% of
the bytes of the first.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, parse_size, verdict  # noqa: E402

TARGET = 0.05


def make_story(folder: Path, count: int, size: tuple[int, int]):  # noqa: ANN201
    from PIL import Image

    from photostory.core.importing import import_photos
    from photostory.core.story import Paragraph, PhotoGroup, Story

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"photo-{i + 1:02d}.jpg"
        gradient = Image.linear_gradient("L").resize(size).convert("RGB")
        noise = Image.effect_noise(size, 30 + i).convert("RGB")
        Image.blend(gradient, noise, 0.35).save(path, quality=90)
        paths.append(path)
    story = Story(title="Publish benchmark", default_credit="akorda.kz")
    story.photos = import_photos(paths, workers=1).photos
    for n, photo in enumerate(story.photos):
        photo.caption = f"Caption of photo {n + 1}"
        photo.alt = f"Photo {n + 1}"
    story.body = [Paragraph("Text."), PhotoGroup([p.id for p in story.photos])]
    return story


def start_moto() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                "-p", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(600):  # up to a minute
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}"


def measure(label: str, story, export_dir: Path, destination) -> None:  # noqa: ANN001
    from photostory.core.export.pipeline import export_story
    from photostory.core.publish import publish

    first = publish(export_dir, destination)
    story.photos[7].caption = "A corrected caption"
    export_story(story, export_dir)
    second = publish(export_dir, destination)
    story.photos[7].caption = "Caption of photo 8"  # back, for the next destination
    export_story(story, export_dir)
    ratio = second.sent_bytes / first.sent_bytes
    print(f"{label:21} first: {len(first.sent)} files, {first.sent_bytes / 1e6:.2f} MB; "
          f"after one caption change: {len(second.sent)} files, {second.sent_bytes / 1e3:.0f} KB; "
          f"ratio {ratio:.4f} (target <= {TARGET}) {verdict(ratio, TARGET)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--size", type=parse_size, default=(3000, 2000))
    args = parser.parse_args()
    import boto3

    from photostory.core.export.pipeline import export_story
    from photostory.core.publish import parse_destination

    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        story = make_story(base / "photos", args.photos, args.size)
        export_dir = base / "export"
        export_story(story, export_dir)
        measure("file://", story, export_dir, parse_destination((base / "site").as_uri()))
        # With a base URL the pages carry absolute URLs, JSON-LD and social cards: bigger
        # pages, which every caption change sends again.
        story.base_url = "https://static.example.kz/stories/bench/"
        export_story(story, export_dir)
        measure("file:// with base URL", story, export_dir,
                parse_destination((base / "site-base").as_uri()))
        os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                          AWS_DEFAULT_REGION="us-east-1")
        moto, endpoint = start_moto()
        try:
            boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="bench")
            measure("s3:// with base URL", story, export_dir,
                    parse_destination("s3://bench/story", endpoint))
        finally:
            moto.terminate()
            moto.wait()


if __name__ == "__main__":
    main()
