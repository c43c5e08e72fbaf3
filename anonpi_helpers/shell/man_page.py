"""The man page, anon-pi(1), from the command table and the help pages' own words.

`make man` writes it (shell/generate.py), `make install` installs it. Every usage line and
every flag comes from core/command_table.py, the paragraphs from core/help_prose.py, so the
page says what `--help` says. Pure: returns roff text (no date in it, so a rebuild of the
same table gives the same bytes).
"""

from .. import __version__
from ..core.command_table import (
    COMMANDS,
    GROUPS,
    LAUNCH,
    LAUNCH_OWN,
    PI_AFTER,
    PI_TARGETS,
    Flag,
)
from ..core.help_pages import usage
from ..core.help_prose import ABOUT, LAUNCH_FORMS, LAUNCH_HEADLESS, LAUNCH_TAIL


def text(line: str) -> str:
    """Plain text for roff: backslashes escaped, a leading `.` or `'` made literal."""
    line = line.replace("\\", "\\e")
    return "\\&" + line if line.startswith((".", "'")) else line


def verbatim(block: str) -> list[str]:
    """A block as it is laid out in the help (lists and columns kept)."""
    return [".nf", *(text(line) for line in block.splitlines()), ".fi"]


def flag_item(f: Flag, note: str = "") -> list[str]:
    names = ", ".join(f"\\fB{n.replace('-', chr(92) + '-')}\\fR" for n in f.names)
    value = f" \\fI{text(f.metavar)}\\fR" if f.kind is not None else ""
    return [".TP", names + value, text(f.help + note)]


def command_section(cmd) -> list[str]:
    out = [".SS " + text(" ".join(("anon-pi", *cmd.words))), text(cmd.summary + "."), ".PP",
           *verbatim(usage(cmd))]
    if cmd.name in ABOUT:
        out += [".PP", *verbatim(ABOUT[cmd.name])]
    if cmd.args:
        out += [".PP", "Arguments:"]
        for a in cmd.args:
            out += [".TP", f"\\fI{text(a.metavar)}\\fR", text(a.help)]
    out += [".PP", "Options:"]
    for f in cmd.flags:
        out += flag_item(f)
    return out


def render() -> str:
    out = [f'.TH ANON-PI 1 "" "anon-pi {__version__}" "User Commands"', ".SH NAME",
           "anon-pi \\- run the pi coding agent inside a netcage jail", ".SH SYNOPSIS"]
    out += verbatim("\n".join(usage(c) for c in COMMANDS))
    out += [".SH DESCRIPTION",
            "anon-pi runs the pi coding agent inside a netcage jail: every connection leaves",
            "through your socks5h proxy (fail-closed); one direct hole reaches your local model.",
            ".PP", *verbatim(LAUNCH_FORMS), ".SH OPTIONS"]
    for f in LAUNCH_OWN:
        out += flag_item(f)
    for f in LAUNCH.flags:
        if f not in LAUNCH_OWN:
            out += flag_item(f, " (before the project; after it, pi's)")
    out += [".SS pi's flags anon-pi reads (pi gets them too)"]
    for f in PI_TARGETS:
        out += flag_item(f)
    for f in PI_AFTER:
        out += flag_item(f, " (after a project)")
    out += [".PP", *verbatim(LAUNCH_HEADLESS), ".SH COMMANDS"]
    groups_done = set()
    for cmd in COMMANDS[1:]:
        group = cmd.words[0]
        if group in GROUPS and group not in groups_done:  # the group's words before its first
            groups_done.add(group)
            out += [".SS " + text(f"anon-pi {group}"), text(GROUPS[group] + "."), ".PP",
                    *verbatim(ABOUT[group])]
        out += command_section(cmd)
    tail = LAUNCH_TAIL.split("\n\n")
    out += [".SH ENVIRONMENT", *verbatim(tail[0]), ".PP", *verbatim(tail[1]),
            ".SH FILES", *verbatim(tail[2]), ".SH EXIT STATUS", *verbatim(tail[3]),
            ".SH SEE ALSO", "netcage(1), podman(1)", ""]
    return "\n".join(out)
