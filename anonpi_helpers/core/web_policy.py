"""What the jail may reach on the web, and the relay's decision for each request. Pure.

`"web"` in machine.json (else config.json; `--web` for one launch) is one of:
- `"proxy"` (the default): everything the jail asks goes through the user's proxy;
- `"none"`: nothing does; no proxy is needed at all (pi talks only to the model);
- a list of names (`["github.com", "*.pypi.org"]`): lookups of other names are answered as
  refused by the relay itself, and connections go only to listed names and to the addresses
  the relay saw answered for them in this session.
"""

import ipaddress
import re
from collections import namedtuple

from .errors import AnonPiError
from .isolation import masked_proxy
from .shown import shown

PROXY, NONE = "proxy", "none"
RELAY_PLACEHOLDER = "socks5h://127.0.0.1:<relay-port>"  # a dry run's netcage --proxy
DNS_PORT = 53
MAX_NAMES = 256
_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
HINT = ('e.g. "web": "proxy", "web": "none" or "web": ["github.com", "*.pypi.org"]; '
        "for one launch --web none or --web github.com,*.pypi.org")


class Web(namedtuple("Web", ["mode", "names"], defaults=((),))):
    """mode "proxy" | "none" | "list"; names: the allow-list's entries, lower-case."""

    __slots__ = ()

    def describe(self) -> str:
        if self.mode == NONE:
            return "no web"
        if self.mode == PROXY:
            return "web through the proxy"
        return "web only to " + ", ".join(self.names)

    @property
    def needs_upstream(self) -> bool:
        return self.mode != NONE


DEFAULT = Web(PROXY)


def _entry(raw, source: str) -> str:
    if not isinstance(raw, str):
        raise AnonPiError(f"{source} holds {shown(repr(raw))}; each entry must be a name.", HINT)
    name = raw.strip().lower().rstrip(".")
    bare = name.removeprefix("*.")
    labels = bare.split(".")
    if (not bare or len(bare) > 253 or not all(_LABEL.fullmatch(part) for part in labels)
            or _is_ip(bare)):
        raise AnonPiError(f"{source} holds {shown(repr(raw))}, which is not a host name "
                          "(or *.name).", HINT)
    return name


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_web(value, source: str) -> Web:
    """A `web` value as config.json, machine.json or --web gives it (--web's comma list is
    split by the caller); anything else is refused, naming `source`."""
    if isinstance(value, str) and value.strip().lower() in (PROXY, NONE):
        return Web(value.strip().lower())
    if isinstance(value, list | tuple):
        if not value:
            raise AnonPiError(f"{source} is an empty list; say \"none\" for no web.", HINT)
        if len(value) > MAX_NAMES:
            raise AnonPiError(f"{source} lists {len(value)} names; at most {MAX_NAMES}.", HINT)
        names = tuple(dict.fromkeys(_entry(item, source) for item in value))
        return Web("list", names)
    raise AnonPiError(f"{source} is {shown(repr(value))}; it must be \"proxy\", \"none\" or "
                      "a list of names.", HINT)


def web_flag(text: str) -> Web:
    """`--web proxy|none|name,name,…`."""
    lowered = text.strip().lower()
    if lowered in (PROXY, NONE):
        return Web(lowered)
    return parse_web([part for part in text.split(",") if part.strip()] or [text], "--web")


def resolve_web(flag: str | None, machine_cfg: dict | None, config: dict | None) -> Web:
    """--web > machine.json `web` > config.json `web` > proxy."""
    if flag is not None:
        return web_flag(flag)
    for cfg, source in ((machine_cfg, "machine.json `web`"), (config, "config.json `web`")):
        if isinstance(cfg, dict) and cfg.get("web") is not None:
            return parse_web(cfg["web"], source)
    return DEFAULT


def name_allowed(web: Web, name: str) -> bool:
    """A listed name, or a name under a listed `*.domain` (the domain itself is not)."""
    if web.mode == PROXY:
        return True
    if web.mode == NONE:
        return False
    name = name.lower().rstrip(".")
    for entry in web.names:
        if entry.startswith("*."):
            if name.endswith(entry[1:]) and len(name) > len(entry) - 1:
                return True
        elif name == entry:
            return True
    return False


class Verdict(namedtuple("Verdict", ["allowed", "reason", "dns"])):
    """allowed: carried on; reason: why not (None when allowed); dns: the stream is a DNS
    conversation the relay reads (and, unless everything goes, answers itself)."""

    __slots__ = ()


def decide(web: Web, host: str, is_ip: bool, port: int, seen: frozenset | set) -> Verdict:
    """The relay's answer to a CONNECT for `host`:`port`. `seen`: the addresses answered for
    allowed names in this session."""
    if port == DNS_PORT and is_ip:
        return Verdict(True, None, True)  # read query by query (dns_verdict)
    if web.mode == PROXY:
        return Verdict(True, None, False)
    if web.mode == NONE:
        return Verdict(False, "no web (web: none)", False)
    if is_ip:
        if host in seen:
            return Verdict(True, None, False)
        return Verdict(False, "an address no allowed name was answered with", False)
    if name_allowed(web, host):
        return Verdict(True, None, False)
    return Verdict(False, "not on the allow-list", False)


def dns_verdict(web: Web, asked: list[tuple[str, str]] | None) -> str | None:
    """Why a DNS query is answered REFUSED by the relay (None: it goes to the resolver)."""
    if web.mode == NONE:
        return "no web (web: none)"
    if asked is None:
        return "not a DNS query the relay can read" if web.mode != PROXY else None
    if web.mode == PROXY:
        return None
    if not asked:
        return "a query that asks no name"
    off = [name for name, _ in asked if not name_allowed(web, name)]
    return "not on the allow-list" if off else None


def dry_run_note(web: Web, proxy: str | None) -> str:
    """The stderr line a dry run gives: where the jail's web traffic would go."""
    relay = "netcage's proxy is anon-pi's relay on 127.0.0.1 (its port is picked at launch)"
    if not web.needs_upstream:
        return f"anon-pi: no web: {relay}, which refuses everything; no proxy is used\n"
    what = "the jail's web" if web.mode == PROXY else shown(web.describe())
    return f"anon-pi: {relay}; it carries {what} through {shown(masked_proxy(proxy or ''))}\n"
