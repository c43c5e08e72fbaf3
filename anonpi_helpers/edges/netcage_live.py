"""netcage runs whose output anon-pi reads WHILE they run: `verify` and builds echoed live
(run_echoed), pi's JSON events for `--mode text-stream` (run_reading_lines), and `start`'s
stderr relayed and kept so a refusal can be explained (run_watching_stderr). Each starts
netcage inside the same signal handling as netcage.run_foreground."""

from ..core.errors import AnonPiError
from .netcage import command, run_passing_signals


def run_echoed(args: list[str], exe: str | None = None) -> tuple[int | None, str]:
    """Run netcage (or `exe`, e.g. podman) without a timeout, echo its merged output live to
    stdout and return it too.

    For `verify` and image builds: the user sees progress as it happens and the caller can
    parse the text. The status is None when the program could not be started. Ctrl-C reaches
    the child too (same terminal); anon-pi waits for it before passing the interrupt on.
    """
    import subprocess
    import sys

    try:
        proc = command(args, exe).popen(stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT)
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


def run_reading_lines(args: list[str], on_line, *, tmpdir: str | None = None) -> int:
    """Run netcage with stdin and stderr the user's, calling `on_line(text)` for each line of
    its stdout AS IT ARRIVES (a partial last line included); returns its status like
    run_foreground. For `--mode text-stream`, which renders pi's events live."""
    import subprocess

    def pump(proc):
        while raw := proc.stdout.readline():
            on_line(raw.decode("utf-8", errors="replace"))

    return run_passing_signals(args, tmpdir, {"stdout": subprocess.PIPE, "stderr": None},
                                during=pump)


def run_watching_stderr(args: list[str], seen: list[str], *, tmpdir: str | None = None) -> int:
    """run_foreground, but netcage's stderr is relayed through a pipe line by line (live) and
    each line kept in `seen`, so the caller can explain a refusal netcage only printed."""
    import subprocess
    import sys
    import threading

    readers = []

    def relay(proc):
        while raw := proc.stderr.readline():
            line = raw.decode("utf-8", errors="replace")
            seen.append(line)
            sys.stderr.write(line)
            sys.stderr.flush()

    def start_relay(proc):
        readers.append(threading.Thread(target=relay, args=(proc,), daemon=True))
        readers[0].start()

    code = run_passing_signals(args, tmpdir, {"stdout": None, "stderr": subprocess.PIPE},
                                during=start_relay)
    for reader in readers:
        reader.join(5)
    return code
