"""A SOCKS5 upstream of the test's own on loopback, and a SOCKS5 client, for the relay's tests.

The fake upstream records every handshake (the username the relay sent) and every CONNECT
target; it connects nowhere itself. A CONNECT to port 53 is answered as a resolver would
(DNS-over-TCP: each query gets the A record in `answers`, else NXDOMAIN); any other target
echoes what it gets, so bytes can be counted both ways.
"""

import os
import socket
import sys
from pathlib import Path

from loopback_listener import Listener, recv_exact

from anonpi_helpers.core import dns_wire, socks5


def answer(query: bytes, address: str | None) -> bytes:
    """The resolver's answer: one A record pointing back at the question, or NXDOMAIN."""
    end = 12
    while query[end]:
        end += 1 + query[end]
    end += 5
    if address is None:
        return query[:2] + b"\x81\x83" + query[4:6] + bytes(6) + query[12:end]
    record = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + socket.inet_aton(address)
    return query[:2] + b"\x81\x80" + query[4:6] + b"\x00\x01" + bytes(4) + query[12:end] + record


class FakeUpstream(Listener):
    def __init__(self, answers: dict[str, str] | None = None):
        self.answers = answers or {}
        self.users: list[str | None] = []
        self.targets: list[str] = []
        self.asked: list[str] = []
        super().__init__(serve=self._handle, threaded=True)

    @property
    def url(self) -> str:
        return f"socks5h://127.0.0.1:{self.port}"

    def _handle(self, conn) -> None:
        head = conn.recv(2)
        if len(head) < 2:
            return  # a plain connect-and-close: the launch's check that the proxy answers
        methods = recv_exact(conn, head[1])
        if socks5.USER_PASS in methods:
            conn.sendall(b"\x05\x02")
            recv_exact(conn, 1)
            user = recv_exact(conn, recv_exact(conn, 1)[0]).decode()
            recv_exact(conn, recv_exact(conn, 1)[0])
            conn.sendall(b"\x01\x00")
            self.users.append(user)
        else:
            conn.sendall(b"\x05\x00")
            self.users.append(None)
        _, _, _, atyp = recv_exact(conn, 4)
        if atyp == socks5.ATYP_NAME:
            raw = recv_exact(conn, recv_exact(conn, 1)[0])
        else:
            raw = recv_exact(conn, socks5.ADDRESS_LENGTH[atyp])
        port = int.from_bytes(recv_exact(conn, 2), "big")
        host = socks5.target_text(atyp, raw)[0]
        self.targets.append(socks5.target_label(host, port))
        conn.sendall(socks5.reply(socks5.OK))
        if port == 53:
            self._resolve(conn)
            return
        while chunk := conn.recv(65536):
            conn.sendall(chunk)

    def _resolve(self, conn) -> None:
        pending = b""
        while chunk := conn.recv(65536):
            messages, pending = dns_wire.frames(pending + chunk)
            for message in messages:
                name = dns_wire.questions(message)[0][0]
                self.asked.append(name)
                conn.sendall(dns_wire.frame(answer(message, self.answers.get(name))))


def socks_connect(port: int, host: str, target_port: int, timeout: float = 10.0):
    """(socket, reply code) of a SOCKS5 CONNECT through 127.0.0.1:`port`; the socket is open
    when the code is OK."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(b"\x05\x01\x00")
    assert recv_exact(sock, 2) == b"\x05\x00"
    try:
        address = bytes([socks5.ATYP_IPV4]) + socket.inet_aton(host)
    except OSError:
        address = socks5.address_bytes(socks5.ATYP_NAME, host.encode())
    sock.sendall(socks5.connect_request(address, target_port))
    reply = recv_exact(sock, 10)
    return sock, reply[1]


def own_tcp_sockets() -> list[tuple[int, int]]:
    """(local port, remote port) of every TCP socket this process holds open, read from
    /proc: what a launch run in-process must not leave behind (the relay's listener, the
    jail's connections to it, its tunnels to the upstream)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[9] in inodes:
                found.append((int(fields[1].rsplit(":", 1)[1], 16),
                              int(fields[2].rsplit(":", 1)[1], 16)))
    return found


def ask(sock, name: str, ident: int = 7) -> bytes:
    """One DNS-over-TCP query on an open stream; the answer message."""
    sock.sendall(dns_wire.frame(dns_wire.query(name, ident=ident)))
    size = int.from_bytes(recv_exact(sock, 2), "big")
    return recv_exact(sock, size)


def rcode(message: bytes) -> int:
    return message[3] & 0x0F


# netcage as a script that does what a jail's sidecar and DNS helper do: DNS-over-TCP to a
# resolver's port 53 (names in JAIL_NAMES) and SOCKS5 CONNECTs (JAIL_CONNECT, host:port)
# through the proxy it was given; what it saw goes to JAIL_SEEN as JSON.
HERE = Path(__file__).resolve().parent
JAIL = f"""#!{sys.executable}
import json, os, socket, sys
sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]
from egress_support import ask, rcode, socks_connect
from anonpi_helpers.core import dns_wire
args = sys.argv[1:]
if args[:1] == ["--version"]:
    print("netcage 0.13.0"); sys.exit(0)
if args[:1] != ["run"]:
    sys.exit(0)
proxy = args[args.index("--proxy") + 1]
port = int(proxy.rsplit(":", 1)[1])
seen = {{"argv": args, "port": port, "dns": {{}}, "connect": {{}}}}
sock, code = socks_connect(port, "9.9.9.9", 53)
for name in os.environ.get("JAIL_NAMES", "").split():
    if code != 0:
        break
    answer = ask(sock, name)
    seen["dns"][name] = [rcode(answer), dns_wire.answer_addresses(answer)]
sock.close()
for target in os.environ.get("JAIL_CONNECT", "").split():
    host, _, tport = target.rpartition(":")
    conn, code = socks_connect(port, host, int(tport))
    if code == 0:
        conn.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
        conn.recv(100)
    conn.close()
    seen["connect"][target] = code
open(os.environ["JAIL_SEEN"], "w").write(json.dumps(seen))
"""


def scripted(cli) -> Path:
    """netcage replaced by the jail script; returns where it writes what it saw."""
    (cli.bindir / "netcage").unlink()
    (cli.bindir / "netcage").write_text(JAIL)
    (cli.bindir / "netcage").chmod(0o755)
    return cli.tmp / "seen.json"


