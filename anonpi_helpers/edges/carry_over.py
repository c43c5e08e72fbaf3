"""The shared carry-over (data-verbs §4.2): a source machine's home into a new machine.

Used by `machine create --image <snapshot>` and `image snapshot --create-machine`. The home is
copied minus its conversations, with or without a terminal; conversations are opt-in per
project on a terminal. Nothing under a machine home is ever followed through a symlink: the
jail can write there, and a link must not pull host files into a jail-visible home (§7.7).
On failure this raises before anything is deleted from the source, so the caller can roll
the new machine back.
"""

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from ..core.carry_over_plan import group_rows, source_problem, wants_copy
from ..core.errors import AnonPiError
from ..core.names import is_valid_name, quoted
from ..core.resolve import data_projects_root
from . import terminal
from .workspace import SESSIONS, Workspace, remove_no_follow, symlink_in_chain, user_home


def _note(text: str) -> None:
    sys.stderr.write(f"anon-pi: {text}\n")
    sys.stderr.flush()


def carry_over(ws: Workspace, source: str, dest: str, env: Mapping[str, str]) -> None:
    """Copy `source`'s home into `dest`'s (which must exist), then offer its conversations."""
    problem = source_problem(source, dest)
    if problem:
        _note(f"{problem}; nothing carried over, {quoted(dest)} is seeded fresh on first launch.")
        return
    src_home, dst_home = ws.home(source), ws.home(dest)
    if src_home.is_symlink():
        _note(f"warning: {src_home} is a symlink; it is not followed, nothing carried over.")
        return
    if not src_home.is_dir():
        _note(f"source machine {quoted(source)} has no home any more ({src_home}); "
              f"{quoted(dest)} starts fresh and is seeded on first launch.")
        return
    skipped: list[Path] = []
    copy_tree(src_home, dst_home, skipped, skip=src_home / SESSIONS)
    _note(f"copied {quoted(source)}'s home (config + extensions) into {quoted(dest)} "
          "(minus conversations).")
    if skipped:
        _note(f"skipped {len(skipped)} special file(s) (sockets, FIFOs, devices) in "
              f"{quoted(source)}'s home.")
    _offer_conversations(ws, source, dest, env)


def copy_tree(src: Path, dst: Path, skipped: list[Path], skip: Path | None = None) -> None:
    """Recursive copy that follows no symlink: links are recreated as links (same target),
    special files are listed in `skipped`, `skip` (and all below it) is left out."""
    dst.mkdir(exist_ok=True)
    with os.scandir(src) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        s, d = Path(entry.path), dst / entry.name
        if s == skip:
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(s), d)
        elif entry.is_dir(follow_symlinks=False):
            copy_tree(s, d, skipped, skip)
        elif entry.is_file(follow_symlinks=False):
            shutil.copy2(s, d, follow_symlinks=False)
        else:
            skipped.append(s)
    shutil.copystat(src, dst, follow_symlinks=False)


def _sessions_of(ws: Workspace, machine: str) -> Path | None:
    """The machine's sessions folder when it can be walked safely; None (warned) otherwise."""
    link = symlink_in_chain(ws.home(machine), SESSIONS)
    if link is not None:
        _note(f"warning: {link} is a symlink; it is not followed, so no conversations of "
              f"{quoted(machine)} are carried over.")
        return None
    sessions = ws.sessions_dir(machine)
    return sessions if sessions.is_dir() else None


def _groups(sessions: Path) -> list[str]:
    """Slug folders (real directories only) in listing order."""
    with os.scandir(sessions) as it:
        return sorted(e.name for e in it if e.is_dir(follow_symlinks=False))


def _project_names(ws: Workspace, env: Mapping[str, str]) -> list[str]:
    root = Path(data_projects_root(env=env, config=ws.read_config(), workspace=str(ws.root),
                                   home=user_home(env), cwd=os.getcwd()))
    try:
        names = os.listdir(root)
    except OSError:
        return []
    return [n for n in names if is_valid_name(n) and (root / n).is_dir()]


def _offer_conversations(ws: Workspace, source: str, dest: str, env: Mapping[str, str]) -> None:
    sessions = _sessions_of(ws, source)
    slugs = _groups(sessions) if sessions else []
    if not slugs:
        return
    if not terminal.has_tty():
        _note(f"{len(slugs)} conversation group(s) on {quoted(source)} were NOT copied "
              f"(no TTY to choose); {quoted(dest)} starts with no history.")
        return
    rows = group_rows(slugs, _project_names(ws, env))
    _note(f"{quoted(source)} has {len(rows)} conversation group(s) (by project); choose COPY "
          "or SKIP for each (default SKIP).")
    chosen = []
    for slug, label in rows:
        answer = terminal.prompt_line(f"  {label}  [copy/SKIP]: ", nothing="written")
        if answer is None:  # EOF: skip this and every remaining group (ruling 13)
            break
        if wants_copy(answer):
            chosen.append(slug)
    if not chosen:
        _note("no conversation groups copied.")
        return
    dest_sessions = _dest_sessions(ws, dest)
    for slug in chosen:
        copy_tree(sessions / slug, dest_sessions / slug, [])
    _note(f"copied {len(chosen)} group(s) into {quoted(dest)}.")
    _offer_source_delete(ws, source, sessions, chosen)


def _dest_sessions(ws: Workspace, dest: str) -> Path:
    link = symlink_in_chain(ws.home(dest), SESSIONS)
    if link is not None:
        raise AnonPiError(f"{link} is a symlink; refusing to copy conversations through it.")
    path = ws.sessions_dir(dest)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _offer_source_delete(ws: Workspace, source: str, sessions: Path, chosen: list[str]) -> None:
    """The copies are complete: a failure here is reported but never rolls the new machine
    back (that would lose the only copy of a half-deleted group)."""
    k = len(chosen)
    if not terminal.ask_yes_no(f"Also DELETE the {k} copied group(s) from source machine "
                               f"{quoted(source)}? [y/N] "):
        return
    try:
        for slug in chosen:
            remove_no_follow(sessions / slug, (ws.root,))
    except (OSError, AnonPiError) as exc:  # reported, never re-raised: the copies stay
        _note(f"warning: could not remove every copied group from {quoted(source)}: {exc}")
        return
    _note(f"removed {k} group(s) from {quoted(source)} ({sessions}).")
