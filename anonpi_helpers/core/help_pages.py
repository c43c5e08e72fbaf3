"""Help pages from the command table: `anon-pi --help`, `anon-pi <verb> [<sub-verb>] --help`
and `anon-pi help <verb> [<sub-verb>]`. Pure: returns text.

Usage lines, flag lists and argument lists are built from core/command_table.py; the
paragraphs between them are core/help_prose.py's. The man page (shell/man_page.py) uses the
same pieces.
"""

from .command_table import (
    ANYWHERE,
    COMMANDS,
    COMMON,
    GROUPS,
    LAUNCH,
    LAUNCH_FIRST,
    PI_AFTER,
    PI_TARGETS,
    Arg,
    Command,
    Flag,
    subs,
)
from .help_prose import ABOUT, LAUNCH_FORMS, LAUNCH_HEADLESS, LAUNCH_TAIL, LAUNCH_TITLE

WIDTH = 92
COLUMN = 28  # where a flag's help starts; a longer flag puts its help on the next line


def spelled(f: Flag) -> str:
    """`-m|--machine <machine>`, `--dry-run`."""
    return "|".join(f.names) + (f" {f.metavar}" if f.kind is not None else "")


def usage_words(cmd: Command) -> list[str]:
    """The words of a usage line: the command's, its arguments, then its flags (not -h)."""
    words = ["anon-pi", *cmd.words]
    words += [a.metavar if a.required else f"[{a.metavar}]" for a in cmd.args]
    words += [f"[{spelled(f)}]" for f in cmd.flags if f not in COMMON]
    return words + (["[pi args...]"] if cmd is LAUNCH else [])


def fill(words: list[str], first: str = "", rest: str = "") -> str:
    """Words joined into lines of at most WIDTH columns (a longer word stays whole): the first
    line starts with `first`, the others with `rest`. A few lines of its own: textwrap (and
    the `re` it loads) would cost `--help` more start-up time than the page itself."""
    lines, line, empty = [], first, True
    for word in words:
        if not empty and len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line, empty = rest, True
        line, empty = line + ("" if empty else " ") + word, False
    return "\n".join([*lines, line])


def usage(cmd: Command, indent: str = "") -> str:
    """One usage line (after `indent`), wrapped under the first argument when long; a
    bracketed flag never breaks."""
    words = usage_words(cmd)
    head = " ".join(words[:1 + len(cmd.words)])
    return fill([head, *words[1 + len(cmd.words):]], indent,
                " " * (len(indent) + len(head) + 1))


def rows(items: list[tuple[str, str]], indent: str = "  ") -> str:
    """Aligned `left  text` rows; text wrapped; a long left column gets its own line."""
    out = []
    for left, text in items:
        lead = f"{indent}{left}"
        pad = " " * COLUMN
        if len(lead) + 2 > COLUMN:
            out.append(lead)
            first = pad
        else:
            first = lead.ljust(COLUMN)
        out.append(fill(text.split(), first, pad))
    return "\n".join(out)


def flag_rows(flags) -> str:
    return rows([(", ".join(f.names) + (f" {f.metavar}" if f.kind is not None else ""), f.help)
                 for f in flags])


def arg_rows(args: tuple[Arg, ...]) -> str:
    return rows([(a.metavar, a.help) for a in args])


def command_page(cmd: Command) -> str:
    parts = [f"anon-pi {cmd.name} - {cmd.summary}", usage(cmd, "Usage: ")]
    if cmd.name in ABOUT:
        parts.append(ABOUT[cmd.name])
    if cmd.args:
        parts.append("Arguments:\n" + arg_rows(cmd.args))
    parts.append("Options:\n" + flag_rows(cmd.flags))
    return "\n\n".join(parts) + "\n"


def group_page(group: str) -> str:
    members = subs(group)
    parts = [f"anon-pi {group} - {GROUPS[group]}",
             "Usage:\n" + "\n".join(usage(c, "  ") for c in members),
             ABOUT[group],
             "Sub-verbs:\n" + rows([(c.words[1], c.summary) for c in members]),
             fill(f"Each sub-verb has its own help: `anon-pi {group} <sub-verb> --help` (or "
                  f"`anon-pi help {group} <sub-verb>`).".split())]
    return "\n\n".join(parts) + "\n"


def verb_lines() -> str:
    """Every verb's usage line and what it does: the launch page's list, the man page's."""
    return "\n".join(usage(c, "  ") + "\n" + " " * 8 + c.summary
                     for c in COMMANDS if c is not LAUNCH)


def launch_page() -> str:
    first = [f._replace(help=f.help + " (before the project; after it, pi's)")
             for f in (*LAUNCH_FIRST, *(f for f in LAUNCH.flags if f not in ANYWHERE
                                         and f not in LAUNCH_FIRST))]
    parts = [LAUNCH_TITLE, LAUNCH_FORMS,
             "Launch flags (anywhere before `--`):\n" + flag_rows([*ANYWHERE, *first]),
             "pi's flags anon-pi reads (pi gets them too):\n" + flag_rows(PI_TARGETS) + "\n"
             + flag_rows(f._replace(help=f.help + " (after a project)") for f in PI_AFTER),
             LAUNCH_HEADLESS, "Verbs:\n" + verb_lines(), LAUNCH_TAIL]
    return "\n\n".join(parts) + "\n"


def page(target: Command | str) -> str:
    """The help page of a command, or of a group when `target` is its word."""
    if isinstance(target, str):
        return group_page(target)
    return launch_page() if target is LAUNCH else command_page(target)
