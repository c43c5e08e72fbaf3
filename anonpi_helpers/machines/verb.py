"""`anon-pi machine create|list|set-image|rm`. `list` is answered here; the verbs that change a
machine live in machines/changes.py, which a listing never loads (the copier's plan, the fd
walker and the netcage runner are not a listing's, and each costs start-up time)."""

import os

from ..core.config_model import str_field
from ..core.errors import AnonPiError
from ..core.names import is_valid_name
from ..core.resolve import check_image_ref
from ..edges import terminal
from ..edges.workspace import Workspace
from .listing import INVALID, image_cell, list_json, list_lines


def main(line, io) -> int:
    """`line`: the parsed `machine <sub-verb>` command line (core/command_line.py); `io`: the
    run's streams, environment and terminal (core/io_context.py)."""
    ws = Workspace.from_env(io.env)
    if line.sub == "list":
        return list_machines(io, ws, line.json)
    from . import changes

    if line.sub == "create":
        return changes.create(io, ws, line.name, line.image, line.force)
    if line.sub == "set-image":
        return changes.set_image(io, ws, line.name, check_image_ref(line.image), line.force)
    return changes.remove(io, ws, line.name, line.yes, line.dry_run)


def list_machines(io, ws: Workspace, as_json: bool = False) -> int:
    """Real folders and symlinks to folders with valid names: a linked machine works with
    `-m`, so it is listed too."""
    try:
        names = [n for n in os.listdir(ws.machines_dir)
                 if is_valid_name(n) and (ws.machines_dir / n).is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        names = []
    if not names and not as_json:
        terminal.note(io, "no machines yet; create one with "
                      "`anon-pi machine create <name> --image <ref>`")
        return 0
    pins = []
    for name in names:
        try:
            pins.append((name, str_field(ws.read_machine(name), "image"), True))
        except AnonPiError:
            pins.append((name, None, False))
    if as_json:
        io.stdout.write(list_json(pins))
        return 0
    rows = [(name, image_cell(image) if valid else INVALID) for name, image, valid in pins]
    table = list_lines(rows, table=terminal.is_terminal(io.stdout))
    io.stdout.write("".join(line + "\n" for line in table))
    return 0
