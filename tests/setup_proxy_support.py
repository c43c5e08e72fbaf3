"""A SOCKS5 upstream on 127.0.0.1 for the set-up bridge's tests: it records every CONNECT
(the address type and the host exactly as the client sent it) and serves the "internet"
itself — a page per (host, path), a loopback server per host name (a registry stand-in), an
echo, or a SOCKS5 refusal — so no byte of a test leaves loopback."""

import socket
import threading
import time
from collections import namedtuple

from loopback_listener import Listener, recv_exact

ATYP_NAMES = {1: "ipv4", 3: "name", 4: "ipv6"}


class Seen(namedtuple("Seen", ["kind", "host", "port", "user"])):
    """One CONNECT as the upstream got it: kind is "name", "ipv4" or "ipv6"."""

    __slots__ = ()


def _head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    return data


def _pipe(a: socket.socket, b: socket.socket) -> None:
    def one_way(src, dst):
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    other = threading.Thread(target=one_way, args=(b, a), daemon=True)
    other.start()
    one_way(a, b)
    other.join(10)


class SocksUpstream(Listener):
    """pages: {(host, path): body} answered as HTTP; routes: {host: loopback port} piped
    through; refuse: {host: SOCKS5 reply code}; any other host gets an echo of its bytes.
    `seen` lists each CONNECT, `heads` each HTTP request head a page was served for and
    `after` what arrived on such a connection after its head (nothing, for a bridge that
    passes one request per connection)."""

    def __init__(self, pages=None, routes=None, refuse=None, user=None):
        self.pages, self.routes, self.refuse = pages or {}, routes or {}, refuse or {}
        self.user = user  # (name, password) the upstream insists on, else no authentication
        self.seen: list[Seen] = []
        self.heads: list[bytes] = []
        self.after: list[bytes] = []
        super().__init__(serve=self._carry, threaded=True)
        self.url = f"socks5h://127.0.0.1:{self.port}"

    def _handshake(self, conn) -> str | None:
        methods = recv_exact(conn, recv_exact(conn, 2)[1])
        if self.user is None:
            conn.sendall(b"\x05\x00")
            return None
        if 2 not in methods:
            conn.sendall(b"\x05\xff")
            raise ConnectionError("no username offered")
        conn.sendall(b"\x05\x02")
        recv_exact(conn, 1)
        name = recv_exact(conn, recv_exact(conn, 1)[0]).decode()
        password = recv_exact(conn, recv_exact(conn, 1)[0]).decode()
        ok = (name, password) == self.user
        conn.sendall(b"\x01\x00" if ok else b"\x01\x01")
        if not ok:
            raise ConnectionError("wrong credentials")
        return name

    def _carry(self, conn):
        user = self._handshake(conn)
        _, cmd, _, atyp = recv_exact(conn, 4)
        if atyp == 3:
            host = recv_exact(conn, recv_exact(conn, 1)[0]).decode("ascii", "replace")
        else:
            raw = recv_exact(conn, 4 if atyp == 1 else 16)
            host = socket.inet_ntop(socket.AF_INET if atyp == 1 else socket.AF_INET6, raw)
        port = int.from_bytes(recv_exact(conn, 2), "big")
        self.seen.append(Seen(ATYP_NAMES.get(atyp, str(atyp)), host, port, user))
        code = self.refuse.get(host, 0 if cmd == 1 else 7)
        conn.sendall(bytes([5, code, 0, 1, 0, 0, 0, 0, 0, 0]))
        if code:
            return
        if host in self.routes:
            with socket.create_connection(("127.0.0.1", self.routes[host])) as out:
                _pipe(conn, out)
        elif any(h == host for h, _ in self.pages):
            self._page(conn, host)
        else:
            while chunk := conn.recv(65536):
                conn.sendall(chunk)

    def _page(self, conn, host):
        head = _head(conn)
        self.heads.append(head)
        path = head.split(b" ", 2)[1].decode() if head.count(b" ") >= 2 else ""
        body = self.pages.get((host, path))
        status = b"200 OK" if body is not None else b"404 Not Found"
        body = body if body is not None else b"no such page\n"
        conn.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Length: " + str(len(body)).encode()
                     + b"\r\nConnection: close\r\n\r\n" + body)
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(1)
        rest = b""
        try:
            while chunk := conn.recv(65536):
                rest += chunk
        except OSError:
            pass
        self.after.append(rest)

    def wait_after(self, count: int, seconds: float = 5.0) -> list[bytes]:
        """`after` once `count` served connections have ended (fail after `seconds`)."""
        end = time.monotonic() + seconds
        while len(self.after) < count:
            assert time.monotonic() < end, f"only {len(self.after)} of {count} pages ended"
            time.sleep(0.01)
        return self.after
