"""What anon-pi records when it makes a box: `<workspace>/boxes/<name>.json` = `{"token": …}`.

A container's labels can come from its image, so they cannot by themselves say "anon-pi made
this box" (core/boxes.py). The record can: it is written by `container create` before netcage
runs, in the workspace (never mounted into a jail; a projects root or machine home that would
expose it is refused), with a random token only that launch puts on its container. `container
rm` forgets it. A record that is not a regular file reached without a link, or holds no token
of the right shape, is no record.

`create` claims the record (`claim`): it appears whole and only if no record of that name is
there (written aside, then linked into place, which fails when the name is taken), and the
create holds a lock on it for as long as it runs. So two creates of one name never both run
(the second would overwrite the first one's token and orphan its box): the second sees the
lock and refuses. A record nobody holds and no container carries the token of is left over
(a create that failed before records were removed on failure, or a box removed with `netcage
rm` directly) and is taken over. A create that fails before its container exists releases
the record again, only if it is still the one it wrote.
"""

import fcntl
import os
from collections.abc import Callable

from ..core import jsonfmt
from ..core.boxes import is_token
from ..core.errors import AnonPiError
from ..core.names import is_valid_name, quoted
from .regular_file import read_regular
from .workspace import Workspace

FOLDER = "boxes"
_LIMIT = 4096  # a record is a few dozen bytes; anything bigger is not one
_TRIES = 5  # a record that vanishes while it is looked at: look again, a few times


def _path(ws: Workspace, name: str):
    return ws.root / FOLDER / f"{name}.json"


def new_token() -> str:
    return os.urandom(16).hex()


def _busy(name: str) -> AnonPiError:
    return AnonPiError(f"another `anon-pi container create {name}` is making box {quoted(name)} "
                       "right now; nothing created.",
                       f"wait for it to finish, then `anon-pi container enter {name}`")


def _open_folder(ws: Workspace) -> int:
    (ws.root / FOLDER).mkdir(parents=True, exist_ok=True)
    try:
        return os.open(ws.root / FOLDER, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                       | os.O_CLOEXEC)
    except OSError as exc:
        raise AnonPiError(f"cannot open {ws.root / FOLDER}: {exc.strerror}; nothing created.",
                          "it must be a folder, not a link") from None


class Claim:
    """The record a create wrote, locked until `close`."""

    def __init__(self, ws: Workspace, name: str, fd: int):
        self.ws, self.name, self.fd = ws, name, fd

    def release(self) -> None:
        """Remove the record, if the file under its name is still the one this create wrote
        (nobody else replaces it while the lock is held)."""
        try:
            folder = os.open(self.ws.root / FOLDER, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                             | os.O_CLOEXEC)
        except OSError:
            return
        try:
            there, mine = os.stat(f"{self.name}.json", dir_fd=folder,
                                  follow_symlinks=False), os.fstat(self.fd)
            if (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino):
                os.unlink(f"{self.name}.json", dir_fd=folder)
        except FileNotFoundError:
            pass
        finally:
            os.close(folder)

    def close(self) -> None:
        os.close(self.fd)  # the lock goes with it


def claim(ws: Workspace, name: str, token: str, refuse_if_used: Callable[[], None]) -> Claim:
    """Record box `name` with `token`, exclusively. `refuse_if_used` raises when a container
    carries the token of a record found there (asked only then, with that record locked)."""
    folder = _open_folder(ws)
    entry, tmp = f"{name}.json", f".{name}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                 dir_fd=folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held before the record can be seen under its name
        os.write(fd, jsonfmt.dumps({"token": token}).encode("utf-8"))
        os.fsync(fd)
        for _ in range(_TRIES):
            try:
                os.link(tmp, entry, src_dir_fd=folder, dst_dir_fd=folder)
                break
            except FileExistsError:
                if _take_over(folder, entry, tmp, name, refuse_if_used):
                    break
        else:
            raise _busy(name)
        os.fsync(folder)
        return Claim(ws, name, fd)
    except BaseException:
        os.close(fd)
        raise
    finally:
        try:
            os.unlink(tmp, dir_fd=folder)
        except FileNotFoundError:
            pass
        os.close(folder)


def _take_over(folder: int, entry: str, tmp: str, name: str,
               refuse_if_used: Callable[[], None]) -> bool:
    """Replace a left-over record by ours (True); False when it vanished meanwhile. Refuses
    a record another create holds, or one whose token a container carries."""
    try:
        old = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                      dir_fd=folder)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise AnonPiError(f"the record of box {quoted(name)} ({FOLDER}/{entry}) cannot be "
                          f"read: {exc.strerror}; nothing created.",
                          f"remove {FOLDER}/{entry} from the workspace if no box "
                          f"{quoted(name)} exists") from None
    try:
        try:
            fcntl.flock(old, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(name) from None
        held = os.fstat(old)
        try:
            there = os.stat(entry, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            return False
        if (there.st_dev, there.st_ino) != (held.st_dev, held.st_ino):
            return False  # replaced before the lock was ours: look again
        refuse_if_used()
        os.rename(tmp, entry, src_dir_fd=folder, dst_dir_fd=folder)
        return True
    finally:
        os.close(old)


def forget(ws: Workspace, name: str) -> None:
    try:
        os.unlink(_path(ws, name))  # unlink removes a link itself, never its target
    except FileNotFoundError:
        pass


def _read(folder: int, entry: str) -> str | None:
    raw = read_regular(folder, entry, _LIMIT)
    if raw is None:
        return None
    try:
        token = jsonfmt.loads_object(raw.decode("utf-8")).get("token")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return token if is_token(token) else None


def recorded(ws: Workspace) -> dict[str, str]:
    """Every box anon-pi made in this workspace: name -> token."""
    try:
        folder = os.open(ws.root / FOLDER, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                         | os.O_CLOEXEC)
    except OSError:
        return {}
    found = {}
    try:
        for entry in os.listdir(folder):
            name = entry.removesuffix(".json")
            if entry.endswith(".json") and is_valid_name(name):
                token = _read(folder, entry)
                if token is not None:
                    found[name] = token
    finally:
        os.close(folder)
    return found
