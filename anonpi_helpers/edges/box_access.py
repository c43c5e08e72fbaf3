"""Kept boxes from the host's side: listing them (one `netcage ps`) and `netcage start`ing a
stopped one with the jail settings it was made with. Its own edge so that a plain launch,
which does neither, never loads it (issue 15); the menu and the container verbs do."""

import sys

from ..core.boxes import LIST_ARGS, Box, config_changed, parse_boxes, start_args
from ..core.errors import AnonPiError
from ..core.identity import key_project
from ..core.isolation import isolated_proxy, masked_proxy
from ..core.names import quoted
from . import jail_paths, netcage, netcage_live


def boxes() -> list[Box]:
    """Every durable box, running or stopped, from one `netcage ps`; the names it found are
    what a TAB after `container enter`/`rm` then offers (edges/completion_cache.py)."""
    from .completion_cache import BOXES, remember

    found = netcage.ps_listing(LIST_ARGS, parse_boxes, "boxes exist")
    remember(BOXES, (b.name for b in found))
    return found


def enter_box(box: Box, jail, env) -> int:
    """`netcage start` a stopped box with the proxy its launch got (isolation applied for the
    box's own machine and project) and netcage's usual TMPDIR; a refusal over changed jail
    settings is explained. `jail`: JailSettings or a LaunchContext."""
    proxy = isolated_proxy(jail.proxy, jail.isolation, box.machine, key_project(box.cwd))
    sys.stderr.write(f"anon-pi: entering box {quoted(box.name)}…\n")
    sys.stderr.flush()
    said: list[str] = []
    code = netcage_live.run_watching_stderr(start_args(proxy, jail.hole_flag, jail.llm, box.ref),
                                       said, tmpdir=jail_paths.private_tmp(env))
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
