"""Finding a conversation in a machine's store, without following a symlink.

pi 1.6.0 names each conversation `<timestamp>_<id>.jsonl` (in `sessions/<cwd slug>/`) and
resolves `--session <arg>` to the session whose id equals the argument, else whose id STARTS
with it. anon-pi accepts that and more (any part of 6 characters or more, session_ids.py), reads
the same files to learn the cwd to launch in, and hands pi the full id so pi opens exactly
that file. File names and headers are the jail's writing: every one is shown escaped.

The store is written by the jailed agent, so every step is an lstat: a symlink planted
anywhere under the home never makes the host read outside it.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import AnonPiError
from ..core.identity import key_project
from ..core.shown import shown
from .session_header import header_cwd
from .session_ids import MIN_PART, fits, short_forms

STORE_PARTS = (".pi", "agent", "sessions")
SHOWN = 10  # an ambiguous id lists at most this many conversations


@dataclass(frozen=True)
class SessionFile:
    """One conversation file: where it is and what its name says."""

    path: Path
    session_id: str  # the part after the first `_`, without `.jsonl`
    stamp: str  # the part before it: pi's ISO time with `:` and `.` turned into `-`


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


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def parse_name(name: str) -> tuple[str, str] | None:
    """(stamp, id) of `<stamp>_<id>.jsonl`; None for any other name."""
    stamp, sep, rest = name.removesuffix(".jsonl").partition("_")
    if not name.endswith(".jsonl") or not sep or not stamp or not rest:
        return None
    return stamp, rest


def session_files(home: Path) -> list[SessionFile]:
    """Every regular `sessions/*/<stamp>_<id>.jsonl`, in sorted path order; none when any
    store folder is a symlink. Symlinked group folders and files are skipped."""
    sessions = home.joinpath(*STORE_PARTS)
    if symlinked_part(home) or not stat.S_ISDIR(_lstat_mode(str(sessions))):
        return []
    found = []
    for group in _listdir(str(sessions)):
        gdir = os.path.join(sessions, group)
        if not stat.S_ISDIR(_lstat_mode(gdir)):
            continue
        for name in _listdir(gdir):
            parts = parse_name(name)
            path = os.path.join(gdir, name)
            if parts and stat.S_ISREG(_lstat_mode(path)):
                found.append(SessionFile(Path(path), parts[1], parts[0]))
    return sorted(found, key=lambda s: str(s.path))


def matching(files: list[SessionFile], typed: str) -> list[SessionFile]:
    """The sessions whose id is exactly `typed`, else those it fits (session_ids.fits)."""
    exact = [s for s in files if s.session_id == typed]
    return exact or [s for s in files if fits(s.session_id, typed)]


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


def recorded_cwd(found: SessionFile, mounted: bool) -> str | None:
    """The header's cwd when it is one anon-pi could have launched in (the jail wrote it)."""
    line = first_line(found.path)
    return header_cwd(line, mounted) if line else None


def when(stamp: str) -> str:
    """`2026-12-01T09-17-37-123Z` -> `2026-12-01 09:17` (as written, when not pi's shape)."""
    day, sep, clock = stamp.partition("T")
    hm = clock.split("-")[:2]
    return f"{day} {':'.join(hm)}" if sep and len(hm) == 2 else stamp


def ambiguous(matches: list[SessionFile], every: list[SessionFile], typed: str, machine: str,
              mounted: bool) -> AnonPiError:
    """Several conversations fit: list them (the shortest form of each id that is unique on
    the machine, project, date; newest first, at most 10)."""
    newest = sorted(matches, key=lambda s: s.stamp, reverse=True)
    form = short_forms(s.session_id for s in every)
    rows = []
    for s in newest[:SHOWN]:
        cwd = recorded_cwd(s, mounted)
        project = shown(key_project(cwd)) if cwd else "?"
        rows.append(f"  {shown(form(s.session_id))}  {project}  {shown(when(s.stamp))}")
    if len(newest) > SHOWN:
        rows.append(f"  … and {len(newest) - SHOWN} more")
    return AnonPiError(
        f'{len(matches)} conversations on machine "{machine}" match "{typed}":\n'
        + "\n".join(rows), "give one of the ids above (pi resumes exactly one)")


def find_one(home: Path, typed: str, machine: str, mounted: bool) -> SessionFile:
    """The one conversation `typed` names on this machine; refuses none or several."""
    every = session_files(home)
    matches = matching(every, typed)
    if not matches:
        raise AnonPiError(
            f'no conversation "{typed}" on machine "{machine}"',
            f"give the start of an id, or any {MIN_PART} or more of its characters; ids are the "
            "part after `_` in the file names under "
            f"{home.joinpath(*STORE_PARTS)}/<folder>/; to start a new conversation with a "
            "chosen id: `anon-pi <project> --session-id <id>`")
    if len(matches) > 1:
        raise ambiguous(matches, every, typed, machine, mounted)
    return matches[0]
