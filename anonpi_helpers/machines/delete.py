"""`--delete-home` and `--delete-project`, plus the shared delete confirmation.

Deletes never follow a symlink out of the workspace or the projects root: a linked project
folder or home loses only its link, and a symlinked sessions folder is skipped. `--dry-run`
plans exactly as a delete does (same refusals), then names what it would remove and stops.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from ..core.config_model import str_field
from ..core.errors import AnonPiError
from ..core.names import check_name, is_valid_name, quoted
from ..core.resolve import data_projects_root
from ..core.shown import shown
from ..core.slugs import project_slug
from ..edges import terminal
from ..edges.safe_tree import LinkInPath, descend, kind_at, open_chain, remove_at
from ..edges.workspace import SESSIONS, Workspace, check_mount_safe, user_home
from .delete_plan import (
    folder_phrase,
    home_done,
    home_prompt,
    project_done,
    project_prompt,
    would_remove,
)


def confirm_delete(io, prompt: str, yes: bool) -> None:
    """`--yes` skips; no TTY refuses; anything but y/yes (or EOF) aborts; Ctrl-C cancels."""
    if yes:
        return
    if not io.tty:
        raise AnonPiError("refusing to delete without a TTY to confirm; nothing deleted.",
                          "pass --yes to delete without asking")
    if not terminal.ask_yes_no(io, prompt, nothing="deleted"):
        raise AnonPiError("aborted; nothing deleted")


def _say(io, line: str) -> None:
    """What was deleted: a note on stderr (it names a machine.json pin, whoever wrote it:
    shown, on one line)."""
    terminal.note(io, line)


def delete_home_main(line, io) -> int:
    """`line`: the parsed `--delete-home [<machine>] [--yes] [--dry-run]`; `io`: the run's
    context (core/io_context.py)."""
    ws = Workspace.from_env(io.env)
    machine = line.machine or _default_machine(ws)
    home = ws.home(machine)
    try:
        folder = open_chain(ws.root, Path("machines", machine))
    except LinkInPath as exc:
        raise AnonPiError(f"refusing to delete {home}: {exc.message} (outside the workspace); "
                          "nothing deleted.") from None
    except FileNotFoundError:
        folder = None
    try:
        kind = kind_at(folder, "home") if folder is not None else "absent"
        if kind == "absent":
            raise AnonPiError(f"no home for machine {quoted(machine)} ({home}); nothing to delete")
        pin = _pin(ws, machine)
        if line.dry_run:
            io.stdout.write(would_remove(home, f"machine {quoted(machine)}'s home",
                                         kind == "link") + "\n")
            return 0
        confirm_delete(io, home_prompt(machine, str(home)), line.yes)
        remove_at(folder, "home", home)
    finally:
        if folder is not None:
            os.close(folder)
    _say(io, home_done(machine, str(home), pin, kind == "link"))
    return 0


def _default_machine(ws: Workspace) -> str:
    """config `defaultMachine` (trimmed, validated) else `default`; a config.json that cannot
    be read, or a non-string defaultMachine, is an error: never a silent fallback to
    another machine's home."""
    config = ws.read_config()
    value = (config or {}).get("defaultMachine")
    if value is not None and not isinstance(value, str):
        raise AnonPiError(f"{ws.config_path}: defaultMachine is not a string; refusing to guess "
                          "which home to delete.", "name the machine: anon-pi --delete-home <m>")
    configured = str_field(config, "defaultMachine")
    return check_name(configured, "machine") if configured else "default"


def _pin(ws: Workspace, machine: str) -> str | None:
    try:
        return str_field(ws.read_machine(machine), "image")
    except AnonPiError:
        return None


@dataclass
class Target:
    """One planned delete: an entry of an already-open folder (no path is resolved again)."""

    folder: int
    name: str
    path: Path
    machine: str = ""  # whose home it is in, for what `--dry-run` says


class Plan:
    """The open folders `--delete-project`'s targets hang off: every target is planned (and
    refused) before anything is deleted, then deleted through these descriptors."""

    def __init__(self):
        self.fds: list[int] = []  # every folder the targets hang off, closed at the end

    def keep(self, fd: int) -> int:
        self.fds.append(fd)
        return fd

    def close(self) -> None:
        for fd in self.fds:
            os.close(fd)


def delete_project_main(line, io) -> int:
    """`line`: the parsed `--delete-project <project> [--yes] [--dry-run]`; `io`: the run's
    context (core/io_context.py)."""
    ws = Workspace.from_env(io.env)
    root = Path(data_projects_root(env=io.env, config=ws.read_config(), workspace=str(ws.root),
                                   home=user_home(io.env), cwd=io.cwd))
    check_mount_safe(ws.root, "refusing to delete from it; nothing deleted", projects=str(root))
    plan = Plan()
    try:
        return _delete_project(io, ws, line.project, root, line, plan)
    finally:
        plan.close()


def _delete_project(io, ws: Workspace, project: str, root: Path, line, plan: Plan) -> int:
    folder = root / project
    try:
        root_fd = plan.keep(open_chain(root))
        kind = kind_at(root_fd, project)
        state = kind if kind in ("link", "absent") else "dir"
    except FileNotFoundError:
        root_fd, state = None, "absent"
    sessions = project_sessions(io, ws, project, plan)
    if state == "absent" and not sessions:
        raise AnonPiError(f"no files or sessions found for project {quoted(project)} (looked in "
                          f"{shown(str(folder))} and each machine home); nothing to delete")
    if line.dry_run:
        found = [] if state == "absent" else [
            would_remove(folder, f"project {quoted(project)}'s folder", state == "link")]
        found += [would_remove(t.path, f"its conversations on machine {quoted(t.machine)}")
                  for t in sessions]
        io.stdout.write("\n".join(found) + "\n")
        return 0
    target = os.readlink(project, dir_fd=root_fd) if state == "link" else ""
    confirm_delete(io, project_prompt(project, folder_phrase(str(folder), state, target),
                                  len(sessions)), line.yes)
    if state != "absent":
        remove_at(root_fd, project, folder)
    for t in sessions:
        remove_at(t.folder, t.name, t.path)
    _say(io, project_done(project, state, len(sessions)))
    return 0


def _warn(io, text: str) -> None:
    terminal.warning(io, text)


def project_sessions(io, ws: Workspace, project: str, plan: Plan) -> list[Target]:
    """`--projects-<p>--` in every machine home that can be walked without a symlink; a
    linked `machines/`, machine folder or part of a sessions path is skipped (warned)."""
    slug = project_slug(project)
    try:
        machines = plan.keep(open_chain(ws.root, "machines"))
    except LinkInPath as exc:
        _warn(io, f"{exc.path} is a symlink; no machine's sessions are checked (outside the "
              "delete boundary).")
        return []
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for name in _machine_names(io, machines, ws):
        try:
            fd = plan.keep(descend(os.dup(machines), Path(name, "home") / SESSIONS,
                                   ws.machines_dir))
        except LinkInPath as exc:
            _warn(io, f"{exc.path} is a symlink; skipped (not followed).")
            continue
        except FileNotFoundError:
            continue
        if kind_at(fd, slug) != "absent":
            found.append(Target(fd, slug, ws.sessions_dir(name) / slug, name))
    return found


def _machine_names(io, machines: int, ws: Workspace) -> list[str]:
    """Real machine folders with valid names, sorted; a symlinked one is outside the
    delete boundary, so it is skipped."""
    with os.scandir(machines) as it:
        entries = sorted((e.name, e.is_symlink(), e.is_dir(follow_symlinks=False))
                          for e in it)
    names = []
    for name, is_link, is_dir in entries:
        if not is_valid_name(name):
            continue
        if is_link:
            _warn(io, f"{ws.machines_dir / name} is a symlink; its sessions are not checked "
                  "(outside the delete boundary).")
        elif is_dir:
            names.append(name)
    return names
