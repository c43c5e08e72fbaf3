"""The one shape of every HTTP request anon-pi makes from the host: to a model server.

A model server controls every byte it answers, and init asks it on the host's own network,
outside the jail. So each request here:
- goes only to an address a model may have: an IPv4 literal on loopback, or the private or
  link-local model address the user gave (the llm rules), never a name (no DNS lookup on the
  host) and never a public address;
- uses http.client, which never follows a redirect (a `302` to a tracker stays unanswered)
  and never reads `http_proxy`, `all_proxy` or `no_proxy`;
- has a connect deadline and one overall deadline from connect to the last byte (a server
  that trickles one byte a second cannot hold init), and reads at most CAP bytes.
"""

import json
import time

from ..core.addresses import normalise_llm
from ..core.errors import AnonPiError
from ..core.jsonfmt import loads_any

CONNECT_TIMEOUT = 1.0
DEADLINE = 2.5
CAP = 1 << 20


def allowed(host: str, port: int) -> bool:
    """Whether `host:port` is an address a local model may have (checked before any packet)."""
    try:
        return normalise_llm(f"{host}:{port}", loopback_ok=True) == f"{host}:{port}"
    except AnonPiError:
        return False


def fetch_json(host: str, port: int, path: str, body: dict | None = None, *,
               any_status: bool = False, deadline: float = DEADLINE):
    """The JSON value a model server answers (GET, or POST with a JSON `body`), or None:
    refused address, connection error, a status other than 200 (unless `any_status`: a
    listing's body may still list), too slow, too big or not JSON."""
    import http.client
    import threading

    if not allowed(host, port):
        return None
    end = time.monotonic() + deadline
    conn = http.client.HTTPConnection(host, port, timeout=min(CONNECT_TIMEOUT, deadline))
    watchdog = None
    try:
        conn.connect()
        sock = conn.sock  # the response may drop conn.sock; the socket itself stays ours
        # At the deadline the socket is shut: a read blocked on headers or body ends at once.
        fired: list[bool] = []
        watchdog = threading.Timer(max(end - time.monotonic(), 0), _shut, (sock, fired))
        watchdog.daemon = True
        watchdog.start()
        sock.settimeout(max(end - time.monotonic(), 0.01))
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload else {}
        conn.request("POST" if payload else "GET", path, body=payload, headers=headers)
        resp = conn.getresponse()
        if resp.status != 200 and not any_status:
            return None
        data = b""
        while len(data) <= CAP and time.monotonic() < end:
            chunk = resp.read1(65536)
            if not chunk:
                return None if fired else loads_any(data.decode("utf-8", errors="replace"))
            data += chunk
        return None
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        conn.close()


def _shut(sock, fired: list) -> None:
    """The deadline passed: what arrived so far is not an answer, even if it parses."""
    import socket

    fired.append(True)
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: the request ended in time
