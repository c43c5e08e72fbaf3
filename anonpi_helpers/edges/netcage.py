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


def supports(io, args: list[str]) -> bool:
    """Whether `netcage <args>` (e.g. `build --help`) exits 0 within the query timeout."""
    try:
        return path(io) is not None and query(io, args).code == 0
    except AnonPiError:
        return False
