"""Which netcage anon-pi needs, and which direct-hole flag a generation takes.

The two versions below are the one source of what the README, doctor, init and the launch's
refusals say: 0.11 is the oldest netcage anon-pi is built and tested against (its uid-scoped
store and `--allow-direct`), 0.12 the first whose jail reaches the host's loopback (`--allow`),
which a model on 127.0.0.1 needs. Each generation rejects the other's flag; a `dev` build, an
unreadable answer or none at all is taken for the newest (docs/design.md, rule 9).
"""

import re

from .numbers import ascii_int

MIN_NETCAGE = (0, 11, 0)
LOOPBACK_NETCAGE = (0, 12, 0)
_VERSION = re.compile(r"v?([0-9]+)\.([0-9]+)\.([0-9]+)")


def release(version: tuple[int, int, int]) -> str:
    """How a needed version is written: `0.11` (a patch level only when it matters)."""
    return ".".join(map(str, version if version[2] else version[:2]))


def parse_version(text: str) -> tuple[int, int, int] | None:
    """The first `X.Y.Z` of netcage's answer (ASCII digits, each part a sane length)."""
    m = _VERSION.search(text or "")
    parts = tuple(ascii_int(part, max_digits=9) for part in m.groups()) if m else (None,)
    return None if None in parts else parts


def hole_flag(version_text: str | None) -> str:
    """`--allow-direct` below 0.12.0; `--allow` for newer, `dev`, unparsable or no answer."""
    v = parse_version(version_text) if version_text else None
    return "--allow-direct" if v is not None and v < LOOPBACK_NETCAGE else "--allow"


def loopback_allowed(flag: str) -> bool:
    return flag == "--allow"
