"""Fork server for the SIGKILL tests: import once, then fork a child per request.

Started as ``python forkserver.py MODE STORY [CSV_A CSV_B]``. A warm interpreter
makes each child cheap (a fork, no imports), so hundreds of kills take seconds.
Protocol on stdin/stdout, one line each:

* ``fork N`` -> prints the child's pid. The child loops until it is killed:
  MODE ``save`` saves story versions N, N+1, ... to STORY with save_story;
  MODE ``captions`` runs ``photostory captions STORY --import CSV``, alternating
  CSV_A and CSV_B, through photostory.cli.main.
* ``reap PID`` -> waits for the child and prints its raw wait status.

The test process sends SIGKILL itself; the server only forks and reaps.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

mode, story_path = sys.argv[1], Path(sys.argv[2])
if mode == "save":
    from photostory.core.storyfile import save_story
    from story_versions import version
elif mode == "captions":
    from photostory.cli import main as cli_main
else:
    raise SystemExit(f"unknown mode {mode}")


def child(start: int) -> None:
    # Nothing may reach the protocol pipe; errors go to a log the test reads on failure.
    devnull = os.open(os.devnull, os.O_WRONLY)
    log = os.open(story_path.parent / "child-errors.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(devnull, 1)
    os.dup2(log, 2)
    try:
        if mode == "save":
            n = start
            while True:
                save_story(version(n, story_path.parent), story_path)
                n += 1
        sheets = sys.argv[3:5]
        n = start
        while True:
            status = cli_main(["captions", str(story_path), "--import", sheets[n % 2]])
            if status != 0:
                raise SystemExit(status)
            n += 1
    except BaseException:
        import traceback

        traceback.print_exc()
        os._exit(3)


for line in sys.stdin:
    command, argument = line.split()
    if command == "fork":
        pid = os.fork()
        if pid == 0:
            child(int(argument))
            os._exit(4)  # unreachable: the child loops until killed
        print(pid, flush=True)
    elif command == "reap":
        _, status = os.waitpid(int(argument), 0)
        print(status, flush=True)
