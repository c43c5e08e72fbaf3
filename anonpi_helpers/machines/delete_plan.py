"""The delete verbs' wording: their questions, `--dry-run` lines and reports. Pure.

The wording only claims what exists: a missing project folder or image pin is not mentioned
as deleted or kept, and a symlink is said to lose only its link.
"""

from ..core.names import quoted
from ..core.shown import shown


def would_remove(path, what: str, link: bool = False) -> str:
    """One line of a delete's `--dry-run`: the path it would remove (shown: it holds the
    configured roots), and what that is."""
    return (f"would remove {shown(str(path))} ({what}"
            f"{'; a link: only the link goes, its target is kept' if link else ''})")


def rm_prompt(machine: str, folder: str) -> str:
    return (f"Delete machine {quoted(machine)} and its home (conversations, config) "
            f"at {shown(folder)}? [y/N] ")


def home_prompt(machine: str, home: str) -> str:
    return (f"Delete machine {quoted(machine)} home (conversations + config) at {shown(home)}? "
            "[y/N] ")


def folder_phrase(folder: str, state: str, link_target: str = "") -> str:
    """How the project folder is described: `state` is "dir", "link" or "absent". The jail
    writes the projects root, so a link's target is its text, and the root comes from
    config.json: each shown, on one line."""
    folder = shown(folder)
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
