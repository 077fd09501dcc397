"""The photostory command run as a user's shell would, for end-to-end tests.

Each attack checks what a user notices: one ``error:`` line naming the file and the
problem, exit status 1, no traceback, and nothing already on disk lost or changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

# A hang guard far above normal (a command here takes about a second): hitting it is a
# hang, not a slow machine.
HANG_GUARD_SECONDS = 120


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]


def photostory(*args: object, cwd: Path | None = None, stdin: str | None = None,
               timeout: float = HANG_GUARD_SECONDS, env: dict[str, str] | None = None) -> Result:
    """Run ``photostory ARGS`` in a subprocess (``env`` added to the environment); a hang
    fails the test with its command."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    cmd = [sys.executable, "-m", "photostory", *map(str, args)]
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env=env, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"photostory {' '.join(map(str, args))} hung (no answer in {timeout} s)")
    result = Result(done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def assert_refused(result: Result, *words: str) -> None:
    """Exit 1 with exactly one ``error:`` line that holds each of ``words``."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert len(result.error_lines) == 1, result.stderr
    for word in words:
        assert word in result.error_lines[0], (word, result.error_lines[0])


def snapshot(*roots: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every path under ``roots`` (links not followed) with what it is and holds, to
    compare before and after an attack."""
    seen: dict[str, tuple[str, bytes | str]] = {}
    for root in roots:
        paths = [root] + (sorted(root.rglob("*")) if root.is_dir() and not root.is_symlink() else [])
        for path in paths:
            if path.is_symlink():
                seen[str(path)] = ("link", os.readlink(path))
            elif path.is_dir():
                seen[str(path)] = ("dir", "")
            elif path.is_file():
                seen[str(path)] = ("file", hashlib.sha256(path.read_bytes()).digest())
            elif path.exists():  # a FIFO or device: reading it would block or never end
                seen[str(path)] = ("special", oct(path.stat().st_mode))
    return seen


def make_photo(path: Path, size: tuple[int, int] = (640, 480), color: str = "steelblue") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, quality=85)
    return path
