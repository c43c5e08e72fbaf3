"""A loopback TCP listener for tests: what a proxy (or any server) looks like to a dial.

The cli harness runs one per test as its proxy (netcage dials its proxy before every run);
the contract replay runs the recording's stubs with it, and every fake proxy, upstream and
model server of the tests is one (so the accept loop exists once). Each connection is handed
to `serve` (by default it is just closed: "accepts, closes"), then closed; a peer that hangs
up mid-exchange (an OSError) ends only its own connection. Tests only ever listen on
127.0.0.1.
"""
import socket
import threading


def recv_exact(sock: socket.socket, size: int) -> bytes:
    """Exactly `size` bytes from a test's peer (ConnectionError when it closes first): the
    fake proxies and clients read SOCKS5's fixed-size fields with it. Not the relay's own
    recv_exact (anonpi_helpers/edges/relay_upstream.py): that one raises the relay's
    ProtocolError, where a fake's hung-up peer must be the OSError a Listener ends that
    connection on; and a fake peer reading with the code under test could share its faults."""
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class Listener:
    """`threaded`: each connection is served in a thread of its own, for a fake that carries
    several at once (a SOCKS5 upstream holding a tunnel open while the next CONNECT comes)."""

    def __init__(self, port: int = 0, serve=None, *, threaded: bool = False):
        self.sock = socket.create_server(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self._serve_one = serve
        self._threaded = threaded
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self._threaded:
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()
            else:
                self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            if self._serve_one is None:
                return
            try:
                self._serve_one(conn)
            except OSError:
                pass

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
