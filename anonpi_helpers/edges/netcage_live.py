"""netcage runs whose output anon-pi reads WHILE they run: `verify` and builds echoed live
(run_echoed), pi's JSON events for `--mode text-stream` and `forward`'s confirmation
(run_reading_lines), and the stderr of `start` and `commit` kept so a refusal can be
explained (run_watching_stderr). Each starts netcage inside the same signal handling as
netcage_child.run_foreground.

What these runs print comes from the jail, a web page or a builder: every line is read with
a length cap (a stream without newlines must not grow anon-pi's memory without bound) and
what is relayed to the user is shown (core.shown), never raw.
"""

from collections.abc import Callable, Iterator
from re import Pattern

from ..core.errors import AnonPiError
from ..core.shown import shown
from .netcage import command
from .netcage_child import run_passing_signals

MAX_LINE = 8 << 20  # bytes; pi's largest event worth reading (a whole answer) is far smaller
# what run_echoed keeps of an echoed run's output for its caller (an exit IP, a failed build's
# last lines): its last 64 KiB, whatever the run printed in all (a build's RUN step can print
# hundreds of MiB, already shown to the user as it came)
ECHO_TAIL = 64 << 10


def bounded_lines(stream, limit: int = MAX_LINE) -> Iterator[bytes | None]:
    """The lines of a byte stream (a partial last line included), each at most `limit`
    bytes; a longer line is read through to its end in `limit`-sized pieces, kept nowhere,
    and yields None in its place."""
    while raw := stream.readline(limit + 1):
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield raw
            continue
        while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
            pass
        yield None


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _too_long(where: str, limit: int) -> str:
    return f"anon-pi: a line of {where} longer than {limit >> 20} MiB was skipped.\n"


def run_echoed(io, args: list[str], exe: str | None = None, env: dict[str, str] | None = None,
               mark: Pattern[str] | None = None) -> tuple[int | None, str]:
    """Run netcage (or `exe`, e.g. podman) without a timeout, echo its merged output live to
    the run's stdout and return its tail (the last ECHO_TAIL characters, in whole lines).

    For `verify`, image builds and pulls: the user sees progress as it happens and the caller
    can parse the text. `mark`: the last line matching it is kept even when it scrolled out of
    the tail (a build's `STEP n/m:`, which says where it failed). The status is None when the
    program could not be started. Ctrl-C reaches the child too (same terminal); anon-pi waits
    for it before passing the interrupt on. `env` is added to the child's environment (a
    build's proxy variables) on top of the run's own.
    """
    import subprocess
    from collections import deque

    try:
        cmd = command(io, args, exe)
        proc = (cmd.with_env(**env) if env else cmd).popen(
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except (OSError, AnonPiError):
        return None, ""
    tail: deque[str] = deque()
    size, marked = 0, None
    try:
        for raw in bounded_lines(proc.stdout):
            line = _text(raw) if raw is not None else _too_long("its output", MAX_LINE)
            io.stdout.write(shown(line, multiline=True))
            io.stdout.flush()
            if raw is None:
                continue
            line = line[-ECHO_TAIL:]
            if mark is not None and mark.match(line.strip()):
                marked = line
            tail.append(line)
            size += len(line)
            while size > ECHO_TAIL:
                size -= len(tail.popleft())
    except KeyboardInterrupt:
        proc.wait()
        raise
    kept = "" if marked is None or any(ln is marked for ln in tail) else marked
    return proc.wait(), kept + "".join(tail)


def run_reading_lines(io, args: list[str], on_line: Callable[[str | None], None], *,
                      tmpdir: str | None = None, interrupted_code: int | None = None,
                      limit: int = MAX_LINE) -> int:
    """Run netcage with stdin and stderr the user's, calling `on_line(text)` for each line of
    its stdout AS IT ARRIVES (a partial last line included; None for a line over `limit`
    bytes, which is skipped); returns its status like run_foreground. For `--mode
    text-stream`, which renders pi's events live, and `forward`, which says in its own words
    what netcage confirmed. Should `on_line` fail, netcage is stopped and waited for before
    the error goes on (netcage_child.run_passing_signals)."""
    import subprocess

    def pump(proc):
        for raw in bounded_lines(proc.stdout, limit):
            on_line(None if raw is None else _text(raw))

    return run_passing_signals(io, args, tmpdir,
                               {"stdout": subprocess.PIPE, "stderr": io.stderr},
                               interrupted_code=interrupted_code, during=pump)


def run_watching_stderr(io, args: list[str], seen: list[str], *, tmpdir: str | None = None,
                        relay: bool = True, out: list[str] | None = None) -> int:
    """run_foreground, but netcage's stderr comes through a pipe line by line, each line kept
    in `seen` (so the caller can explain a refusal netcage only printed) and, with `relay`,
    shown live (escaped). With `out`, netcage's stdout is collected there instead of shown:
    what a verb reports in its own words (a commit's image id). Without `relay`, progress
    meant for a person at a terminal stays off a pipe or a log."""
    import subprocess
    import threading

    readers = []

    def relay_err(proc):
        for raw in bounded_lines(proc.stderr):
            line = _text(raw) if raw is not None else _too_long("netcage's stderr", MAX_LINE)
            seen.append(line)
            if relay:
                io.stderr.write(shown(line, multiline=True))
                io.stderr.flush()

    def start_relay(proc):
        readers.append(threading.Thread(target=relay_err, args=(proc,), daemon=True))
        readers[0].start()
        if out is not None:
            out.append(_bounded(proc.stdout))

    streams = {"stdout": io.stdout if out is None else subprocess.PIPE,
               "stderr": subprocess.PIPE}
    code = run_passing_signals(io, args, tmpdir, streams, during=start_relay)
    for reader in readers:
        reader.join(5)
    return code


def _bounded(stream, limit: int = 1 << 16) -> str:
    """What a stream carries up to `limit` bytes; the rest is read and dropped, so the child
    never blocks on a full pipe."""
    kept = b""
    while chunk := stream.read(65536):
        if len(kept) < limit:
            kept += chunk[:limit - len(kept)]
    return kept.decode("utf-8", errors="replace")
