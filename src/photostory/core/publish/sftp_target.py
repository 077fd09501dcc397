"""Publish over SFTP (``sftp://user@host[:port]/path``) with paramiko.

paramiko rather than asyncssh: it is synchronous, which fits the core's worker-thread
model (progress callback, CancelToken) without an event loop, and it is the SSH library
most Python deployment tools build on, released several times a year.

The host is looked up in ``~/.ssh/config`` as ssh would (a ``Host`` alias, its
``HostName``, ``Port``, ``User`` and ``IdentityFile``); what the address names wins.
The server's key must already be in ``~/.ssh/known_hosts``: an unknown or changed key is
refused with its SHA256 fingerprint, as ``ssh`` shows it, so the user can compare it with
what the host's administrator says. Login uses ssh-agent and the keys in ``~/.ssh`` only;
no password is ever asked for or kept. Each file is written under a temporary name in
its folder and renamed into place (posix-rename), so a reader never gets half a file.
"""

from __future__ import annotations

import base64
import errno
import getpass
import hashlib
import io
import logging
import os
import posixpath
import secrets
import socket
from pathlib import Path

import paramiko

from photostory.core.i18n import N_, _
from photostory.core.publish.destinations import SFTP_PORT, Destination
from photostory.errors import PublishError

log = logging.getLogger(__name__)

#: Seconds without an answer after which the server is taken as gone (a hang guard far
#: above any normal reply; a killed server is noticed at once by the closed connection).
TIMEOUT = 60
_RETRY = N_("The site still has a complete story; run publish again to finish.")


def fingerprint(key: paramiko.PKey) -> str:
    """``SHA256:…`` as ``ssh-keygen -lf`` prints it."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


class _RefuseUnknown(paramiko.MissingHostKeyPolicy):
    """paramiko's RejectPolicy, with the fingerprint in the message."""

    def __init__(self, destination: Destination) -> None:
        self.destination = destination

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        raise PublishError(
            _("{destination}: the host key of {hostname} is not in ~/.ssh/known_hosts "
            "({get_name} {fingerprint}).")
            .format(destination=self.destination, hostname=hostname, get_name=key.get_name(), fingerprint=fingerprint(key)),
            _("If that fingerprint is the server's, connect once with ssh to accept it."))


def ssh_config(destination: Destination) -> paramiko.SSHConfigDict:
    """What ``~/.ssh/config`` says for the destination's host (with ``hostname`` always
    set); a file that cannot be used, or a host reached only through a proxy, is refused."""
    path = Path(os.path.expanduser("~/.ssh/config"))
    try:
        config = paramiko.SSHConfig.from_path(str(path)) if path.is_file() else paramiko.SSHConfig()
        found = config.lookup(destination.host)
    except (OSError, ValueError, ImportError, paramiko.SSHException) as exc:
        raise PublishError(_("{path} cannot be used for {host}: {reason}.")
                           .format(path=path, host=destination.host, reason=exc)) from None
    port = found.get("port", str(SFTP_PORT))
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise PublishError(_("{path}: the Port for {host}, {port!r}, is no port number.")
                           .format(path=path, host=destination.host, port=port))
    for option in ("proxyjump", "proxycommand"):
        if found.get(option, "none").lower() != "none":
            raise PublishError(
                _("{path} reaches {host} through a proxy ({option}), which publishing does "
                  "not follow.").format(path=path, host=destination.host, option=option),
                _("Publish to a host that can be reached directly."))
    return found


class SftpTarget:
    """An SFTP session rooted at the destination's folder."""

    def __init__(self, destination: Destination) -> None:
        self.destination = destination
        self.public_url: str | None = None  # the web address of an SFTP folder is unknown
        self.root = destination.path
        self._made: set[str] = set()
        config = ssh_config(destination)
        self.host = config["hostname"]
        self.port = destination.port or int(config.get("port", SFTP_PORT))
        self.user = destination.user or config.get("user") or getpass.getuser()
        self.keys = [key for key in config.get("identityfile", []) if os.path.isfile(key)]
        self.client = paramiko.SSHClient()
        known_hosts = Path(os.path.expanduser("~/.ssh/known_hosts"))
        try:
            if known_hosts.is_file():
                self.client.load_host_keys(str(known_hosts))
        except (OSError, paramiko.SSHException) as exc:
            raise PublishError(_("{known_hosts} cannot be read: {reason}.")
                               .format(known_hosts=known_hosts, reason=exc)) from exc
        self.client.set_missing_host_key_policy(_RefuseUnknown(destination))
        self._connect()

    def _connect(self) -> None:
        d = self.destination
        try:
            self.client.connect(
                self.host, port=self.port, username=self.user, key_filename=self.keys or None,
                allow_agent=True, look_for_keys=True, timeout=TIMEOUT,
                banner_timeout=TIMEOUT, auth_timeout=TIMEOUT, channel_timeout=TIMEOUT)
            self.sftp = self.client.open_sftp()
            self.sftp.get_channel().settimeout(TIMEOUT)
        except PublishError:
            self.client.close()
            raise
        except paramiko.BadHostKeyException as exc:
            self.client.close()
            raise PublishError(
                _("{d}: the host key of {host} has CHANGED ({get_name} "
                "{fingerprint}; ~/.ssh/known_hosts has {fingerprint2}).")
                .format(d=d, host=self.host, get_name=exc.key.get_name(), fingerprint=fingerprint(exc.key), fingerprint2=fingerprint(exc.expected_key)),
                _("Someone may be intercepting the connection; ask the server's administrator "
                "before changing known_hosts.")) from None
        except paramiko.AuthenticationException:
            self.client.close()
            raise PublishError(_("{d}: the server did not accept any key from ssh-agent or ~/.ssh.")
                               .format(d=d),
                               _("Add your public key to the server's authorized_keys.")) from None
        except (OSError, EOFError, paramiko.SSHException) as exc:
            self.client.close()
            raise PublishError(_("{d}: cannot connect to {host} port {port}: "
                               "{reason}.")
                               .format(d=d, host=self.host, port=self.port, reason=_reason(exc))) from None

    def _remote(self, path: str) -> str:
        return posixpath.join(self.root, path)

    def _lost(self, message: str, path: str, exc: BaseException) -> PublishError:
        """``message`` (translated, naming {destination}, {path} and {reason}) as the error."""
        log.debug("sftp failed on %s", path, exc_info=True)
        return PublishError(message.format(destination=self.destination, path=path,
                                           reason=_reason(exc)), _(_RETRY))

    def get(self, path: str) -> bytes | None:
        buffer = io.BytesIO()
        try:
            self.sftp.getfo(self._remote(path), buffer)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise self._lost(_("{destination}: the connection failed while reading {path}: "
                               "{reason}."), path, exc) from None
        return buffer.getvalue()

    def put(self, path: str, source: Path | bytes, content_type: str, cache_control: str) -> None:
        remote = self._remote(path)
        folder, name = posixpath.split(remote)
        temporary = posixpath.join(folder, f".{name}.{secrets.token_hex(4)}.part")
        try:
            self._make_folders(folder)
            if isinstance(source, bytes):
                self.sftp.putfo(io.BytesIO(source), temporary, confirm=True)
            else:
                self.sftp.put(str(source), temporary, confirm=True)
            self.sftp.posix_rename(temporary, remote)
        except (OSError, EOFError, paramiko.SSHException) as exc:
            self._forget(temporary)
            raise self._lost(_("{destination}: the connection failed while sending {path}: "
                               "{reason}."), path, exc) from None

    def delete(self, path: str) -> None:
        try:
            self.sftp.remove(self._remote(path))
        except FileNotFoundError:
            pass
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise self._lost(_("{destination}: the connection failed while removing {path}: "
                               "{reason}."), path, exc) from None

    def close(self) -> None:
        self.client.close()

    def _make_folders(self, folder: str) -> None:
        missing = []
        while folder not in self._made and folder not in ("", "/"):
            try:
                self.sftp.stat(folder)
                break
            except FileNotFoundError:
                missing.append(folder)
                folder = posixpath.dirname(folder)
        for made in reversed(missing):
            try:
                self.sftp.mkdir(made)
            except OSError:
                self.sftp.stat(made)  # made meanwhile by someone else: fine; else raises
        self._made.update(missing)
        self._made.add(folder)

    def _forget(self, temporary: str) -> None:
        """Remove a half-sent temporary file when the connection still allows it."""
        try:
            self.sftp.remove(temporary)
        except (OSError, EOFError, paramiko.SSHException):
            pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return _("no answer in {TIMEOUT} s").format(TIMEOUT=TIMEOUT)
    if isinstance(exc, EOFError) or (isinstance(exc, OSError) and exc.errno in (
            errno.ECONNRESET, errno.EPIPE)):
        return _("the server closed the connection")
    text = getattr(exc, "strerror", None) or str(exc)
    return text or type(exc).__name__
