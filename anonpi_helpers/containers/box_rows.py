"""`container list`: one row per box, aligned on a terminal, tab-separated when piped, or JSON.

Pure. Machine and cwd come from the box's `anon-pi.key` label, which the jail could not write
but a stranger's container could: a cell with a control character is shown quoted.
"""

import json

from ..core.boxes import Box

HEADER = ("NAME", "MACHINE", "CWD", "IMAGE", "STATE")
UNKNOWN = "?"


def cell(value: str | None) -> str:
    if not value:
        return UNKNOWN
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u2028\u2029\x85" for ch in value):
        return json.dumps(value)
    return value


def row(box: Box) -> tuple[str, ...]:
    return (box.name, cell(box.machine), cell(box.cwd), cell(box.image), box.state)


def list_lines(boxes: list[Box], aligned: bool) -> list[str]:
    """With a header and padded columns for a person; bare tab-separated rows for a pipe."""
    rows = [row(b) for b in boxes]
    if not aligned:
        return ["\t".join(r) for r in rows]
    table = [HEADER, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    return ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in table]


def list_json(boxes: list[Box]) -> str:
    """`state` is the tool's, `sidecar` its sidecar's (null when the listing shows none)."""
    return json.dumps([{"name": b.name, "machine": b.machine or None, "cwd": b.cwd or None,
                        "image": b.image, "state": "running" if b.running else "stopped",
                        "sidecar": b.sidecar_state, "id": b.ref} for b in boxes],
                      indent="\t", ensure_ascii=False) + "\n"


NO_BOXES = ("anon-pi: no boxes yet; make one with `anon-pi container create <name> [<project>]`"
            " (it stays after you exit).")
