"""`--delete-home` and `--delete-project` (data-verbs §6), plus the shared delete confirmation.

Deletes never follow a symlink out of the workspace or the projects root (ruling 15): a linked
project folder or home loses only its link, and a symlinked sessions folder is skipped.
"""

import os
import sys
from pathlib import Path

from ..core.config_model import str_field
from ..core.errors import AnonPiError
from ..core.names import check_name, is_valid_name, quoted
from ..core.resolve import data_projects_root
from ..core.slugs import project_slug
from ..edges import terminal
from ..edges.workspace import SESSIONS, Workspace, remove_no_follow, symlink_in_chain, user_home
from .delete_plan import (
    folder_phrase,
    home_done,
    home_prompt,
    parse_tail,
    project_done,
    project_prompt,
)


def confirm_delete(prompt: str, yes: bool) -> None:
    """`--yes` skips; no TTY refuses; anything but y/yes (or EOF) aborts; Ctrl-C cancels."""
    if yes:
        return
    if not terminal.has_tty():
        raise AnonPiError("refusing to delete without a TTY to confirm; nothing deleted.",
                          "pass --yes to delete without asking")
    if not terminal.ask_yes_no(prompt, nothing="deleted"):
        raise AnonPiError("aborted; nothing deleted")


def _say(line: str) -> None:
    print(f"anon-pi: {line}")


def _help(text: str) -> int:
    sys.stdout.write(text)
    return 0


def delete_home_main(argv: list[str]) -> int:
    args = parse_tail("--delete-home", argv, "machine")
    if args.help:
        from .help import DELETE_HOME_HELP

        return _help(DELETE_HOME_HELP)
    ws = Workspace.from_env()
    machine = args.name or _default_machine(ws)
    home = ws.home(machine)
    if not os.path.lexists(home):
        raise AnonPiError(f"no home for machine {quoted(machine)} ({home}); nothing to delete")
    pin = _pin(ws, machine)
    confirm_delete(home_prompt(machine, str(home)), args.yes)
    was_link = home.is_symlink()
    remove_no_follow(home, (ws.root,))
    _say(home_done(machine, str(home), pin, was_link))
    return 0


def _default_machine(ws: Workspace) -> str:
    """config `defaultMachine` (trimmed, validated) else `default`; a config.json that cannot
    be read, or a non-string defaultMachine, is an error: never a silent fallback (§7.13)."""
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


def delete_project_main(argv: list[str]) -> int:
    args = parse_tail("--delete-project", argv, "project")
    if args.help:
        from .help import DELETE_PROJECT_HELP

        return _help(DELETE_PROJECT_HELP)
    if args.name is None:
        raise AnonPiError("--delete-project needs a <project>",
                          "see `anon-pi --delete-project --help` and `anon-pi --help`")
    project = args.name
    ws = Workspace.from_env()
    env = os.environ
    root = Path(data_projects_root(env=env, config=ws.read_config(), workspace=str(ws.root),
                                   home=user_home(env), cwd=os.getcwd()))
    folder = root / project
    state = ("link" if folder.is_symlink() else
             "dir" if os.path.lexists(folder) else "absent")
    sessions = project_sessions(ws, project)
    if state == "absent" and not sessions:
        raise AnonPiError(f"no files or sessions found for project {quoted(project)} (looked in "
                          f"{folder} and each machine home); nothing to delete")
    target = os.readlink(folder) if state == "link" else ""
    confirm_delete(project_prompt(project, folder_phrase(str(folder), state, target),
                                  len(sessions)), args.yes)
    boundaries = (ws.root, root)
    if state != "absent":
        remove_no_follow(folder, boundaries)
    for path in sessions:
        remove_no_follow(path, boundaries)
    _say(project_done(project, state, len(sessions)))
    return 0


def project_sessions(ws: Workspace, project: str) -> list[Path]:
    """`--projects-<p>--` in every machine home that can be walked without a symlink."""
    slug = project_slug(project)
    found = []
    for machine in _machine_names(ws):
        link = symlink_in_chain(ws.home(machine), SESSIONS)
        if link is not None:
            sys.stderr.write(f"anon-pi: warning: {link} is a symlink; skipped (not followed).\n")
            continue
        path = ws.sessions_dir(machine) / slug
        if os.path.lexists(path):
            found.append(path)
    return found


def _machine_names(ws: Workspace) -> list[str]:
    """Real machine folders with valid names, sorted; a symlinked one is outside the
    delete boundary, so it is skipped."""
    try:
        with os.scandir(ws.machines_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = []
    for entry in entries:
        if not is_valid_name(entry.name):
            continue
        if entry.is_symlink():
            sys.stderr.write(f"anon-pi: warning: {entry.path} is a symlink; its sessions are "
                             "not checked (outside the delete boundary).\n")
        elif entry.is_dir(follow_symlinks=False):
            names.append(entry.name)
    return names
