"""How `--dry-run` shows the netcage command line. Pure.

Piped (ruling 19): `shlex.join` on one line, for scripts. On a terminal (issue 14 §8): the
same words split over lines with ` \\` continuations, one option and its value per line, the
image, then the container command, so a person can read what runs; pasted back into a
shell it is the very same command. The words hold config values (the proxy URL, the image
ref): both forms are shown (core.shown), so none of them writes a raw control to the
terminal; a command whose words needed escaping no longer pastes back byte for byte.
"""

import shlex

from ..core.shown import shown

SWITCHES = frozenset({"--rm", "-it"})  # netcage run's options that take no value


def one_line(argv: list[str]) -> str:
    return shown(shlex.join(argv), multiline=True)


def split_lines(argv: list[str]) -> str:
    """`netcage run \\` / `  --opt value \\` / ... / `  <image> \\` / `  sh -c '…' \\` / `  pi …`."""
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
    lines = [shlex.join(g) for g in groups]
    return shown(" \\\n  ".join(lines), multiline=True)
