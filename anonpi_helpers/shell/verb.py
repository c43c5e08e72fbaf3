"""`anon-pi completions bash|zsh|fish`: print the generated completion script.

The scripts ship inside the package (so a `pip install .` prints them too); the checkout's
completions/ folder, which `make install` installs from, holds links to them, so there is one
generated copy. `make completions` writes it from the command table (shell/generate.py); a
test fails on any drift.
"""

from pathlib import Path

PACKAGED = Path(__file__).resolve().parent.parent / "completions"


def main(line, io) -> int:
    """`line`: the parsed `completions <shell>` command line; the script goes to `io.stdout`
    as its UTF-8 bytes whatever the locale, as `make install` copies it: it is a program for
    the shell, not text for a person. Under an ASCII or Latin-1 locale the name check's
    letters (`é`, `ж`) would otherwise arrive escaped, and a TAB would drop every project
    and machine whose name holds one."""
    from ..edges.terminal import write_utf8
    from .completion_gen import SCRIPT_NAMES

    write_utf8(io.stdout, (PACKAGED / SCRIPT_NAMES[line.shell]).read_text(encoding="utf-8"))
    return 0
