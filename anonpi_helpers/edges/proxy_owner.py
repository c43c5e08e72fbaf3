"""Whether the process behind a loopback proxy is one the user can trust (core.listeners):
asked of the kernel before a launch hands the proxy to netcage, and by doctor. A proxy
elsewhere is not this host's to check.

The kernel answers a socket-diagnostics query for its listening sockets alone in well under
a millisecond; `/proc/net/tcp6` walks every socket table (about 15 ms here), so it is read
only where that query is not available.
"""

import os

from ..core.addresses import host_port_key, on_loopback, proxy_port
from ..core.listeners import (
    diag_request,
    diag_sockets,
    listener_uids,
    stranger,
    table_sockets,
    uid_min,
)

TABLES = ("/proc/net/tcp", "/proc/net/tcp6")
NETLINK_SOCK_DIAG = 4
SQUATTER_FIX = ("start your own proxy there (e.g. `sudo systemctl start tor`) and see who "
                "listens with `ss -ltnp`")


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def _asked() -> list | None:
    """Every listening TCP socket (IPv4 and IPv6) from one netlink query; None when the
    kernel cannot be asked (one query instead of parsing /proc/net/tcp{,6}: 0.2 ms, not 25)."""
    import socket

    found = []
    try:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC,
                              NETLINK_SOCK_DIAG)
    except OSError:
        return None
    try:
        sock.settimeout(2)
        for seq, family in enumerate((socket.AF_INET, socket.AF_INET6), 1):
            sock.sendto(diag_request(family, seq), (0, 0))
            done = False
            while not done:
                sockets, done = diag_sockets(sock.recv(1 << 16))
                found += sockets
    except (OSError, ValueError):
        return None
    finally:
        sock.close()
    return found


def listening() -> list:
    """(address bytes, port, uid) of every listening TCP socket of this host's network."""
    found = _asked()
    if found is None:
        found = [s for table in TABLES for s in table_sockets(_read(table))]
    return found


def squatter(proxy: str) -> int | None:
    """The uid of another user's process listening where `proxy` points, else None."""
    port = proxy_port(proxy)
    if port is None or not on_loopback(proxy):
        return None
    uids = listener_uids(listening(), port)
    me = os.getuid()
    if not uids - {me, 0}:
        return None  # the common case: no need to read login.defs
    return stranger(uids, me, uid_min(_read("/etc/login.defs")))


def unserved_problem(proxy: str) -> str | None:
    """The refusal for a loopback proxy no process listens at, else None. The owner check
    can only vouch for a listener that is there: a port nobody holds is one any user of this
    host may bind between the check and netcage's first connection, and would then see every
    connection the jail makes."""
    port = proxy_port(proxy)
    if port is None or not on_loopback(proxy) or listener_uids(listening(), port):
        return None
    return (f"nothing listens at the proxy {host_port_key(proxy)}: start it before the "
            "launch (another user's process could take that free port); refusing (fail-closed)")


def squatter_problem(proxy: str) -> str | None:
    """The refusal for a proxy port held by another user, else None."""
    uid = squatter(proxy)
    if uid is None:
        return None
    return (f"the proxy {host_port_key(proxy)} is served by another user's process (uid "
            f"{uid}), not yours, root's or a system service's: it would see every connection "
            "the jail makes; refusing (fail-closed)")
