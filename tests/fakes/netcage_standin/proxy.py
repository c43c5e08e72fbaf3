"""The proxy URL and netcage's fail-closed preflight dial.

netcage accepts only `socks5h://` (the proxy resolves names; plain `socks5://` would leak every
hostname to the host's resolver), needs a host and a port, keeps userinfo, and reads the URL
as Go's net/url does: the scheme is case-insensitive and a trailing path is ignored.

Before a `run`, `start` or `verify` does anything, netcage makes one plain TCP connect to the
proxy and refuses to go on when it fails: it never falls back to the host's own network. The
stand-in dials for real, but only on loopback: tests must never send traffic anywhere else, so
a proxy on any other address counts as unreachable, as it is in the network namespace with only
`lo` the transcripts were recorded in.
"""
import errno
import ipaddress
import socket
import urllib.parse
from dataclasses import dataclass

from .gostr import quote

DIAL_TIMEOUT = 3.0  # netcage's preflight timeout (seconds)


@dataclass(frozen=True)
class Proxy:
    host: str  # without brackets
    port: str
    username: str = ""
    password: str = ""
    has_password: bool = False

    @property
    def address(self) -> str:
        """host:port as Go's net.JoinHostPort writes it (IPv6 in brackets)."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def on_host_loopback(self) -> bool:
        return self.host in ("127.0.0.1", "::1", "localhost")


class ProxyError(Exception):
    """A refused proxy URL; the message is netcage's reason."""


def parse_proxy(raw: str) -> Proxy:
    if not raw.strip():
        raise ProxyError("empty --proxy: a socks5h:// URL is required")
    scheme, rest = _split_scheme(raw)
    if scheme is None:
        raise ProxyError(f"invalid --proxy URL {quote(raw)}: {rest}")
    scheme = scheme.lower()
    if scheme == "socks5":
        raise ProxyError("--proxy uses socks5:// (local DNS) which LEAKS hostnames to the host "
                         "resolver; use socks5h:// (remote, proxy-side resolution)")
    if scheme != "socks5h":
        raise ProxyError(f"--proxy scheme {quote(scheme)} unsupported; netcage requires socks5h://")
    if not rest.startswith("//"):
        raise ProxyError(f"--proxy {quote(raw)} must include host and port (socks5h://host:port)")
    authority = rest[2:].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    userinfo, _, hostport = authority.rpartition("@")
    host, port = _split_host_port(raw, hostport)
    if not host or not port:
        raise ProxyError(f"--proxy {quote(raw)} must include host and port (socks5h://host:port)")
    user, has_password, password = userinfo.partition(":")
    return Proxy(host, port, urllib.parse.unquote(user), urllib.parse.unquote(password),
                 bool(has_password))


def _split_scheme(raw: str) -> tuple[str | None, str]:
    """Go's url.Parse: a scheme is a letter then letters, digits, + - . up to the first colon;
    without one, a colon in the first path segment is an error."""
    for i, ch in enumerate(raw):
        if ch.isascii() and ch.isalpha():
            continue
        if i and ch.isascii() and (ch.isdigit() or ch in "+-."):
            continue
        if ch == ":" and i:
            return raw[:i], raw[i + 1:]
        break
    first_segment = raw.split("/", 1)[0]
    if raw.startswith(":"):
        return None, f'parse {quote(raw)}: missing protocol scheme'
    if ":" in first_segment:
        return None, f'parse {quote(raw)}: first path segment in URL cannot contain colon'
    return "", raw


def _split_host_port(raw: str, hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            raise ProxyError(f"invalid --proxy URL {quote(raw)}: parse {quote(raw)}: "
                             "missing ']' in host")
        host, after = hostport[1:end], hostport[end + 1:]
        port = after[1:] if after.startswith(":") else ""
    else:
        host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    if port and not port.isdigit():
        raise ProxyError(f"invalid --proxy URL {quote(raw)}: parse {quote(raw)}: "
                         f"invalid port {quote(':' + port)} after host")
    return host, port


def sidecar_url(proxy: Proxy) -> str:
    """The upstream the tun2socks sidecar is given: socks5:// (tun2socks's spelling) to the
    proxy, the host's loopback seen from the jail as 169.254.1.1, userinfo re-escaped as Go's
    url.URL writes it."""
    host = "169.254.1.1" if proxy.on_host_loopback else proxy.host
    netloc = f"[{host}]:{proxy.port}" if ":" in host else f"{host}:{proxy.port}"
    if proxy.username:
        user = _escape_userinfo(proxy.username)
        if proxy.password:
            user += ":" + _escape_userinfo(proxy.password)
        netloc = f"{user}@{netloc}"
    return f"socks5://{netloc}"


def _escape_userinfo(text: str) -> str:
    return urllib.parse.quote(text, safe="$&+,;=")


def dial_error(proxy: Proxy) -> str | None:
    """netcage's preflight: None when a TCP connect to the proxy succeeds, else Go's error text
    (`dial tcp 127.0.0.1:9050: connect: connection refused`)."""
    host = "127.0.0.1" if proxy.host == "localhost" else proxy.host
    port = int(proxy.port) if proxy.port.isdigit() else -1
    if not 0 <= port <= 65535:
        return f"dial tcp: address {proxy.port}: invalid port"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return f"dial tcp: lookup {host}: no such host"
    target = f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"
    if not ip.is_loopback:
        return f"dial tcp {target}: connect: network is unreachable"
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(DIAL_TIMEOUT)
            sock.connect((str(ip), port))
    except TimeoutError:
        return f"dial tcp {target}: i/o timeout"
    except OSError as exc:
        return f"dial tcp {target}: connect: {_go_errno_text(exc)}"
    return None


def _go_errno_text(exc: OSError) -> str:
    """Go spells errno texts in lower case ("connection refused")."""
    known = {errno.ECONNREFUSED: "connection refused", errno.ENETUNREACH: "network is unreachable",
             errno.EHOSTUNREACH: "no route to host", errno.EADDRNOTAVAIL:
             "cannot assign requested address"}
    return known.get(exc.errno, (exc.strerror or str(exc)).lower())
