"""netcage runs whose output anon-pi reads WHILE they run: `verify` and builds echoed live
(run_echoed), pi's JSON events for `--mode text-stream` and `forward`'s confirmation
(run_reading_lines), and the stderr of `start` and `commit` kept so a refusal can be
explained (run_watching_stderr). Each starts netcage inside the same signal handling as
netcage.run_foreground."""

from ..core.errors import AnonPiError
from .netcage import command, run_passing_signals


def run_echoed(args: list[str], exe: str | None = None,
               env: dict[str, str] | None = None) -> tuple[int | None, str]:
    """Run netcage (or `exe`, e.g. podman) without a timeout, echo its merged output live to
    stdout and return it too.

    For `verify`, image builds and pulls: the user sees progress as it happens and the caller
    can parse the text. The status is None when the program could not be started. Ctrl-C
    reaches the child too (same terminal); anon-pi waits for it before passing the interrupt
    on. `env` is added to the child's environment (a build's proxy variables).
    """
    import subprocess
    import sys

    try:
        cmd = command(args, exe)
        proc = (cmd.with_env(**env) if env else cmd).popen(
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except (OSError, AnonPiError):
        return None, ""
    chunks = []
    try:
        while raw := proc.stdout.readline():
            line = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
            chunks.append(line)
            sys.stdout.write(line)
            sys.stdout.flush()
    except KeyboardInterrupt:
        proc.wait()
        raise
    return proc.wait(), "".join(chunks)


def run_reading_lines(args: list[str], on_line, *, tmpdir: str | None = None,
                      interrupted_code: int | None = None) -> int:
    """Run netcage with stdin and stderr the user's, calling `on_line(text)` for each line of
    its stdout AS IT ARRIVES (a partial last line included); returns its status like
    run_foreground. For `--mode text-stream`, which renders pi's events live, and `forward`,
    which says in its own words what netcage confirmed."""
    import subprocess

    def pump(proc):
        while raw := proc.stdout.readline():
            on_line(raw.decode("utf-8", errors="replace"))

    return run_passing_signals(args, tmpdir, {"stdout": subprocess.PIPE, "stderr": None},
                                interrupted_code=interrupted_code, during=pump)


def run_watching_stderr(args: list[str], seen: list[str], *, tmpdir: str | None = None,
                        relay: bool = True, out: list[str] | None = None) -> int:
    """run_foreground, but netcage's stderr comes through a pipe line by line, each line kept
    in `seen` (so the caller can explain a refusal netcage only printed) and, with `relay`,
    shown live. With `out`, netcage's stdout is collected there instead of shown: what a
    verb reports in its own words (a commit's image id). Without `relay`, progress meant for a
    person at a terminal stays off a pipe or a log."""
    import subprocess
    import sys
    import threading

    readers = []

    def relay_err(proc):
        while raw := proc.stderr.readline():
            line = raw.decode("utf-8", errors="replace")
            seen.append(line)
            if relay:
                sys.stderr.write(line)
                sys.stderr.flush()

    def start_relay(proc):
        readers.append(threading.Thread(target=relay_err, args=(proc,), daemon=True))
        readers[0].start()
        if out is not None:
            out.append(_bounded(proc.stdout))

    streams = {"stdout": None if out is None else subprocess.PIPE, "stderr": subprocess.PIPE}
    code = run_passing_signals(args, tmpdir, streams, during=start_relay)
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
