"""One launch's egress: the relay netcage gets as its proxy, and the log it writes.

Started after every refusal and right before netcage, stopped right after netcage ends (the
relay is threads of this process: it cannot outlive the launch); should it fail on its own,
netcage is stopped. Before anything starts, an upstream proxy the policy needs must answer
a plain connect, as netcage checked its proxy before: a launch never starts with its only
way out closed.
"""

import os

from ..core.egress_log import end_record, session_id, start_record
from ..core.errors import AnonPiError
from ..core.isolation import masked_proxy
from ..core.shown import shown
from ..core.socks5 import Upstream, parse_upstream
from ..core.web_policy import Web
from . import netcage
from .egress_files import EgressLog
from .egress_relay import Relay
from .relay_upstream import dial_upstream

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
    recorded at the end. Every time it records comes from the run's clock, `io.now`."""

    def __init__(self, io, workspace, machine: str, project: str | None, web: Web,
                 upstream: Upstream | None, proxy: str | None):
        self.now = io.now
        now = self.now()
        self.code = None
        self.log = EgressLog(workspace, machine, session_id(now, os.urandom(3).hex()))
        shown_proxy = masked_proxy(proxy) if upstream is not None else None
        self.log.write(start_record(now, machine, project, web.describe(), shown_proxy))
        try:
            self.relay = Relay(upstream, web, self.log.write, self.now,
                               on_death=netcage.stop_running)
        except BaseException:
            self.log.close()
            raise

    @property
    def url(self) -> str:
        return self.relay.url

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        try:
            self.relay.close()
            self.log.write(end_record(self.now(), self.code))
        finally:
            self.log.close()
