"""`make completions` and `make man`: write the files generated from the command table.

`python -m anonpi_helpers.shell.generate completions` rewrites the completion scripts
shipped in the package (completions/ links to them); `... man <file>` writes the man page.
A separate path from `anon-pi completions` and `anon-pi-inv completions`, which only print.
"""

import sys


def write_completions() -> list[str]:
    from ..edges.workspace import write_text_atomic
    from .completion_gen import render_all
    from .verb import PACKAGED

    written = []
    for name, text in render_all().items():
        write_text_atomic(PACKAGED / name, text)
        written.append(str(PACKAGED / name))
    return written


def main(argv: list[str]) -> int:
    if argv[:1] == ["completions"] and len(argv) == 1:
        for path in write_completions():
            print(f"wrote {path}")
        return 0
    if argv[:1] == ["man"] and len(argv) == 2:
        from pathlib import Path

        from .man_page import render

        Path(argv[1]).write_text(render(), encoding="utf-8")
        print(f"wrote {argv[1]}")
        return 0
    sys.stderr.write("usage: python -m anonpi_helpers.shell.generate completions | man <file>\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
