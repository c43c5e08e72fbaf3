"""init's network evidence against stub servers on 127.0.0.1 started by the tests."""

import pytest
from init_support import ModelsServer, StubServer, closed_port

from anonpi_helpers.init.model_step import reachable, server_listing
from anonpi_helpers.init.models_listing import listing_ids
from anonpi_helpers.init.proxy_findings import Finding
from anonpi_helpers.init.proxy_step import probe


def server_ids(host, port, path):
    return listing_ids(server_listing(host, port, path))


@pytest.mark.parametrize("reply, ok, reason", [
    (b"\x05\x00", True, ""),
    (b"\x05\xff", False, "SOCKS5 but no acceptable auth method"),
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", False, "not SOCKS5"),
    (b"", False, "no reply"),  # accepts, reads, closes without a word
    (None, False, "no reply"),  # a silent server: open, but no reply
])
def test_probe_sends_exactly_the_greeting_and_judges_the_reply(reply, ok, reason):
    server = StubServer(reply)
    try:
        found = probe("127.0.0.1", server.port)
    finally:
        server.close()
    assert found == Finding("127.0.0.1", server.port, True, ok, reason)
    assert server.received == [b"\x05\x01\x00"]


def test_closed_port_is_closed():
    port = closed_port()
    assert probe("127.0.0.1", port) == Finding("127.0.0.1", port, False)
    assert not reachable("127.0.0.1", port)


def test_models_listing_from_a_server():
    server = ModelsServer({"data": [{"id": " a "}, "b", {"id": ""}]})
    try:
        assert reachable("127.0.0.1", server.port)
        assert server_ids("127.0.0.1", server.port, "/v1") == ["a", "b"]
        assert server_ids("127.0.0.1", server.port, "/api/v1") == ["a", "b"]
    finally:
        server.close()
    assert server.hits == ["/v1/models", "/api/v1/models"]


def test_models_listing_garbage_or_down():
    server = StubServer(b"HTTP/1.0 200 OK\r\n\r\nnot json")
    try:
        assert server_ids("127.0.0.1", server.port, "/v1") == []
    finally:
        server.close()
    assert server_ids("127.0.0.1", closed_port(), "/v1") == []
