"""The netcage runner: the one module that builds (with plumbum) and spawns netcage.

plumbum is imported on first use, so verbs that never call netcage do not pay for it. Every
call takes the run's context (core/io_context.py): netcage is looked up on its PATH, runs
with its environment (on top of the process's own, which is the same thing in a real run)
and, in the foreground, on its streams.
"""

import os
from collections import namedtuple
from collections.abc import Callable, Sequence

from ..core.errors import AnonPiError
from ..core.netcage_version import MIN_NETCAGE, parse_version, release
from ..core.netcage_version import hole_flag as _hole_flag_for

QUERY_TIMEOUT = 30.0
_running: set[int] = set()  # the pids of netcage runs this process waits on
STOP_GRACE = 10.0  # seconds netcage gets to tear its jail down before SIGKILL
NOT_FOUND_HINT = (
    f"anon-pi needs netcage {release(MIN_NETCAGE)} or newer (Linux only) to build the jail: "
    "install it as the README's \"Install netcage\" section says "
    "(https://github.com/wighawag/netcage) and put `netcage` on PATH"
)


class Result(namedtuple("Result", ["code", "out", "err"])):
    """A finished netcage query: exit status (int) and captured output (str, str)."""

    __slots__ = ()


def failure_detail(res: Result) -> str:
    """netcage's own first stderr line, so the user sees why."""
    line = next((ln.strip() for ln in res.err.splitlines() if ln.strip()), "")
    return f": {line}" if line else ""


def ps_listing(io, args: list[str], parse: Callable[[str], Sequence | None],
               which: str) -> Sequence:
    """`netcage ps ...` read by `parse`; `which` says what the listing was for ("jails are
    running"). A failing ps, or output that is no JSON list, is an error, never "nothing runs"
    (which would send the user looking for a session that may well be running)."""
    res = query(io, args)
    if res.code != 0:
        raise AnonPiError(f"`netcage ps` failed (exit {res.code}){failure_detail(res)}.",
                          "check that netcage and podman work: `netcage ps`")
    found = parse(res.out)
    if found is None:
        raise AnonPiError("`netcage ps` printed something that is not a JSON list; cannot tell "
                          f"which {which}.", "check `netcage ps --format json`")
    return found


def on_path(tool: str, env) -> str | None:
    """The first executable `tool` on env's PATH (shutil.which's rule, without loading shutil
    and the compression modules it imports: a few ms on every launch and listing)."""
    for folder in env.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or os.curdir, tool)
        if os.access(candidate, os.X_OK) and os.path.isfile(candidate):
            return candidate
    return None


def path(io) -> str | None:
    """The netcage binary a call would run, if any."""
    return on_path("netcage", io.env)


def require(io) -> str:
    found = path(io)
    if not found:
        raise AnonPiError("`netcage` not found on PATH.", NOT_FOUND_HINT)
    return found


def command(io, args: list[str], exe: str | None = None):
    """A netcage command line, built by plumbum (imported here: only a query needs it), with
    the run's environment."""
    from plumbum import local

    return local[exe or require(io)][list(args)].with_env(**io.env)


def no_answer(call: str, timeout: float | None) -> AnonPiError:
    """A query that hung: one error naming the call, for netcage and podman alike (a hung
    netcage must not hang a listing)."""
    return AnonPiError(f"`{call}` did not answer within {int(timeout or 0)} s.",
                       "check that netcage and podman respond")


def cannot_run(call: str, exc: OSError) -> AnonPiError:
    return AnonPiError(f"could not run `{call}`: {exc.strerror or exc}")


def query(io, args: list[str], timeout: float | None = QUERY_TIMEOUT) -> Result:
    """Run a netcage query with captured output; a hang is one error naming `netcage <verb>`."""
    call = f"netcage {' '.join(args[:1])}"
    cmd = command(io, args)
    from plumbum import ProcessTimedOut

    try:
        code, out, err = cmd.run(retcode=None, timeout=timeout)
    except ProcessTimedOut:
        raise no_answer(call, timeout) from None
    except OSError as exc:
        raise cannot_run(call, exc) from None
    return Result(code, out or "", err or "")


def last_line(text: str) -> str:
    """The last non-blank line: where podman and netcage put the reason they failed."""
    return next((ln.strip() for ln in reversed(text.splitlines()) if ln.strip()), "")


def failed(call: str, res: Result, hint: str | None = None) -> AnonPiError:
    """The one error line for a failed query: the call, its status, its stderr's last line."""
    reason = last_line(res.err)
    return AnonPiError(f"`{call}` failed (exit {res.code}){': ' + reason if reason else ''}.",
                       hint or "check that netcage and podman work")


def query_many(io, arg_lists: list[list[str]]) -> list[Result]:
    """Several queries at once (picker port hints): wall time of the slowest, not the sum.

    Results come back in input order; the first failure (timeout, spawn error) is raised.
    """
    if len(arg_lists) <= 1:
        return [query(io, a) for a in arg_lists]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(8, len(arg_lists))) as pool:
        return list(pool.map(lambda a: query(io, a), arg_lists))


def ask_version(io) -> str | None:
    """`netcage --version` asked afresh (doctor); None when it does not answer."""
    if not path(io):
        return None
    try:
        res = query(io, ["--version"])
    except AnonPiError:
        return None
    return res.out if res.code == 0 else None


def version_text(io) -> str | None:
    """`netcage --version`, from the on-disk cache when it vouches for this very binary
    (edges/version_cache.py), else asked; once per run (kept in `io.memo`). Asking spawns
    netcage (and loads plumbum); a launch would otherwise pay that every time. Never written
    here: a launch, a refused one or a dry-run leaves the cache as it found it
    (remember_version)."""
    if "netcage-version" not in io.memo:
        io.memo["netcage-version"] = _version_now(io)
    return io.memo["netcage-version"]


def _version_now(io) -> str | None:
    found = path(io)
    if not found:
        return None
    from . import version_cache

    known = version_cache.load(version_cache.binary_key(found), io.env)
    return known if known is not None else ask_version(io)


def remember_version(io, text: str | None) -> None:
    """Keep what netcage itself just answered (`doctor`, `init`): only a real version, only
    for a binary the cache can vouch for, and only when the cache says otherwise."""
    found = path(io)
    if not found or text is None or parse_version(text) is None:
        return
    from . import version_cache

    key = version_cache.binary_key(found)
    if key is not None and version_cache.load(key, io.env) != text:
        version_cache.store(key, text, io.env)


def hole_flag(io) -> str:
    """The direct-hole flag for the installed netcage (the newest when there is none)."""
    return _hole_flag_for(version_text(io))


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


def supports(io, args: list[str]) -> bool:
    """Whether `netcage <args>` (e.g. `build --help`) exits 0 within the query timeout."""
    try:
        return path(io) is not None and query(io, args).code == 0
    except AnonPiError:
        return False
