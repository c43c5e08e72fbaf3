"""The egress relay on loopback: it carries the jail's SOCKS requests only to the upstream
proxy (with the isolation username), refuses by the web policy, answers DNS for names off an
allow-list itself, and records each request. The upstream is a loopback SOCKS5 server of the
test's own (egress_support)."""

import ast
import select
import socket
import threading
import time
from pathlib import Path

import pytest
from egress_support import FakeUpstream, ask, rcode, socks_connect

from anonpi_helpers.core import dns_wire, socks5
from anonpi_helpers.core.socks5 import parse_upstream
from anonpi_helpers.core.web_policy import NONE, PROXY, Web
from anonpi_helpers.edges.egress_relay import Relay
from anonpi_helpers.edges.relay_upstream import loopback_listener

PACKAGE = Path(__file__).resolve().parents[2] / "anonpi_helpers"
RESOLVER = "9.9.9.9"


@pytest.fixture
def upstream():
    up = FakeUpstream(answers={"github.com": "140.82.121.4", "files.pypi.org": "151.101.0.223",
                               "evil.example": "203.0.113.9"})
    yield up
    up.close()


def relay_for(upstream, web, user=None):
    url = upstream.url if user is None else upstream.url.replace("//", f"//{user}:x@")
    records = []
    return Relay(parse_upstream(url), web, records.append, time.time), records


def no_connection_waiting(listener: socket.socket) -> bool:
    return select.select([listener], [], [], 0)[0] == []


def test_it_reaches_the_target_through_the_upstream_only_with_the_username(upstream):
    decoy = socket.create_server(("127.0.0.1", 0))
    port = decoy.getsockname()[1]
    relay, records = relay_for(upstream, Web(PROXY), user="anonpi-box")
    with relay:
        sock, code = socks_connect(relay.port, "127.0.0.1", port)
        assert code == socks5.OK
        sock.sendall(b"hello")
        assert sock.recv(5) == b"hello"  # the fake upstream echoes: it was the one reached
        sock.close()
    assert no_connection_waiting(decoy)
    decoy.close()
    assert upstream.targets == [f"127.0.0.1:{port}"]
    assert upstream.users == ["anonpi-box"]
    assert records == [{"event": "connect", "time": records[0]["time"], "target": "127.0.0.1",
                        "port": port, "allowed": True, "up": 5, "down": 5}]


def test_the_relay_code_has_one_connect_and_it_is_to_the_upstream():
    """Every socket connect of the relay's modules is in dial_upstream, which is given the
    upstream's address and nothing else."""
    calls = []
    for name in ("egress_relay.py", "egress_session.py", "relay_upstream.py", "egress_files.py",
                 "tracked_server.py"):
        tree = ast.parse((PACKAGE / "edges" / name).read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                        node.func.attr in ("connect", "connect_ex", "create_connection",
                                           "sendto", "sendmsg"):
                    calls.append((name, func.name, node.func.attr))
    assert sorted(set(calls)) == [("relay_upstream.py", "dial_upstream", "connect")]


def test_dns_names_are_recorded_as_they_pass_to_the_resolver(upstream):
    relay, records = relay_for(upstream, Web(PROXY))
    with relay:
        sock, code = socks_connect(relay.port, RESOLVER, 53)
        assert code == socks5.OK
        answer = ask(sock, "github.com")
        assert dns_wire.answer_addresses(answer) == ["140.82.121.4"]
        sock.close()
    assert upstream.asked == ["github.com"]
    assert [(r["event"], r.get("name"), r["allowed"]) for r in records] == [
        ("dns", "github.com", True), ("connect", None, True)]
    assert records[1]["target"] == RESOLVER and records[1]["port"] == 53


def test_no_web_refuses_everything_and_needs_no_upstream():
    records = []
    with Relay(None, Web(NONE), records.append, time.time) as relay:
        sock, code = socks_connect(relay.port, "github.com", 443)
        assert code == socks5.NOT_ALLOWED
        sock.close()
        sock, code = socks_connect(relay.port, RESOLVER, 53)
        assert code == socks5.OK  # the relay answers the lookups itself
        assert rcode(ask(sock, "github.com")) == dns_wire.REFUSED
        sock.close()
    assert [(r["event"], r.get("target") or r.get("name"), r["allowed"], r.get("reason"))
            for r in records] == [
        ("connect", "github.com", False, "no web (web: none)"),
        ("dns", "github.com", False, "no web (web: none)")]


def test_an_allow_list_answers_other_names_itself_and_passes_listed_ones(upstream):
    relay, records = relay_for(upstream, Web("list", ("github.com", "*.pypi.org")))
    with relay:
        sock, code = socks_connect(relay.port, RESOLVER, 53)
        assert code == socks5.OK
        refused = ask(sock, "evil.example", ident=11)
        assert rcode(refused) == dns_wire.REFUSED and refused[:2] == b"\x00\x0b"
        assert dns_wire.questions(refused) == [("evil.example", "A")]
        assert dns_wire.answer_addresses(ask(sock, "files.pypi.org")) == ["151.101.0.223"]
        sock.close()
        allowed, code_ip = socks_connect(relay.port, "151.101.0.223", 443)
        allowed.close()
        other, code_other = socks_connect(relay.port, "203.0.113.9", 443)
        other.close()
        named, code_name = socks_connect(relay.port, "github.com", 443)
        named.close()
        unnamed, code_unlisted = socks_connect(relay.port, "pypi.org", 443)
        unnamed.close()
    assert (code_ip, code_other, code_name, code_unlisted) == (
        socks5.OK, socks5.NOT_ALLOWED, socks5.OK, socks5.NOT_ALLOWED)
    assert upstream.asked == ["files.pypi.org"]  # the resolver never heard evil.example
    assert upstream.targets == [f"{RESOLVER}:53", "151.101.0.223:443", "github.com:443"]
    summary = [(r["event"], r.get("name") or r.get("target"), r["allowed"]) for r in records]
    assert ("dns", "evil.example", False) in summary
    assert ("dns", "files.pypi.org", True) in summary
    assert ("connect", "203.0.113.9", False) in summary
    assert ("connect", "pypi.org", False) in summary
    assert ("connect", "151.101.0.223", True) in summary
    reasons = {r.get("name") or r["target"]: r.get("reason") for r in records}
    assert reasons["evil.example"] == "not on the allow-list"
    assert reasons["203.0.113.9"] == "an address no allowed name was answered with"


def test_a_proxy_that_refuses_is_the_jails_refusal_too(upstream):
    records = []
    dead = socket.create_server(("127.0.0.1", 0))
    port = dead.getsockname()[1]
    dead.close()
    refusing = parse_upstream(f"socks5h://127.0.0.1:{port}")
    with Relay(refusing, Web(PROXY), records.append, time.time) as r:
        sock, code = socks_connect(r.port, "github.com", 443)
        sock.close()
    assert code == socks5.FAILURE
    assert records[0]["allowed"] is False and "could not be used" in records[0]["reason"]


def test_a_listener_that_fails_stops_the_launch_and_close_does_not():
    died = threading.Event()
    listener = loopback_listener()
    relay = Relay(None, Web(NONE), lambda _r: None, time.time, on_death=died.set,
                  listener=listener)
    listener.shutdown(socket.SHUT_RDWR)  # the listener fails under the relay
    assert died.wait(10)
    relay.close()
    calm = threading.Event()
    Relay(None, Web(NONE), lambda _r: None, time.time, on_death=calm.set).close()
    assert not calm.is_set()


def test_it_stops_with_everything_still_open(upstream):
    relay, _ = relay_for(upstream, Web(PROXY))
    sock, code = socks_connect(relay.port, "github.com", 443)
    assert code == socks5.OK
    relay.close()
    sock.settimeout(10)
    assert sock.recv(10) == b""  # cut
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", relay.port), timeout=10)
    sock.close()
