"""anon-pi's whole program run inside the test process: `cli.run(argv, io)` with a context of
the test's own (core/io_context.py) instead of a new interpreter per command.

The streams are real files (netcage run in the foreground inherits them by descriptor, as it
inherits a terminal), the environment is the test's dictionary, the folder the test's, and
there is no terminal: a test about a person at a terminal drives the real program in a pty
(pexpect). What comes back has the shape of `subprocess.run(..., text=True)`'s answer, so a
test reads it the same way whichever way the program ran.
"""

import io as streams
import subprocess
import tempfile
import time

from anonpi_helpers import cli
from anonpi_helpers.core.io_context import IO


def _text(raw) -> str:
    """What `subprocess.run(..., text=True)` makes of the bytes: UTF-8, universal newlines."""
    raw.seek(0)
    return raw.read().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_in_process(argv: list[str], env: dict, cwd: str, input: str = "",
                   tty: bool = False) -> subprocess.CompletedProcess:
    with (tempfile.TemporaryFile() as raw_in, tempfile.TemporaryFile() as raw_out,
          tempfile.TemporaryFile() as raw_err):
        raw_in.write(input.encode("utf-8"))
        raw_in.seek(0)
        stdin = streams.TextIOWrapper(raw_in, encoding="utf-8")
        stdout = streams.TextIOWrapper(raw_out, encoding="utf-8", write_through=True)
        stderr = streams.TextIOWrapper(raw_err, encoding="utf-8", errors="backslashreplace",
                                       write_through=True)
        context = IO(stdin=stdin, stdout=stdout, stderr=stderr, env=dict(env), cwd=str(cwd),
                     tty=tty, now=time.time)
        try:
            code = cli.run(list(argv), context)
        finally:
            for wrapper in (stdin, stdout, stderr):
                wrapper.detach()  # the files stay open for reading, closed by `with`
        out, err = _text(raw_out), _text(raw_err)
    return subprocess.CompletedProcess([*argv], code, out, err)


def context(env: dict | None = None, cwd: str = "/", answers: str = "",
            now=time.time) -> IO:
    """A run's context for calling one function below a verb directly: it sees only `env`
    (nothing of the test process's own environment), reads `answers` as typed lines, has no
    terminal, and what it says stays in memory (`.stdout.getvalue()`, `.stderr...`)."""
    stdin = streams.TextIOWrapper(streams.BytesIO(answers.encode("utf-8")), encoding="utf-8")
    return IO(stdin=stdin, stdout=streams.StringIO(), stderr=streams.StringIO(),
              env=dict(env or {}), cwd=str(cwd), tty=False, now=now)


def program(argv: list[str]) -> int:
    """The program with the context the real entry builds (edges/real_io.py), in this
    process: for tests that set the environment with monkeypatch and read the output with
    capsys."""
    from anonpi_helpers.edges.real_io import real_context

    return cli.run(list(argv), real_context())
