"""netcage as a child of anon-pi with the user's streams, waited for: the launch (beside its
egress relay), a box entered, a build, a resumed conversation. Split from the queries
(edges/netcage.py) because this half owns the signals: SIGINT/SIGTERM that reach anon-pi but
not netcage are passed on, handlers are in place before netcage is spawned and restored on
every path, and a netcage anon-pi waits on is never left running when anon-pi fails.
"""

import os

from ..core.errors import AnonPiError
from .netcage import command, require

_running: set[int] = set()  # the pids of netcage runs this process waits on
STOP_GRACE = 10.0  # seconds netcage gets to tear its jail down before SIGKILL


def _descriptor(stream) -> int | None:
    """The file descriptor behind one of the run's streams, for netcage to get as its own;
    None when it has none (a test's capture buffer): netcage then keeps this process's."""
    try:
        return stream.fileno() if stream is not None else None
    except (AttributeError, OSError, ValueError):
        return None


def _handed(stream):
    """`stream` as Popen takes it: itself when it has a descriptor, else None (inherit)."""
    if stream is None or isinstance(stream, int):  # subprocess.PIPE and friends
        return stream
    return stream if _descriptor(stream) is not None else None


def run_beside(io, args: list[str], *, tmpdir: str | None = None,
               started=None) -> int:
    """Run netcage as a child with the user's stdio and wait; its status (signal N ->
    128+N). The launch's egress relay lives in this process, so anon-pi cannot become
    netcage (exec): it waits instead, as lean as an exec (posix_spawn, no plumbum).
    SIGINT/SIGTERM that reach anon-pi but not netcage are passed on, as in run_foreground.
    `tmpdir` becomes netcage's TMPDIR. netcage gets the run's three streams as its own.
    `started()` runs once netcage is spawned, while it starts up (the relay's threads); should
    it fail, netcage is stopped and waited for."""
    import signal

    found = require(io)
    env = dict(io.env, TMPDIR=tmpdir) if tmpdir else dict(io.env)
    for stream in (io.stdout, io.stderr):
        stream.flush()
    given = [_descriptor(s) for s in (io.stdin, io.stdout, io.stderr)]
    stdio = [(os.POSIX_SPAWN_DUP2, have, fd) for fd, have in enumerate(given)
             if have is not None and have != fd]
    interrupted: list[int] = []
    child: list[int] = []

    def forward(signum, _frame):
        interrupted.append(signum)
        if not child or (signum == signal.SIGINT and _terminal_delivers_to_child()):
            return
        try:
            os.kill(child[0], signum)
        except ProcessLookupError:
            pass

    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if interrupted:
            raise KeyboardInterrupt
        try:
            child.append(os.posix_spawn(found, ["netcage", *args], env,
                                        file_actions=stdio))
        except OSError as exc:
            raise AnonPiError(f"could not run netcage: {exc.strerror or exc}") from None
        _running.add(child[0])
        if started is not None:
            try:
                started()
            except BaseException:
                os.kill(child[0], signal.SIGTERM)
                os.waitpid(child[0], 0)
                raise
        status = os.waitpid(child[0], 0)[1]
    finally:
        if child:
            _running.discard(child[0])
        for s, h in old.items():
            signal.signal(s, h)
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def stop_running() -> None:
    """SIGTERM to every netcage this process waits on (netcage then tears its jail down):
    what the egress relay does should it fail, so no jail outlives its relay."""
    import signal

    for pid in list(_running):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def run_foreground(io, args: list[str], *, interrupted_code: int | None = None,
                   tmpdir: str | None = None) -> int:
    """Run netcage with the user's stdio and wait; returns its status (signal N -> 128+N).

    SIGINT/SIGTERM that reach anon-pi but not netcage (not a terminal keypress) are passed on;
    anon-pi always waits for netcage to finish so the jail is torn down before it exits.
    The handlers are in place before netcage is spawned, so no Ctrl-C falls in between.
    With `interrupted_code`, an interrupted run exits with that code (forward: 130).
    `tmpdir` becomes netcage's TMPDIR (where it writes the files it mounts into the jail).
    """
    return run_passing_signals(io, args, tmpdir, {"stdout": io.stdout, "stderr": io.stderr},
                               interrupted_code=interrupted_code)


def run_passing_signals(io, args: list[str], tmpdir: str | None, streams: dict, *,
                         interrupted_code: int | None = None, during=None) -> int:
    """Start netcage INSIDE the SIGINT/SIGTERM handlers (so no Ctrl-C falls between spawn and
    handler), run `during(proc)` (which reads its output), wait, and pass the signals on.
    `tmpdir` becomes netcage's TMPDIR (where it writes the files it mounts)."""
    import signal  # its enum costs a launch that hands over, which never needs it

    cmd = command(io, args)
    if tmpdir:
        cmd = cmd.with_env(TMPDIR=tmpdir)
    interrupted = []
    child = []

    def forward(signum, _frame):
        interrupted.append(signum)
        if not child or (signum == signal.SIGINT and _terminal_delivers_to_child()):
            return
        try:
            child[0].send_signal(signum)
        except ProcessLookupError:
            pass

    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if interrupted:  # Ctrl-C before netcage even started: start nothing
            raise KeyboardInterrupt
        try:
            child.append(cmd.popen(stdin=_handed(io.stdin),
                                   **{k: _handed(v) for k, v in streams.items()}))
        except OSError as exc:
            raise AnonPiError(f"could not run netcage: {exc.strerror or exc}") from None
        _running.add(child[0].pid)
        if during is not None:
            try:
                during(child[0])
            except BaseException:
                _stop(child[0])
                raise
        code = child[0].wait()
    finally:
        if child:
            _running.discard(child[0].pid)
        for s, h in old.items():
            signal.signal(s, h)
    if code < 0:
        code = 128 - code
    if interrupted and interrupted_code is not None:
        return interrupted_code
    return code


def _stop(proc, grace: float = STOP_GRACE) -> None:
    """anon-pi failed while netcage runs: never leave netcage behind. SIGTERM first (netcage
    then tears the jail down itself), SIGKILL if it does not end within `grace` seconds;
    waited for either way, so nothing is left running or unreaped."""
    import subprocess

    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()  # a netcage blocked writing to us gets EPIPE rather than hanging
    try:
        proc.terminate()
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    except ProcessLookupError:
        proc.wait()


def _terminal_delivers_to_child() -> bool:
    """A Ctrl-C typed on our controlling terminal already reached netcage: it is in our
    process group and that group is the terminal's foreground. Decided by the terminal
    itself (/dev/tty), not by fd 0, which may be redirected while a terminal is attached."""
    try:
        tty = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return os.tcgetpgrp(tty) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(tty)
