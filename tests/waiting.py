"""Waiting on a child: for a signal it gives (a file, a log line, a screen), with a deadline and
a failure that names what never came. Never a fixed sleep hoping the child is ready: on a
loaded machine the child is late, and the test then checks something else or fails at random."""

import os
import time
from pathlib import Path


def until(check, what: str, seconds: float = 15, step: float = 0.02):
    """check()'s first truthy answer; the test fails with "`what` never came" after `seconds`."""
    end = time.monotonic() + seconds
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > end:
            raise AssertionError(f"{what} never came (waited {seconds:g} s)")
        time.sleep(step)


def appeared(path: Path, what: str, seconds: float = 15) -> None:
    """Until `path` exists (a child creates it to say it is ready)."""
    until(path.exists, f"{what} ({path} was never created)", seconds)


def thread_ids(pid: int) -> set[str]:
    """The threads process `pid` runs now (empty once it is gone)."""
    try:
        return set(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return set()


def bytes_read(pid: int) -> int:
    """How many bytes process `pid` has read so far (any descriptor: /proc/<pid>/io's rchar)."""
    io = Path(f"/proc/{pid}/io").read_text()
    return next(int(line.split()[1]) for line in io.splitlines() if line.startswith("rchar:"))
