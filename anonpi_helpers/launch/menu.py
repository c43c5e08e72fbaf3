"""The bare-launch menu (interactive §1): read the root and the machines, select, maybe ask.

It only chooses: it returns the LaunchArgs fields the typed command would carry, so the
launch code builds a byte-identical netcage argv from them.
"""

import os
import sys
from pathlib import Path

from ..core.errors import AnonPiError
from ..core.names import check_name, is_valid_name, quoted
from ..edges import terminal
from ..edges.workspace import SESSIONS, Workspace
from .menu_entries import header, launch_fields, menu_entries

NEW_PROMPT = "New project name (a single folder segment): "


def _dir_names(folder: Path) -> list[str]:
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


def _session_names(ws: Workspace, machine: str) -> frozenset[str]:
    """The slugs in a machine's sessions folder, never walking through a symlink (ruling 15)."""
    path = ws.home(machine)
    for part in SESSIONS.parts:
        path = path / part
        if path.is_symlink():
            sys.stderr.write(f"anon-pi: warning: {path} is a symlink; skipped (its "
                             "conversations are not counted)\n")
            return frozenset()
    try:
        return frozenset(os.listdir(path))
    except OSError:
        return frozenset()


def _listings(ws: Workspace, machine: str) -> dict[str, frozenset[str]]:
    """Every machine (the current one even without a folder) -> its session slugs."""
    machines = {m for m in _dir_names(ws.machines_dir) if is_valid_name(m)} | {machine}
    return {m: _session_names(ws, m) for m in machines}


def _ask_new_name(root: Path) -> str:
    """§1.8: one answer, trimmed and checked; an existing folder opens, a file refuses."""
    name = (terminal.prompt_line(NEW_PROMPT, nothing="launched") or "").strip()
    if not name:
        raise AnonPiError("no name given; nothing launched.")
    check_name(name, "project")
    folder = root / name
    if folder.is_dir():
        sys.stderr.write(f"anon-pi: project {quoted(name)} already exists; opening it\n")
    elif folder.exists() or folder.is_symlink():
        raise AnonPiError(f"{folder} exists but is not a folder; cannot use it as project "
                          f"{quoted(name)}.", "pick another name, or move that file away")
    return name


def choose(args, ctx) -> dict:
    """Show the menu for `ctx` (a verb_launch.LaunchContext); the fields a pick stands for."""
    entries = menu_entries(_dir_names(Path(ctx.projects_root)), _listings(ctx.ws, ctx.machine),
                           ctx.machine, mounted=ctx.mount_parent is not None)
    picked = entries[terminal.select(header(ctx.machine), [e.label for e in entries],
                                     "launched")]
    if picked.kind == "new":
        return {"mode": "pi", "project": _ask_new_name(Path(ctx.projects_root))}
    return launch_fields(picked)
