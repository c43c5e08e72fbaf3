"""The shared carry-over: a source machine's home into a new machine.

Used by `machine create --image <snapshot>` and `image snapshot --create-machine`. The home is
copied minus its conversations, with or without a terminal; conversations are opt-in per
project on a terminal. Nothing under a machine home is ever followed through a symlink: the
jail can write there, and a link must not pull host files into a jail-visible home.
On failure this raises before anything is deleted from the source, so the caller can roll
the new machine back.
"""

import os
from pathlib import Path

from ..core.carry_over_plan import group_rows, source_problem, wants_copy
from ..core.errors import AnonPiError
from ..core.names import is_valid_name, quoted
from ..core.resolve import data_projects_root
from . import terminal
from .safe_tree import LinkInPath, copy_fd_tree, open_chain, opened, opened_below, remove_at
from .workspace import SESSIONS, Workspace, user_home


def _rel_home(machine: str) -> Path:
    return Path("machines", machine, "home")


def carry_over(io, ws: Workspace, source: str, dest: str) -> None:
    """Copy `source`'s home into `dest`'s (which must exist), then offer its conversations
    (asked on `io`'s terminal; the project names come from `io.env` and `io.cwd`)."""
    problem = source_problem(source, dest)
    if problem:
        terminal.note(io, f"{problem}; nothing carried over, {quoted(dest)} is seeded fresh on "
                      "first launch.")
        return
    skipped: list[Path] = []
    try:
        with opened(ws.root, _rel_home(source)) as src, opened(ws.root, _rel_home(dest)) as dst:
            copy_fd_tree(src, dst, ws.home(source), skipped, skip=SESSIONS)
    except LinkInPath as exc:
        terminal.note(io, f"warning: {exc.path} is a symlink; it is not followed, nothing "
                      "carried over.")
        return
    except FileNotFoundError:
        terminal.note(io, f"source machine {quoted(source)} has no home any more "
                      f"({ws.home(source)}); {quoted(dest)} starts fresh and is seeded on first "
                      "launch.")
        return
    terminal.note(io, f"copied {quoted(source)}'s home (config + extensions) into {quoted(dest)} "
                  "(minus conversations).")
    if skipped:
        terminal.note(io, f"skipped {len(skipped)} special file(s) (sockets, FIFOs, devices) in "
                      f"{quoted(source)}'s home: {', '.join(map(str, skipped[:5]))}"
                      f"{' …' if len(skipped) > 5 else ''}")
    _offer_conversations(io, ws, source, dest)


def _sessions_fd(io, ws: Workspace, machine: str) -> int | None:
    """The machine's sessions folder, opened without following any link; None (warned when
    it is a link) otherwise. The caller closes it."""
    try:
        return open_chain(ws.root, _rel_home(machine) / SESSIONS)
    except LinkInPath as exc:
        terminal.note(io, f"warning: {exc.path} is a symlink; it is not followed, so no "
                      f"conversations of {quoted(machine)} are carried over.")
    except FileNotFoundError:
        pass
    return None


def _groups(sessions: int) -> list[str]:
    """Slug folders (real directories only) in listing order."""
    with os.scandir(sessions) as it:
        return sorted(e.name for e in it if e.is_dir(follow_symlinks=False))


def _project_names(io, ws: Workspace) -> list[str]:
    root = Path(data_projects_root(env=io.env, config=ws.read_config(), workspace=str(ws.root),
                                   home=user_home(io.env), cwd=io.cwd))
    try:
        names = os.listdir(root)
    except OSError:
        return []
    return [n for n in names if is_valid_name(n) and (root / n).is_dir()]


def _offer_conversations(io, ws: Workspace, source: str, dest: str) -> None:
    sessions = _sessions_fd(io, ws, source)
    if sessions is None:
        return
    try:
        _offer_groups(io, ws, source, dest, sessions)
    finally:
        os.close(sessions)


def _offer_groups(io, ws: Workspace, source: str, dest: str, sessions: int) -> None:
    slugs = _groups(sessions)
    if not slugs:
        return
    if not io.tty:
        terminal.note(io, f"{len(slugs)} conversation group(s) on {quoted(source)} were NOT "
                      f"copied (no TTY to choose); {quoted(dest)} starts with no history.")
        return
    rows = group_rows(slugs, _project_names(io, ws))
    terminal.note(io, f"{quoted(source)} has {len(rows)} conversation group(s) (by project); "
                  "choose COPY or SKIP for each (default SKIP).")
    chosen = []
    for slug, label in rows:
        answer = terminal.prompt_line(io, f"  {label}  [copy/SKIP]: ", nothing="written")
        if answer is None:  # EOF: skip this and every remaining group, keep what was copied
            break
        if wants_copy(answer):
            chosen.append(slug)
    if not chosen:
        terminal.note(io, "no conversation groups copied.")
        return
    try:
        with opened(ws.root, _rel_home(dest) / SESSIONS, create=True) as dst:
            for slug in chosen:
                with opened_below(sessions, slug) as src:
                    os.mkdir(slug, 0o700, dir_fd=dst)
                    with opened_below(dst, slug) as out:
                        copy_fd_tree(src, out, ws.sessions_dir(source) / slug, [])
    except LinkInPath as exc:
        raise AnonPiError(f"{exc.path} is a symlink; refusing to copy conversations "
                          "through it.") from None
    terminal.note(io, f"copied {len(chosen)} group(s) into {quoted(dest)}.")
    _offer_source_delete(io, ws, source, sessions, chosen)


def _offer_source_delete(io, ws: Workspace, source: str, sessions: int, chosen: list[str]) -> None:
    """The copies are complete: a failure here is reported but never rolls the new machine
    back (that would lose the only copy of a half-deleted group)."""
    k = len(chosen)
    if not terminal.ask_yes_no(io, f"Also DELETE the {k} copied group(s) from source machine "
                               f"{quoted(source)}? [y/N] "):
        return
    where = ws.sessions_dir(source)
    try:
        for slug in chosen:
            remove_at(sessions, slug, where / slug)
    except (OSError, AnonPiError) as exc:  # reported, never re-raised: the copies stay
        terminal.note(io, f"warning: could not remove every copied group from {quoted(source)}: "
                      f"{exc}")
        return
    terminal.note(io, f"removed {k} group(s) from {quoted(source)} ({where}).")
