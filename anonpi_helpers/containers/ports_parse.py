"""Ports: what `netcage ports --json` reports, what may be forwarded, and the port grammar.

Pure. Port tokens are checked here before any netcage call, so a typo costs no call and
starts no forward that cannot work.
"""

import re
from collections import namedtuple

from ..core.errors import AnonPiError
from ..core.jsonfmt import loads_any
from ..core.numbers import ascii_int
from ..core.shown import shown, shown_json

DNS_PORT = 53
PORT_HINT = "use <jail> or <host>:<jail>, each 1-65535, e.g. 3001 or 8080:3001"
_CONFIRMED = re.compile(r"forwarding (http://(?:127\.0\.0\.1|0\.0\.0\.0):[0-9]{1,5}) -> \S+ "
                        r"\(Ctrl-C to stop\)")


class Listener(namedtuple("Listener", ["address", "port", "loopback_only"])):
    """One TCP listener inside a jail: address (str), port (int), loopback_only (bool)."""

    __slots__ = ()

    @property
    def is_netcage_dns(self) -> bool:
        """netcage's own DNS forwarder: shown by `ports`, never offered for forwarding."""
        return self.port == DNS_PORT and self.loopback_only


def parse_listeners(text: str) -> list[Listener] | None:
    """Well-formed listeners in netcage's order; None when the output is not a JSON list."""
    entries = loads_any(text)
    if not isinstance(entries, list):
        return None
    found = []
    for e in entries:
        if not isinstance(e, dict):
            continue
        address, port, loopback = e.get("address"), e.get("port"), e.get("loopbackOnly")
        if (isinstance(address, str) and isinstance(port, int) and not isinstance(port, bool)
                and 0 < port <= 65535 and isinstance(loopback, bool)):
            found.append(Listener(address, port, loopback))
    return found


def forwardable(listeners: list[Listener]) -> list[int]:
    """Ports worth offering: no netcage DNS, one entry per port (v4 and v6 alike), ascending."""
    return sorted({li.port for li in listeners if not li.is_netcage_dns})


def _loopback_only_ports(listeners: list[Listener]) -> set[int]:
    ports = {li.port for li in listeners if not li.is_netcage_dns}
    return {p for p in ports if all(li.loopback_only for li in listeners if li.port == p)}


def open_hint(listeners: list[Listener] | None) -> str:
    """`open: 3001, 5173 (loopback only)`: a server listening on the jail's loopback only may
    not be reachable through a forward, so the hint says which."""
    if listeners is None:
        return "open: (unknown; netcage ports failed)"
    ports = forwardable(listeners)
    if not ports:
        return "open: (none detected)"
    loopback = _loopback_only_ports(listeners)
    return "open: " + ", ".join(f"{p} (loopback only)" if p in loopback else str(p)
                                for p in ports)


def loopback_only(listeners: list[Listener] | None, port: int) -> bool:
    """A server that only listens on the jail's loopback (a forward may not reach it)."""
    return port in _loopback_only_ports(listeners or [])


def confirmed_url(line: str) -> str | None:
    """The URL in netcage's own confirmation, `forwarding http://<bind>:<port> -> <container>:
    <port> (Ctrl-C to stop)` (printed once it listens); None for any other line."""
    found = _CONFIRMED.fullmatch(line.rstrip("\r\n"))
    return found.group(1) if found else None


def listeners_json(machine: str, project: str, container: str,
                   listeners: list[Listener]) -> str:
    """`anon-pi ports --json`: one document, `{"machine", "project" ("." the root, "" a
    shell), "container", "listeners": [{"address", "port", "loopback_only", "netcage_dns"}]}`."""
    from ..core.jsonfmt import document

    return shown_json(document({"machine": machine, "project": project, "container": container,
                                  "listeners": [
        {"address": li.address, "port": li.port, "loopback_only": li.loopback_only,
         "netcage_dns": li.is_netcage_dns} for li in listeners]}))


def listener_lines(name: str, listeners: list[Listener]) -> list[str]:
    """What `anon-pi ports` prints: every listener, netcage DNS labelled, an IPv6 address in
    brackets (`[::]:3001`, as a URL writes it)."""
    if not listeners:
        return [f"{name}: no in-jail TCP listeners detected (the server may not be up yet)"]
    lines = [f"{name}: in-jail TCP listeners"]
    for li in listeners:
        scope = "loopback" if li.loopback_only else "all-interfaces"
        tag = "  (netcage DNS)" if li.is_netcage_dns else ""
        host = f"[{shown(li.address)}]" if ":" in li.address else shown(li.address)
        lines.append(f"  {host}:{li.port}\t{scope}{tag}")
    return lines


def _port(text: str) -> int | None:
    value = ascii_int(text.strip(), max_digits=10)  # leading zeros are still a port
    return value if value is not None and 0 < value <= 65535 else None


def _bad_port(what: str, text: str) -> AnonPiError:
    return AnonPiError(f'invalid {what} "{text}": a port is a number from 1 to 65535.',
                       PORT_HINT)


def port_number(text: str, what: str) -> int:
    """One port, 1-65535; leading zeros allowed and dropped (`08080` -> 8080)."""
    port = _port(text)
    if port is None:
        raise _bad_port(what, text)
    return port


def port_token(text: str, what: str = "--port") -> str:
    """`[host:]jail` as netcage wants it: `<jail>` when both sides agree, else `<host>:<jail>`."""
    parts = text.split(":")
    if len(parts) > 2:
        raise AnonPiError(f'invalid {what} "{text}": too many colons.', PORT_HINT)
    ports = [_port(p) for p in parts]
    if None in ports:
        raise _bad_port(what, text)
    return join_token(ports[0], ports[-1])


def join_token(host: int, jail: int) -> str:
    return str(jail) if host == jail else f"{host}:{jail}"
