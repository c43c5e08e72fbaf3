"""The set-up bridge on loopback: an HTTP proxy (CONNECT, absolute http:// requests) whose only
way out is the SOCKS5 upstream, to which it hands every target's NAME; malformed or unusual
requests are refused before anything is dialled; it stops, connections and all, with the
build. The upstream is a loopback SOCKS5 server of the test's (setup_proxy_support)."""

import _socket
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from in_process import context
from setup_proxy_support import Seen, SocksUpstream

from anonpi_helpers.core import http_proxy
from anonpi_helpers.core.socks5 import parse_upstream
from anonpi_helpers.edges.proxied_setup import through_proxy
from anonpi_helpers.edges.setup_bridge import Bridge

PAGE = b"Package: ripgrep\n"


@pytest.fixture
def upstream():
    up = SocksUpstream(pages={("deb.example", "/dists/Release"): PAGE},
                       refuse={"gone.example": 4})
    yield up
    up.close()


@pytest.fixture
def bridge(upstream):
    with Bridge(parse_upstream(upstream.url)) as b:
        yield b


def ask(port: int, data: bytes, *, until_close: bool = True) -> bytes:
    """Send `data` to the bridge and read its answer (to the end, or one recv)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        if not until_close:
            return sock.recv(65536)
        got = b""
        while chunk := sock.recv(65536):
            got += chunk
        return got


def listener() -> socket.socket:
    """A loopback server nobody should ever reach: the bridge must not dial it itself."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sock.settimeout(0.5)
    return sock


def test_connect_reaches_the_name_through_the_upstream_only(bridge, upstream):
    with socket.create_connection(("127.0.0.1", bridge.port), timeout=10) as sock:
        sock.sendall(b"CONNECT registry.npmjs.org:443 HTTP/1.1\r\n"
                     b"Host: registry.npmjs.org:443\r\n\r\n")
        assert sock.recv(1024) == b"HTTP/1.1 200 Connection established\r\n\r\n"
        sock.sendall(b"\x16\x03\x01 a TLS hello")  # the tunnel carries bytes as they are
        assert sock.recv(1024) == b"\x16\x03\x01 a TLS hello"
    assert upstream.seen == [Seen("name", "registry.npmjs.org", 443, None)]
    assert bridge.carried == {"registry.npmjs.org:443": 1}


def test_a_plain_request_goes_in_origin_form_with_the_proxy_headers_dropped(bridge, upstream):
    answer = ask(bridge.port, b"GET http://deb.example/dists/Release HTTP/1.1\r\n"
                              b"Host: deb.example\r\nProxy-Connection: keep-alive\r\n"
                              b"Proxy-Authorization: Basic c2VjcmV0\r\nUser-Agent: apt\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(PAGE)
    assert upstream.seen == [Seen("name", "deb.example", 80, None)]
    assert upstream.heads == [(b"GET /dists/Release HTTP/1.1\r\nHost: deb.example\r\n"
                               b"User-Agent: apt\r\nConnection: close\r\n\r\n")]


def test_a_pipelined_second_request_never_reaches_the_first_host(bridge, upstream):
    answer = ask(bridge.port, b"GET http://deb.example/dists/Release HTTP/1.1\r\nHost: "
                              b"deb.example\r\n\r\nGET http://other.example/secret HTTP/1.1\r\n"
                              b"Host: other.example\r\n\r\n")
    assert answer.endswith(PAGE) and answer.count(b"HTTP/1.1 ") == 1
    assert upstream.wait_after(1) == [b""]  # nothing after the first request's head
    assert [s.host for s in upstream.seen] == ["deb.example"]


def test_no_name_is_resolved_on_this_host(bridge, upstream, monkeypatch):
    looked_up = []
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        real = getattr(_socket, name)

        def spy(host, *args, _real=real):
            looked_up.append(host)
            return _real(host, *args)

        monkeypatch.setattr(_socket, name, spy)
    ask(bridge.port, b"CONNECT localhost:22 HTTP/1.1\r\n\r\n", until_close=False)
    ask(bridge.port, b"GET http://deb.example/dists/Release HTTP/1.1\r\n\r\n")
    assert [s[:3] for s in upstream.seen] == [("name", "localhost", 22),
                                             ("name", "deb.example", 80)]
    # the upstream's own address, nothing else (an ASCII name goes to the resolver as bytes)
    assert {h.decode() if isinstance(h, bytes) else h for h in looked_up} == {"127.0.0.1"}


def test_an_address_target_goes_to_the_upstream_not_to_that_address(bridge, upstream):
    decoy = listener()
    port = decoy.getsockname()[1]
    try:
        upstream.refuse["127.0.0.1"] = 2
        answer = ask(bridge.port, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n".encode())
        with pytest.raises(TimeoutError):
            decoy.accept()
    finally:
        decoy.close()
    assert answer.startswith(b"HTTP/1.1 502 Bad Gateway\r\n")
    assert b"the proxy said: not allowed by the proxy's rules" in answer
    assert upstream.seen == [Seen("ipv4", "127.0.0.1", port, None)]


def test_the_upstream_refusal_is_a_502_with_its_reason_and_is_kept(bridge, upstream):
    answer = ask(bridge.port, b"CONNECT gone.example:443 HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 502 Bad Gateway\r\n")
    assert answer.endswith(b"the proxy said: host unreachable\n")
    assert bridge.refused == [("gone.example:443", "the proxy said: host unreachable")]
    assert bridge.carried == {}


def test_a_proxy_that_is_down_is_a_502_naming_it(upstream):
    upstream.close()
    with Bridge(parse_upstream(upstream.url)) as bridge:
        answer = ask(bridge.port, b"CONNECT pypi.org:443 HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 502 Bad Gateway\r\n")
    assert f"the proxy 127.0.0.1:{upstream.port} could not be used".encode() in answer


def test_the_proxys_credentials_go_in_the_socks_handshake(upstream):
    upstream.user = ("anonpi-setup", "x")
    with Bridge(parse_upstream(f"socks5h://anonpi-setup:x@127.0.0.1:{upstream.port}")) as b:
        ask(b.port, b"GET http://deb.example/dists/Release HTTP/1.1\r\n\r\n")
    assert upstream.seen == [Seen("name", "deb.example", 80, "anonpi-setup")]


BAD = [
    (b"GET /local/path HTTP/1.1\r\n\r\n", 400),
    (b"GET https://pypi.org/simple/ HTTP/1.1\r\n\r\n", 501),
    (b"GET ftp://ftp.example/x HTTP/1.1\r\n\r\n", 501),
    (b"BREW http://pot.example/ HTTP/1.1\r\n\r\n", 405),
    (b"CONNECT pypi.org HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT pypi.org:0 HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT pypi.org:65536 HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT pypi.org:\xef\xbc\x94\xef\xbc\x94\xef\xbc\x93 HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT py pi.org:443 HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT pypi.org:443/x HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT user@pypi.org:443 HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT [::1:443 HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT 999.1.1.1:443 HTTP/1.1\r\n\r\n", 400),
    (b"CONNECT pypi.org:443 HTTP/2.0\r\n\r\n", 400),
    (b"GET http://a.example/\x1b[2J HTTP/1.1\r\n\r\n", 400),
    (b"GET http://user:pw@a.example/ HTTP/1.1\r\n\r\n", 400),
    (b"GET http://a.example/ HTTP/1.1\r\nX-Evil: a\x07b\r\n\r\n", 400),
    (b"GET http://a.example/ HTTP/1.1\r\n folded\r\n\r\n", 400),
    (b"POST http://a.example/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
    (b"POST http://a.example/ HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
     400),
    (b"GET http://a.example/ HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n", 431),
]


@pytest.mark.parametrize("request_bytes,code", BAD)
def test_bad_requests_are_refused_before_anything_is_dialled(bridge, upstream, request_bytes,
                                                            code):
    answer = ask(bridge.port, request_bytes)
    assert answer.startswith(f"HTTP/1.1 {code} ".encode()), answer[:80]
    assert upstream.seen == [] and bridge.carried == {}


def test_it_stops_with_the_build_cutting_what_is_still_open(upstream):
    with through_proxy(context(), upstream.url, for_build=False) as route:
        port = route.bridge.port
        assert route.env["HTTPS_PROXY"] == f"http://127.0.0.1:{port}"
        tunnel = socket.create_connection(("127.0.0.1", port), timeout=10)
        tunnel.sendall(b"CONNECT files.example:443 HTTP/1.1\r\n\r\n")
        assert tunnel.recv(1024).startswith(b"HTTP/1.1 200")
    with tunnel:
        assert tunnel.recv(1024) == b""  # the open tunnel ended with the build
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


def test_it_stops_when_the_build_fails_too(upstream):
    with pytest.raises(KeyboardInterrupt), through_proxy(context(), upstream.url,
                                                         for_build=False) as route:
        port = route.bridge.port
        raise KeyboardInterrupt
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_head_is_carried_cleanly_or_refused_never_an_exception(raw):
    head = raw + b"\r\n\r\n"
    got = http_proxy.parse_head(head)
    if isinstance(got, http_proxy.Refusal):
        assert got.status in http_proxy.STATUS_TEXT
        return
    assert 0 < got.target.port < 65536
    if not got.tunnel:
        text = got.head.decode("ascii")
        assert text.endswith("Connection: close\r\n\r\n") and "proxy-" not in text.lower()
