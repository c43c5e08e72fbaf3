"""Trusting jail-written session headers only as far as a cwd we could have launched.

The jailed agent writes these files: a header's cwd is used only when it is one anon-pi could
have launched in, else the launch runs at the root (docs/design.md, rule 27)."""

import json

from ..core.names import is_valid_name


def header_cwd(first_line: str, mounted: bool) -> str | None:
    """The header's cwd when it is `/projects[/<name>]` (or `/work[/<name>]` under --mount)."""
    try:
        header = json.loads(first_line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(header, dict):
        return None
    cwd = header.get("cwd")
    if not isinstance(cwd, str):
        return None
    roots = ("/projects", "/work") if mounted else ("/projects",)
    for root in roots:
        if cwd == root:
            return cwd
        if cwd.startswith(root + "/") and is_valid_name(cwd[len(root) + 1:]):
            return cwd
    return None
