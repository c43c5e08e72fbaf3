"""`anon-pi machine create|list|set-image|rm` (data-verbs §3, §4.1)."""

import os
import sys
from pathlib import Path

from ..core.carry_over_plan import source_from_labels, source_problem
from ..core.config_model import str_field, with_fields
from ..core.errors import AnonPiError, Cancelled
from ..core.names import is_valid_name, quoted
from ..core.repin import repin_warning
from ..core.resolve import check_image_ref
from ..edges import netcage, terminal
from ..edges.safe_tree import LinkInPath, kind_at, open_chain, remove_at, remove_below
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
    if args.sub == "create":
        return create(ws, args.name, args.image)
    if args.sub == "list":
        return list_machines(ws, args.json)
    if args.sub == "set-image":
        return set_image(ws, args.name, check_image_ref(args.image))
    return remove(ws, args.name, args.yes)


def _note(text: str) -> None:
    sys.stderr.write(f"anon-pi: {text}\n")
    sys.stderr.flush()


def create(ws: Workspace, name: str, image: str | None) -> int:
    """Pin + empty home, then the provenance carry-over; any failure removes what was made."""
    folder = ws.machine_dir(name)
    if os.path.lexists(folder):
        raise AnonPiError(f"machine {quoted(name)} already exists ({folder}).",
                          f"re-pin it with `anon-pi machine set-image {name} <ref>` or remove it "
                          f"with `anon-pi machine rm {name}`")
    image = check_image_ref(image or _ask_image(name))
    top = folder
    while not top.parent.exists():
        top = top.parent
    try:
        ws.home(name).mkdir(parents=True)
        ws.write_machine(name, {"image": image})
        _provenance(ws, name, image)
    except BaseException as exc:
        if os.path.lexists(top):
            remove_below(top.parent, top.name)
        if isinstance(exc, KeyboardInterrupt):
            sys.stderr.write("\n")
            raise Cancelled("written") from None
        raise
    print(f"anon-pi: created machine {quoted(name)} with image {image} at {folder}.")
    if ws.is_seeded(name):
        print(f"  its home was carried over (already seeded); try: anon-pi -m {name} --shell")
    else:
        print(f"  its home is seeded on first launch, e.g. anon-pi -m {name} --shell")
    return 0


def _ask_image(name: str) -> str:
    if not terminal.has_tty():
        raise AnonPiError("no image and no TTY to prompt; pass --image",
                          f"anon-pi machine create {name} --image <ref>")
    answer = terminal.prompt_line(
        f"Image ref for machine {quoted(name)} (a container with `pi` on PATH): ", "written")
    if answer is None or not answer.strip():
        raise AnonPiError("no image given; aborting create")
    return answer.strip()


def _provenance(ws: Workspace, name: str, image: str) -> None:
    """Only with netcage on PATH; an unreadable or label-less image is a plain create."""
    if not netcage.path():
        return
    try:
        res = netcage.query(["inspect", image, "--format", "{{json .Config.Labels}}"])
    except AnonPiError as exc:
        _note(f"could not read the labels of {image} ({exc.message}); nothing carried over.")
        return
    source = source_from_labels(res.out) if res.code == 0 else None
    if source is None:
        return
    if source_problem(source, name) is None:
        _note(f"image {image} was snapshotted from machine {quoted(source)}.")
    from ..edges.carry_over import carry_over  # only `create` copies; listing never loads it

    carry_over(ws, source, name, os.environ)


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


def _existing_folder(ws: Workspace, name: str, nothing: str) -> Path:
    folder = ws.machine_dir(name)
    if not os.path.lexists(folder):
        raise AnonPiError(f"no machine {quoted(name)} ({folder}); {nothing}",
                          f"create it with `anon-pi machine create {name} --image <ref>`")
    return folder


def set_image(ws: Workspace, name: str, image: str) -> int:
    """Re-pin only: keeps `projects` and unknown keys; warns only when a seeded home is
    now out of step with its image (§7.16)."""
    folder = _existing_folder(ws, name, "nothing to re-pin")
    if not folder.is_dir():
        raise AnonPiError(f"{folder} is not a directory; cannot re-pin machine {quoted(name)}.",
                          "remove that file, then `anon-pi machine create`")
    config = ws.read_machine(name)
    old = str_field(config, "image")
    if old == image:
        _note(f"machine {quoted(name)} is already pinned to {image}; nothing changed.")
        return 0
    ws.write_machine(name, with_fields(config, image=image))
    _note(f"re-pinned machine {quoted(name)} image {old or '(none)'} -> {image}.")
    sys.stderr.write(repin_warning(name, image, ws.is_seeded(name)))
    return 0


def remove(ws: Workspace, name: str, yes: bool) -> int:
    from .delete import confirm_delete
    from .delete_plan import rm_prompt

    folder = _existing_folder(ws, name, "nothing to remove")
    try:
        machines = open_chain(ws.root, "machines")  # planned before asking: all or nothing
    except LinkInPath as exc:
        raise AnonPiError(f"refusing to remove machine {quoted(name)}: {exc.message} "
                          "(outside the workspace); nothing deleted.") from None
    try:
        was = kind_at(machines, name)
        confirm_delete(rm_prompt(name, str(folder)), yes)
        remove_at(machines, name, folder)
    finally:
        os.close(machines)
    tail = "; only the link was removed, its target is kept" if was == "link" else ""
    print(f"anon-pi: removed machine {quoted(name)} ({folder}){tail}.")
    return 0
