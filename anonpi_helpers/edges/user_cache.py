"""anon-pi's cache folder, `$XDG_CACHE_HOME/anon-pi/` (else `~/.cache/anon-pi/`): the one
place its hint files (the netcage version, the names a TAB offers) are read and written.

A cache is only a hint, and its folder may be shared (an `XDG_CACHE_HOME` on a common disk)
or planted: the folder is used only when it is the user's own and nobody else may write it,
and a file only when it is a regular file of the user's, opened without following a link and
without blocking (a FIFO in its place must not hang a launch), and no bigger than its
reader expects. Anything else reads as no cache and is never written through.
"""

import os
import stat
from collections import namedtuple
from collections.abc import Mapping
from pathlib import Path

from .workspace import password_home

FOLDER = "anon-pi"
_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK


class Cached(namedtuple("Cached", ["data", "mtime_ns"])):
    """One cache file's bytes and when it was written."""

    __slots__ = ()


def cache_dir(env: Mapping[str, str]) -> Path:
    """XDG: a relative XDG_CACHE_HOME is invalid and ignored."""
    base = env.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(env.get("HOME") or password_home(), ".cache")
    return Path(base) / FOLDER


def _own(info: os.stat_result) -> bool:
    """The user's, and writable by nobody else: not by others, and by its group only when
    that is the user's own group (a umask of 002 with a group per user)."""
    return (info.st_uid == os.getuid() and not info.st_mode & 0o002
            and (not info.st_mode & 0o020 or info.st_gid == os.getgid()))


def _open_dir(folder: Path) -> int | None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW)
    except OSError:
        return None
    if _own(os.fstat(fd)):
        return fd
    os.close(fd)
    return None


def read(name: str, env: Mapping[str, str], limit: int) -> Cached | None:
    """The file `name` when it can be trusted as the user's own hint, else None."""
    folder = _open_dir(cache_dir(env))
    if folder is None:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | _NO_FOLLOW, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        info = os.fstat(fd)
        if not (stat.S_ISREG(info.st_mode) and _own(info)) or info.st_size > limit:
            return None
        data = os.read(fd, limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return Cached(data, info.st_mtime_ns) if len(data) <= limit else None


def write(name: str, text: str, env: Mapping[str, str]) -> None:
    """Replace `name` atomically (without fsync: a hint lost in a crash is no loss); skipped,
    never an error, when the folder cannot be made or is not the user's own."""
    from .workspace import write_bytes_at

    where = cache_dir(env)
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    folder = _open_dir(where)
    if folder is None:
        return
    try:
        write_bytes_at(folder, name, text.encode("utf-8"), durable=False)
    except OSError:
        pass
    finally:
        os.close(folder)
