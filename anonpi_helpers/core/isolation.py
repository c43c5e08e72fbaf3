"""Per-machine Tor stream isolation: a SOCKS username per machine (or project).

Tor gives each distinct SOCKS username/password its own circuits (`IsolateSOCKSAuth`, on
by default), so `socks5h://anonpi-<machine>:x@host:port` keeps two machines' traffic off
one exit. The username names the machine (and project): it goes only to a proxy on this
host's loopback. A proxy elsewhere is someone else's server (a SOCKS provider, a gateway):
it would read those names in clear text, and a stable per-machine name would tell it which
connections belong to which machine; there isolation is off, and init and doctor say why.
Pure: callers pass the environment and the config.
"""

import re
from collections.abc import Mapping
from urllib.parse import quote

from .addresses import on_loopback, proxy_port
from .config_model import str_field
from .errors import AnonPiError

LEVELS = ("machine", "project", "none")
TOR_PORTS = frozenset({9050, 9150})
PASSWORD = "x"  # Tor isolates on the pair; the password is not a secret
MAX_USERNAME = 64
_PLAIN = re.compile(r"[A-Za-z0-9._-]+")


def resolve_isolation(env: Mapping[str, str], config: dict | None) -> str:
    """`ANON_PI_ISOLATION` > config `isolation` > `none`; anything else is refused."""
    raw = (env.get("ANON_PI_ISOLATION") or "").strip()
    source = "ANON_PI_ISOLATION"
    if not raw:
        raw, source = str_field(config, "isolation") or "none", "config.json `isolation`"
    level = raw.lower()
    if level not in LEVELS:
        raise AnonPiError(f"{source} is {raw!r}; it must be machine, project or none.",
                          'e.g. "isolation": "machine" in config.json, or ANON_PI_ISOLATION=none')
    return level


def looks_like_tor(proxy: str | None, process_note: str | None = None) -> bool:
    """Tor's usual ports, or netcage detect-proxy naming a tor process."""
    if proxy and proxy_port(proxy) in TOR_PORTS:
        return True
    return bool(process_note) and re.search(r"\btor\b", process_note.lower()) is not None


def has_credentials(proxy: str) -> bool:
    rest = proxy.partition("://")[2]
    return "@" in rest.split("/", 1)[0]


def isolation_user(level: str, machine: str, project: str | None) -> str | None:
    """`anonpi-<machine>[-<project>]`; a long or non-ASCII one becomes a short hash."""
    if level == "none":
        return None
    name = f"anonpi-{machine}"
    if level == "project" and project not in (None, "", "."):
        name += f"-{project}"
    if len(name) > MAX_USERNAME or not _PLAIN.fullmatch(name):
        import hashlib  # rare, and OpenSSL's load is a few ms on every launch otherwise

        name = "anonpi-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:24]
    return name


def isolation_off(proxy: str, level: str) -> str | None:
    """Why isolation `level` is not applied to `proxy` (a proxy elsewhere), or None."""
    if level == "none" or has_credentials(proxy) or on_loopback(proxy):
        return None
    return (f"isolation {level} is off: the proxy is not on this host's loopback, and the "
            "SOCKS username that isolates would show its operator your machine and project "
            "names in clear text")


def isolated_proxy(proxy: str, level: str, machine: str, project: str | None) -> str:
    """The URL netcage gets: credentials added for a proxy on loopback, unless the user's URL
    carries its own."""
    user = isolation_user(level, machine, project)
    if user is None or has_credentials(proxy) or not on_loopback(proxy):
        return proxy
    scheme, _, rest = proxy.partition("://")
    return f"{scheme}://{quote(user, safe='')}:{PASSWORD}@{rest}"


def masked_proxy(proxy: str) -> str:
    """The password replaced by `***` (doctor, messages); the username stays readable."""
    scheme, sep, rest = proxy.partition("://")
    hostpart, slash, path = rest.partition("/")
    userinfo, at, hostport = hostpart.rpartition("@")
    if not at or ":" not in userinfo:
        return proxy
    user = userinfo.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{hostport}{slash}{path}"
