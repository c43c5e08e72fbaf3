"""Step 4/4: the projects root mounted at /projects (init §7; typing the default resets it)."""

import os

from ..core.host_identity import IDENTITY_NOTE, names_user
from ..core.resolve import expand_path
from ..edges.workspace import Workspace, user_home
from .prompt import ask, say, warn


def login_name() -> str | None:
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return os.environ.get("USER") or os.environ.get("LOGNAME")


def step(ws: Workspace, current: str | None) -> str | None:
    """The `projects` value to store; None = the built-in `<workspace>/projects`."""
    builtin = str(ws.default_projects)
    say("Step 4/4 - projects root (mounted at /projects in the jail)")
    if current:
        say(f"current: {current}")
    say("Bare `anon-pi` lists the folders here; point it at your dev folder if you like.\n"
        "`--mount <folder>` overrides it for one launch.")
    home = user_home()
    while True:
        answer = ask(f"Projects root (Enter to keep {current or builtin})")
        if not answer:
            chosen = current
            break
        path = expand_path(answer, home, os.getcwd())
        if ":" in path or "," in path:
            warn("anon-pi: a mounted path cannot contain ':' or ','; enter another.")
            continue
        chosen = None if path == builtin else path
        break
    shown = expand_path(chosen, home, os.getcwd()) if chosen else builtin
    for path in dict.fromkeys((str(ws.root), shown)):
        if names_user(path, login_name(), home):
            say(IDENTITY_NOTE.format(path=path))
    return chosen
