"""Finding a session file in a machine's store without following any symlink (ruling 10)."""

import os
from pathlib import Path


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def find_session(sessions: Path, session_id: str) -> Path | None:
    """The first `*.jsonl` (sorted path order) whose name contains the id; None on any miss."""
    if not session_id or not _real_dir(sessions):
        return None
    try:
        groups = sorted(os.listdir(sessions))
    except OSError:
        return None
    for group in groups:
        gdir = sessions / group
        if not _real_dir(gdir):
            continue
        try:
            names = sorted(os.listdir(gdir))
        except OSError:
            continue
        for name in names:
            f = gdir / name
            if name.endswith(".jsonl") and session_id in name and f.is_file() \
                    and not f.is_symlink():
                return f
    return None


def first_line(path: Path, limit: int = 1 << 20) -> str | None:
    try:
        with open(path, "rb") as fh:
            line = fh.readline(limit)
    except OSError:
        return None
    return line.decode("utf-8", errors="replace")
