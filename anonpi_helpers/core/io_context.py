"""What a verb may use of the world beyond its command line: its three streams, its
environment, whether a person is at the terminal, the folder it was started in, the clock,
and what the command line asked of the output (-q/--quiet, --color).

Every verb's `main(line, io)` takes one. cli.py builds the real one (edges/real_io.py) from
the process; a test builds its own (tests/in_process.py) and runs the verb inside the test
process, with files for streams and an environment of its own, so the verb cannot tell the
difference and no interpreter has to start. Code below a verb reads these facts from here,
never from `sys` or `os.environ`, so two runs in one process never see each other's.
"""


class IO:
    """One run's world. `stdin` is a text stream with a `.buffer` (prompts read whole lines
    as bytes); `stdout`/`stderr` are text streams that children (netcage run in the
    foreground) inherit by their file descriptors; `env` is read-only by convention; `cwd` is
    the folder relative paths on the command line mean; `tty` says a person types on stdin
    (every prompt decision keys off stdin alone); `now()` gives seconds since the epoch.
    `memo` holds what this run learned once and asks again (netcage's version)."""

    __slots__ = ("colour", "cwd", "env", "memo", "now", "quiet", "stderr", "stdin", "stdout",
                 "tty")

    def __init__(self, *, stdin, stdout, stderr, env, cwd: str, tty: bool, now,
                 quiet: bool = False, colour: str | None = None):
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.env, self.cwd, self.tty, self.now = env, cwd, tty, now
        self.quiet, self.colour = quiet, colour
        self.memo: dict = {}

    def with_output(self, quiet: bool, colour: str | None) -> "IO":
        """The same run with the command line's -q/--quiet and --color applied."""
        out = IO(stdin=self.stdin, stdout=self.stdout, stderr=self.stderr, env=self.env,
                 cwd=self.cwd, tty=self.tty, now=self.now, quiet=bool(quiet), colour=colour)
        out.memo = self.memo
        return out
