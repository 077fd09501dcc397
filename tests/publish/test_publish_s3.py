"""Publishing to an S3-compatible server (moto's, in its own process) through boto3."""

from __future__ import annotations

import uuid
from pathlib import Path

import boto3
import pytest
from servers import S3Server
from publish_support import PAGES, change_caption, export_files, exported_story

from photostory.core.publish import parse_destination, publish
from photostory.core.publish.plan import LONG_LIVED, REVALIDATE
from photostory.errors import PublishError

PREFIX = "stories/noise"


def _bucket(server: S3Server) -> tuple[object, str]:
    client = boto3.client("s3", endpoint_url=server.endpoint_url)
    name = f"site-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return client, name


def _site(client, bucket: str) -> dict[str, bytes]:  # noqa: ANN001
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PREFIX + "/"):
        for item in page.get("Contents", []):
            path = item["Key"][len(PREFIX) + 1:]
            if path != ".photostory-publish.json":
                found[path] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


def test_s3_publish_is_the_export_with_content_types_and_cache_headers(
        s3_server: S3Server, tmp_path: Path) -> None:
    client, bucket = _bucket(s3_server)
    story, export_dir = exported_story(tmp_path)
    destination = parse_destination(f"s3://{bucket}/{PREFIX}", s3_server.endpoint_url)
    report = publish(export_dir, destination)
    assert _site(client, bucket) == export_files(export_dir)
    assert report.public_url == f"{s3_server.endpoint_url}/{bucket}/{PREFIX}/index.html"

    def head(path: str) -> tuple[str, str]:
        answer = client.head_object(Bucket=bucket, Key=f"{PREFIX}/{path}")
        return answer["ContentType"], answer.get("CacheControl", "")

    image = next(p for p in export_files(export_dir) if p.startswith("images/"))
    assert head(image) == ("image/jpeg", LONG_LIVED)
    assert head("assets/photostory.css") == ("text/css; charset=utf-8", LONG_LIVED)
    assert head("assets/photostory.js") == ("text/javascript; charset=utf-8", LONG_LIVED)
    assert head("index.html") == ("text/html; charset=utf-8", REVALIDATE)
    assert head("story.json") == ("application/json", REVALIDATE)

    renditions = change_caption(story, export_dir)
    again = publish(export_dir, destination)
    assert set(again.sent) == renditions | PAGES
    assert set(again.sent[-len(PAGES):]) == PAGES
    assert _site(client, bucket) == export_files(export_dir)


def test_s3_errors_name_the_destination_and_never_a_secret(
        s3_server: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, export_dir = exported_story(tmp_path, count=1)
    missing = parse_destination("s3://no-such-bucket/x", s3_server.endpoint_url)
    with pytest.raises(PublishError, match="no-such-bucket"):
        publish(export_dir, missing)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(PublishError, match="no AWS credentials") as refused:
        publish(export_dir, missing)
    assert "testing-secret" not in str(refused.value)
