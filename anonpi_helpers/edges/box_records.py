"""What anon-pi records when it makes a box: `<workspace>/boxes/<name>.json` = `{"token": …}`.

A container's labels can come from its image, so they cannot by themselves say "anon-pi made
this box" (core/boxes.py). The record can: it is written by `container create` before netcage
runs, in the workspace (never mounted into a jail; a projects root or machine home that would
expose it is refused), with a random token only that launch puts on its container. `container
rm` forgets it. A record that is not a regular file reached without a link, or holds no token
of the right shape, is no record.
"""

import os
import stat

from ..core import jsonfmt
from ..core.boxes import is_token
from ..core.names import is_valid_name
from .workspace import Workspace, write_json_atomic

FOLDER = "boxes"
_LIMIT = 4096  # a record is a few dozen bytes; anything bigger is not one


def _path(ws: Workspace, name: str):
    return ws.root / FOLDER / f"{name}.json"


def new_token() -> str:
    return os.urandom(16).hex()


def record(ws: Workspace, name: str, token: str) -> None:
    write_json_atomic(_path(ws, name), {"token": token}, ("token",), mode=0o600)


def forget(ws: Workspace, name: str) -> None:
    try:
        os.unlink(_path(ws, name))  # unlink removes a link itself, never its target
    except FileNotFoundError:
        pass


def _read(folder: int, entry: str) -> str | None:
    try:
        fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     dir_fd=folder)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        raw = os.read(fd, _LIMIT + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(raw) > _LIMIT:
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
