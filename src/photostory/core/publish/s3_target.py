"""Publish to S3 or an S3-compatible store (``s3://bucket/prefix``) with boto3.

Credentials come only from the standard AWS chain (environment, ``~/.aws/credentials``,
``AWS_PROFILE``, instance roles): Photostory never asks for, prints or keeps a secret.
Each object is stored whole by one PUT, with its Content-Type and Cache-Control.
"""

from __future__ import annotations

import logging
from pathlib import Path

import boto3
import botocore.exceptions
from botocore.config import Config

from photostory.core.i18n import N_, _
from photostory.core.publish.destinations import Destination
from photostory.errors import PublishError

log = logging.getLogger(__name__)

#: Seconds without an answer after which the store is taken as gone (a hang guard far
#: above any normal reply).
TIMEOUT = 60
_RETRY = N_("The site still has a complete story; run publish again to finish.")
_MISSING = ("NoSuchKey", "404", "NotFound")


class S3Target:
    """A bucket and key prefix."""

    def __init__(self, destination: Destination) -> None:
        self.destination = destination
        self.bucket = destination.bucket
        self.prefix = destination.path
        try:
            self.client = boto3.session.Session().client(
                "s3", endpoint_url=destination.endpoint_url,
                config=Config(connect_timeout=TIMEOUT, read_timeout=TIMEOUT,
                              retries={"max_attempts": 3, "mode": "standard"}))
        except botocore.exceptions.BotoCoreError as exc:
            raise PublishError(_("{destination}: the AWS configuration is unusable: {reason}.")
                               .format(destination=destination, reason=exc)) from None
        self.public_url: str | None = self._url("index.html")

    def _key(self, path: str) -> str:
        return f"{self.prefix}/{path}" if self.prefix else path

    def _url(self, path: str) -> str:
        if self.destination.endpoint_url:  # path-style, as S3-compatible stores serve it
            return f"{self.destination.endpoint_url}/{self.bucket}/{self._key(path)}"
        return f"https://{self.bucket}.s3.amazonaws.com/{self._key(path)}"

    def _failed(self, what: str, path: str, exc: Exception) -> PublishError:
        log.debug("s3 %s %s failed", what, path, exc_info=True)
        if isinstance(exc, botocore.exceptions.NoCredentialsError):
            return PublishError(_("{destination}: no AWS credentials found.")
                                .format(destination=self.destination),
                                _("Set them in the environment, ~/.aws/credentials or a profile "
                                "(AWS_PROFILE)."))
        if isinstance(exc, botocore.exceptions.ClientError):
            error = exc.response.get("Error", {})
            code = error.get("Code", "")
            if code == "NoSuchBucket":
                return PublishError(_("{destination}: there is no bucket {bucket!r}.")
                                    .format(destination=self.destination, bucket=self.bucket))
            reason = f"{code}: {error.get('Message', '')}".strip(": ")
            return PublishError(_("{destination}: the store refused {what} {path} "
                                "({reason}).")
                                .format(destination=self.destination, what=what, path=path, reason=reason), _(_RETRY))
        return PublishError(_("{destination}: the connection failed while {what} {path}: "
                            "{reason}.")
                            .format(destination=self.destination, what=what, path=path, reason=exc), _(_RETRY))

    def get(self, path: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(path))
            return answer["Body"].read()
        except botocore.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise self._failed(_("reading"), path, exc) from None
        except botocore.exceptions.BotoCoreError as exc:
            raise self._failed(_("reading"), path, exc) from None

    def put(self, path: str, source: Path | bytes, content_type: str, cache_control: str) -> None:
        try:
            if isinstance(source, bytes):
                self._put(path, source, content_type, cache_control)
            else:
                with open(source, "rb") as body:
                    self._put(path, body, content_type, cache_control)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise self._failed(_("sending"), path, exc) from None

    def _put(self, path: str, body: object, content_type: str, cache_control: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(path), Body=body,
                               ContentType=content_type, CacheControl=cache_control)

    def delete(self, path: str) -> None:
        try:  # S3 answers a delete of a missing key with success
            self.client.delete_object(Bucket=self.bucket, Key=self._key(path))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            raise self._failed(_("removing"), path, exc) from None

    def close(self) -> None:
        self.client.close()
