"""What every reader of a `netcage ps --format json` listing shares.

Pure. Two readers look at the same podman JSON: the running-jail search (forward, ports,
image snapshot) and the durable boxes (`anon-pi container`, the menu). Each keeps its own
rule for which entry it wants; the listing shape, the key label and its decoding live here
once. netcage output is untrusted: an entry that is not a JSON object is skipped, and only
output that is no JSON list at all is refused (None; the caller's error, never "nothing").
"""

from collections.abc import Callable

from .identity import Identity, decode
from .jsonfmt import loads_list

KEY_LABEL = "anon-pi.key"


def read_listing(text: str, read: Callable[[dict], object]) -> list | None:
    """`read` applied to every object in the listing, in netcage's order, keeping what it
    accepts (anything but None); blank output is an empty list, anything but a JSON list None."""
    entries = loads_list(text)
    if entries is None:
        return None
    found = (read(entry) for entry in entries if isinstance(entry, dict))
    return [item for item in found if item is not None]


def key_identity(labels: dict) -> Identity | None:
    """Who the container belongs to, from its `anon-pi.key` label; None when absent or not a
    record."""
    key = labels.get(KEY_LABEL)
    return decode(key) if isinstance(key, str) and key else None
