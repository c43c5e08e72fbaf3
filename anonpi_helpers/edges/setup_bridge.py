"""The set-up bridge: an HTTP proxy on loopback whose only way out is the user's SOCKS5 proxy.

Image builds and pulls are podman's and the build steps' own traffic (the base image, apt,
npm, git, pip), and every one of those clients speaks HTTP proxy, while the user's proxy is
socks5h. The bridge sits between them for exactly as long as one build or pull: each request
(core/http_proxy.py reads it) becomes one SOCKS5 CONNECT through edges/relay_upstream.py —
the same upstream handshake the launch's egress relay uses, which connects to nothing but
the proxy and hands it the target's NAME, so no name is looked up on this host.

It listens on 127.0.0.1 (for podman's own pulls) and, when the build's loopback-only network
namespace exists, on a listener made inside it (edges/build_netns.py) for the RUN steps.
What it carried and what it refused are kept, so the user can be shown where set-up traffic
went. `close()` stops everything: the listeners and every connection still open
(edges/tracked_server.py, as the launch's egress relay does).
"""

import socket
import time

from ..core import http_proxy, socks5
from .relay_upstream import ProtocolError, loopback_listener, open_tunnel
from .tracked_server import CHUNK, TrackedServer, copy_streams

HEAD_TIMEOUT = 30.0  # a client that sends no complete request head within this is dropped
IDLE_TIMEOUT = 300.0  # a carried connection silent both ways for this long is closed
LINGER = 2.0  # after the answer: how long the client's unread bytes are drained, at most


class Bridge(TrackedServer):
    """One bridge's listeners, open connections and record of where traffic went."""

    def __init__(self, upstream: socks5.Upstream):
        super().__init__()
        self.upstream = upstream
        self.carried: dict[str, int] = {}  # target label -> connections, in first-use order
        self.refused: list[tuple[str, str]] = []  # (what was asked, why not)
        self.port = self.listen(loopback_listener())

    @property
    def url(self) -> str:
        """What a client's HTTP_PROXY/HTTPS_PROXY is set to."""
        return f"http://127.0.0.1:{self.port}"

    def _note(self, label: str | None, refused: str | None = None, asked: str = "") -> None:
        with self._lock:
            if refused is not None:
                self.refused.append((asked or label or "?", refused))
            elif label:
                self.carried[label] = self.carried.get(label, 0) + 1

    def _serve(self, client: socket.socket) -> None:
        tunnel = None
        try:
            tunnel = self._carry(client)
        except (OSError, ValueError, ProtocolError):
            # the client or the proxy went away, or close() shut the sockets under it (select
            # then sees a closed descriptor: ValueError): this connection ends
            pass
        finally:
            self.forget(tunnel)
            linger(client)
            self.forget(client)

    def _carry(self, client: socket.socket):
        client.settimeout(HEAD_TIMEOUT)
        head, extra = read_head(client)
        if head is None:
            client.sendall(http_proxy.status(431 if extra else 400, "no complete request head"))
            return None
        request = http_proxy.parse_head(head)
        if isinstance(request, http_proxy.Refusal):
            self._note(None, request.why, head.split(b"\r\n", 1)[0].decode("ascii", "replace"))
            client.sendall(http_proxy.status(request.status, request.why))
            return None
        target = request.target
        try:  # held: close() cuts a dial or handshake still under way, and the tunnel
            tunnel, _code, why = open_tunnel(self.upstream, target.address, target.port,
                                             held=self)
        except (OSError, ProtocolError) as exc:
            why = f"the proxy {self.upstream.address} could not be used: {exc}"
            tunnel = None
        if tunnel is None:
            self._note(target.label, why)
            client.sendall(http_proxy.status(502, why))
            return None
        self._note(target.label)
        if request.tunnel:
            client.sendall(http_proxy.ESTABLISHED)
            if extra:
                tunnel.sendall(extra)
            copy_streams(client, tunnel, IDLE_TIMEOUT)
        else:  # only the answer is carried back: what the client sends next is not carried
            tunnel.sendall(request.head)
            send_body(client, tunnel, extra, request.body_length)
            copy_streams(client, tunnel, IDLE_TIMEOUT, both_ways=False)
        return tunnel


def read_head(client: socket.socket) -> tuple[bytes | None, bytes]:
    """(the request head through its blank line, the bytes after it); (None, b"") when the
    client closed first, (None, what came) when the head outgrew MAX_HEAD."""
    data = b""
    while (end := data.find(http_proxy.HEAD_END)) < 0:
        if len(data) > http_proxy.MAX_HEAD:
            return None, data
        chunk = client.recv(4096)
        if not chunk:
            return None, b""
        data += chunk
    end += len(http_proxy.HEAD_END)
    if end > http_proxy.MAX_HEAD:
        return None, data
    return data[:end], data[end:]


def send_body(client: socket.socket, tunnel: socket.socket, extra: bytes, length: int) -> None:
    """Exactly the request's declared body goes on; whatever the client sends after it (a
    pipelined request, perhaps for another host) is never passed to this one."""
    first = extra[:length]
    tunnel.sendall(first)
    left = length - len(first)
    while left > 0:
        chunk = client.recv(min(CHUNK, left))
        if not chunk:
            raise ProtocolError("the client closed mid-body")
        tunnel.sendall(chunk)
        left -= len(chunk)


def linger(client: socket.socket) -> None:
    """End the answer, then read and drop what the client still sends (a pipelined request
    this connection will not carry) until it closes: closing a socket with unread bytes
    resets the connection, and a reset can cost the client the end of its answer."""
    end = time.monotonic() + LINGER
    try:
        client.shutdown(socket.SHUT_WR)
        while (left := end - time.monotonic()) > 0:
            client.settimeout(left)
            if not client.recv(CHUNK):
                return
    except OSError:
        pass
