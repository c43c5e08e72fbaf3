"""The remembered `netcage --version` answer, so a launch does not spawn netcage twice.

One small JSON file in anon-pi's cache folder (edges/user_cache.py). It vouches only for a
netcage it can recognise again: an ELF executable whose own name (links resolved) is
`netcage`, keyed on its real path, device, inode, size, mtime and ctime, so an upgrade,
replacement or move no longer matches. A script or a version manager's shim (mise, asdf)
answers for whatever it runs next, which its own file never shows: for those the cache is
never used and a launch asks netcage, as before the cache existed. A missing, unreadable,
corrupt or stale entry simply means "ask again"; the cache is never an error. Launches and
dry-runs only read it; a successful real query (doctor, init) writes it.
"""

import json
import os
import stat
from collections.abc import Mapping

from . import user_cache

FILE_NAME = "netcage-version.json"
MAX_BYTES = 4096
ELF_MAGIC = b"\x7fELF"


def binary_key(found: str) -> dict | None:
    """What identifies this netcage, or None when the cache cannot vouch for it (not an ELF
    file named `netcage` once links are resolved, or gone)."""
    real = os.path.realpath(found)
    if os.path.basename(real) != "netcage":
        return None
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or os.read(fd, len(ELF_MAGIC)) != ELF_MAGIC:
            return None
    except OSError:
        return None
    finally:
        os.close(fd)
    return {"path": real, "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def load(key: dict | None, env: Mapping[str, str]) -> str | None:
    """The remembered answer for exactly this binary, else None."""
    if key is None:
        return None
    found = user_cache.read(FILE_NAME, env, MAX_BYTES)
    if found is None:
        return None
    try:
        entry = json.loads(found.data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(entry, dict) or any(entry.get(k) != v for k, v in key.items()):
        return None
    version = entry.get("version")
    return version if isinstance(version, str) else None


def store(key: dict | None, version: str, env: Mapping[str, str]) -> None:
    """Remember `version` for this binary; a cache that cannot be written is skipped."""
    if key is None:
        return
    user_cache.write(FILE_NAME, json.dumps({**key, "version": version}) + "\n", env)
