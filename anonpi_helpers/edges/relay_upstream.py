"""The egress relay's sockets: the SOCKS5 request the jail's side sends in, the relay's one way
out, a SOCKS5 tunnel through the user's upstream proxy, and its one way in, the loopback
listener netcage dials (the copy both ways is edges/tracked_server.py's, shared with the
set-up bridge).

`dial_upstream` is the only place the relay opens a connection, and it takes nothing but the
upstream's own address: whatever the jail asks for travels as the CONNECT request's target,
for the proxy to reach. The isolation username (or the user's own credentials) is sent here,
in the SOCKS5 handshake, so it never appears in netcage's or podman's argv.
"""

import socket

from ..core import socks5

DIAL_TIMEOUT = 10.0


class ProtocolError(Exception):
    """A peer that does not speak SOCKS5 (or DNS) as expected, or closed mid-message."""


def recv_exact(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ProtocolError("closed mid-message")
        data += chunk
    return data


def _close(sock, forget) -> None:
    if forget is not None:
        forget(sock)
    sock.close()


def loopback_listener() -> socket.socket:
    """The relay's listening socket on 127.0.0.1 (a port the kernel picks; the set-up bridge
    listens on one too). A connection made to it waits in its backlog until the relay
    accepts: a launch makes it before netcage starts and the relay's threads once netcage
    runs."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def _host(name: str) -> str | bytes:
    """A host name as getaddrinfo takes it: an ASCII name as its bytes, which the resolver
    gets as they are; a str makes Python load the IDNA codec first (1-2 ms of every launch's
    check of its proxy, before netcage can start). A non-ASCII name still goes through IDNA.
    A malformed ASCII name (an empty or over-long label) fails as an OSError the launch
    reports, where the codec raised a UnicodeError."""
    return name.encode("ascii") if name.isascii() else name


def dial_upstream(upstream: socks5.Upstream, timeout: float = DIAL_TIMEOUT, held=None):
    """A TCP connection to the upstream proxy: the relay never connects anywhere else (the
    launch's own start-up check that the proxy answers uses this too).

    `held` (the relay) is told of each socket before it connects (`held.track(sock)`, False:
    the relay is stopping) and of each it gives up (`held.forget(sock)`), so a relay that
    stops cuts a connection still being made too, and its thread ends with it instead of
    waiting out the timeout."""
    error = None
    forget = held.forget if held is not None else None
    for family, kind, proto, _, address in socket.getaddrinfo(
            _host(upstream.host), upstream.port, 0, socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        if held is not None and not held.track(sock):
            raise OSError("the relay is stopping")
        try:
            sock.settimeout(timeout)
            sock.connect(address)
            return sock
        except OSError as exc:
            _close(sock, forget)
            error = exc
    raise error or OSError(f"no address for {upstream.host}")


def _skip_bound_address(sock, atyp: int) -> None:
    if atyp == socks5.ATYP_NAME:
        recv_exact(sock, recv_exact(sock, 1)[0] + 2)
    elif atyp in socks5.ADDRESS_LENGTH:
        recv_exact(sock, socks5.ADDRESS_LENGTH[atyp] + 2)
    else:
        raise ProtocolError("unknown address type in the proxy's reply")


def open_tunnel(upstream: socks5.Upstream, address: bytes, port: int, held=None) -> tuple:
    """(tunnel, SOCKS reply code, why) for a CONNECT to `address` (type byte and address
    bytes as the jail sent them) and `port`. The tunnel is None unless the code is OK.
    `held`: as for dial_upstream; a tunnel it returns is still held."""
    sock = dial_upstream(upstream, held=held)
    forget = held.forget if held is not None else None
    try:
        sock.sendall(socks5.greeting(upstream))
        version, method = recv_exact(sock, 2)
        if version != socks5.VERSION:
            raise ProtocolError("the proxy does not speak SOCKS5")
        if method == socks5.USER_PASS:
            sock.sendall(socks5.auth_request(upstream))
            if recv_exact(sock, 2)[1] != 0:
                _close(sock, forget)
                return None, socks5.NOT_ALLOWED, "the proxy refused the username/password"
        elif method != socks5.NO_AUTH:
            raise ProtocolError("the proxy accepts none of the offered methods")
        sock.sendall(socks5.connect_request(address, port))
        head = recv_exact(sock, 4)
        _skip_bound_address(sock, head[3])
        if head[1] != socks5.OK:
            _close(sock, forget)
            return None, head[1], f"the proxy said: {socks5.reply_text(head[1])}"
        sock.settimeout(None)
        return sock, socks5.OK, None
    except BaseException:
        _close(sock, forget)
        raise


def read_request(client: socket.socket) -> tuple[int, int, bytes, int] | None:
    """The SOCKS5 greeting (and username/password, whose values are not used: netcage is the
    only client), then the request: (command, address type, address bytes, port). None when
    the client offered no method the relay takes (it has been told)."""
    version, count = recv_exact(client, 2)
    if version != socks5.VERSION:
        raise ProtocolError("not SOCKS5")
    method = socks5.pick_method(recv_exact(client, count))
    client.sendall(bytes([socks5.VERSION, method]))
    if method == socks5.NO_METHOD:
        return None
    if method == socks5.USER_PASS:
        recv_exact(client, 1)
        recv_exact(client, recv_exact(client, 1)[0])
        recv_exact(client, recv_exact(client, 1)[0])
        client.sendall(b"\x01\x00")
    version, command, _, atyp = recv_exact(client, 4)
    if version != socks5.VERSION:
        raise ProtocolError("not SOCKS5")
    if atyp == socks5.ATYP_NAME:
        raw = recv_exact(client, recv_exact(client, 1)[0])
    elif atyp in socks5.ADDRESS_LENGTH:
        raw = recv_exact(client, socks5.ADDRESS_LENGTH[atyp])
    else:
        client.sendall(socks5.reply(socks5.ADDRESS_UNSUPPORTED))
        return None
    port = int.from_bytes(recv_exact(client, 2), "big")
    return command, atyp, raw, port

