"""Which direct-hole flag a netcage generation takes (ruling 3)."""

import re

_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def parse_version(text: str) -> tuple[int, int, int] | None:
    m = _VERSION.search(text or "")
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def hole_flag(version_text: str | None) -> str:
    """`--allow-direct` below 0.12.0; `--allow` for newer, `dev`, unparsable or no answer."""
    v = parse_version(version_text) if version_text else None
    return "--allow-direct" if v is not None and v < (0, 12, 0) else "--allow"


def loopback_allowed(flag: str) -> bool:
    return flag == "--allow"
