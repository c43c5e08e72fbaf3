"""A loopback TCP listener for tests: what a proxy (or any server) looks like to a dial.

The cli harness runs one per test as its proxy (netcage dials its proxy before every run);
the contract replay runs the recording's stubs with it. Each connection is handed to `serve`
(by default it is just closed: "accepts, closes"). Tests only ever listen on 127.0.0.1.
"""
import socket
import threading


def recv_exact(sock: socket.socket, size: int) -> bytes:
    """Exactly `size` bytes from a test's peer (ConnectionError when it closes first): the
    fake proxies and clients read SOCKS5's fixed-size fields with it."""
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class Listener:
    def __init__(self, port: int = 0, serve=None):
        self.sock = socket.create_server(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self._serve_one = serve
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                if self._serve_one is not None:
                    self._serve_one(conn)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
