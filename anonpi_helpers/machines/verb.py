"""`anon-pi machine create|list|set-image|rm` (data-verbs §3, §4.1). `list` is answered here;
the verbs that change a machine live in machines/changes.py, which a listing never loads
(issue 15: the copier's plan, the fd walker and the netcage runner are not a listing's)."""

import os
import sys

from ..core.config_model import str_field
from ..core.errors import AnonPiError
from ..core.names import is_valid_name
from ..core.resolve import check_image_ref
from ..edges import terminal
from ..edges.workspace import Workspace
from .grammar import parse_machine
from .listing import INVALID, image_cell, list_json, list_lines


def main(argv: list[str]) -> int:
    args = parse_machine(argv)
    if args.sub == "help":
        from .help import MACHINE_HELP, SUB_HELP

        sys.stdout.write(SUB_HELP.get(args.topic, MACHINE_HELP))
        return 0
    ws = Workspace.from_env()
    if args.sub == "list":
        return list_machines(ws, args.json)
    from . import changes

    if args.sub == "create":
        return changes.create(ws, args.name, args.image, args.force)
    if args.sub == "set-image":
        return changes.set_image(ws, args.name, check_image_ref(args.image), args.force)
    return changes.remove(ws, args.name, args.yes)


def list_machines(ws: Workspace, as_json: bool = False) -> int:
    """Real folders and symlinks to folders with valid names (ruling 15)."""
    try:
        names = [n for n in os.listdir(ws.machines_dir)
                 if is_valid_name(n) and (ws.machines_dir / n).is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        names = []
    if not names and not as_json:
        print("anon-pi: no machines yet; create one with "
              "`anon-pi machine create <name> --image <ref>`")
        return 0
    pins = []
    for name in names:
        try:
            pins.append((name, str_field(ws.read_machine(name), "image"), True))
        except AnonPiError:
            pins.append((name, None, False))
    if as_json:
        sys.stdout.write(list_json(pins))
        return 0
    rows = [(name, image_cell(image) if valid else INVALID) for name, image, valid in pins]
    table = list_lines(rows, table=terminal.is_terminal(sys.stdout))
    sys.stdout.write("".join(line + "\n" for line in table))
    return 0
