"""The SOCKS5 evidence rules: what to send, how to judge the answer, where to look.

A port is only evidence: the greeting tells a SOCKS5 server from something else, never who
runs it (docs/design.md, rule 43)."""

from .numbers import ascii_int

GREETING = b"\x05\x01\x00"  # SOCKS5, one method offered, no-auth
DEFAULT_PROBE = (("127.0.0.1", 9050), ("127.0.0.1", 9150), ("127.0.0.1", 1080))
PORT_HINTS = {
    9050: "Tor default (system tor)",
    9150: "Tor Browser default",
    1080: "generic SOCKS (wireproxy / ssh -D)",
}


def judge_reply(reply: bytes) -> tuple[bool, str]:
    """(handshake OK, reason or method): a server that answers `05 FF` refuses no-auth."""
    if not reply:
        return False, "no reply"
    if len(reply) < 2:
        return False, "short reply"
    if reply[0] != 0x05:
        return False, "not SOCKS5"
    if reply[1] == 0xFF:
        return False, "SOCKS5 but no acceptable auth method"
    return True, f"method {reply[1]:02x}"


def probe_targets(override: str | None) -> list[tuple[str, int]]:
    """`ANON_PI_SOCKS_PROBE=127.0.0.1:19050,...` replaces the default list (a test seam)."""
    if not override or not override.strip():
        return list(DEFAULT_PROBE)
    out = []
    for item in override.split(","):
        host, _, port = item.strip().rpartition(":")
        if host and (number := ascii_int(port, 5)) is not None:
            out.append((host, number))
    return out
