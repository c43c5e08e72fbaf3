"""Step 4a: the neutral layout. One root step, once; then init moves the workspace.

The kernel resolves links in a bind mount's source, so a workspace moved to a neutral folder
and reached through a link left at ~/.anon-pi shows only the neutral path in the jail.
Asking only: the move itself runs in the write phase, after every answer is in.
"""

import os
from pathlib import Path

from ..core.config_model import str_field
from ..core.errors import AnonPiError
from ..core.host_identity import NEUTRAL_ROOT, root_step
from ..core.names import is_valid_name
from ..core.resolve import env_projects, expand_path
from ..edges.workspace import Workspace
from ..edges.workspace_move import target_problem
from .grammar import parse_confirm
from .prompt import ask, say, warn


def _lenient(read, *args):
    try:
        return read(*args)
    except AnonPiError:
        return None


def mount_roots(io, ws: Workspace, home: str, *projects: str | None) -> list[tuple[str, str]]:
    """(what, path) of every folder a launch mounts read-write that anon-pi knows of: the
    projects roots (`projects` as given, ANON_PI_PROJECTS, config.json's and each
    machine.json's) and the machine homes. `--mount` folders are the user's per launch; a
    launch refuses one that holds or lies inside the workspace."""
    config = _lenient(ws.read_config)
    named = [*projects, env_projects(io.env, home), str_field(config, "projects")]
    machines = sorted(n for n in _names(ws.machines_dir) if is_valid_name(n))
    named += [str_field(_lenient(ws.read_machine, m), "projects") for m in machines]
    roots = [("the projects root", expand_path(p, home, io.cwd)) for p in named if p]
    return roots + [("the machine home", str(ws.home(m))) for m in machines]


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def offer(io, ws: Workspace, login: str | None, home: str) -> Path | None:
    """The checked folder to move the workspace into, or None when the user declines."""
    old = ws.root
    say(io, "anon-pi can move the workspace to a neutral folder and leave "
            f"{old} as a link to it;\nthe jail then sees only the neutral path. "
            "Stop running anon-pi sessions first.")
    while (yes := parse_confirm(ask(io, "Move the workspace to a neutral folder? [Y/n]"))) is None:
        warn(io, "answer y (or Enter) to move it, n to keep it where it is")
    if not yes:
        return None
    say(io, "Run this once, as root, in another terminal (the only root step; never again):\n"
            f"  {root_step(login or '<you>')}\n"
            "or create another folder you own (mode 700) whose path does not show your name.")
    while True:
        answer = ask(io, f"Enter when {NEUTRAL_ROOT} exists, or type your folder (s = skip)")
        if answer.lower() == "s":
            return None
        # the folder itself, every link on the way resolved: the workspace link left behind
        # names it, never a path through a link the jail could later point elsewhere
        target = Path(os.path.realpath(expand_path(answer, home, io.cwd) if answer
                                       else NEUTRAL_ROOT))
        problem = target_problem(target, old, login, home, mount_roots(io, ws, home))
        if problem is None:
            say(io, f"{target} is ready; the workspace moves there when init writes.")
            return target
        warn(io, f"anon-pi: {problem}")
        if answer and target != Path(NEUTRAL_ROOT):
            say(io, f"  for that folder: {root_step(login or '<you>', str(target))}")
