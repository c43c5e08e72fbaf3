"""What the set-up bridge reads from an HTTP proxy client, and what it answers. Pure.

An image build's RUN steps (apt, npm, git, pip, busybox wget) and podman's own pulls all
speak HTTP proxy (`HTTP_PROXY`/`HTTPS_PROXY`), none of them socks5h reliably. So the bridge
takes the two shapes they send — `CONNECT host:port` (HTTPS, git, npm) and a plain request
with an absolute `http://` URL (apt's Debian mirrors, wget) — and turns each into one SOCKS5
CONNECT through the user's proxy. The target's NAME is what the proxy gets (address type 3):
nothing here, nor in the bridge, ever resolves a name on this host, so the host's resolver
and network see no name the build asked for.

Everything the client sends is foreign: a malformed or unexpected head is refused with a
short status, never guessed at.
"""

import ipaddress
import re
from collections import namedtuple

from .numbers import ascii_int
from .socks5 import ATYP_IPV4, ATYP_IPV6, ATYP_NAME, address_bytes

MAX_HEAD = 16384  # request line + headers; real clients send well under 2 KiB
HEAD_END = b"\r\n\r\n"
# Methods a plain (non-CONNECT) request may use; anything else is refused as unknown.
PLAIN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
# Hop-by-hop headers (RFC 9110 7.6.1) and the proxy's own: never passed to the origin.
HOP_BY_HOP = frozenset({"connection", "proxy-connection", "keep-alive", "proxy-authorization",
                        "proxy-authenticate", "te", "trailer", "upgrade", "transfer-encoding"})
_NAME = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})"
                   r"(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_PATH = re.compile(r"[\x21-\x7e]*")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a tab is allowed in a header value

STATUS_TEXT = {400: "Bad Request", 405: "Method Not Allowed", 411: "Length Required",
               431: "Request Header Fields Too Large", 501: "Not Implemented",
               502: "Bad Gateway", 504: "Gateway Timeout"}


class Target(namedtuple("Target", ["host", "port", "atyp", "raw"])):
    """Where a request asks to go: `host` as the client wrote it (brackets dropped), the SOCKS5
    address type and bytes the proxy gets (a name stays a name)."""

    __slots__ = ()

    @property
    def label(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def address(self) -> bytes:
        return address_bytes(self.atyp, self.raw)


class Request(namedtuple("Request", ["tunnel", "target", "head", "body_length"])):
    """A request the bridge will carry. `tunnel`: CONNECT (after the proxy's reply the bytes
    flow both ways untouched); otherwise `head` is what the origin gets (origin-form target,
    hop-by-hop headers gone, `Connection: close`) and `body_length` the bytes that follow it."""

    __slots__ = ()


class Refusal(namedtuple("Refusal", ["status", "why"])):
    """A request the bridge will not carry: the status it answers and a short reason."""

    __slots__ = ()


def target_of(host: str, port_text: str, default_port: int | None = None) -> Target | None:
    """A host (name, IPv4, or bracketed IPv6) and port the proxy can be asked for; None when
    either is malformed. An IP literal goes as an address; anything else as a name."""
    port = ascii_int(port_text, max_digits=5) if port_text else default_port
    if port is None or not 0 < port < 65536:
        return None
    if host.startswith("[") and host.endswith("]"):
        try:
            return Target(host[1:-1], port, ATYP_IPV6, ipaddress.IPv6Address(host[1:-1]).packed)
        except ValueError:
            return None
    try:
        return Target(host, port, ATYP_IPV4, ipaddress.IPv4Address(host).packed)
    except ValueError:
        pass
    if not _NAME.fullmatch(host) or host.replace(".", "").isdigit():
        return None  # a dotted number that is no valid IPv4 is no name either
    return Target(host, port, ATYP_NAME, host.encode("ascii"))


def _authority(text: str, default_port: int | None) -> Target | None:
    """`host[:port]` / `[v6][:port]` as a request line or Host header writes it."""
    if text.startswith("["):
        host, close, rest = text.partition("]")
        if not close or (rest and not rest.startswith(":")):
            return None
        return target_of(host + "]", rest[1:], default_port)
    host, colon, port = text.rpartition(":")
    if not colon:
        host, port = text, ""
    elif not port:
        return None
    return target_of(host, port, default_port)


def _headers(lines: list[str]) -> list[tuple[str, str]] | None:
    out = []
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):
            return None  # also refuses obsolete line folding (a line starting with a space)
        out.append((name, value.strip()))
    return out


def _plain(method: str, url: str, headers: list[tuple[str, str]]) -> Request | Refusal:
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() != "http":
        return Refusal(400 if not sep else 501, "only CONNECT and absolute http:// URLs are "
                       "carried (https goes as CONNECT)")
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        return Refusal(400, "credentials in the URL")
    target = _authority(authority, 80)
    if target is None:
        return Refusal(400, "the URL's host or port is not valid")
    path = "/" + path if slash else "/"
    if not _PATH.fullmatch(path):
        return Refusal(400, "the URL's path has spaces or control characters")
    named = {n.lower() for n, _ in headers}
    if "transfer-encoding" in named:
        return Refusal(501, "chunked request bodies are not carried")
    lengths = {v for n, v in headers if n.lower() == "content-length"}
    length = ascii_int(lengths.pop(), max_digits=12) if len(lengths) == 1 else (
        0 if not lengths else None)
    if length is None:
        return Refusal(400 if lengths else 411, "the request's Content-Length is not one number")
    dropped = HOP_BY_HOP | {t.strip().lower() for n, v in headers if n.lower() == "connection"
                            for t in v.split(",")}
    kept = [(n, v) for n, v in headers if n.lower() not in dropped]
    if "host" not in named:
        kept.insert(0, ("Host", target.label if target.port != 80 else target.host))
    head = "".join(f"{n}: {v}\r\n" for n, v in [*kept, ("Connection", "close")])
    return Request(False, target, f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode("latin-1"),
                   length)


def parse_head(head: bytes) -> Request | Refusal:
    """One client request head (up to and including the blank line)."""
    try:
        text = head.decode("ascii")
    except UnicodeDecodeError:
        return Refusal(400, "the request head is not ASCII")
    if not text.endswith("\r\n\r\n"):
        return Refusal(400, "the request head is malformed")
    first, *rest = text[:-len(HEAD_END)].split("\r\n")
    if any(_CONTROL.search(line) for line in (first, *rest)):
        return Refusal(400, "the request head has control characters")
    parts = first.split(" ")
    if len(parts) != 3 or parts[2] not in ("HTTP/1.1", "HTTP/1.0"):
        return Refusal(400, "the request line is malformed")
    method, url, _ = parts
    headers = _headers(rest)
    if headers is None:
        return Refusal(400, "a header line is malformed")
    if method == "CONNECT":
        target = _authority(url, None) if "/" not in url and "@" not in url else None
        if target is None:
            return Refusal(400, "CONNECT needs host:port")
        return Request(True, target, b"", 0)
    if method not in PLAIN_METHODS:
        return Refusal(405, f"method {method} is not carried")
    return _plain(method, url, headers)


def status(code: int, why: str = "") -> bytes:
    """A complete response with a one-line text body; the connection ends after it."""
    body = (why + "\n").encode("ascii", "backslashreplace") if why else b""
    return (f"HTTP/1.1 {code} {STATUS_TEXT.get(code, 'Error')}\r\nContent-Type: text/plain\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode("ascii") + body


ESTABLISHED = b"HTTP/1.1 200 Connection established\r\n\r\n"
