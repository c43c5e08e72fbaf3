"""Step 4/4: the projects root mounted at /projects (typing the default resets it).

It shows and keeps the root a launch really uses: ANON_PI_PROJECTS wins over the machine's
`projects`, which wins over config.json's. The host-path note comes once, here, before the
question; when the workspace shows the login name, the neutral layout is offered and its
projects folder becomes the default.
"""

import os
from pathlib import Path

from ..core.config_model import str_field
from ..core.errors import AnonPiError
from ..core.host_identity import IDENTITY_NOTE, names_user
from ..core.resolve import env_projects, expand_path
from ..core.shown import shown
from ..edges.jail_paths import kernel_source, login_name
from ..edges.workspace import Workspace, user_home
from . import move_step
from .prompt import ask, say, warn


def shows_user(path: str, login: str | None, home: str) -> bool:
    """The path as typed or as the kernel will resolve it shows the login or home path."""
    return names_user(path, login, home) or names_user(kernel_source(path), login, home)


def effective(io, current: str | None, machine_cfg: dict | None, home: str,
              builtin: str) -> tuple[str, str | None]:
    """(the root a launch uses now, what sets it when config.json does not: the environment
    or the machine)."""
    try:
        from_env = env_projects(io.env, home)
    except AnonPiError:
        # a relative ANON_PI_PROJECTS: the launch refuses it; init's verdict says so
        from_env = None
    if from_env:
        return from_env, "ANON_PI_PROJECTS"
    machine = str_field(machine_cfg, "projects")
    if machine:
        return expand_path(machine, home, io.cwd), "the machine's machine.json"
    return (expand_path(current, home, io.cwd) if current else builtin), None


def step(io, ws: Workspace, current: str | None,
         machine_cfg: dict | None = None) -> tuple[str | None, Path | None]:
    """The `projects` value to store (None = the built-in `<workspace>/projects`) and the
    neutral folder to move the workspace to (None = no move)."""
    builtin = str(ws.default_projects)
    home, login = user_home(io.env), login_name(io.env)
    say(io, "Step 4/4 - projects root (mounted at /projects in the jail)")
    shown_now, source = effective(io, current, machine_cfg, home, builtin)
    if source:
        say(io, f"current: {shown(shown_now)} (from {source}, which wins over config.json)")
    elif current:
        say(io, f"current: {shown(current)}")
    leaks = [p for p in dict.fromkeys((str(ws.root), shown_now)) if shows_user(p, login, home)]
    if leaks:
        say(io, IDENTITY_NOTE.format(paths="\n".join(f"    {shown(p)}" for p in leaks)))
    target = None
    if not os.path.islink(ws.root) and shows_user(str(ws.root), login, home):
        target = move_step.offer(io, ws, login, home)
    default = current
    if target is not None and source is None and (
            current is None or shows_user(shown_now, login, home)):
        default = str(target / "projects")
    say(io, "Bare `anon-pi` lists the folders here; point it at your dev folder if you like.\n"
            "`--mount <folder>` overrides it for one launch.")
    while True:
        verb = "keep" if default == current else "use"
        keeping = shown_now if default == current else default
        answer = ask(io, f"Projects root (Enter to {verb} {shown(keeping)})")
        if not answer:
            chosen = default
            break
        path = expand_path(answer, home, io.cwd)
        if ":" in path or "," in path:
            warn(io, "anon-pi: a mounted path cannot contain ':' or ','; enter another.")
            continue
        chosen = None if path == builtin else path
        if source:
            say(io, f"note: stored in config.json, but {source} still wins over it.")
        break
    if not leaks and chosen and shows_user(chosen, login, home):
        say(io, IDENTITY_NOTE.format(paths=f"    {shown(chosen)}"))
    return chosen, target
