"""`anon-pi image snapshot`: commit a running jail into an image, optionally making or
re-pinning a machine from it. One result line on stdout (or one JSON document with --json);
netcage's and podman's own output stays off it. Its own module so `image list` loads none of
it."""

from datetime import UTC, datetime
from pathlib import Path

from ..core import jsonfmt
from ..core.config_model import str_field
from ..core.errors import AnonPiError, Cancelled, UsageError
from ..core.names import quoted
from ..edges import netcage, netcage_live, terminal
from ..edges.completion_cache import IMAGES, recalled, remember
from ..edges.safe_tree import remove_below
from ..edges.workspace import Workspace
from . import running
from .snapshot_labels import (
    commit_argv,
    committed_id,
    image_ref,
    iso_millis,
    snapshot_tag,
    source_machine,
)


def _refuse_existing(ws: Workspace, dest: str, name: str) -> None:
    path = ws.machine_dir(dest)
    if path.exists() or path.is_symlink():
        raise AnonPiError(f"machine {quoted(dest)} already exists ({path}).",
                          f"re-pin it to the snapshot instead: `anon-pi image snapshot {name} "
                          f"--update-machine {dest}`; or pick another name, or remove it first: "
                          f"`anon-pi machine rm {dest}`")


def _refuse_missing(ws: Workspace, dest: str, name: str) -> None:
    path = ws.machine_dir(dest)
    if not path.is_dir():
        raise AnonPiError(f"no machine {quoted(dest)} to update ({path}).",
                          f"make it from the snapshot instead: `anon-pi image snapshot {name} "
                          f"--create-machine {dest}`")
    ws.read_machine(dest)  # an unreadable machine.json is refused now, not after the commit


def _source_image(io, ws: Workspace, ref: str, source: str | None) -> str | None:
    """What the container runs, from netcage; else the source machine's pin; else unknown."""
    res = netcage.query(io, ["inspect", ref, "--format", "{{.ImageName}}"])
    image = image_ref(res.out) if res.code == 0 else None
    if image is None and source is not None:
        image = image_ref(str_field(ws.read_machine(source), "image"))
    return image


def snapshot(io, args) -> int:
    """`args`: the parsed `image snapshot` line (name, machine, create_machine,
    update_machine, json, dry_run)."""
    if args.create_machine and args.update_machine:
        raise UsageError("--create-machine and --update-machine cannot be combined: one makes "
                         "a new machine, the other re-pins an existing one.",
                         "see `anon-pi image snapshot --help`")
    ws = Workspace.from_env(io.env)
    if args.create_machine:
        _refuse_existing(ws, args.create_machine, args.name)
    if args.update_machine:
        _refuse_missing(ws, args.update_machine, args.name)
    netcage.require(io)
    try:
        chosen, _ = running.pick(io, running.SNAPSHOT, args.machine, None)
        source = source_machine(chosen.machine)
        image = _source_image(io, ws, chosen.ref, source)
    except KeyboardInterrupt:
        raise Cancelled("snapshotted") from None
    tag = snapshot_tag(args.name)
    at = iso_millis(datetime.fromtimestamp(io.now(), UTC))
    argv = commit_argv(chosen.ref, tag, machine=source, image=image, at=at)
    if args.dry_run:
        return _dry_run(io, ws, args, argv, tag)
    terminal.note(io, f"committing {chosen.name} -> image {tag} (pausing the container briefly)…")
    image_id = _commit(io, argv, tag)
    # stdout holds only the result (the JSON document); the lines for people go to stderr
    origin = f" (from machine {quoted(source)})." if source else "."
    terminal.note(io, f"snapshotted {chosen.name} into image {tag}{origin}")
    pinned = args.create_machine or args.update_machine
    if args.create_machine:
        _create_machine(io, ws, args.create_machine, tag, source)
    if args.update_machine:
        _update_machine(io, ws, args.update_machine, tag, source)
    if args.json:
        io.stdout.write(jsonfmt.document({
            "tag": tag, "id": image_id, "sourceMachine": source, "sourceImage": image,
            "snapshotAt": at, "pinnedMachine": pinned}))
    return 0


def _commit(io, argv: list[str], tag: str) -> str | None:
    """Run `netcage commit`; the new image's id (None when netcage did not print one).

    podman's output is not anon-pi's result: its id would sit on stdout before anon-pi's own
    line and its `Copying blob …` progress would land in logs. The id is read and reported by
    the caller; the progress is shown only to a person at a terminal, and kept either way to
    quote the reason of a failure."""
    seen: list[str] = []
    said: list[str] = []
    known = recalled(io, IMAGES) or []  # read before the commit makes the store newer than it
    code = netcage_live.run_watching_stderr(io, argv, seen,
                                            relay=terminal.is_terminal(io.stderr), out=said)
    if code != 0:
        last = netcage.last_line("".join(seen))
        raise AnonPiError(f"netcage commit failed{f': {last}' if last else ''}; image {tag} NOT "
                          "written.", code=code)
    remember(io, IMAGES, [*known, tag])  # what a TAB after --image offers
    return committed_id("".join(said))


def _update_machine(io, ws: Workspace, dest: str, tag: str, source: str | None) -> None:
    """Re-pin `dest` to the new image, its home untouched; no warning when it is the machine
    the snapshot was taken from (its home already matches the image)."""
    from ..core.config_model import with_fields
    from ..core.repin import repin_warning

    config = ws.read_machine(dest)
    old = str_field(config, "image")
    ws.write_machine(dest, with_fields(config, image=tag))
    terminal.note(io, f"re-pinned machine {quoted(dest)} image {old or '(none)'} -> {tag}.")
    if dest != source:
        io.stderr.write(repin_warning(dest, tag, ws.is_seeded(dest)))


def _create_machine(io, ws: Workspace, dest: str, tag: str, source: str | None) -> None:
    """Pin `dest` to the new image and carry the home over; any failure removes `dest` again
    (the image itself stays written)."""
    mdir = ws.machine_dir(dest)
    try:
        mdir.mkdir(parents=True)
    except FileExistsError:
        raise AnonPiError(f"machine {quoted(dest)} appeared meanwhile; image {tag} was written "
                          "but no machine was created.",
                          f"`anon-pi machine create <name> --image {tag}`") from None
    try:
        ws.home(dest).mkdir()
        ws.write_machine(dest, {"image": tag})
        if source is None:
            terminal.note(io, f"the container names no valid source machine; machine "
                          f"{quoted(dest)} starts with a fresh home, seeded on first launch.")
        else:
            from ..edges.carry_over import carry_over

            carry_over(io, ws, source, dest)
    except BaseException as exc:
        remove_below(ws.root, Path("machines", dest))
        if isinstance(exc, KeyboardInterrupt):
            raise AnonPiError(f"cancelled; machine {quoted(dest)} not created (image {tag} is "
                              "written).", code=130) from None
        raise
    terminal.note(io, f"created machine {quoted(dest)} pinned to {tag}.")


def _dry_run(io, ws: Workspace, args, argv: list[str], tag: str) -> int:
    """What the snapshot would run and make; it commits, creates and re-pins nothing."""
    from ..core.dry_run import command_text

    lines = [command_text(["netcage", *argv], terminal.is_terminal(io.stdout)),
             f"would make image {tag}"]
    if args.create_machine:
        lines.append(f"would create machine {quoted(args.create_machine)} at "
                     f"{ws.machine_dir(args.create_machine)}, pinned to {tag}")
    if args.update_machine:
        lines.append(f"would re-pin machine {quoted(args.update_machine)} to {tag}")
    io.stdout.write("\n".join(lines) + "\n")
    return 0
