"""Which machines hold conversations of which cwd: every machine's session folders, read
without walking through a symlink. The menu's "used on" and a folder worked on alone share it."""

import os
from pathlib import Path

from ..core.names import is_valid_name
from .workspace import SESSIONS, Workspace


def dir_names(folder: Path) -> list[str]:
    """Children that are directories (a symlink to one counts); unreadable means none."""
    try:
        with os.scandir(folder) as entries:
            return [e.name for e in entries if _is_dir(e)]
    except OSError:
        return []


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def session_names(io, ws: Workspace, machine: str) -> frozenset[str]:
    """The slugs in a machine's sessions folder, never walking through a symlink: the jail
    writes that tree."""
    path = ws.home(machine)
    for part in SESSIONS.parts:
        path = path / part
        if path.is_symlink():
            io.stderr.write(f"anon-pi: warning: {path} is a symlink; skipped (its "
                            "conversations are not counted)\n")
            return frozenset()
    try:
        return frozenset(os.listdir(path))
    except OSError:
        return frozenset()


def listings(io, ws: Workspace, machine: str) -> dict[str, frozenset[str]]:
    """Every machine (the current one even without a folder) -> its session slugs."""
    machines = {m for m in dir_names(ws.machines_dir) if is_valid_name(m)} | {machine}
    return {m: session_names(io, ws, m) for m in machines}
