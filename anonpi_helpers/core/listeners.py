"""Who listens on a local TCP port, read from the kernel's answer to a socket-diagnostics
query (NETLINK_SOCK_DIAG), or from its socket tables (`/proc/net/tcp`, `/proc/net/tcp6`)
when that query is unavailable. Pure: the edge (edges/proxy_owner.py) hands the bytes in.

With Tor down, any local user can bind 127.0.0.1:9050 and be handed every connection the
jail makes: each destination, and whatever is not encrypted end to end. A loopback proxy is
trusted only when the process listening on it runs as the user, as root or as a system
account (Tor's own `debian-tor`, `_tor`...): the uid the kernel records for the socket.
"""

import ipaddress
import struct

from .numbers import ascii_int

LISTEN = 10  # TCP_LISTEN
NOBODY = 65534  # the overflow uid: whoever it is, not a system service of this host
# netlink: a message header, then `inet_diag_req_v2` out and `inet_diag_msg` back
SOCK_DIAG_BY_FAMILY, NLMSG_ERROR, NLMSG_DONE = 20, 2, 3
_HEADER = struct.Struct("=IHHII")
_REQUEST = struct.Struct("=BBBBI48s")
_MESSAGE = struct.Struct("=BBBB2s2s16s16sI8sIIIII")  # family state timer retrans sport ...


def diag_request(family: int, seq: int = 1) -> bytes:
    """A dump of the listening TCP sockets of one address family (the kernel then walks only
    its table of listeners)."""
    body = _REQUEST.pack(family, 6, 0, 0, 1 << LISTEN, b"")  # 6: IPPROTO_TCP
    return _HEADER.pack(_HEADER.size + len(body), SOCK_DIAG_BY_FAMILY, 0x301, seq, 0) + body


def diag_sockets(data: bytes) -> tuple[list[tuple[bytes, int, int]], bool]:
    """(local address bytes, port, uid) of each socket in a reply, and whether the dump ended
    (NLMSG_DONE). A netlink error or a malformed reply raises ValueError."""
    found, offset, done = [], 0, False
    while offset + _HEADER.size <= len(data):
        length, kind = _HEADER.unpack_from(data, offset)[:2]
        if length < _HEADER.size or offset + length > len(data):
            raise ValueError("truncated netlink message")
        if kind == NLMSG_DONE:
            done = True
        elif kind == NLMSG_ERROR:
            raise ValueError("netlink error")
        elif kind == SOCK_DIAG_BY_FAMILY and length >= _HEADER.size + _MESSAGE.size:
            msg = _MESSAGE.unpack_from(data, offset + _HEADER.size)
            family, sport, src, uid = msg[0], msg[4], msg[6], msg[13]
            found.append((src[:4] if family == 2 else src, int.from_bytes(sport, "big"), uid))
        offset += (length + 3) & ~3
    return found, done


def table_sockets(table: str) -> list[tuple[bytes, int, int]]:
    """The same from a `/proc/net/tcp[6]` table: its listening rows, the address in the host's
    (little-endian) order, each 32-bit word of an IPv6 address likewise."""
    found = []
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8 or fields[3] != f"{LISTEN:02X}":
            continue
        addr, _, port = fields[1].partition(":")
        uid = ascii_int(fields[7])
        try:
            packed = b"".join(bytes.fromhex(addr[i:i + 8])[::-1] for i in range(0, len(addr), 8))
            number = int(port, 16)
        except ValueError:
            continue
        if uid is not None and len(packed) in (4, 16):
            found.append((packed, number, uid))
    return found


def listener_uids(sockets: list[tuple[bytes, int, int]], port: int) -> set[int]:
    """The uids owning a listening socket on `port` that a connection to a loopback address
    could reach: bound to a loopback address or to every address (IPv4-mapped included)."""
    uids = set()
    for packed, number, uid in sockets:
        if number != port:
            continue
        ip = ipaddress.ip_address(packed)
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if ip.is_loopback or ip.is_unspecified:
            uids.add(uid)
    return uids


def stranger(uids: set[int], me: int, uid_min: int) -> int | None:
    """A uid among `uids` that is not the user, root or a system account (below `uid_min`,
    login.defs' UID_MIN); None when every listener can be trusted."""
    return next((u for u in sorted(uids) if u not in (me, 0) and (u >= uid_min or u == NOBODY)),
                None)


def uid_min(login_defs: str, default: int = 1000) -> int:
    """login.defs' `UID_MIN` (where ordinary accounts start)."""
    for line in login_defs.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "UID_MIN":
            value = ascii_int(words[1], max_digits=9)
            return default if value is None else value
    return default
