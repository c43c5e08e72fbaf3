"""`anon-pi container create|enter|list|rm`: durable named boxes over real netcage.

A box is a launch that is kept (no `--rm`), recorded in the workspace and labelled with its
name and the recorded token (core/boxes.py says why both); re-entering it is `netcage start`
with the jail settings it was made with. When its tool exits, the sidecar netcage leaves
running is stopped too. One `netcage ps` per command; each also rewrites the box names a TAB
offers (edges/completion_cache.py), except a `--dry-run`, which writes nothing.
"""

from ..core.boxes import Box, Listing, named, stray_said, strays_note
from ..core.command_line import is_path
from ..core.dry_run import command_text
from ..core.errors import AnonPiError, Cancelled, UsageError
from ..core.names import quoted
from ..core.run_plan import container_cwd, run_argv
from ..edges import box_records, jail_paths, netcage, netcage_child, terminal
from ..edges.box_access import bring_to_rest, enter_box, listing, start_argv
from ..edges.completion_cache import BOXES, remember
from ..edges.here_folder import say_seen
from ..edges.launch_prep import (
    check_host_paths,
    confirm_new_project,
    create_folders,
    jail_settings,
    make_plan,
    resolve_context,
)
from ..edges.netcage import failure_detail
from ..edges.workspace import Workspace
from .box_rows import NO_BOXES, list_json, list_lines
from .snapshot_labels import image_ref

NO_TTY = "a box runs pi or a shell interactively; run it in a terminal"


def main(line, io) -> int:
    """`line`: the parsed `container create|enter|list|rm` command line."""
    verbs = {"create": create, "enter": enter, "list": list_boxes, "rm": remove}
    try:
        return verbs[line.sub](io, line)
    except KeyboardInterrupt:
        raise Cancelled("deleted" if line.sub == "rm" else "launched") from None


def _dry_run(io, argv: list[str], *more: str) -> int:
    """A box verb's `--dry-run`: the netcage line it would run (and what that does)."""
    lines = [command_text(["netcage", *argv], terminal.is_terminal(io.stdout)), *more]
    io.stdout.write("".join(f"{ln}\n" for ln in lines))
    return 0


def _one(listed: Listing, name: str) -> Box:
    found = named(listed.boxes, name)
    if not found:
        for stray in listed.strays:  # a box of an older anon-pi: named, never acted on
            if stray.name == name:
                said, fix = stray_said(stray)
                raise AnonPiError(f"no box {quoted(name)}: {said}; anon-pi never enters or "
                                  "removes it as a box.", fix)
        raise AnonPiError(f"no box {quoted(name)}.",
                          "`anon-pi container list` shows the boxes; make one with "
                          f"`anon-pi container create {name}`")
    if len(found) > 1:
        ids = ", ".join(b.ref[:12] for b in found)
        raise AnonPiError(f"{len(found)} containers are labelled as box {quoted(name)} ({ids}).",
                          "remove the extra ones with `netcage rm <id>`")
    return found[0]


def _refuse_taken(listed: Listing, name: str) -> None:
    """A name a box, or a container labelled as one without a record, already uses."""
    if named(listed.boxes, name):
        raise AnonPiError(f"box {quoted(name)} already exists; create never re-enters or "
                          "replaces a box.",
                          f"re-enter it with `anon-pi container enter {name}`, or remove "
                          f"it first: `anon-pi container rm {name}`")
    for stray in listed.strays:
        if stray.name == name:
            said, fix = stray_said(stray)
            raise AnonPiError(f"{said}; create never makes a second box of that name.",
                              f"{fix}, or pick another name")


def create(io, args) -> int:
    """A launch like any other (same resolution and checks), but kept and labelled. The
    record is claimed before netcage runs (the box is believed from its first second) and
    released again when the run left no container."""
    if args.project is not None and args.shell and not is_path(args.project):
        raise UsageError("container create takes a project, `.` or --shell, not both.",
                         "a --shell box starts at the projects root (or: `--shell --here`)")
    args = _with_folder(args)
    ctx = resolve_context(io, args, relay=False)
    if not args.dry_run and not io.tty:
        raise AnonPiError("no TTY.", NO_TTY)
    netcage.require(io)
    listed = listing(io, remember_names=not args.dry_run)
    _refuse_taken(listed, args.name)
    check_host_paths(ctx)
    cwd = ctx.here.target if ctx.here else container_cwd(args.project,
                                                          ctx.mount_parent is not None)
    token = "<new token>" if args.dry_run else box_records.new_token()  # only for a real box
    plan = make_plan(ctx, cwd=cwd, interactive=True, mode="shell" if args.shell else "pi",
                     box=args.name, box_token=token)
    if ctx.here:
        say_seen(io, ctx.here)
    if args.dry_run:
        return _dry_run(io, run_argv(plan)[1:])
    confirm_new_project(io, ctx, plan)
    create_folders(io, ctx, plan)
    held = box_records.claim(ctx.ws, args.name, token,
                             lambda: _refuse_taken(listing(io), args.name))
    try:
        remember(io, BOXES, [*(b.name for b in listed.boxes), args.name])
        terminal.note(io, f"creating box {quoted(args.name)} (it stays after you exit; come back "
                      f"with `anon-pi container enter {args.name}`)…")
        return netcage_child.run_foreground(io, run_argv(plan)[1:],
                                      tmpdir=jail_paths.private_tmp(io.env))
    finally:
        if bring_to_rest(io, args.name) == []:  # no container: nothing for the record to prove
            held.release()
        held.close()


def _with_folder(args):
    """The line with `here` as the folder typed (`--here`: the current one; a path where the
    project stands: that folder), or None; a project or --mount beside it is refused."""
    import types

    path = args.project if args.project is not None and is_path(args.project) else None
    if args.here and args.project is not None:
        raise UsageError(f"container create takes a project, a folder or --here, not both "
                         f"(got --here and {quoted(args.project)}).",
                         "--here makes the box on the current folder")
    typed = "." if args.here else path
    if typed and args.mount is not None:
        raise UsageError("--mount and a folder worked on alone both choose what is at /work: "
                         "give one.", "the folder alone: `anon-pi container create <box> "
                         "--here` (or `./repo`)")
    return types.SimpleNamespace(**{**vars(args), "here": typed,
                                    "project": None if typed else args.project})


def enter(io, args) -> int:
    jail = jail_settings(io, Workspace.from_env(io.env).read_config())
    if not args.dry_run and not io.tty:
        raise AnonPiError("no TTY.", NO_TTY)
    netcage.require(io)
    box = _one(listing(io, remember_names=not args.dry_run), args.name)
    if box.running:
        raise AnonPiError(
            f"box {quoted(box.name)} is already running (in another terminal).",
            "reach it with `anon-pi forward` or `anon-pi ports` (its row says "
            f"[box {box.name}]), or reset it with `anon-pi container rm {box.name} --yes`")
    if args.dry_run:
        return _dry_run(io, start_argv(box, jail))
    return enter_box(io, box, jail)


def _with_images(io, found: list[Box]) -> list[Box]:
    """The listing's own image names; one `inspect` only for a box it did not name."""
    out = []
    for box in found:
        if box.image is None:
            res = netcage.query(io, ["inspect", box.ref, "--format", "{{.ImageName}}"])
            box = box._replace(image=image_ref(res.out) if res.code == 0 else None)
        out.append(box)
    return out


def list_boxes(io, args) -> int:
    netcage.require(io)
    listed = listing(io)
    if listed.strays:
        terminal.note(io, strays_note(listed.strays))
    found = _with_images(io, listed.boxes)
    if args.json:
        io.stdout.write(list_json(found))
    elif not found:
        terminal.note(io, NO_BOXES)
    else:
        aligned = terminal.is_terminal(io.stdout)
        io.stdout.write("".join(ln + "\n" for ln in list_lines(found, aligned)))
    return 0


def remove(io, args) -> int:
    """A stopped box goes at once; a running one only with --yes (or a y on a terminal)."""
    netcage.require(io)
    listed = listing(io, remember_names=not args.dry_run)
    box = _one(listed, args.name)
    if args.dry_run:
        state = "running: what runs inside would end" if box.running else "stopped"
        return _dry_run(io, ["rm", box.ref], f"would remove box {quoted(box.name)} ({state})")
    if box.running and not args.yes:
        if not io.tty:
            raise AnonPiError(f"box {quoted(box.name)} is running; removing it ends what runs "
                              "inside.", f"`anon-pi container rm {box.name} --yes`")
        if not terminal.ask_yes_no(io, f"Box {quoted(box.name)} is running; remove it and end what "
                                   "runs inside? [y/N] ", "deleted"):
            raise AnonPiError(f"box {quoted(box.name)} not removed.")
    res = netcage.query(io, ["rm", box.ref])  # removes the pair, running or not: never `-f`
    if res.code != 0:
        raise AnonPiError(f"`netcage rm` failed (exit {res.code}){failure_detail(res)}; box "
                          f"{quoted(box.name)} is still there.", code=res.code)
    box_records.forget(Workspace.from_env(io.env), box.name)
    remember(io, BOXES, (b.name for b in listed.boxes if b.ref != box.ref))
    terminal.note(io, f"removed box {quoted(box.name)}; its machine home and projects stay on the "
                  "host.")
    return 0
