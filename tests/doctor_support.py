"""Local stand-ins for what doctor dials: a tiny SOCKS5 responder and a bare TCP listener."""

import socket
import threading


class Responder:
    """Accepts connections on 127.0.0.1, records what arrives, answers `reply` (or nothing)."""

    def __init__(self, reply: bytes | None, *, close_at_once: bool = False):
        self.reply = reply
        self.close_at_once = close_at_once
        self.received: list[bytes] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                if self.close_at_once:
                    continue
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(16))
                    if self.reply is not None:
                        conn.sendall(self.reply)
                    conn.recv(16)  # hold the line until the client hangs up
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.close()


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]
