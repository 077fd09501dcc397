"""Where a story is published: parse and check ``file://``, ``sftp://`` and ``s3://`` DESTs.

A destination never carries a secret: a password in the address is refused (SFTP uses
keys from ssh-agent or ``~/.ssh``, S3 the standard AWS credential chain), so nothing
printed, logged or remembered from it can leak one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from photostory.core.i18n import _
from photostory.errors import PublishError

KINDS = ("file", "sftp", "s3")
SFTP_PORT = 22
_PASSWORD = re.compile(r"^([^:/]*://[^/@:]*):[^/@]*@")


@dataclass(frozen=True)
class Destination:
    """A parsed DEST. ``path`` is the local folder (file), the remote folder (sftp: absolute,
    or relative to the login folder) or the key prefix (s3, no slashes at either end)."""

    kind: str
    text: str  # as the user wrote it: safe to show, it holds no secret
    path: str
    host: str = ""
    port: int | None = None  # None: the address names none (~/.ssh/config's, else 22)
    user: str = ""
    bucket: str = ""
    endpoint_url: str | None = None

    def __str__(self) -> str:
        return self.text


def parse_destination(text: str, endpoint_url: str | None = None) -> Destination:
    """``sftp://user@host[:port]/path``, ``s3://bucket/prefix`` or ``file:///path``;
    raises PublishError naming ``text`` when it is none of them."""
    shown = _PASSWORD.sub(r"\1:***@", text)  # an error message must not repeat a password

    def refuse(problem: str, hint: str = "") -> PublishError:
        return PublishError(_("Publish destination {shown!r}: {problem}")
                            .format(shown=shown, problem=problem), hint)

    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as exc:
        raise refuse(_("not a valid address ({reason}).").format(reason=exc)) from None
    scheme = parts.scheme.lower()
    if scheme not in KINDS:
        raise refuse(_("unknown kind."), _("Use sftp://user@host/path, s3://bucket/prefix "
                                      "or file:///path."))
    if parts.password is not None:
        raise refuse(_("holds a password."), _("Passwords are never used: SFTP logs in with keys "
                                          "(ssh-agent or ~/.ssh), S3 with the AWS configuration."))
    if parts.query or parts.fragment:
        raise refuse(_("has a query or fragment."))
    if endpoint_url is not None and scheme != "s3":
        raise refuse(_("--endpoint-url is for s3:// destinations only."))
    path = unquote(parts.path)
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise refuse(_("a file:// destination names a local folder (file:///path)."))
        if not path.startswith("/"):
            raise refuse(_("needs an absolute path (file:///path)."))
        return Destination("file", text, str(Path(path)))
    if scheme == "sftp":
        if not parts.hostname:
            raise refuse(_("names no host (sftp://user@host/path)."))
        if path in ("", "/"):
            raise refuse(_("names no folder (sftp://user@host/path)."))
        # RFC draft for sftp URLs: "/~/x" is x in the login folder.
        remote = path[3:] if path.startswith("/~/") else path
        return Destination("sftp", text, remote.rstrip("/"), host=parts.hostname,
                           port=port, user=unquote(parts.username or ""))
    if not parts.hostname or parts.username is not None or port is not None:
        raise refuse(_("names no bucket (s3://bucket/prefix)."))
    if endpoint_url is not None:
        ends = urlsplit(endpoint_url)
        if ends.scheme not in ("http", "https") or not ends.hostname:
            raise refuse(_("--endpoint-url {endpoint_url!r} is not an http(s) address.")
                         .format(endpoint_url=endpoint_url))
        if ends.password is not None:
            raise refuse(_("--endpoint-url holds a password."),
                         _("Give S3 credentials through the AWS configuration."))
    return Destination("s3", text, path.strip("/"), bucket=parts.netloc,
                       endpoint_url=endpoint_url.rstrip("/") if endpoint_url else None)
