"""`image snapshot`: the tag, the provenance labels and the exact `netcage commit` argv.

Pure. Label values come from a jail-written key and from netcage, so each is checked before
it goes into a `LABEL` line; an unsafe or unknown value means no label (never a guess).
"""

import re
from datetime import UTC, datetime

from ..core.names import is_valid_name

_SAFE_REF = re.compile(r"[A-Za-z0-9._:/@+-]+")
NO_VALUE = "<no value>"


def snapshot_tag(name: str) -> str:
    return f"anon-pi/{name}:latest"


def iso_millis(moment: datetime) -> str:
    """UTC ISO-8601 with milliseconds and `Z`: `2026-07-05T09:05:07.000Z`."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def source_machine(machine: str) -> str | None:
    """The key's machine, only when it is a valid name (a label must never become a path)."""
    return machine if is_valid_name(machine) else None


def image_ref(text: str | None) -> str | None:
    """A trimmed image ref safe to put in a LABEL line; None for blank, `<no value>` or odd text."""
    value = (text or "").strip()
    if not value or value == NO_VALUE or not _SAFE_REF.fullmatch(value):
        return None
    return value


def commit_argv(ref: str, tag: str, *, machine: str | None, image: str | None,
                at: str) -> list[str]:
    """`commit` + one `-c 'LABEL k=v'` element per known label, then the key blanked (ruling 26)."""
    labels = [("anon-pi.source-machine", machine), ("anon-pi.source-image", image),
              ("anon-pi.snapshot-at", at)]
    argv = ["commit"]
    for key, value in labels:
        if value:
            argv += ["-c", f"LABEL {key}={value}"]
    return argv + ["-c", "LABEL anon-pi.key=", ref, tag]
