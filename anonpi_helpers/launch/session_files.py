"""Finding a session file in a machine's store without following any symlink (ruling 10).

The store is written by the jailed agent, so every step is an lstat: a symlink planted
anywhere under the home never makes the host read outside it (ruling 15).
"""

import os
import stat
from pathlib import Path

STORE_PARTS = (".pi", "agent", "sessions")


def symlinked_part(home: Path) -> Path | None:
    """The first of `.pi`, `.pi/agent`, `.pi/agent/sessions` under `home` that is a symlink."""
    path = home
    for part in STORE_PARTS:
        path = path / part
        if path.is_symlink():
            return path
    return None


def _lstat_mode(path: str) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0


def find_session(home: Path, session_id: str) -> Path | None:
    """The first `sessions/*/*.jsonl` (sorted path order) whose name contains the id.

    Symlinked store folders, group folders and files are skipped; any miss gives None.
    """
    sessions = home.joinpath(*STORE_PARTS)
    if not session_id or symlinked_part(home) or not stat.S_ISDIR(_lstat_mode(str(sessions))):
        return None
    candidates = []
    try:
        groups = os.listdir(sessions)
    except OSError:
        return None
    for group in groups:
        gdir = os.path.join(sessions, group)
        if not stat.S_ISDIR(_lstat_mode(gdir)):
            continue
        try:
            names = os.listdir(gdir)
        except OSError:
            continue
        candidates += [os.path.join(gdir, n) for n in names
                       if n.endswith(".jsonl") and session_id in n]
    for path in sorted(candidates):
        if stat.S_ISREG(_lstat_mode(path)):
            return Path(path)
    return None


def first_line(path: Path, limit: int = 1 << 20) -> str | None:
    """The header line, read without following a symlink swapped in since the lookup."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            line = fh.readline(limit)
    except OSError:
        return None
    return line.decode("utf-8", errors="replace")
