"""`image snapshot`: the tag, the provenance labels and the exact `netcage commit` argv.

Pure. Label values come from a jail-written key and from netcage, so each is checked before
it goes into a `LABEL` line; an unsafe or unknown value means no label (never a guess).

`podman commit` copies every label of the container onto the image, and every container later
started from that image inherits the image's labels unless its own launch sets them. So the
labels that say WHICH run a container is are not handed on: the identity key (host paths),
the box name and its token (else each plain launch of the image would claim to be the box),
and netcage's role and run id (else `netcage rm <image>` resolves the image to the pair of the
run it was taken from and removes that pair, as real netcage does). `netcage.managed=true`
stays: `netcage inspect` refuses anything without it, and `machine create --image` reads the
provenance labels through it. For the same reason the run id is not left blank but set to
`none`, a run no container has: netcage's guard reads managed, role and run id as one
tab-separated line with the trailing blanks trimmed, and refuses fewer than three fields.
"""

import re
from datetime import UTC, datetime

from ..core.names import is_valid_name
from ..core.ps_listing import KEY_LABEL
from ..core.run_plan import BOX_LABEL, BOX_TOKEN_LABEL

_SAFE_REF = re.compile(r"[A-Za-z0-9._:/@+-]+")
_IMAGE_ID = re.compile(r"(?:sha256:)?([0-9a-f]{64})")
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


# what a container's run set and a snapshot must not hand on: (label, value on the image)
NOT_HANDED_ON = ((KEY_LABEL, ""), (BOX_LABEL, ""), (BOX_TOKEN_LABEL, ""), ("netcage.role", ""),
                 ("netcage.run-id", "none"))


def commit_argv(ref: str, tag: str, *, machine: str | None, image: str | None,
                at: str) -> list[str]:
    """`commit` + one `-c 'LABEL k=v'` element per known provenance label, then one per run
    label it overrides (one argv element each; podman stores `k=` as "")."""
    labels = [("anon-pi.source-machine", machine), ("anon-pi.source-image", image),
              ("anon-pi.snapshot-at", at)]
    argv = ["commit"]
    for key, value in labels:
        if value:
            argv += ["-c", f"LABEL {key}={value}"]
    for key, value in NOT_HANDED_ON:
        argv += ["-c", f"LABEL {key}={value}"]
    return argv + [ref, tag]


def committed_id(stdout: str) -> str | None:
    """The new image's id from what `netcage commit` printed on stdout (podman's last line);
    None when that line is not a 64-hex id."""
    lines = [ln.strip() for ln in stdout.splitlines() if ln.strip()]
    found = _IMAGE_ID.fullmatch(lines[-1]) if lines else None
    return found.group(1) if found else None
