"""Kept boxes from the host's side: listing them (one `netcage ps`), `netcage start`ing a
stopped one with the jail settings it was made with, and bringing a box's pair to rest once
its tool has exited. Its own edge so that a plain launch, which does none of it, never loads
it; the menu and the container verbs do."""

from ..core.boxes import (
    LIST_ARGS,
    Box,
    Listing,
    config_changed,
    named,
    parse_listing,
    start_args,
    stop_args,
)
from ..core.errors import AnonPiError
from ..core.identity import key_project
from ..core.isolation import isolated_proxy, masked_proxy
from ..core.names import quoted
from . import jail_paths, netcage, netcage_live
from .box_records import recorded
from .workspace import Workspace


def boxes(io, remember_names: bool = True) -> list[Box]:
    """Every durable box this workspace made, running or stopped, from one `netcage ps`."""
    return listing(io, remember_names).boxes


def listing(io, remember_names: bool = True) -> Listing:
    """The boxes and the strays (labelled like boxes, never recorded) from one `netcage ps`;
    the box names it found are what a TAB after `container enter`/`rm` then offers
    (edges/completion_cache.py), unless a `--dry-run` (which writes nothing) asked."""
    found = _listed(io)
    if remember_names:
        from .completion_cache import BOXES, remember

        remember(io, BOXES, (b.name for b in found.boxes))
    return found


def _listed(io) -> Listing:
    records = recorded(Workspace.from_env(io.env))
    return netcage.ps_listing(io, LIST_ARGS, lambda text: parse_listing(text, records),
                              "boxes exist")


def bring_to_rest(io, name: str) -> list[Box] | None:
    """After a box's tool exited (pi or its shell quit, or `netcage start` failed): stop the
    sidecar netcage leaves running, so the box is stopped as a pair and nothing of its jail
    keeps running. A box whose tool still runs is left alone. Says so in one line. (The names
    a TAB offers stay as the verb's own listing left them.) Returns the boxes of that name the
    listing showed (none: a create left no container), None when it could not be read."""
    try:
        found = named(_listed(io).boxes, name)
    except AnonPiError as exc:
        io.stderr.write(f"anon-pi: warning: {exc.message}; box {quoted(name)}'s sidecar may "
                        "still be running.\n")
        return None
    left_up = [b for b in found if b.jail_left_up]
    for box in left_up:
        res = netcage.query(io, stop_args(box))
        if res.code != 0:
            io.stderr.write(f"anon-pi: warning: could not stop box {quoted(name)}'s sidecar "
                            f"(`netcage stop` exit {res.code}"
                            f"{netcage.failure_detail(res)}).\n")
            return found
    if left_up:
        from .terminal import note

        note(io, f"box {quoted(name)} stopped (tool and sidecar); come back with "
             f"`anon-pi container enter {name}`.")
    return found


def _proxy(box: Box, jail) -> str:
    """The proxy the box's launch got: isolation applied for its own machine and project."""
    return isolated_proxy(jail.proxy, jail.isolation, box.machine, key_project(box.cwd))


def start_argv(box: Box, jail) -> list[str]:
    """The `netcage start` line that re-enters a stopped box (without `netcage` itself)."""
    return start_args(_proxy(box, jail), jail.hole_flag, jail.llm, box.ref)


def enter_box(io, box: Box, jail) -> int:
    """`netcage start` a stopped box with the jail settings its launch got and netcage's
    usual TMPDIR; a refusal over changed jail settings is explained. `jail`: JailSettings or
    a LaunchContext."""
    proxy = _proxy(box, jail)
    from .terminal import note

    note(io, f"entering box {quoted(box.name)}…")
    said: list[str] = []
    code = netcage_live.run_watching_stderr(io, start_argv(box, jail), said,
                                            tmpdir=jail_paths.private_tmp(io.env))
    bring_to_rest(io, box.name)
    if code != 0 and config_changed(said):
        raise AnonPiError(
            f"box {quoted(box.name)} was created with another proxy or llm than the current "
            f"configuration ({masked_proxy(proxy)}, {jail.llm}); netcage never changes a box's "
            "jail.",
            "set the old ones back (config.json, ANON_PI_PROXY, ANON_PI_LLM, isolation), or "
            "start over: "
            f"`anon-pi container rm {box.name}`, then `anon-pi container create {box.name} ...`",
            code=code)
    return code
