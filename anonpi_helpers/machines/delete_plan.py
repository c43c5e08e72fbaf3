"""The data verbs' grammar and wording (data-verbs §6). Pure.

The wording only claims what exists (§7.16): a missing project folder or image pin is not
mentioned as deleted or kept, and a symlink is said to lose only its link.
"""

from dataclasses import dataclass

from ..core.errors import AnonPiError
from ..core.names import check_name, quoted
from ..core.shown import shown
from ..core.verbs import unknown_option


@dataclass(frozen=True)
class DeleteArgs:
    """A parsed `--delete-*` command line."""

    help: bool = False
    name: str | None = None
    yes: bool = False


def parse_tail(verb: str, argv: list[str], kind: str) -> DeleteArgs:
    """At most one name plus `--yes`/`-y` in any order; `-h/--help` anywhere wins (ruling 1)."""
    if any(tok in ("-h", "--help") for tok in argv):
        return DeleteArgs(help=True)
    pointer = f"see `anon-pi {verb} --help` and `anon-pi --help`"
    name, yes = None, False
    for tok in argv:
        if tok in ("--yes", "-y"):
            yes = True
        elif tok.startswith("-"):
            raise AnonPiError(unknown_option(tok, ("--yes", "-y"), verb), pointer)
        elif name is not None:
            raise AnonPiError(f"{verb} takes one name, got extra: {tok}", pointer)
        else:
            name = check_name(tok, kind)
    return DeleteArgs(name=name, yes=yes)


def rm_prompt(machine: str, folder: str) -> str:
    return (f"Delete machine {quoted(machine)} and its home (conversations, config) "
            f"at {folder}? [y/N] ")


def home_prompt(machine: str, home: str) -> str:
    return f"Delete machine {quoted(machine)} home (conversations + config) at {home}? [y/N] "


def folder_phrase(folder: str, state: str, link_target: str = "") -> str:
    """How the project folder is described: `state` is "dir", "link" or "absent". The jail
    writes the projects root, so a link's target is its text: shown, on one line."""
    if state == "dir":
        return f"its files ({folder})"
    if state == "link":
        return f"its folder link ({folder} -> {shown(link_target)}; the target is kept)"
    return f"no project folder ({folder} does not exist)"


def project_prompt(project: str, folder_text: str, sessions: int) -> str:
    return (f"Delete project {quoted(project)}: {folder_text} and {sessions} per-machine "
            "session dir(s)? [y/N] ")


def project_done(project: str, state: str, sessions: int) -> str:
    parts = {"dir": "files + ", "link": "folder link + ", "absent": ""}[state]
    return (f"deleted project {quoted(project)} ({parts}{sessions} per-machine session dir(s)); "
            "the machine homes are kept.")


def home_done(machine: str, home: str, pin: str | None, was_link: bool) -> str:
    what = "the link only; its target is kept" if was_link else home
    kept = f"its image pin ({pin}) is kept" if pin else "it has no image pinned"
    return (f"deleted machine {quoted(machine)} home ({what}); {kept}; "
            "relaunch to seed a fresh home.")
