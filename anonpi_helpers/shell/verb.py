"""`anon-pi completions bash|zsh|fish`: print the generated completion script (ruling 23).

The scripts ship inside the package (so a `pip install .` prints them too); the checkout's
completions/ folder, which `make install` installs from, holds links to them, so there is one
generated copy. `inv completions` writes it from the task list; a test fails on any drift.
"""

import sys
from pathlib import Path

from ..core.errors import AnonPiError
from ..core.verbs import did_you_mean, nearest

PACKAGED = Path(__file__).resolve().parent.parent / "completions"
SHELLS = ("bash", "zsh", "fish")
HELP = """\
Usage: anon-pi completions bash|zsh|fish

Print the completion script for that shell (completes verbs, flags, machine and project
names read straight from your workspace; a TAB starts no Python).

  bash:  eval "$(anon-pi completions bash)"      (e.g. in ~/.bashrc)
  zsh:   eval "$(anon-pi completions zsh)"       (in ~/.zshrc, after compinit)
  fish:  anon-pi completions fish | source       (or save it in ~/.config/fish/completions/)

`make install` already puts them where the shells look
($PREFIX/share/bash-completion/completions/anon-pi, $PREFIX/share/zsh/site-functions/_anon-pi,
$PREFIX/share/fish/vendor_completions.d/anon-pi.fish).
"""


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv):
        sys.stdout.write(HELP)
        return 0
    if len(argv) != 1 or argv[0] not in SHELLS:
        got = " ".join(argv) if argv else "nothing"
        near = did_you_mean(nearest(argv[0], SHELLS)) if len(argv) == 1 else ""
        raise AnonPiError(f"completions needs one shell: bash, zsh or fish (got {got}){near}.",
                          "see `anon-pi completions --help`")
    from .completion_gen import SCRIPT_NAMES

    sys.stdout.write((PACKAGED / SCRIPT_NAMES[argv[0]]).read_text(encoding="utf-8"))
    return 0


def write_all(collection) -> list[Path]:
    """Regenerate every script from the Invoke collection; returns the paths."""
    from ..edges.workspace import write_text_atomic
    from .completion_gen import render_all

    written = []
    for name, text in render_all(collection).items():
        write_text_atomic(PACKAGED / name, text)
        written.append(PACKAGED / name)
    return written
