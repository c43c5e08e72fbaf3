"""One launch's egress: the relay netcage gets as its proxy, and the log it writes.

Started after every refusal and right before netcage, stopped right after netcage ends (the
relay is threads of this process: it cannot outlive the launch); should it fail on its own,
netcage is stopped. Before anything starts, an upstream proxy the policy needs must answer
a plain connect, as netcage checked its proxy before: a launch never starts with its only
way out closed.

Before netcage starts, a launch opens the log and the relay's listener, nothing more: what
netcage dials is there, and a log that cannot be written launches nothing. The relay's
threads (and the modules they need, threading among them) start once netcage is spawned,
while it builds the jail; a connection made before then waits in the listener's backlog, and
nothing is carried, or lost from the log, before the relay accepts it.
"""

import os

from ..core.egress_log import end_record, session_id, start_record
from ..core.errors import AnonPiError
from ..core.isolation import masked_proxy
from ..core.shown import shown
from ..core.socks5 import Upstream, parse_upstream
from ..core.web_policy import Web
from . import netcage_child
from .egress_files import EgressLog
from .relay_upstream import dial_upstream, loopback_listener

CHECK_TIMEOUT = 3.0  # as long as netcage waited for its proxy at start-up


def upstream_for(web: Web, proxy: str | None) -> Upstream | None:
    """The relay's upstream: the proxy URL netcage used to get (the isolation username in
    it), or None when the policy sends nothing anywhere."""
    if not web.needs_upstream or not proxy:
        return None
    return parse_upstream(proxy)


def check_upstream(upstream: Upstream | None, proxy: str | None) -> None:
    """Fail closed: a proxy that does not take a connection refuses the launch."""
    if upstream is None:
        return
    try:
        dial_upstream(upstream, timeout=CHECK_TIMEOUT).close()
    except OSError as exc:
        why = exc.strerror or str(exc) or type(exc).__name__
        raise AnonPiError(
            f"the proxy {shown(masked_proxy(proxy or upstream.address))} does not answer "
            f"({shown(why.lower())}); nothing launched.",
            "start it (e.g. Tor), or launch with --web none for no web at all") from None


class EgressSession:
    """`with EgressSession(io, ...) as egress:` netcage gets `egress.url`; `egress.code` is
    recorded at the end. Every time it records comes from the run's clock, `io.now`. With
    `start=False` the relay's threads wait for `start()` (called once netcage is spawned); its
    listener is open either way."""

    def __init__(self, io, workspace, machine: str, project: str | None, web: Web,
                 upstream: Upstream | None, proxy: str | None, start: bool = True):
        self.now = io.now
        now = self.now()
        self.code = None
        self.upstream, self.web, self.relay = upstream, web, None
        self.log = EgressLog(workspace, machine, session_id(now, os.urandom(3).hex()))
        shown_proxy = masked_proxy(proxy) if upstream is not None else None
        self.log.write(start_record(now, machine, project, web.describe(), shown_proxy))
        self.listener = None
        try:
            self.listener = loopback_listener()
            if start:
                self.start()
        except BaseException:
            if self.listener is not None:
                self.listener.close()
            self.log.close()
            raise

    @property
    def url(self) -> str:
        """What netcage gets as --proxy: no credentials (the relay adds them upstream)."""
        return f"socks5h://127.0.0.1:{self.listener.getsockname()[1]}"

    def start(self) -> None:
        """The relay's threads: from now on it accepts what netcage dials."""
        if self.relay is None:
            from .egress_relay import Relay

            self.log.shared()
            self.relay = Relay(self.upstream, self.web, self.log.write, self.now,
                               on_death=netcage_child.stop_running, listener=self.listener)

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        try:
            if self.relay is not None:
                self.relay.close()
            else:
                self.listener.close()
            self.log.write(end_record(self.now(), self.code))
        finally:
            self.log.close()
