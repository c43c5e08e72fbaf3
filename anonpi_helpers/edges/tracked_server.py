"""What the launch's egress relay (edges/egress_relay.py) and the set-up bridge
(edges/setup_bridge.py) have in common: both are servers on loopback, run in threads of
anon-pi's own process for exactly as long as what they serve (a launch; a build or pull), and
both copy each client's bytes to and from a tunnel through the user's proxy. One copy of that
here, so stopping works the same way in both.

`TrackedServer` keeps every socket a server has open and every thread it started, so that
`close()` leaves none of them behind: it marks the server closed (from then on a socket handed
to `track` is closed at once), shuts down the listeners (waking their accept) and every open
socket (waking a recv, select or connect), waits for the accepting threads and only then for
the others: once no accept loop runs, none can start another, so every thread is waited for.
Threads are daemons: one stuck past its join timeout never holds up anon-pi's exit.

Only socket, select and threading are imported: the relay is loaded on every launch.
"""

import select
import socket
import threading

CHUNK = 65536
JOIN_TIMEOUT = 5.0  # how long close() waits for each thread


class TrackedServer:
    """A server's listeners, open sockets and threads. A subclass serves each accepted
    client in `_serve(client)`, on a thread of its own; `on_death` is called should a
    listener fail on its own (not through close())."""

    def __init__(self, on_death=None):
        self.on_death = on_death
        self._lock = threading.Lock()
        self._listeners: list[socket.socket] = []
        self._accepting: list[threading.Thread] = []
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._closed = False

    def listen(self, listener: socket.socket) -> int:
        """Accept on `listener` (already bound and listening) until close(); returns its
        port. A listener that cannot be served (the server is closed: OSError) is closed."""
        try:
            port = listener.getsockname()[1]
            with self._lock:
                if self._closed:
                    raise OSError("the server is closed")
                accepting = threading.Thread(target=self._accept, args=(listener,), daemon=True)
                accepting.start()
                self._listeners.append(listener)
                self._accepting.append(accepting)
        except BaseException:  # nothing of it stays open
            listener.close()
            raise
        return port

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                break
            if not self.track(client):
                return
            self._spawn(self._serve, client)
        with self._lock:
            died = not self._closed
        if died and self.on_death is not None:
            self.on_death()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def track(self, sock: socket.socket) -> bool:
        """Keep `sock` among those close() cuts; False (and `sock` closed) once stopping."""
        with self._lock:
            if self._closed:
                sock.close()
                return False
            self._open.add(sock)
            return True

    def forget(self, *socks) -> None:
        """Close these (None: none) and stop keeping them."""
        with self._lock:
            for sock in socks:
                if sock is not None:
                    self._open.discard(sock)
                    sock.close()

    def close(self) -> None:
        """Stop accepting, cut every connection still open (and any being made), wait for
        the threads: the accepting ones first, then every one they started."""
        with self._lock:
            self._closed = True
            listeners, self._listeners = self._listeners, []
            accepting, self._accepting = self._accepting, []
            still_open, self._open = list(self._open), set()
        for sock in [*listeners, *still_open]:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread in accept/recv/connect
            except OSError:
                pass
            sock.close()
        for thread in accepting:
            thread.join(JOIN_TIMEOUT)
        with self._lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(JOIN_TIMEOUT)

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()


def copy_streams(client: socket.socket, tunnel: socket.socket, idle_timeout: float, *,
                 both_ways: bool = True, seen=None, errors_end: bool = False) -> None:
    """Copy between `client` and `tunnel` until every direction read has ended (its peer is
    then half-closed) or all were silent for `idle_timeout` seconds. `both_ways=False`: only
    the tunnel's answer is read. `seen(sock, chunk)` is shown each chunk before it goes on. A
    failed read ends that direction like an end of stream with `errors_end`, else it is
    raised (and ends the connection)."""
    client.settimeout(None)
    tunnel.settimeout(None)
    peer = {client: tunnel, tunnel: client}
    reading = [client, tunnel] if both_ways else [tunnel]
    while reading:
        ready, _, _ = select.select(reading, [], [], idle_timeout)
        if not ready:
            return
        for sock in ready:
            try:
                chunk = sock.recv(CHUNK)
            except OSError:
                if not errors_end:
                    raise
                chunk = b""
            if chunk:
                if seen is not None:
                    seen(sock, chunk)
                peer[sock].sendall(chunk)
                continue
            reading.remove(sock)
            try:
                peer[sock].shutdown(socket.SHUT_WR)
            except OSError:
                pass
