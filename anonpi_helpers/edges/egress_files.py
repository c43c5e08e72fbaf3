"""The egress log on disk: `<workspace>/egress/<machine>/<session>.jsonl`.

The workspace's `egress/` folder lies outside every folder a jail mounts (a machine's home is
`machines/<m>/home`, the projects root is refused inside the workspace's own files), so the
jail can neither write nor rewrite what it is recorded doing. A launch creates its own file
(never an existing one, never through a link) and appends one JSON line per record; the
relay's threads write through one lock, each record a whole line. The lock is made when the
relay starts (`shared()`, once netcage is spawned): up to then only the launch's own thread
writes, and opening the log before the spawn does not load the threading module.
"""

import json
import os
from pathlib import Path

from ..core.egress_log import MAX_LINE


class _OneWriter:
    """The lock of a log only one thread writes yet: there is nobody to wait for."""

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False


def egress_dir(workspace: Path, machine: str | None = None) -> Path:
    folder = Path(workspace) / "egress"
    return folder / machine if machine else folder


class EgressLog:
    """One launch's log file, opened for appending; `write(record)` from any thread."""

    def __init__(self, workspace: Path, machine: str, session: str):
        folder = egress_dir(workspace, machine)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = folder / f"{session}.jsonl"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
        self._fd = os.open(self.path, flags, 0o600)
        self._lock = _OneWriter()

    def shared(self) -> None:
        """From now on other threads write too (called before the relay's threads start)."""
        import threading

        self._lock = threading.Lock()

    def write(self, record: dict) -> None:
        line = (json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n").encode()
        with self._lock:
            if self._fd is not None:
                os.write(self._fd, line)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def session_files(workspace: Path, machine: str) -> list[Path]:
    """The machine's logs, newest first (their names begin with the launch's UTC time)."""
    folder = egress_dir(workspace, machine)
    try:
        names = [e.name for e in os.scandir(folder)
                 if e.name.endswith(".jsonl") and e.is_file(follow_symlinks=False)]
    except OSError:
        return []
    return [folder / name for name in sorted(names, reverse=True)]


def machines_logged(workspace: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(egress_dir(workspace))
                      if e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def read_records(path: Path) -> list:
    """Each line's JSON value (a line that is not JSON, or too long, is None)."""
    out = []
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return out
    with os.fdopen(fd, "rb") as handle:
        for raw in handle:
            if len(raw) > MAX_LINE:
                out.append(None)
                continue
            try:
                out.append(json.loads(raw))
            except ValueError:
                out.append(None)
    return out
