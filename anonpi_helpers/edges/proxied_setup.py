"""One build's or one batch of pulls' way through the user's proxy, for exactly as long as it
runs: the set-up bridge on 127.0.0.1 and, for a build, the loopback-only network namespace its
RUN steps join (edges/build_netns.py). Leaving the `with` block stops both, whatever ended it
(done, failed, Ctrl-C): nothing of it outlives the build, and a build that outlived anon-pi
would find no bridge and fail closed.
"""

from collections import namedtuple
from contextlib import contextmanager

from ..core.setup_traffic import proxy_env
from ..core.socks5 import parse_upstream
from . import build_netns
from .setup_bridge import Bridge


class Route(namedtuple("Route", ["bridge", "netns_path", "no_netns", "env"])):
    """`env`: the proxy variables for podman; `netns_path`: the RUN steps' namespace (None for
    pulls, or when it could not be made: `no_netns` says why)."""

    __slots__ = ()


@contextmanager
def through_proxy(io, proxy: str, *, for_build: bool):
    """A Route through `proxy` (a socks5h:// URL, credentials kept for the proxy); the build's
    namespace is made with the tools on the run's PATH (`io`: core/io_context.py)."""
    bridge = Bridge(parse_upstream(proxy))
    netns, why = None, ""
    try:
        if for_build:
            netns, listeners, why = build_netns.make(io, bridge.port)
            try:
                for listener in listeners:
                    bridge.listen(listener)
            except BaseException:  # none stays open unserved (closing one twice is harmless)
                for listener in listeners:
                    listener.close()
                raise
        yield Route(bridge, netns.path if netns else None, why, proxy_env(bridge.url))
    finally:
        bridge.close()
        if netns is not None:
            netns.close()
