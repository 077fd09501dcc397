"""Real servers for the publish tests on 127.0.0.1: OpenSSH's sshd with generated keys,
and moto's standalone S3 server in its own process."""

from __future__ import annotations

import getpass
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import require_tool

#: Seconds a server may take to start listening: a hang guard, far above the usual second.
START_GUARD = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_GUARD
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"server did not listen on port {port}: {log.read_text(errors='replace')}")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (sshd forks one per connection, in a session of its own)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class SshServer:
    """sshd on a free port serving ``root``; the client's HOME is ``home`` (keys, known_hosts)."""

    def __init__(self, base: Path) -> None:
        self.sshd = require_tool("sshd", "/usr/sbin/sshd")
        keygen = require_tool("ssh-keygen")
        if not os.path.isabs(self.sshd):
            self.sshd = os.path.abspath(self.sshd)
        self.base = base
        self.root = base / "site"
        self.home = base / "home"
        ssh = self.home / ".ssh"
        ssh.mkdir(parents=True)
        self.port = free_port()
        self.host_key = base / "host_ed25519"
        for key in (self.host_key, ssh / "id_ed25519"):
            subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True,
                           stdin=subprocess.DEVNULL)
        (base / "authorized_keys").write_bytes((ssh / "id_ed25519.pub").read_bytes())
        self.trust(self.host_key)
        self.config = base / "sshd_config"
        self.config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {self.host_key}\n"
            f"PidFile {base / 'sshd.pid'}\nAuthorizedKeysFile {base / 'authorized_keys'}\n"
            "UsePAM no\nStrictModes no\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
            "PermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\nLogLevel VERBOSE\n")
        self.log = base / "sshd.log"
        self.process: subprocess.Popen | None = None
        self.user = getpass.getuser()

    def trust(self, key: Path) -> None:
        """Make ``key`` (a host key's private file) the one known_hosts lists for the server."""
        public = key.with_name(key.name + ".pub").read_text().split()
        (self.home / ".ssh" / "known_hosts").write_text(
            f"[127.0.0.1]:{self.port} {public[0]} {public[1]}\n")

    def url(self, folder: str = "site") -> str:
        return f"sftp://{self.user}@127.0.0.1:{self.port}{self.base / folder}"

    def start(self) -> None:
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([self.sshd, "-D", "-e", "-f", str(self.config)],
                                            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        wait_listening(self.port, self.process, self.log)

    def kill(self) -> None:
        """Kill sshd and every session it forked, as a crashed server or a reboot would."""
        if self.process is None:
            return
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()
        self.process = None


class S3Server:
    """moto's standalone server on a free port."""

    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.log = base / "moto.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        wait_listening(self.port, self.process, self.log)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=START_GUARD)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
