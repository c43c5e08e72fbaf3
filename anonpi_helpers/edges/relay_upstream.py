"""The egress relay's one way out: a SOCKS5 tunnel through the user's upstream proxy.

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
            upstream.host, upstream.port, 0, socket.SOCK_STREAM):
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
