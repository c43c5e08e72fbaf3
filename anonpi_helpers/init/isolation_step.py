"""Step 1b: per-machine stream isolation, asked only when the proxy looks like Tor and
listens on this host's loopback.

Tor isolates streams by SOCKS credentials, so one username per machine keeps two machines'
traffic off one circuit; other proxies have no such notion and are not asked about it. A
Tor-looking proxy elsewhere is told why isolation stays off (core.isolation).
"""

from ..core.isolation import LEVELS, has_credentials, isolation_off, looks_like_tor
from .prompt import ask, say, warn

ANSWERS = {"y": "machine", "yes": "machine", "m": "machine", "machine": "machine",
           "p": "project", "project": "project", "n": "none", "no": "none", "none": "none"}


def parse_level(answer: str, default: str) -> str | None:
    """Enter = `default`; y/m = machine, p = project, n = none; else None (re-ask)."""
    text = answer.strip().lower()
    return default if not text else ANSWERS.get(text)


def step(io, proxy: str, note: str | None, current: str | None) -> str | None:
    """The `isolation` value to store (None = leave the key as it is)."""
    if has_credentials(proxy):
        say(io, "Stream isolation: your proxy URL has its own credentials; it is used as is.")
        return current
    if not looks_like_tor(proxy, note):
        return current
    off = isolation_off(proxy, "machine")
    if off:
        say(io, f"Your proxy looks like Tor, but stream {off}.")
        return current
    default = current if current in LEVELS else "machine"
    say(io, "Your proxy looks like Tor. Tor gives each SOCKS username its own circuits, so each\n"
            "machine can get its own exit (launches use socks5h://anonpi-<machine>:x@host:port).")
    shown = {"machine": "y", "project": "p", "none": "n"}[default]
    while (level := parse_level(ask(io, "Separate circuits per machine? y = per machine, "
                                        f"p = per project, n = shared (Enter = {shown})"),
                                default)) is None:
        warn(io, "answer y, p or n (or Enter)")
    say(io, f"stream isolation: {level}")
    return level
