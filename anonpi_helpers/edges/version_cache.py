"""The remembered `netcage --version` answer, so a launch does not spawn netcage twice.

One small JSON file under `$XDG_CACHE_HOME/anon-pi/` (else `~/.cache/anon-pi/`), keyed on the
resolved binary's path, size and mtime: an upgraded, replaced or moved netcage no longer
matches. A missing, unreadable, corrupt or stale entry simply means "ask again"; the cache
is never an error. `doctor` does not read it (it always asks afresh).
"""

import json
import os
from pathlib import Path

FILE_NAME = "netcage-version.json"


def cache_file(env=None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(env.get("HOME") or os.path.expanduser("~"), ".cache")
    return Path(base) / "anon-pi" / FILE_NAME


def binary_key(found: str) -> dict | None:
    """What identifies this netcage: its real path, size and mtime (None if it vanished)."""
    real = os.path.realpath(found)
    try:
        st = os.stat(real)
    except OSError:
        return None
    return {"path": real, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def load(key: dict | None) -> str | None:
    """The remembered answer for exactly this binary, else None."""
    if key is None:
        return None
    try:
        entry = json.loads(cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(entry, dict) or any(entry.get(k) != v for k, v in key.items()):
        return None
    version = entry.get("version")
    return version if isinstance(version, str) else None


def store(key: dict | None, version: str) -> None:
    """Remember `version` for this binary (atomically); a cache that cannot be written is skipped."""
    if key is None:
        return
    from .workspace import write_text_atomic

    try:
        write_text_atomic(cache_file(), json.dumps({**key, "version": version}) + "\n")
    except OSError:
        pass
