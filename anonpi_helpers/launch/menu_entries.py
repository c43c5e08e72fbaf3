"""The bare-launch menu's rows, decided from listings the caller made.

Pure: the menu module does the directory reads and hands the names in here.
"""

from collections import namedtuple
from collections.abc import Iterable, Mapping

from ..core.names import is_valid_name, quoted
from ..core.select_keys import SELECT_KEYS
from ..core.slugs import project_slug

HERE_LABEL = ". (here: a scratch pi at the root)"
NEW_LABEL = "+ new project\u2026"
SHELL_LABEL = "shell (a jailed bash on this machine)"


class MenuEntry(namedtuple("MenuEntry", [
    "label",
    "kind",  # "project" | "here" | "new" | "shell" | "box"
    "project",  # for "box": the box name
], defaults=(None,))):
    """One row: its label and what picking it means (`kind` plus the project name)."""

    __slots__ = ()


def sort_names(names: Iterable[str]) -> list[str]:
    """Case-insensitive, ties by code unit, so `Alpha` precedes `alpha` whatever the locale."""
    return sorted(names, key=lambda n: (n.lower(), n))


def project_names(folders: Iterable[str]) -> list[str]:
    """The root's directory names that are valid project names, sorted; the rest vanish."""
    return sort_names(n for n in folders if is_valid_name(n))


def annotation(slug: str, listings: Mapping[str, frozenset[str]], machine: str) -> str:
    """`  (used on: box, default)`: the machines holding conversations of the project, and
    plainly so when the current one holds none, or when none does."""
    used = sorted(m for m, slugs in listings.items() if slug in slugs)
    if not used:
        return "  (no conversations yet)"
    here = "" if machine in used else "; not yet on this machine"
    return f"  (used on: {', '.join(used)}{here})"


def menu_entries(folders: Iterable[str], listings: Mapping[str, frozenset[str]],
                 machine: str, mounted: bool, boxes: Iterable = ()) -> list[MenuEntry]:
    """Projects (annotated), the stopped boxes of this machine, then `.`, new project and
    shell, always in that order.

    `listings` maps every machine (the current one included) to the names in its sessions
    folder; under --mount a project's conversations live under `/work/<name>`. `boxes` are
    core.boxes.Box records (every machine's; only this machine's stopped ones are offered).
    """
    rows = [MenuEntry(name + annotation(project_slug(name, mounted), listings, machine),
                      "project", name)
            for name in project_names(folders)]
    rows += [MenuEntry(f"enter box {b.name}", "box", b.name) for b in boxes
             if b.machine == machine and not b.running]
    return rows + [MenuEntry(HERE_LABEL, "here", "."), MenuEntry(NEW_LABEL, "new"),
                   MenuEntry(SHELL_LABEL, "shell")]


def row_name(entry: MenuEntry) -> str:
    """What typing in the menu matches: a project's name, not its note in parentheses (typing
    `box` must not list every project used on machine "box"); the other rows' words before
    their explanation (`shell`, `enter box dev`)."""
    return entry.project if entry.kind == "project" else entry.label.split(" (", 1)[0]


def launch_fields(entry: MenuEntry) -> dict:
    """The LaunchArgs fields the typed equivalent would have: a pick launches exactly as
    typing it would."""
    if entry.kind == "shell":
        return {"mode": "shell", "project": None}
    if entry.kind == "box":
        return {"mode": "box", "project": None, "box": entry.project}
    return {"mode": "pi", "project": entry.project}


def header(machine: str) -> str:
    return f"anon-pi: machine {quoted(machine)} {SELECT_KEYS}"
