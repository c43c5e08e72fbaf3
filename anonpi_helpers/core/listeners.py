"""Who listens on a local TCP port, read from the kernel's socket tables (`/proc/net/tcp`,
`/proc/net/tcp6`). Pure: the edge hands the tables in.

With Tor down, any local user can bind 127.0.0.1:9050 and be handed every connection the
jail makes: each destination, and whatever is not encrypted end to end. A loopback proxy is
trusted only when the process listening on it runs as the user, as root or as a system
account (Tor's own `debian-tor`, `_tor`...): the uid the kernel records for the socket.
"""

import ipaddress

from .numbers import ascii_int

LISTEN = "0A"  # TCP_LISTEN, as the tables spell a socket's state
NOBODY = 65534  # the overflow uid: whoever it is, not a system service of this host


def _address(field: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int] | None:
    """`0100007F:2352` -> (127.0.0.1, 9050): the address in the host's (little-endian) order,
    each 32-bit word of an IPv6 address likewise."""
    addr, _, port = field.partition(":")
    try:
        words = [bytes.fromhex(addr[i:i + 8])[::-1] for i in range(0, len(addr), 8)]
        packed = b"".join(words)
        return ipaddress.ip_address(packed), int(port, 16)
    except ValueError:
        return None


def listener_uids(tables: list[str], port: int) -> set[int]:
    """The uids owning a listening socket on `port` that a connection to a loopback address
    could reach: bound to a loopback address or to every address (IPv4-mapped included)."""
    uids = set()
    for table in tables:
        for line in table.splitlines()[1:]:
            fields = line.split()
            if len(fields) < 8 or fields[3] != LISTEN:
                continue
            found = _address(fields[1])
            if found is None or found[1] != port:
                continue
            ip = found[0]
            ip = getattr(ip, "ipv4_mapped", None) or ip
            uid = ascii_int(fields[7])
            if (ip.is_loopback or ip.is_unspecified) and uid is not None:
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
