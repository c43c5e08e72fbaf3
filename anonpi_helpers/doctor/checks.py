"""`anon-pi doctor` verdicts: facts in, one line (plus a fix) out. Pure.

A row's detail quotes what doctor read (config values, file names, podman's answers), so
every row is printed through shown(): a config.json string with a terminal escape or a lone
surrogate is shown escaped and never stops doctor.
"""

from dataclasses import dataclass

from ..core.addresses import check_proxy, normalise_llm
from ..core.colour import paint
from ..core.errors import AnonPiError
from ..core.netcage_version import LOOPBACK_NETCAGE, MIN_NETCAGE, hole_flag, parse_version, release
from ..core.resolve import check_image_ref
from ..core.shown import shown, shown_json
from ..core.socks_reply import judge_reply

INIT_FIX = "run `anon-pi init`"
NETCAGE_INSTALL = (f"install netcage {release(MIN_NETCAGE)} or newer ({release(LOOPBACK_NETCAGE)} "
                   "or newer for a model on the host's loopback; Linux only), `netcage-dns` "
                   "beside it, both on PATH, as README.md#install-netcage says "
                   "(https://github.com/wighawag/netcage)")


@dataclass(frozen=True)
class Check:
    """One doctor line: status, what was checked, the detail and how to fix it."""

    status: str  # "ok" | "FAIL" | "warn"
    name: str
    detail: str
    fix: str | None = None


def render(check: Check, colour: bool = False, with_fix: bool = True) -> str:
    """`ok   x: d`, `FAIL x: d` / `warn x: d` plus an indented `fix:` line; with `colour`
    the status word is green, red or yellow."""
    status = paint(check.status, check.status, colour) + " " * (4 - len(check.status))
    line = f"{status} {shown(check.name)}: {shown(check.detail)}\n"
    if with_fix and check.fix and check.status != "ok":
        line += f"  fix: {shown(check.fix)}\n"
    return line


def render_all(checks: list[Check], colour: bool = False) -> str:
    """Every row; rows in a run that share one problem (the same status and fix, e.g. each
    mount of a workspace under the home) get that fix once, after the last of them."""
    out = []
    for i, check in enumerate(checks):
        after = checks[i + 1] if i + 1 < len(checks) else None
        shared = (after is not None and after.status == check.status != "ok"
                  and after.fix == check.fix)
        out.append(render(check, colour, with_fix=not shared))
    return "".join(out)


def as_json(checks: list[Check]) -> str:
    """One JSON document: `{"ok": <nothing FAILed>, "checks": [{"status", "name", "detail",
    "fix"}]}`; `fix` is null for an ok check. Details echo config values, netcage's answers
    and file names the jail made: a script reads them as they are, escaped as JSON."""
    from ..core.jsonfmt import document

    return shown_json(document({
        "ok": exit_code(checks) == 0,
        "checks": [{"status": c.status, "name": c.name, "detail": c.detail,
                    "fix": c.fix if c.fix and c.status != "ok" else None}
                   for c in checks]}))


def exit_code(checks: list[Check]) -> int:
    """Warnings inform; only a FAIL makes doctor exit non-zero."""
    return 1 if any(c.status == "FAIL" for c in checks) else 0


def netcage_check(path: str | None, version: str | None) -> Check:
    if not path:
        return Check("FAIL", "netcage", "not found on PATH", NETCAGE_INSTALL)
    if version is None:
        return Check("FAIL", "netcage", f"{path} did not answer `netcage --version`",
                     "check that netcage runs: `netcage --version`; reinstall it as "
                     "README.md#install-netcage says")
    parsed = parse_version(version)
    flag = hole_flag(version)
    if parsed is None:
        return Check("ok", "netcage", f"{path}, version {version.strip() or '?'} "
                     f"(taken as the newest: direct hole {flag})")
    number = ".".join(map(str, parsed))
    if parsed < MIN_NETCAGE:
        return Check("FAIL", "netcage", f"{path} is version {number}, older than "
                     f"{release(MIN_NETCAGE)}, the oldest anon-pi works with", NETCAGE_INSTALL)
    return Check("ok", "netcage", f"{path}, version {number} (direct hole {flag})")


def podman_check(path: str | None) -> Check:
    if not path:
        return Check("FAIL", "podman", "not found on PATH",
                     "install podman (netcage runs every jail with it)")
    return Check("ok", "podman", path)


def proxy_check(value: str | None) -> Check:
    try:
        check_proxy(value)
    except AnonPiError as exc:
        return Check("FAIL", "proxy", exc.message, exc.hint or INIT_FIX)
    return Check("ok", "proxy", value)


def greeting_check(proxy: str, reply: bytes | None, error: str | None) -> Check:
    """`reply` is what the proxy sent back to `05 01 00`; `error` a connect failure."""
    if error is not None:
        return Check("FAIL", "proxy greeting", f"cannot connect to {proxy}: {error}",
                     "start the proxy (e.g. Tor, `ssh -D`, wireproxy) or fix its address")
    ok, reason = judge_reply(reply or b"")
    if not ok:
        return Check("FAIL", "proxy greeting", f"{proxy} answered the SOCKS5 greeting "
                     f"badly: {reason}", "point the proxy setting at a SOCKS5 server "
                     "that needs no authentication")
    return Check("ok", "proxy greeting", f"SOCKS5 answered ({reason})")


def llm_check(value: str | None, flag: str, proxy: str | None) -> tuple[Check, str | None]:
    """The verdict and, when allowed, the normalised `IP:port` the host-side probe dials."""
    try:
        llm = normalise_llm(value, loopback_ok=flag == "--allow", proxy=proxy)
    except AnonPiError as exc:
        return Check("FAIL", "llm", exc.message, exc.hint or INIT_FIX), None
    return Check("ok", "llm", f"{llm} (the one direct hole)"), llm


def reach_check(llm: str, error: str | None) -> Check:
    if error is not None:
        return Check("FAIL", "llm reachable", f"no TCP connection to {llm}: {error}",
                     "start the model server, or fix ANON_PI_LLM / `llm` in config.json")
    return Check("ok", "llm reachable", f"{llm} accepts TCP connections")


def image_check(machine: str, ref: str | None, found: tuple[bool | None, str] | None,
                default: bool = True) -> Check:
    """`found` is what netcage's store answered for `ref` (edges/image_store.lookup: held,
    or None and why it could not be asked). The default machine's image decides whether a
    plain launch works (FAIL); another machine's only warns (it fails when that machine is
    launched)."""
    name = f"image ({machine})"
    bad = "FAIL" if default else "warn"
    if not ref:
        return Check(bad, name, "no image pinned",
                     f"`anon-pi machine set-image {machine} <ref>`"
                     + (f" or {INIT_FIX}" if default else ""))
    try:
        check_image_ref(ref)
    except AnonPiError as exc:  # a launch refuses it in the same words
        return Check(bad, name, exc.message, exc.hint)
    held, why = found or (None, "not asked")
    if held is None:
        return Check(bad, name, f"{ref}: cannot ask netcage's image store: {why}",
                     "check that netcage and podman work (`netcage images`)")
    if not held:
        return Check(bad, name, f"{ref} is not in netcage's image store",
                     "build or load it (`anon-pi init` builds the basic one), or pin another: "
                     f"`anon-pi machine set-image {machine} <ref>`")
    return Check("ok", name, f"{ref} is in netcage's image store")


def workspace_check(root: str, write_error: str | None, bad_files: list[str]) -> Check:
    if write_error is not None:
        return Check("FAIL", "workspace", f"{root} is not writable: {write_error}",
                     "fix its permissions or set ANON_PI_HOME to a writable folder")
    if bad_files:
        return Check("FAIL", "workspace", "not valid JSON: " + ", ".join(bad_files),
                     "fix or remove those files (`anon-pi init` rewrites config.json)")
    return Check("ok", "workspace", f"{root} is writable; its JSON files read fine")


def mount_check(problem: tuple[str, str] | None) -> Check:
    """A projects root or machine home that exposes the workspace fails: a jail that can write
    config.json could aim the next launch's direct hole anywhere."""
    if problem is None:
        return Check("ok", "mounts", "the projects root and machine home keep the workspace "
                     "out of the jail")
    return Check("FAIL", "mounts", problem[0], problem[1])
