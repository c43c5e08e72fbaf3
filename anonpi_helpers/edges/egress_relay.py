"""The egress relay: a SOCKS5 server on 127.0.0.1 that netcage gets as its proxy for a launch.

Everything the jail sends to the web reaches it (netcage's sidecar turns each connection into
a SOCKS CONNECT, and its DNS helper asks names as DNS-over-TCP, CONNECTs to a resolver's port
53). The relay decides each request by the launch's web policy (core/web_policy.py), carries
what is allowed through the user's upstream proxy (edges/relay_upstream.py: the only place it
ever connects, and only to that proxy; the isolation username is sent there, in the SOCKS5
handshake) and records every request, carried or refused, through `record`.

A DNS stream is read message by message: the names asked are recorded; when not everything
goes to the proxy, a query for a name off the allow-list (or every query, under "no web") is
answered REFUSED by the relay itself, so the resolver never hears it, and the addresses
answered for allowed names are remembered: a connection to one of them is allowed.

It runs in threads of the anon-pi process for exactly as long as the launch: `close()` stops
the listener and cuts every connection still open (edges/tracked_server.py, as the set-up
bridge does). Should the listener fail on its own, `on_death` is called (the launch stops
netcage: the jail must not outlive its relay).
"""

import select
import socket

from ..core import socks5  # dns_wire: where a DNS stream is read (not by a launch's start)
from ..core.egress_log import connect_record, dns_record
from ..core.web_policy import Web, decide, dns_verdict
from .relay_upstream import ProtocolError, loopback_listener, open_tunnel, read_request
from .tracked_server import CHUNK, TrackedServer, copy_streams

HANDSHAKE_TIMEOUT = 30.0  # a client that does not finish its SOCKS request within this
IDLE_TIMEOUT = 600.0  # a carried connection silent both ways for this long is closed
MAX_DNS_BUFFER = 1 << 17  # two whole DNS messages; a stream that holds more is no DNS


class Relay(TrackedServer):
    """One launch's relay. `upstream` may be None only when the policy needs none."""

    def __init__(self, upstream: socks5.Upstream | None, web: Web, record, now,
                 on_death=None, listener: socket.socket | None = None):
        """`listener`: one already listening (loopback_listener), else the relay makes it."""
        super().__init__(on_death)
        self.upstream = upstream
        self.web = web
        self.record = record  # called with each log record (a dict), from any thread
        self.now = now  # the run's clock (io.now): seconds since the epoch, for the records
        self.seen: set[str] = set()  # addresses answered for allowed names
        self.lost = 0  # records the log could not take
        self.port = self.listen(listener if listener is not None else loopback_listener())

    @property
    def url(self) -> str:
        """What netcage gets as --proxy: no credentials (the relay adds them upstream)."""
        return f"socks5h://127.0.0.1:{self.port}"

    # one client connection

    def _serve(self, client: socket.socket) -> None:
        tunnel = None
        try:
            client.settimeout(HANDSHAKE_TIMEOUT)
            request = read_request(client)
            if request is not None:
                tunnel = self._answer(client, *request)
        except (OSError, ValueError, ProtocolError):
            pass  # the jail or the proxy went away, or the relay stopped: this one ends
        finally:
            self.forget(tunnel, client)

    def _log(self, record: dict) -> None:
        try:
            self.record(record)
        except OSError:  # a full disk must not cut the jail's connection; the rest is logged
            self.lost += 1

    def _answer(self, client, command: int, atyp: int, raw: bytes, port: int):
        started = self.now()  # a connection is recorded when it ends, timed when it began
        found = socks5.target_text(atyp, raw)
        if found is None:
            client.sendall(socks5.reply(socks5.ADDRESS_UNSUPPORTED))
            return None
        host, is_ip = found
        if command != socks5.CONNECT:
            what = socks5.COMMAND_TEXT.get(command, f"command {command}")
            self._refuse(client, host, port, f"{what} is not carried",
                         socks5.COMMAND_UNSUPPORTED)
            return None
        with self._lock:
            verdict = decide(self.web, host, is_ip, port, self.seen)
        if not verdict.allowed:
            self._refuse(client, host, port, verdict.reason, socks5.NOT_ALLOWED)
            return None
        if verdict.dns and self.web.mode != "proxy":
            return self._answer_dns(client, host, port, socks5.address_bytes(atyp, raw),
                                    started)
        tunnel, why = self._tunnel(socks5.address_bytes(atyp, raw), port)
        if tunnel is None:
            self._refuse(client, host, port, why[1], why[0])
            return None
        counted = [0, 0]
        try:
            client.sendall(socks5.reply(socks5.OK))
            sniff = DnsSniffer(self) if verdict.dns else None
            copy_streams(client, tunnel, IDLE_TIMEOUT, seen=_counter(client, counted, sniff),
                         errors_end=True)  # one side gone: the other's bytes still go on
        finally:  # the relay stopping mid-way too: what went is recorded
            self._log(connect_record(started, host, port, None, *counted))
        return tunnel

    def _refuse(self, client, host: str, port: int, why: str, code: int) -> None:
        self._log(connect_record(self.now(), host, port, why, 0, 0))
        client.sendall(socks5.reply(code))

    def _tunnel(self, address: bytes, port: int):
        """(tunnel, None) through the upstream, or (None, (SOCKS code, why))."""
        if self.upstream is None:
            return None, (socks5.NOT_ALLOWED, "no upstream proxy")
        try:
            tunnel, code, why = open_tunnel(self.upstream, address, port, held=self)
        except (OSError, ProtocolError) as exc:
            return None, (socks5.FAILURE, f"the proxy could not be used: {exc}")
        if tunnel is None:
            return None, (code, why)
        return tunnel, None

    def _answer_dns(self, client, host: str, port: int, address: bytes, started: float):
        """A DNS stream the relay answers itself where the policy says no: the resolver is
        dialled (through the proxy) only when a query for an allowed name comes."""
        from ..core import dns_wire

        client.sendall(socks5.reply(socks5.OK))
        client.settimeout(None)
        tunnel = None
        pending, answers = b"", b""
        counted = [0, 0]
        reading = [client]
        try:
            while reading:
                ready, _, _ = select.select(reading, [], [], IDLE_TIMEOUT)
                if not ready:
                    break
                if tunnel is not None and tunnel in ready:
                    chunk = tunnel.recv(CHUNK)
                    if not chunk:
                        break
                    answers = self._note_answers(answers + chunk)  # before the jail reads
                    client.sendall(chunk)  # them: it may connect at once
                    counted[1] += len(chunk)
                if client not in ready:
                    continue
                chunk = client.recv(CHUNK)
                if not chunk:
                    break
                pending += chunk
                if len(pending) > MAX_DNS_BUFFER:
                    break
                messages, pending = dns_wire.frames(pending)
                for message in messages:
                    why = self._judge_query(message)
                    if why is not None:
                        client.sendall(dns_wire.frame(dns_wire.refused(message)))
                        continue
                    if tunnel is None:
                        tunnel, _failed = self._tunnel(address, port)
                        if tunnel is None:
                            client.sendall(dns_wire.frame(dns_wire.refused(message)))
                            continue
                        reading.append(tunnel)
                    tunnel.sendall(dns_wire.frame(message))
                    counted[0] += len(message) + 2
        finally:
            if tunnel is not None:  # only then did anything leave
                self._log(connect_record(started, host, port, None, *counted))
        return tunnel

    def _judge_query(self, message: bytes) -> str | None:
        from ..core import dns_wire

        asked = dns_wire.questions(message)
        why = dns_verdict(self.web, asked)
        now = self.now()
        for name, qtype in asked or [("?", "?")]:
            self._log(dns_record(now, name, qtype, why))
        return why

    def _note_answers(self, buffer: bytes) -> bytes:
        from ..core import dns_wire

        messages, rest = dns_wire.frames(buffer)
        for message in messages:
            found = dns_wire.answer_addresses(message)
            if found:
                with self._lock:
                    self.seen.update(found)
        return rest if len(rest) <= MAX_DNS_BUFFER else b""


def _counter(client, counted: list[int], sniff):
    """What copy_streams shows each chunk to: counted into `counted` (bytes from the jail,
    bytes to it); `sniff` (a DnsSniffer or None) reads what the jail sends."""
    def seen(sock, chunk: bytes) -> None:
        if sock is client:
            counted[0] += len(chunk)
            if sniff is not None:
                sniff.feed(chunk)
        else:
            counted[1] += len(chunk)
    return seen


class DnsSniffer:
    """Reads the names in a DNS stream the relay carries as it is (everything goes through
    the proxy): recorded, never changed."""

    def __init__(self, relay: Relay):
        self.relay = relay
        self.pending = b""
        self.gave_up = False

    def feed(self, chunk: bytes) -> None:
        if self.gave_up:
            return
        self.pending += chunk
        if len(self.pending) > MAX_DNS_BUFFER:
            self.gave_up, self.pending = True, b""
            return
        from ..core import dns_wire

        messages, self.pending = dns_wire.frames(self.pending)
        for message in messages:
            self.relay._judge_query(message)
