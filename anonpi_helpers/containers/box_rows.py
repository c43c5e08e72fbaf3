"""`container list`: one row per box, aligned on a terminal, tab-separated when piped, or JSON.

Pure. Machine and cwd come from the box's `anon-pi.key` label, which the jail could not write
but a stranger's container could: a cell with a control character is shown quoted.
"""

from ..core.boxes import Box
from ..core.image_store import shown_ref
from ..core.jsonfmt import document
from ..core.names import quoted
from ..core.shown import shown, shown_json

HEADER = ("NAME", "MACHINE", "CWD", "IMAGE", "STATE")
UNKNOWN = "?"


def cell(value: str | None) -> str:
    """A value with a character `shown()` would escape is shown quoted (one row, one line)."""
    if not value:
        return UNKNOWN
    return value if shown(value) == value else quoted(value)


def row(box: Box) -> tuple[str, ...]:
    return (box.name, cell(box.machine), cell(box.cwd), cell(shown_ref(box.image)), box.state)


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
    return shown_json(document(
        [{"name": b.name, "machine": b.machine or None, "cwd": b.cwd or None,
          "image": shown_ref(b.image), "state": "running" if b.running else "stopped",
          "sidecar": b.sidecar_state, "id": b.ref} for b in boxes]))


NO_BOXES = ("no boxes yet; make one with `anon-pi container create <name> [<project>]`"
            " (it stays after you exit).")
