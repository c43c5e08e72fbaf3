"""The host folder a launch works on (`anon-pi --here`, `anon-pi ./repo`, `container create
<box> ./repo`): found, checked, and checked again right before netcage mounts it.

The folder is mounted read-write at `/work/<its name>`, and nothing else of the host beside
the machine home (and the seed files): not its parent, not its siblings, not the projects
root. It is resolved once to its real path and that path is what netcage gets, so a link on
the way is followed at most once, here. A folder the user names may lie where a jail can
write (inside another project), so just before the hand-over the same path is walked again
without following any link and must still be the very folder that was checked: a link
swapped in between (pointing the mount at the home folder) is refused, not mounted.
"""

import os
from collections import namedtuple
from pathlib import Path

from ..core.errors import AnonPiError
from ..core.host_identity import NEUTRAL_ROOT, names_user, root_step
from ..core.mount_safety import here_problem
from ..core.names import check_name, name_problem
from ..core.resolve import check_mountable, expand_path
from ..core.shown import shown
from .workspace import Workspace, user_home


class HereFolder(namedtuple("HereFolder", ["path", "name", "typed", "device", "inode"])):
    """The real path netcage mounts, its last part (the project name inside the jail), the
    words the user typed, and the folder's identity at the check."""

    __slots__ = ()

    @property
    def target(self) -> str:
        return f"/work/{self.name}"


def here_folder(io, typed: str, ws: Workspace | None = None) -> HereFolder:
    """The folder `typed` names (`.`: the one the command started in, `io.cwd`), or the
    one-line refusal."""
    ws = Workspace.from_env(io.env) if ws is None else ws
    home = user_home(io.env)
    given = expand_path(typed, home, io.cwd)
    check_mountable(given, "the folder")
    real = os.path.realpath(given)
    try:
        info = os.stat(real)
    except OSError:
        raise AnonPiError(f"{shown(given)} does not exist; there is no folder to work on.",
                          "give an existing folder (`anon-pi ./repo`), or `cd` into one and "
                          "run `anon-pi --here`") from None
    if not os.path.isdir(real):
        raise AnonPiError(f"{shown(given)} is not a folder.", "give the folder that holds it")
    problem = here_problem(real, os.path.realpath(home), os.path.realpath(ws.root))
    if problem:
        raise AnonPiError(f"{problem[0]}; refusing to mount it.", problem[1])
    check_mountable(real, "the folder")
    name = os.path.basename(real)
    if name_problem(name, "project"):
        check_name(name, "project")  # the refusal names the rule
    return HereFolder(real, name, typed, info.st_dev, info.st_ino)


def still_there(folder: HereFolder) -> None:
    """The path walked again link by link (none followed) must reach the folder checked."""
    from .safe_tree import open_chain

    same = False
    try:
        fd = open_chain(Path("/"), folder.path.lstrip("/"))
    except (OSError, AnonPiError):  # gone, or a link on the way (safe_tree.LinkInPath)
        pass
    else:
        info = os.fstat(fd)
        os.close(fd)
        same = (info.st_dev, info.st_ino) == (folder.device, folder.inode)
    if not same:
        raise AnonPiError(f"{shown(folder.path)} changed since it was checked (a link or another "
                          "folder is there now); nothing launched.",
                          "check what replaced it, then run the command again")


def say_seen(io, folder: HereFolder, more: str = "") -> None:
    """On stderr: the host path the jail sees and where (`more` follows it), and a warning
    with the remedy when that path shows the login name or the home path: a bind mount's
    source is readable inside the jail, in /proc/self/mountinfo."""
    from . import jail_paths, terminal

    terminal.note(io, f"the jail sees {folder.path} at {folder.target}, only that folder"
                  + (f" {more}" if more else ""))
    login = jail_paths.login_name(io.env)
    if names_user(folder.path, login, user_home(io.env)):
        terminal.note(io, f"warning: {folder.path} shows your login name or home path, and "
                      "the jail can read it (/proc/self/mountinfo)")
        io.stderr.write(f"  fix: work on a clone or copy under a neutral folder, e.g. "
                        f"{NEUTRAL_ROOT}/work/{shown(folder.name)} (made once with "
                        f"`{root_step(shown(login or '<you>'))}`)\n")
        io.stderr.flush()
