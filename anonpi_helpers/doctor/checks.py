"""`anon-pi doctor` verdicts (rulings 24, 27): facts in, one line (plus a fix) out. Pure."""

from dataclasses import dataclass

from ..core.addresses import check_proxy, normalise_llm
from ..core.colour import paint
from ..core.errors import AnonPiError
from ..core.image_store import StoreImage, holds
from ..core.netcage_version import hole_flag, parse_version
from ..core.socks_reply import judge_reply

MIN_NETCAGE = (0, 10, 0)
INIT_FIX = "run `anon-pi init`"


@dataclass(frozen=True)
class Check:
    """One doctor line: status, what was checked, the detail and how to fix it."""

    status: str  # "ok" | "FAIL" | "warn"
    name: str
    detail: str
    fix: str | None = None


def render(check: Check, colour: bool = False) -> str:
    """`ok   x: d`, `FAIL x: d` / `warn x: d` plus an indented `fix:` line; with `colour`
    the status word is green, red or yellow."""
    status = paint(check.status, check.status, colour) + " " * (4 - len(check.status))
    line = f"{status} {check.name}: {check.detail}\n"
    if check.fix and check.status != "ok":
        line += f"  fix: {check.fix}\n"
    return line


def as_json(checks: list[Check]) -> str:
    """One JSON document: `{"ok": <nothing FAILed>, "checks": [{"status", "name", "detail",
    "fix"}]}`; `fix` is null for an ok check."""
    import json

    return json.dumps({"ok": exit_code(checks) == 0,
                       "checks": [{"status": c.status, "name": c.name, "detail": c.detail,
                                   "fix": c.fix if c.status != "ok" else None}
                                  for c in checks]}, indent=2, ensure_ascii=False) + "\n"


def exit_code(checks: list[Check]) -> int:
    """Warnings inform; only a FAIL makes doctor exit non-zero."""
    return 1 if any(c.status == "FAIL" for c in checks) else 0


def netcage_check(path: str | None, version: str | None) -> Check:
    if not path:
        return Check("FAIL", "netcage", "not found on PATH",
                     "install netcage (Linux only) and put `netcage` on PATH")
    if version is None:
        return Check("FAIL", "netcage", f"{path} did not answer `netcage --version`",
                     "check that netcage and podman run: `netcage --version`")
    parsed = parse_version(version)
    flag = hole_flag(version)
    if parsed is None:
        return Check("ok", "netcage", f"{path}, version {version.strip() or '?'} "
                     f"(taken as the newest: direct hole {flag})")
    shown = ".".join(map(str, parsed))
    if parsed < MIN_NETCAGE:
        return Check("FAIL", "netcage", f"{path} is version {shown}, older than 0.10.0",
                     "upgrade netcage to 0.12.0 or newer")
    return Check("ok", "netcage", f"{path}, version {shown} (direct hole {flag})")


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


def image_check(machine: str, ref: str | None, images: list[StoreImage] | None,
                query_error: str | None) -> Check:
    """`images` is netcage's store as one query read it; `query_error` why it could not be."""
    name = f"image ({machine})"
    if not ref:
        return Check("FAIL", name, "no image pinned",
                     f"`anon-pi machine set-image {machine} <ref>` or {INIT_FIX}")
    if query_error is not None or images is None:
        return Check("FAIL", name, f"{ref}: cannot read netcage's image store: {query_error}",
                     "check that netcage and podman work (`netcage images`)")
    if not holds(images, ref):
        return Check("FAIL", name, f"{ref} is not in netcage's image store",
                     f"build or load it ({INIT_FIX} builds one), or pin another: "
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
    """A projects root or machine home that exposes the workspace fails (hardening issue)."""
    if problem is None:
        return Check("ok", "mounts", "the projects root and machine home keep the workspace "
                     "out of the jail")
    return Check("FAIL", "mounts", problem[0], problem[1])
