"""What the jail will see of the host (mount paths that show the login name) and which proxy
netcage gets (per-machine isolation, password masked),
as doctor rows. Pure: the caller resolves each mount source as the kernel will."""

from dataclasses import dataclass

from ..core.host_identity import names_user
from ..core.isolation import isolated_proxy, isolation_off, masked_proxy
from .checks import Check

NEUTRAL = "/srv/anon-pi"


@dataclass(frozen=True)
class Mount:
    """One bind mount of a launch: where it lands in the jail, its source as the kernel sees it."""

    target: str
    source: str
    in_workspace: bool


def neutral_fix(login: str | None) -> str:
    return (f"run `anon-pi init` and accept the neutral layout: once `sudo install -d -o "
            f"{login or '<you>'} -m 700 {NEUTRAL}`, then init moves the workspace there "
            "and leaves ~/.anon-pi as a link")


def mount_rows(mounts: list[Mount], login: str | None, home: str | None) -> list[Check]:
    rows = []
    for m in mounts:
        if not names_user(m.source, login, home):
            rows.append(Check("ok", f"jail sees {m.target}", m.source))
            continue
        fix = neutral_fix(login) if m.in_workspace else (
            f"point `projects` in config.json (or ANON_PI_PROJECTS) at a folder outside your "
            f"home whose path does not show your login name, e.g. {NEUTRAL}/projects")
        rows.append(Check("warn", f"jail sees {m.target}",
                          f"{m.source} shows your login name or home path "
                          "(/proc/self/mountinfo)", fix))
    return rows


def temp_row(current: str, replacement: str | None) -> Check:
    """netcage writes its mounted passwd/group/hosts/resolv.conf files under its TMPDIR."""
    if replacement is None:
        return Check("ok", "netcage temp", f"{current} (its mounted /etc files live here)")
    return Check("ok", "netcage temp", f"{current} shows your login name or home path; "
                 f"launches give netcage TMPDIR={replacement} (mode 700) instead")


def proxy_row(proxy: str, level: str, machine: str) -> Check:
    """The proxy URL a launch of `machine` hands netcage, password masked."""
    shown = masked_proxy(isolated_proxy(proxy, level, machine, None))
    off = isolation_off(proxy, level)
    if off:
        return Check("warn", "proxy (effective)", f"{shown} ({off})",
                     "use a proxy on this host (e.g. Tor at socks5h://127.0.0.1:9050), or set "
                     '"isolation": "none" in config.json to silence this')
    if level == "none":
        note = "isolation none: every machine shares the proxy's circuits"
    elif shown == masked_proxy(proxy):
        note = f"isolation {level}: your URL has its own credentials, kept as is"
    elif level == "project":
        note = "isolation project: each project adds -<project> to the username"
    else:
        note = "isolation machine: this machine gets its own Tor circuits"
    return Check("ok", "proxy (effective)", f"{shown} ({note})")
