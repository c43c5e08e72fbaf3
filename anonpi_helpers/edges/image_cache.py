"""The image names shell completion offers after `--image`, `-i` and `set-image`.

A TAB must never call netcage (it can take seconds) nor start Python, so anon-pi writes the
names it sees whenever it lists images (`image list`, `doctor`) into one small file the
completion scripts read: `$XDG_CACHE_HOME/anon-pi/images` (default `~/.cache`), one name a
line. It is a hint, never a source of truth: failing to write it is not an error.
"""

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .workspace import user_home, write_text_atomic


def cache_path(env: Mapping[str, str]) -> Path:
    """XDG: a relative XDG_CACHE_HOME is invalid and ignored."""
    base = env.get("XDG_CACHE_HOME") or ""
    if not base.startswith("/"):
        base = os.path.join(user_home(env), ".cache")
    return Path(base) / "anon-pi" / "images"


def remember_images(names: Iterable[str], env: Mapping[str, str] | None = None) -> None:
    """Replace the cached names (sorted, one per line, no control characters)."""
    env = os.environ if env is None else env
    clean = sorted({n for n in names if n and n.isprintable() and " " not in n})
    path = cache_path(env)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, "".join(f"{n}\n" for n in clean))
    except OSError:
        pass
