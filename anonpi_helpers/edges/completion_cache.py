"""The names shell completion offers that only netcage knows: images (after `--image`, `-i`,
`set-image`) and durable boxes (after `container enter` / `container rm`).

A TAB must never call netcage (it can take seconds) nor start Python, so anon-pi writes the
names it sees whenever it lists or changes them into one small file per kind the completion
scripts read: `$XDG_CACHE_HOME/anon-pi/images` and `.../boxes` (default `~/.cache`). The
first line says how long the names hold: `#anon-pi-names <expiry, epoch seconds> [<store
file>]`, one name a line after it. A file past its expiry (EXPIRY after it was written), or
older than the store file it names (images: the store's image index, which podman rewrites on
every build, commit, pull or removal), offers nothing: a TAB never offers what is long gone.
Boxes name no store file (every plain launch rewrites the container index); the box verbs
and the menu rewrite them. A hint, never a source of truth: failing to write it is no error.
It is read only as edges/user_cache.py allows (the user's own regular file in the user's own
folder, no link followed, no blocking), and a header that is not exactly the one written
means no names.
"""

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..core.image_store import store_root
from ..core.numbers import ascii_int
from . import user_cache

IMAGES, BOXES = "images", "boxes"
EXPIRY = 24 * 3600  # seconds
HEADER = "#anon-pi-names"
MAX_BYTES = 1 << 20  # far more names than any store holds


def image_index(env: Mapping[str, str]) -> str | None:
    """The file podman rewrites whenever netcage's store gains or loses an image."""
    root = Path(store_root(env, os.getuid()))
    try:
        return next((str(p) for p in sorted(root.glob("*-images/images.json"))), None)
    except OSError:
        return None


def _stamp(kind: str, io) -> str:
    store = image_index(io.env) if kind == IMAGES else None
    return " ".join([HEADER, str(int(io.now()) + EXPIRY), *([store] if store else [])])


def remember(io, kind: str, names: Iterable[str]) -> None:
    """Replace the cached names of `kind` (sorted, one per line, no control characters)."""
    clean = sorted({n for n in names if n and n.isprintable() and " " not in n
                    and not n.startswith("#")})
    user_cache.write(kind, "".join(f"{line}\n" for line in [_stamp(kind, io), *clean]),
                     io.env)


def recalled(io, kind: str) -> list[str] | None:
    """The cached names while they hold (the completion scripts' rule), else None."""
    found = user_cache.read(kind, io.env, MAX_BYTES)
    if found is None:
        return None
    try:
        head, *names = found.data.decode("utf-8").splitlines()
    except (ValueError, UnicodeDecodeError):
        return None
    tag, until, *store = head.split(" ", 2) + [""]
    expiry = ascii_int(until, max_digits=12)
    if tag != HEADER or expiry is None or io.now() >= expiry:
        return None
    if store[0] and _mtime_ns(store[0]) > found.mtime_ns:
        return None
    return [n for n in names if n and n.isprintable()]


def _mtime_ns(path: str) -> int:
    """0 when it cannot be read (as the shells' `-nt`: then only the expiry counts)."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
