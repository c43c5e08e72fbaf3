"""What the jail will see of the host (mount paths that show the login name) and which proxy
netcage gets (per-machine isolation, password masked),
as doctor rows. Pure: the caller resolves each mount source as the kernel will."""

from dataclasses import dataclass

from ..core.host_identity import names_user
from ..core.isolation import isolated_proxy, isolation_off, masked_proxy
from ..core.jail_identity import DEFAULT_IDENTITY, GitIdentity, JailLooks
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


def here_row(folder: str, target: str, login: str | None, home: str | None) -> Check:
    """The folder a launch works on alone (`anon-pi --here`), mounted at `target`."""
    name = f"jail sees {target}"
    if not names_user(folder, login, home):
        return Check("ok", name, f"{folder} (only this folder, with --here)")
    return Check("warn", name, f"{folder} shows your login name or home path "
                 "(/proc/self/mountinfo)",
                 f"work on a clone or copy under a neutral folder, e.g. {NEUTRAL}/work/"
                 f"{target.rsplit('/', 1)[-1]} (made once with `sudo install -d -o "
                 f"{login or '<you>'} -m 700 {NEUTRAL}`)")


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


def _yours(identity: GitIdentity, host: GitIdentity | None, login: str | None) -> str | None:
    """Why `identity` is the user's: their host git identity, or their login name in it."""
    if host and ((host.name and host.name == identity.name)
                 or (host.email and host.email.lower() == identity.email.lower())):
        return "your own git identity (the host's git config)"
    if login and login.lower() in str(identity).lower():
        return "it shows your login name"
    return None


def identity_row(looks: JailLooks, home: str, found: GitIdentity | None, decided: bool,
                 host: GitIdentity | None, login: str | None) -> Check:
    """Who the agent's commits name: the home's own git config when it says, else the
    identity the next launch writes there."""
    where = f"{home}/.gitconfig"
    if not decided:
        source = "machine.json" if "gitIdentity" in looks.chosen else "anon-pi's default"
        why = _yours(looks.identity, host, login)
        if why:
            return Check("warn", "jail sees git identity",
                         f"{looks.identity} from machine.json: {why}",
                         f'set another `gitIdentity` in machine.json, e.g. "{DEFAULT_IDENTITY}"')
        return Check("ok", "jail sees git identity",
                     f"{looks.identity} ({source}; written into {where} at the next launch)")
    if found is None:
        return Check("ok", "jail sees git identity",
                     f"what the machine home's own git config includes or links to ({where})")
    why = _yours(found, host, login)
    if why:
        return Check("warn", "jail sees git identity", f"{found}: {why} ({where})",
                     f"edit {where}, e.g. `git config --file {where} user.name anon` and "
                     f"`git config --file {where} user.email anon@localhost`")
    return Check("ok", "jail sees git identity", f"{found} ({where})")


def env_rows(looks: JailLooks) -> list[Check]:
    """The timezone and locale the jail runs with (the `-e` of every launch)."""
    def source(key: str) -> str:
        return "machine.json" if key in looks.chosen else (
            f"anon-pi's default; `{key}` in machine.json changes it")
    return [Check("ok", "jail sees TZ", f"{looks.tz} ({source('timezone')})"),
            Check("ok", "jail sees locale", f"LANG={looks.locale} ({source('locale')})")]
