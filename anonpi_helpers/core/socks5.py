"""SOCKS5 on the wire (RFC 1928, and RFC 1929's username/password), both ways: the relay is a
server to netcage's jail and a client of the user's upstream proxy. Pure: the relay's socket
code reads and writes the bytes these helpers parse and build.
"""

import ipaddress
from collections import namedtuple

from .addresses import host_port_key, split_host_port

VERSION = 5
NO_AUTH, USER_PASS, NO_METHOD = 0x00, 0x02, 0xFF
CONNECT = 0x01
ATYP_IPV4, ATYP_NAME, ATYP_IPV6 = 0x01, 0x03, 0x04
ADDRESS_LENGTH = {ATYP_IPV4: 4, ATYP_IPV6: 16}
OK, FAILURE, NOT_ALLOWED, HOST_UNREACHABLE, CONNECTION_REFUSED = 0x00, 0x01, 0x02, 0x04, 0x05
COMMAND_UNSUPPORTED, ADDRESS_UNSUPPORTED = 0x07, 0x08
REPLY_TEXT = {
    0x00: "succeeded", 0x01: "general failure", 0x02: "not allowed by the proxy's rules",
    0x03: "network unreachable", 0x04: "host unreachable", 0x05: "connection refused",
    0x06: "TTL expired", 0x07: "command not supported", 0x08: "address type not supported",
}
COMMAND_TEXT = {0x02: "BIND", 0x03: "UDP ASSOCIATE"}


class Upstream(namedtuple("Upstream", ["host", "port", "username", "password"])):
    """The user's socks5h proxy as the relay dials it; the credentials (Tor's isolation
    username, or the user's own) are sent in the SOCKS5 handshake, never to netcage."""

    __slots__ = ()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def parse_upstream(url: str) -> Upstream:
    """`socks5h://[user[:password]@]host:port[/…]` (already checked by check_proxy)."""
    rest = url.partition("://")[2].split("/", 1)[0]
    userinfo, at, _ = rest.rpartition("@")
    host, port = split_host_port(host_port_key(url))
    if not at:
        return Upstream(host.strip("[]"), port, None, None)
    from urllib.parse import unquote  # only a URL with credentials needs it

    user, _, password = userinfo.partition(":")
    return Upstream(host.strip("[]"), port, unquote(user), unquote(password))


def pick_method(offered: bytes) -> int:
    """No authentication when the client offers it, else username/password (whose values the
    relay ignores: netcage is its only client), else none acceptable."""
    if NO_AUTH in offered:
        return NO_AUTH
    return USER_PASS if USER_PASS in offered else NO_METHOD


def target_text(atyp: int, raw: bytes) -> tuple[str, bool] | None:
    """(host, is_ip) of a request's address bytes; None for an unknown type or a name that
    is empty. A name's odd bytes are kept readable (backslash escapes), never decoded."""
    if atyp == ATYP_IPV4 and len(raw) == 4:
        return str(ipaddress.IPv4Address(raw)), True
    if atyp == ATYP_IPV6 and len(raw) == 16:
        return str(ipaddress.IPv6Address(raw)), True
    if atyp == ATYP_NAME and raw:
        return raw.decode("ascii", "backslashreplace"), False
    return None


def address_bytes(atyp: int, raw: bytes) -> bytes:
    """The address part of a request, as the upstream gets it (names keep their length)."""
    return bytes([atyp]) + (bytes([len(raw)]) if atyp == ATYP_NAME else b"") + raw


def target_label(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def reply(code: int) -> bytes:
    """A server reply; the bound address is never told (0.0.0.0:0)."""
    return bytes([VERSION, code, 0, ATYP_IPV4, 0, 0, 0, 0, 0, 0])


def greeting(upstream: Upstream) -> bytes:
    """With credentials only username/password is offered, so the proxy cannot pick
    no-authentication and lose the isolation username."""
    return bytes([VERSION, 1, USER_PASS if upstream.username is not None else NO_AUTH])


def auth_request(upstream: Upstream) -> bytes:
    user = (upstream.username or "").encode("utf-8")[:255]
    password = (upstream.password or "").encode("utf-8")[:255]
    return bytes([1, len(user)]) + user + bytes([len(password)]) + password


def connect_request(address: bytes, port: int) -> bytes:
    return bytes([VERSION, CONNECT, 0]) + address + port.to_bytes(2, "big")


def reply_text(code: int) -> str:
    return REPLY_TEXT.get(code, f"reply {code}")
