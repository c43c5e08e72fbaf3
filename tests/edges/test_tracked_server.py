"""The loopback server under the egress relay and the set-up bridge (edges/tracked_server.py):
close() leaves no connection open and no thread running, a listener handed over after close
is closed, and a listener that fails on its own is reported."""

import socket
import threading

import pytest

from anonpi_helpers.edges.relay_upstream import loopback_listener
from anonpi_helpers.edges.tracked_server import TrackedServer


class Holding(TrackedServer):
    """Serves each client by waiting for bytes that never come: only close() ends it."""

    def __init__(self, on_death=None):
        super().__init__(on_death)
        self.serving = threading.Semaphore(0)
        self.started: list[threading.Thread] = []

    def _serve(self, client: socket.socket) -> None:
        self.started.append(threading.current_thread())
        self.serving.release()
        try:
            client.recv(1)
        except OSError:
            pass
        finally:
            self.forget(client)


def _clients(port: int, n: int) -> list[socket.socket]:
    return [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(n)]


def test_close_cuts_every_connection_and_waits_for_every_thread():
    server = Holding()
    port = server.listen(loopback_listener())
    clients = _clients(port, 5)
    for _ in clients:
        assert server.serving.acquire(timeout=10)
    server.close()
    for client in clients:
        assert client.recv(1) == b""  # cut: an end of stream, not a hang
        client.close()
    assert len(server.started) == 5
    assert [t for t in server.started if t.is_alive()] == []


def test_a_listener_handed_over_after_close_is_closed_and_refused():
    server = Holding()
    server.close()
    listener = loopback_listener()
    with pytest.raises(OSError):
        server.listen(listener)
    assert listener.fileno() == -1  # closed


def test_a_listener_that_fails_on_its_own_is_reported_and_close_is_not():
    died = threading.Event()
    server = Holding(on_death=died.set)
    listener = loopback_listener()
    server.listen(listener)
    listener.shutdown(socket.SHUT_RDWR)  # not through close(): the accept loop ends by itself
    assert died.wait(10)
    quiet = threading.Event()
    other = Holding(on_death=quiet.set)
    other.listen(loopback_listener())
    other.close()
    assert not quiet.is_set()
    server.close()
