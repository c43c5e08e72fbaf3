"""Whether the process behind a loopback proxy is one the user can trust (core.listeners):
read from the kernel's socket tables before a launch hands the proxy to netcage, and by
doctor. A proxy elsewhere is not this host's to check."""

import os

from ..core.addresses import host_port_key, on_loopback, proxy_port
from ..core.listeners import listener_uids, stranger, uid_min

TABLES = ("/proc/net/tcp", "/proc/net/tcp6")
SQUATTER_FIX = ("start your own proxy there (e.g. `sudo systemctl start tor`) and see who "
                "listens with `ss -ltnp`")


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def squatter(proxy: str) -> int | None:
    """The uid of another user's process listening where `proxy` points, else None."""
    port = proxy_port(proxy)
    if port is None or not on_loopback(proxy):
        return None
    uids = listener_uids([_read(t) for t in TABLES], port)
    me = os.getuid()
    if not uids - {me, 0}:
        return None  # the common case: no need to read login.defs
    return stranger(uids, me, uid_min(_read("/etc/login.defs")))


def squatter_problem(proxy: str) -> str | None:
    """The refusal for a proxy port held by another user, else None."""
    uid = squatter(proxy)
    if uid is None:
        return None
    return (f"the proxy {host_port_key(proxy)} is served by another user's process (uid "
            f"{uid}), not yours, root's or a system service's: it would see every connection "
            "the jail makes; refusing (fail-closed)")
