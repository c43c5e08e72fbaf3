"""Which host folders may be mounted read-write into the jail (docs/design.md, rule 18). Pure.

The workspace holds anon-pi's own config (`proxy`, `llm`): a jail that can write it points the
next launch at a server of its choosing, which the host then dials directly. So no folder the
jail writes may be the workspace, hold it, or sit inside it, except the default projects
root `<workspace>/projects` (and what is below it) and the machine homes anon-pi made. The
caller passes real paths (symlinks resolved), so a link cannot dress one up as another.
"""

import os

from .shown import shown

FIX_ROOT = ("set ANON_PI_PROJECTS, `projects` in config.json/machine.json or --mount to a "
            "folder outside the workspace (or below {projects})")
FIX_HOME = "move the workspace (ANON_PI_HOME) out of the machine home, or relink the home"


def _inside(path: str, folder: str) -> bool:
    """`path` is `folder` or below it (both normalised, absolute)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _relation(folder: str, workspace: str) -> str | None:
    if folder == workspace:
        return "is"
    if _inside(workspace, folder):
        return "contains"
    return None


def projects_problem(what: str, folder: str, workspace: str) -> tuple[str, str] | None:
    """(why, fix) when `folder` (the projects root or a --mount folder) must not be mounted."""
    folder, workspace = os.path.normpath(folder), os.path.normpath(workspace)
    projects = os.path.join(workspace, "projects")
    relation = _relation(folder, workspace)
    if relation is None and _inside(folder, workspace) and not _inside(folder, projects):
        relation = "is inside"
    if relation is None:
        return None
    why = (f"{what} {shown(folder)} {relation} the workspace {shown(workspace)}; mounted "
           "read-write, the jail could rewrite anon-pi's own config")
    return why, FIX_ROOT.format(projects=projects)


def home_problem(home: str, workspace: str) -> tuple[str, str] | None:
    """A machine home that is, or holds, the workspace (e.g. through a linked home)."""
    home, workspace = os.path.normpath(home), os.path.normpath(workspace)
    relation = _relation(home, workspace)
    if relation is None:
        return None
    why = (f"the machine home {shown(home)} {relation} the workspace {shown(workspace)}; "
           "mounted read-write, the jail could rewrite anon-pi's own config")
    return why, FIX_HOME


def move_target_problem(target: str, roots: list[tuple[str, str]]) -> str | None:
    """Why the workspace must not move into `target` (a real path): it is, holds or sits
    inside a folder the jail mounts read-write. `roots` are (what, real path) pairs: projects
    roots, `--mount` folders, machine homes. Once there, config.json is the jail's to rewrite.
    The one folder a moved workspace may hold is its own `projects` (and what is below it):
    the built-in projects root is mounted from there by design."""
    target = os.path.normpath(target)
    own_projects = os.path.join(target, "projects")
    for what, root in roots:
        root = os.path.normpath(root)
        if root == target:
            relation = "is"
        elif _inside(target, root):
            relation = "lies inside"
        elif _inside(root, target) and not _inside(root, own_projects):
            relation = "holds"
        else:
            continue
        return (f"{shown(target)} {relation} {what} {shown(root)}, which the jail mounts "
                "read-write")
    return None


def here_problem(folder: str, home: str, workspace: str) -> tuple[str, str] | None:
    """(why, fix) when a folder given to work on (`anon-pi --here`, `anon-pi ./repo`) must not
    be mounted read-write: the file system's root or the home folder (or a folder holding it)
    hand the jail everything, and the workspace (or a folder holding it or inside it) its
    config. All three are real paths."""
    folder, home, workspace = map(os.path.normpath, (folder, home, workspace))
    if folder == "/":
        return (f"{shown(folder)} is the root of the file system",
                "work on a project's own folder, e.g. `cd ~/code/repo && anon-pi --here`")
    if _inside(home, folder):
        relation = "is" if folder == home else "holds"
        return (f"{shown(folder)} {relation} your home folder",
                "work on a project's own folder, e.g. `cd ~/code/repo && anon-pi --here`")
    projects = os.path.join(workspace, "projects")
    if _inside(folder, projects) and folder != projects:
        name = os.path.relpath(folder, projects).split("/", 1)[0]
        return (f"{shown(folder)} is inside anon-pi's projects root",
                f"it is project {shown(name)} there: `anon-pi {shown(name)}`")
    relation = _relation(folder, workspace) or ("is inside" if _inside(folder, workspace)
                                                 else None)
    if relation is None:
        return None
    why = (f"{shown(folder)} {relation} the workspace {shown(workspace)}; mounted read-write, "
           "the jail could rewrite anon-pi's own config")
    return why, "work on a folder outside it"
