"""Which direct-hole flag a netcage generation takes (ruling 3)."""

import re

from .numbers import ascii_int

_VERSION = re.compile(r"v?([0-9]+)\.([0-9]+)\.([0-9]+)")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """The first `X.Y.Z` of netcage's answer (ASCII digits, each part a sane length)."""
    m = _VERSION.search(text or "")
    parts = tuple(ascii_int(part, max_digits=9) for part in m.groups()) if m else (None,)
    return None if None in parts else parts


def hole_flag(version_text: str | None) -> str:
    """`--allow-direct` below 0.12.0; `--allow` for newer, `dev`, unparsable or no answer."""
    v = parse_version(version_text) if version_text else None
    return "--allow-direct" if v is not None and v < (0, 12, 0) else "--allow"


def loopback_allowed(flag: str) -> bool:
    return flag == "--allow"
