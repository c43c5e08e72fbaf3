"""`netcage detect-proxy [--json]` and `netcage setup-default`: finding the user's proxy.

detect-proxy probes 127.0.0.1:9050 (Tor), 9150 (Tor Browser) and 1080 (generic): open or not,
and whether the port answers a SOCKS5 greeting (an open port is not enough); a process named
`tor` adds a hint to 9050/9150. With a confirmed port netcage tries to stand up a whole jail to
show the exit IP; where that fails (podman 4.3.1 cannot start the sidecar) it says nothing
about it. setup-default is interactive onboarding (it detects, verifies and writes a default
proxy); only its argv rules are recorded.
"""
import json
import os
import socket
import sys
import time

from . import canned, sidecar
from .gostr import quote
from .jail_verbs import dns_helper
from .managed import sidecar_name, tool_name
from .outcome import usage_error
from .podman import podman
from .proxy import Proxy

DETECT_PORTS = ((9050, "Tor default"), (9150, "Tor Browser default"),
                (1080, "generic SOCKS (wireproxy / ssh -D / other)"))


def detect_proxy_verb(args, gen, real: bool) -> int:
    want_json = _detect_args(args, gen)
    if not real:  # the host's own ports are no test's to control: canned, or nothing
        return canned.answer(*canned.stems("detect-proxy", args)) or 0
    hints = _tor_hints()
    candidates = []
    for port, _ in DETECT_PORTS:
        is_open, socks5 = _probe(port)
        row = {"port": port, "open": is_open, "socks5": socks5}
        if port in hints:
            row["processHint"] = hints[port]
        candidates.append(row)
    confirmed = [c["port"] for c in candidates if c["socks5"]]
    if confirmed:
        _try_exit_ip_jail(confirmed[0])
    if want_json:
        print(json.dumps({"schemaVersion": 1, "candidates": candidates}, indent=2))
        return 0
    sys.stdout.write(_detect_human(candidates))
    return 0


def _detect_args(args, gen) -> bool:
    want_json = False
    for a in args:
        if a == "--json":
            want_json = True
        elif a == "--proxy" or a.startswith("--proxy="):
            raise usage_error("detect-proxy takes no --proxy: it is looking FOR a proxy, not "
                              "egressing through one (run `netcage verify` to test a specific "
                              "proxy)", gen)
        elif a.startswith("-") and a != "-":
            raise usage_error(f"unknown flag {quote(a)}: detect-proxy accepts only --json (it "
                              "probes the common local SOCKS ports and carries no proxy)", gen)
        else:
            raise usage_error(f"detect-proxy takes no positional arguments, got {quote(a)} (it "
                              "probes the fixed common SOCKS ports 9050/9150/1080)", gen)
    return want_json


def _tor_hints() -> dict[int, str]:
    """netcage's only process hint: a process named `tor` makes 9050/9150 "likely Tor"."""
    names = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as fh:
                    names.add(fh.read().strip().lower())
            except OSError:
                continue
    hint = "a `tor` process is running -> likely Tor"
    return {9050: hint, 9150: hint} if "tor" in names else {}


def _probe(port: int) -> tuple[bool, bool]:
    """(open, answers the SOCKS5 no-auth greeting) for 127.0.0.1:port."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=2)
    except OSError:
        return False, False
    with sock:
        try:
            sock.sendall(b"\x05\x01\x00")
            reply = b""
            while len(reply) < 2:
                chunk = sock.recv(2 - len(reply))
                if not chunk:
                    return True, False
                reply += chunk
        except OSError:
            return True, False
    return True, reply[0] == 5


def _try_exit_ip_jail(port: int) -> None:
    """netcage's attempt at a whole jail through the confirmed proxy, to show its exit IP; the
    stand-in makes the same sidecar call, then removes whatever it made (no exit IP shown)."""
    helper = dns_helper()
    if helper is None:
        return
    run_id = str(time.time_ns())
    podman(*sidecar.run_args(run_id, Proxy("127.0.0.1", str(port)), [], helper))
    for name in (tool_name(run_id), sidecar_name(run_id)):
        podman("rm", "-f", "-i", name)


def _detect_human(candidates: list[dict]) -> str:
    notes = dict(DETECT_PORTS)
    lines = ["netcage detect-proxy findings (evidence only):"]
    for c in candidates:
        if c["socks5"]:
            state = "open, SOCKS5 confirmed"
        elif c["open"]:
            state = "open, but NOT confirmed SOCKS5 (an open port is not enough)"
        else:
            state = "closed"
        line = f"  127.0.0.1:{c['port']}  {state}  [{notes[c['port']]}]"
        if c.get("processHint"):
            line += f"  hint: {c['processHint']}"
        lines.append(line)
    if not any(c["socks5"] for c in candidates):
        lines.append("  no SOCKS5 proxy confirmed on the common ports. Start one (e.g. Tor) or "
                     "pass its host:port to `netcage setup-default`.")
    return "\n".join(lines) + "\n"


def setup_default_verb(args, gen) -> int:
    for a in args:
        if a == "--proxy" or a.startswith("--proxy="):
            raise usage_error("setup-default takes no --proxy: it is INTERACTIVE onboarding that "
                              "detects/asks for the proxy to persist as the default (pass one "
                              "transiently with `netcage run --proxy ...` instead)", gen)
        if a.startswith("-") and a != "-":
            raise usage_error(f"unknown flag {quote(a)}: setup-default takes no flags (it is "
                              "interactive onboarding that detects/chooses/verifies/persists a "
                              "default proxy)", gen)
        raise usage_error(f"setup-default takes no positional arguments, got {quote(a)} (it is "
                          "interactive: it detects the proxy and prompts for the choice)", gen)
    status = canned.answer("setup-default")
    return canned.linger() if status is None else status
