"""The `anon-pi.key` label: who a running container belongs to (docs/design.md, rule 12).

`forward`, `ports` and `image snapshot` find a running jail by machine and project from it."""

import binascii
from collections import namedtuple

FIELDS = ("machine", "projectsRoot", "mountParent", "cwd")


class Identity(namedtuple("Identity", ["machine", "projects_root", "mount_parent", "cwd"])):
    """The four fields of the `anon-pi.key` record (all str)."""

    __slots__ = ()


def encode(ident: Identity) -> str:
    record = "\n".join([
        f"machine={ident.machine}",
        f"projectsRoot={ident.projects_root}",
        f"mountParent={ident.mount_parent}",
        f"cwd={ident.cwd}",
    ])
    # binascii is base64.b64encode's own engine; the launch path skips importing base64
    return binascii.b2a_base64(record.encode("utf-8"), newline=False).decode("ascii")


def decode(label: str) -> Identity | None:
    """Tolerant decode: unknown keys ignored, missing fields empty; None when not a record."""
    import base64

    try:
        text = base64.b64decode(label, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    values: dict[str, str] = {}
    for line in text.split("\n"):
        key, sep, value = line.partition("=")
        if sep and key in FIELDS:
            values[key] = value
    if not values:
        return None
    return Identity(
        machine=values.get("machine", ""),
        projects_root=values.get("projectsRoot", ""),
        mount_parent=values.get("mountParent", ""),
        cwd=values.get("cwd", ""),
    )


def key_project(cwd: str) -> str:
    """The project a container hosts: `.` for the roots, `""` for a pre-0.12 `/root` shell."""
    if cwd in ("/projects", "/work"):
        return "."
    if cwd == "/root":
        return ""
    return cwd.rsplit("/", 1)[-1]
