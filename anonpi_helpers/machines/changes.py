"""`anon-pi machine create|set-image|rm`: the verbs that change a machine. create pins an
image and carries a snapshot's source home over; rm deletes through the
fd walker, never through a link."""

import os
from pathlib import Path

from ..core.carry_over_plan import source_from_labels, source_problem
from ..core.config_model import str_field, with_fields
from ..core.errors import AnonPiError, Cancelled
from ..core.names import quoted
from ..core.repin import repin_warning
from ..core.resolve import check_image_ref
from ..edges import netcage, terminal
from ..edges.image_store import in_store
from ..edges.safe_tree import LinkInPath, kind_at, open_chain, remove_at, remove_below
from ..edges.workspace import Workspace


def create(io, ws: Workspace, name: str, image: str | None, force: bool = False) -> int:
    """Pin + empty home, then the provenance carry-over; any failure removes what was made."""
    folder = ws.machine_dir(name)
    if os.path.lexists(folder):
        raise AnonPiError(f"machine {quoted(name)} already exists ({folder}).",
                          f"re-pin it with `anon-pi machine set-image {name} <ref>` or remove it "
                          f"with `anon-pi machine rm {name}`")
    image = check_image_ref(image or _ask_image(io, name))
    in_store(io, image, force, "nothing written",
             f"anon-pi machine create {name} --image {image} --force")
    top = folder
    while not top.parent.exists():
        top = top.parent
    try:
        ws.home(name).mkdir(parents=True)
        ws.write_machine(name, {"image": image})
        _provenance(io, ws, name, image)
    except BaseException as exc:
        if os.path.lexists(top):
            remove_below(top.parent, top.name)
        if isinstance(exc, KeyboardInterrupt):
            io.stderr.write("\n")
            raise Cancelled("written") from None
        raise
    terminal.note(io, f"created machine {quoted(name)} with image {image} at {folder}.",
                  f"its home was carried over (already seeded); try: anon-pi -m {name} --shell"
                  if ws.is_seeded(name) else
                  f"its home is seeded on first launch, e.g. anon-pi -m {name} --shell")
    return 0


def _ask_image(io, name: str) -> str:
    if not io.tty:
        raise AnonPiError("no image and no TTY to prompt; pass --image",
                          f"anon-pi machine create {name} --image <ref>")
    answer = terminal.prompt_line(
        io, f"Image ref for machine {quoted(name)} (a container with `pi` on PATH): ", "written")
    if answer is None or not answer.strip():
        raise AnonPiError("no image given; aborting create")
    return answer.strip()


def _provenance(io, ws: Workspace, name: str, image: str) -> None:
    """Only with netcage on PATH; an unreadable or label-less image is a plain create."""
    if not netcage.path(io):
        return
    try:
        res = netcage.query(io, ["inspect", image, "--format", "{{json .Config.Labels}}"])
    except AnonPiError as exc:
        terminal.note(io, f"could not read the labels of {image} ({exc.message}); nothing carried "
                      "over.")
        return
    source = source_from_labels(res.out) if res.code == 0 else None
    if source is None:
        return
    if source_problem(source, name) is None:
        terminal.note(io, f"image {image} was snapshotted from machine {quoted(source)}.")
    from ..edges.carry_over import carry_over  # only `create` copies; listing never loads it

    carry_over(io, ws, source, name)


def _existing_folder(ws: Workspace, name: str, nothing: str) -> Path:
    folder = ws.machine_dir(name)
    if not os.path.lexists(folder):
        raise AnonPiError(f"no machine {quoted(name)} ({folder}); {nothing}",
                          f"create it with `anon-pi machine create {name} --image <ref>`")
    return folder


def set_image(io, ws: Workspace, name: str, image: str, force: bool = False) -> int:
    """Re-pin only: keeps `projects` and unknown keys; warns only when a seeded home is
    now out of step with its image (a fresh one is simply seeded from the new image)."""
    folder = _existing_folder(ws, name, "nothing to re-pin")
    if not folder.is_dir():
        raise AnonPiError(f"{folder} is not a directory; cannot re-pin machine {quoted(name)}.",
                          "remove that file, then `anon-pi machine create`")
    config = ws.read_machine(name)
    old = str_field(config, "image")
    if old == image:
        terminal.note(io, f"machine {quoted(name)} is already pinned to {image}; nothing changed.")
        return 0
    in_store(io, image, force, "nothing changed",
             f"anon-pi machine set-image {name} {image} --force")
    ws.write_machine(name, with_fields(config, image=image))
    terminal.note(io, f"re-pinned machine {quoted(name)} image {old or '(none)'} -> {image}.")
    io.stderr.write(repin_warning(name, image, ws.is_seeded(name)))
    return 0


def remove(io, ws: Workspace, name: str, yes: bool, dry_run: bool = False) -> int:
    from .delete import confirm_delete
    from .delete_plan import rm_prompt, would_remove

    folder = _existing_folder(ws, name, "nothing to remove")
    try:
        machines = open_chain(ws.root, "machines")  # planned before asking: all or nothing
    except LinkInPath as exc:
        raise AnonPiError(f"refusing to remove machine {quoted(name)}: {exc.message} "
                          "(outside the workspace); nothing deleted.") from None
    try:
        was = kind_at(machines, name)
        if dry_run:
            io.stdout.write(would_remove(folder, f"machine {quoted(name)}: its pin, home and "
                                                "conversations", was == "link") + "\n")
            return 0
        confirm_delete(io, rm_prompt(name, str(folder)), yes)
        remove_at(machines, name, folder)
    finally:
        os.close(machines)
    tail = "; only the link was removed, its target is kept" if was == "link" else ""
    terminal.note(io, f"removed machine {quoted(name)} ({folder}){tail}.")
    return 0
