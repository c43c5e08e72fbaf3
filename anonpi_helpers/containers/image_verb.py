"""`anon-pi image snapshot|list`: commit a running jail into an image; list those images."""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from ..core.config_model import str_field
from ..core.errors import AnonPiError, Cancelled
from ..core.names import quoted
from ..core.verbs import did_you_mean, nearest
from ..edges import netcage
from ..edges.image_cache import remember_images
from ..edges.safe_tree import remove_below
from ..edges.workspace import Workspace
from . import running
from .grammar import IMAGE_HINT, SnapshotArgs, parse_snapshot_args, wants_help
from .image_records import (
    LABELS_FORMAT,
    fill_labels,
    ids_to_inspect,
    image_line,
    listed,
    parse_images,
    parse_inspect_lines,
)
from .snapshot_labels import commit_argv, image_ref, iso_millis, snapshot_tag, source_machine

IMAGE_SUBCOMMANDS = ("snapshot", "list")


def main(argv: list[str]) -> int:
    if wants_help(argv):
        from .help import IMAGE_HELP, IMAGE_SUB_HELP

        sys.stdout.write(IMAGE_SUB_HELP.get(argv[0], IMAGE_HELP))
        return 0
    if not argv:
        raise AnonPiError("image needs a subcommand: snapshot | list", IMAGE_HINT)
    sub, rest = argv[0], argv[1:]
    if sub == "snapshot":
        return snapshot(parse_snapshot_args(rest))
    if sub == "list":
        if rest:
            raise AnonPiError(f"image list takes no arguments, got: {' '.join(rest)}", IMAGE_HINT)
        return list_images()
    raise AnonPiError(f"unknown image subcommand: {sub}"
                      f"{did_you_mean(nearest(sub, IMAGE_SUBCOMMANDS))}", IMAGE_HINT)


def _refuse_existing(ws: Workspace, dest: str) -> None:
    path = ws.machine_dir(dest)
    if path.exists() or path.is_symlink():
        raise AnonPiError(f"machine {quoted(dest)} already exists ({path}).",
                          f"pick another name, or remove it first: `anon-pi machine rm {dest}`")


def _source_image(ws: Workspace, ref: str, source: str | None) -> str | None:
    """What the container runs, from netcage; else the source machine's pin; else unknown."""
    res = netcage.query(["inspect", ref, "--format", "{{.ImageName}}"])
    image = image_ref(res.out) if res.code == 0 else None
    if image is None and source is not None:
        image = image_ref(str_field(ws.read_machine(source), "image"))
    return image


def snapshot(args: SnapshotArgs, env=None) -> int:
    env = os.environ if env is None else env
    ws = Workspace.from_env(env)
    if args.create_machine:
        _refuse_existing(ws, args.create_machine)
    netcage.require()
    try:
        chosen, _ = running.pick(running.SNAPSHOT, args.machine, None)
        source = source_machine(chosen.machine)
        image = _source_image(ws, chosen.ref, source)
    except KeyboardInterrupt:
        raise Cancelled("snapshotted") from None
    tag = snapshot_tag(args.name)
    argv = commit_argv(chosen.ref, tag, machine=source, image=image,
                       at=iso_millis(datetime.now(UTC)))
    sys.stderr.write(f"anon-pi: committing {chosen.name} -> image {tag} "
                     "(pausing the container briefly)…\n")
    sys.stderr.flush()
    code = netcage.run_foreground(argv)
    if code != 0:
        raise AnonPiError(f"netcage commit failed; image {tag} NOT written.", code=code)
    origin = f" (from machine {quoted(source)})." if source else "."
    print(f"anon-pi: snapshotted {chosen.name} into image {tag}{origin}", flush=True)
    if args.create_machine:
        _create_machine(ws, args.create_machine, tag, source, env)
    return 0


def _create_machine(ws: Workspace, dest: str, tag: str, source: str | None, env) -> None:
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
            sys.stderr.write(f"anon-pi: the container names no valid source machine; machine "
                             f"{quoted(dest)} starts with a fresh home, seeded on first launch.\n")
        else:
            from ..edges.carry_over import carry_over

            carry_over(ws, source, dest, env)
    except BaseException as exc:
        remove_below(ws.root, Path("machines", dest))
        if isinstance(exc, KeyboardInterrupt):
            raise AnonPiError(f"cancelled; machine {quoted(dest)} not created (image {tag} is "
                              "written).", code=130) from None
        raise
    print(f"anon-pi: created machine {quoted(dest)} pinned to {tag}.", flush=True)


def list_images() -> int:
    """One `netcage images` call, plus one batched `inspect` only for entries without labels."""
    netcage.require()
    res = netcage.query(["images", "--format", "json"])
    if res.code != 0:
        raise AnonPiError(f"`netcage images` failed (exit {res.code})"
                          f"{running.failure_detail(res)}.",
                          "check that netcage and podman work: `netcage images`")
    entries = parse_images(res.out)
    if entries is None:
        raise AnonPiError("`netcage images` printed something that is not a JSON list.",
                          "check `netcage images --format json`")
    missing = ids_to_inspect(entries)
    if missing:
        found = netcage.query(["inspect", *missing, "--format", LABELS_FORMAT])
        labels = parse_inspect_lines(found.out, len(missing))
        if labels is None:
            sys.stderr.write(f"anon-pi: warning: `netcage inspect` did not report the labels of "
                             f"{len(missing)} image(s); their provenance shows as <unknown>.\n")
        entries = fill_labels(entries, dict(zip(missing, labels or [])))
    shown = listed(entries)
    remember_images(e.tag for e in shown if e.tag)  # what a TAB after --image offers
    if not shown:
        print("anon-pi: no anon-pi images yet; make one from a running session with "
              "`anon-pi image snapshot <name>`.")
    for entry in shown:
        print(image_line(entry))
    return 0
