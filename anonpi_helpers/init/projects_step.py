"""Step 4/4: the projects root mounted at /projects (init §7; typing the default resets it).

The host-path note comes once, here, before the question; when the workspace shows the
login name, the neutral layout is offered and its projects folder becomes the default.
"""

import os
from pathlib import Path

from ..core.host_identity import IDENTITY_NOTE, names_user
from ..core.resolve import expand_path
from ..edges.jail_paths import kernel_source, login_name
from ..edges.workspace import Workspace, user_home
from . import move_step
from .prompt import ask, say, warn


def shows_user(path: str, login: str | None, home: str) -> bool:
    """The path as typed or as the kernel will resolve it shows the login or home path."""
    return names_user(path, login, home) or names_user(kernel_source(path), login, home)


def step(ws: Workspace, current: str | None) -> tuple[str | None, Path | None]:
    """The `projects` value to store (None = the built-in `<workspace>/projects`) and the
    neutral folder to move the workspace to (None = no move)."""
    builtin = str(ws.default_projects)
    home, login = user_home(), login_name()
    say("Step 4/4 - projects root (mounted at /projects in the jail)")
    if current:
        say(f"current: {current}")
    shown_now = expand_path(current, home, os.getcwd()) if current else builtin
    leaks = [p for p in dict.fromkeys((str(ws.root), shown_now)) if shows_user(p, login, home)]
    if leaks:
        say(IDENTITY_NOTE.format(paths="\n".join(f"    {p}" for p in leaks)))
    target = None
    if not os.path.islink(ws.root) and shows_user(str(ws.root), login, home):
        target = move_step.offer(ws.root, login, home)
    default = current
    if target is not None and (current is None or shows_user(shown_now, login, home)):
        default = str(target / "projects")
    say("Bare `anon-pi` lists the folders here; point it at your dev folder if you like.\n"
        "`--mount <folder>` overrides it for one launch.")
    while True:
        verb = "keep" if default == current else "use"
        answer = ask(f"Projects root (Enter to {verb} {default or builtin})")
        if not answer:
            chosen = default
            break
        path = expand_path(answer, home, os.getcwd())
        if ":" in path or "," in path:
            warn("anon-pi: a mounted path cannot contain ':' or ','; enter another.")
            continue
        chosen = None if path == builtin else path
        break
    if not leaks and chosen and shows_user(chosen, login, home):
        say(IDENTITY_NOTE.format(paths=f"    {chosen}"))
    return chosen, target
