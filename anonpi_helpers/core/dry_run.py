"""How `--dry-run` shows a netcage command line it would run. Pure.

Piped: `shlex.join` on one line, for scripts. On a terminal, a `netcage run` is split over
lines with ` \\` continuations, one option and its value per line, the image, then the
container command, so a person can read what runs; pasted back into a shell it is the very
same command. The launch, `container create|enter|rm` and `image snapshot` all print theirs
this way. The words hold config values (the proxy URL, the image ref) and pi's session id (a
file name the jail chose): both forms are shown (core.shown), so none of them writes a raw
control to the terminal, and a newline inside a word shows as `\\x0a` rather than starting a
line of its own; the only line breaks are the split form's. A command whose words needed
escaping no longer pastes back byte for byte.
"""

import shlex

from ..core.shown import shown

SWITCHES = frozenset({"--rm", "-it"})  # netcage run's options that take no value


def one_line(argv: list[str]) -> str:
    return shown(shlex.join(argv))


def split_lines(argv: list[str]) -> str:
    """`netcage run \\` / `  --opt value \\` / ... / `  <image> \\` / `  sh -c '…' \\` /
    `  pi …`."""
    groups = [argv[:2]]
    i = 2
    while i < len(argv) and argv[i].startswith("-"):
        width = 1 if argv[i] in SWITCHES or i + 1 >= len(argv) else 2
        groups.append(argv[i:i + width])
        i += width
    if i < len(argv):
        groups.append([argv[i]])  # the image
        command = argv[i + 1:]
        if command[:2] == ["sh", "-c"] and len(command) > 3:
            groups += [command[:3], command[3:]]
        elif command:
            groups.append(command)
    return " \\\n  ".join(shown(shlex.join(g)) for g in groups)


def command_text(argv: list[str], on_terminal: bool) -> str:
    """The line `--dry-run` prints for `argv` (`netcage run` split on a terminal)."""
    return split_lines(argv) if on_terminal and argv[1:2] == ["run"] else one_line(argv)
