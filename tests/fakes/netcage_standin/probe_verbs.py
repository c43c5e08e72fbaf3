"""ports, forward, detect-proxy, setup-default: netcage's verbs that need no proxy.

- `ports <c> [--json]` reads the jail's TCP listeners from the sidecar's /proc/net/tcp{,6}
  (tool and sidecar share one network namespace, so netcage's own DNS forwarder shows as
  127.0.0.1:53): `[{"address","port","loopbackOnly"}]` sorted by port, or a table.
- `forward [--bind 127.0.0.1|0.0.0.0] <c> [hostPort:]jailPort` relays a host port into the jail:
  socat listens on the host and runs `podman exec -i <sidecar> nc 127.0.0.1 <port>` per
  connection (the sidecar ships nc). It runs until Ctrl-C, then exits 0.
- `detect-proxy [--json]` probes 127.0.0.1:9050, 9150 and 1080: open or not, and whether the
  port answers a SOCKS5 greeting. With a confirmed port netcage tries to stand up a whole jail
  to show the exit IP; where that fails (podman 4.3.1) it says nothing about it.
- `setup-default` is interactive onboarding (it detects, verifies and writes a default proxy);
  only its argv rules are recorded.

Their argv errors exit 2 with the usage text; refusals after parsing exit 1.
"""
import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from . import canned, sidecar
from .gostr import atoi, listing, quote
from .jail_verbs import dns_helper
from .managed import read_labels, sidecar_name, tool_name
from .outcome import refused, usage_error
from .podman import exit_text, podman, store
from .proxy import Proxy

DETECT_PORTS = ((9050, "Tor default"), (9150, "Tor Browser default"),
                (1080, "generic SOCKS (wireproxy / ssh -D / other)"))


def ports_verb(args, gen, real: bool) -> int:
    want_json, name = _ports_args(args, gen)
    if not real:
        status = canned.answer(*canned.stems("ports", args))
        if status is None:
            print("[]" if want_json else "no TCP listeners in the jail")
        return status or 0
    run_id = _resolve_run("ports", name)
    side = sidecar_name(run_id)
    res = podman("inspect", "--format", "{{ .State.Running }}", side)
    if res.code != 0:
        raise refused("ports", f"cannot list ports for {quote(name)}: its jail is unavailable "
                      f"(inspect failed): {exit_text(res.code)}; run `netcage start {name}` first")
    if res.out != "true":
        raise refused("ports", f"cannot list ports for {quote(name)}: its forced-egress jail is "
                      "not running (the jail is stopped, nothing to enumerate); run `netcage "
                      f"start {name}` first to revive it")
    bodies = []
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        res = podman("exec", side, "cat", path)
        if res.code != 0:
            detail = f": {res.err}" if res.err else ""
            raise refused("ports", f"reading {path} via the sidecar {quote(side)} failed: "
                          f"{exit_text(res.code)}{detail}")
        bodies.append(res.out)
    listeners = sorted(_listeners(bodies[0], 4) + _listeners(bodies[1], 6),
                       key=lambda row: (row["port"], row["address"]))
    sys.stdout.write(json.dumps(listeners, indent=2) + "\n" if want_json
                     else _ports_table(listeners))
    return 0


def _ports_args(args, gen) -> tuple[bool, str]:
    want_json, names = False, []
    for a in args:
        if a == "--json":
            want_json = True
        elif a == "--proxy" or a.startswith("--proxy="):
            raise usage_error("ports takes no --proxy: it only reads /proc to list a jail's open "
                              "TCP listeners, it does not egress (a pure read like detect-proxy)",
                              gen)
        elif a.startswith("-") and a != "-":
            raise usage_error(f"unknown flag {quote(a)}: ports accepts only --json (emit the "
                              "machine listener contract) plus the single positional <container>",
                              gen)
        else:
            names.append(a)
    if len(names) != 1:
        raise usage_error("ports takes exactly one netcage container name, got "
                          f"{len(names)} positional(s) {listing(names)}", gen)
    return want_json, names[0]


def _resolve_run(verb: str, name: str) -> str:
    """The run id of a managed name, either half of the pair (ports and forward's wording)."""
    labels = read_labels(name)
    if labels.looked_up.code != 0:
        raise refused(verb, f"{quote(name)} is not a netcage-managed container (inspect failed): "
                      f"{labels.looked_up.failure}")
    if not labels.managed:
        raise refused(verb, f"{quote(name)} is not a netcage-managed container (missing the "
                      "netcage.managed label); refusing to touch it")
    if not labels.run_id:
        raise refused(verb, f"{quote(name)} is netcage-managed but carries no run id label "
                      "(netcage.run-id); cannot resolve its containers")
    return labels.run_id


def _listeners(body: str, version: int) -> list[dict]:
    """LISTEN rows (state 0A) of /proc/net/tcp or tcp6: kernel-order hex address and port."""
    rows = []
    for line in body.splitlines():
        fields = line.split()
        if len(fields) < 4 or fields[3] != "0A":
            continue
        addr_hex, _, port_hex = fields[1].rpartition(":")
        try:
            raw = bytes.fromhex(addr_hex)
            port = int(port_hex, 16)
        except ValueError:
            continue
        if len(port_hex) != 4 or len(raw) != (4 if version == 4 else 16):
            continue
        # the kernel prints each 32-bit word in host (little-endian) order
        ip = ipaddress.ip_address(b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4)))
        if ip.version == 6 and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        rows.append({"address": str(ip), "port": port, "loopbackOnly": ip.is_loopback})
    return rows


def _ports_table(listeners: list[dict]) -> str:
    if not listeners:
        return "no TCP listeners in the jail\n"
    width = max([len("ADDRESS")] + [len(r["address"]) for r in listeners])
    lines = [f"{'ADDRESS':<{width}}  {'PORT':<5}  {'SCOPE':<14}  "]
    for r in listeners:
        note = "(netcage DNS forwarder)" if (r["address"], r["port"]) == ("127.0.0.1", 53) else ""
        scope = "loopback" if r["loopbackOnly"] else "all-interfaces"
        lines.append(f"{r['address']:<{width}}  {r['port']:<5}  {scope:<14}  {note}")
    return "\n".join(lines) + "\n"


def forward_verb(args, gen, real: bool) -> int:
    bind, name, host_port, jail_port = _forward_args(args, gen)
    if real:
        run_id = _resolve_run("forward", name)
        _require_forwardable(run_id)
    elif (status := canned.answer(*canned.stems("forward", args))) is not None:
        return status
    if bind == "0.0.0.0":
        sys.stderr.write(f"WARNING: exposing {name}:{jail_port} on ALL interfaces (0.0.0.0:"
                         f"{host_port}); any host on your LAN can reach the jailed tool's server. "
                         "Ctrl-C to stop.\n")
    print(f"forwarding http://{bind}:{host_port} -> {name}:{jail_port} (Ctrl-C to stop)",
          flush=True)
    if not real:
        return canned.linger()
    connect = f"podman --root {store()} exec -i {sidecar_name(run_id)} nc 127.0.0.1 {jail_port}"
    return _relay([f"TCP-LISTEN:{host_port},bind={bind},fork,reuseaddr", "EXEC:" + connect])


def _forward_args(args, gen) -> tuple[str, str, int, int]:
    bind, names, rest = "127.0.0.1", [], list(args)
    while rest:
        a = rest.pop(0)
        if a == "--bind" or a.startswith("--bind="):
            if a == "--bind" and not rest:
                raise usage_error("--bind requires a value (127.0.0.1 for loopback, or 0.0.0.0 "
                                  "to expose on the LAN)", gen)
            bind = a.split("=", 1)[1] if "=" in a else rest.pop(0)
            if bind not in ("127.0.0.1", "0.0.0.0"):
                raise usage_error(f"--bind {quote(bind)} is not allowed: forward accepts only "
                                  "127.0.0.1 (loopback, the default) or 0.0.0.0 (the guardrailed "
                                  "all-interfaces LAN opt-in); a specific-interface bind is out "
                                  "of scope", gen)
        elif a == "--proxy" or a.startswith("--proxy="):
            raise usage_error("forward takes no --proxy: it stands up an INBOUND loopback "
                              "forward, not an egress (it does not proxy anything)", gen)
        elif a.startswith("-") and a != "-":
            raise usage_error(f"unknown flag {quote(a)}: forward accepts only --bind (127.0.0.1 "
                              "default, or 0.0.0.0 for the guardrailed LAN opt-in) plus the "
                              "positionals <container> [hostPort:]jailPort", gen)
        else:
            names.append(a)
    if len(names) != 2:
        raise usage_error("forward takes exactly <container> [hostPort:]jailPort, got "
                          f"{len(names)} positional(s) {listing(names)}", gen)
    parts = names[1].split(":")
    if len(parts) > 2:
        raise usage_error(f"forward port {quote(names[1])} has too many colons: expected "
                          "[hostPort:]jailPort (at most one colon), e.g. 3001 or 8080:3001", gen)
    if len(parts) == 1:
        port = _forward_port(parts[0], "", gen)
        return bind, names[0], port, port
    return (bind, names[0], _forward_port(parts[0], "forward host port: ", gen),
            _forward_port(parts[1], "forward jail port: ", gen))


def _forward_port(text: str, prefix: str, gen) -> int:
    port = atoi(text)
    if port is None:
        raise usage_error(f"{prefix}forward port {quote(text)} is not a number: expected a TCP "
                          "port 1-65535", gen)
    if not 1 <= port <= 65535:
        raise usage_error(f"{prefix}forward port {port} is out of range: expected a TCP port "
                          "1-65535", gen)
    return port


def _require_forwardable(run_id: str) -> None:
    tool = tool_name(run_id)
    res = podman("inspect", "--format", "{{ .State.Running }}", tool)
    if res.code != 0:
        raise refused("forward", f"cannot forward into {quote(tool)}: it is unavailable (inspect "
                      f"failed): {exit_text(res.code)}; run `netcage start` first")
    if res.out != "true":
        raise refused("forward", f"cannot forward into {quote(tool)}: its forced-egress jail is "
                      f"not running (the tool is stopped); run `netcage start {tool}` first to "
                      "revive the jail, then relaunch the server")
    side = sidecar_name(run_id)
    res = podman("exec", side, "sh", "-c", "command -v nc")
    if res.code != 0:
        raise refused("forward", f"cannot forward: the sidecar {quote(side)} has no runnable `nc` "
                      f"connector ({exit_text(res.code)}); the pinned redirector image should "
                      "ship it - this indicates a changed/broken sidecar image")


def _relay(socat_args: list[str]) -> int:
    """socat until Ctrl-C (or SIGTERM): then the relay stops and forward exits 0. socat's
    stderr (one line per failed connection) reaches netcage's stderr as it comes."""
    stop = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda s, f: stop.append(s))
    try:
        proc = subprocess.Popen(["socat", *socat_args], stdin=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise refused("forward", 'forward relay failed: exec: "socat": executable file not '
                      "found in $PATH") from None
    captured = []
    pump = threading.Thread(target=_copy_stderr, args=(proc.stderr, captured), daemon=True)
    pump.start()
    while proc.poll() is None and not stop:
        time.sleep(0.05)
    if stop:
        proc.kill()
        proc.wait()
        return 0
    pump.join(timeout=5)
    err = b"".join(captured).decode("utf-8", "replace").strip()
    raise refused("forward", f"forward relay failed: {exit_text(proc.returncode)}"
                  + (f": {err}" if err else ""))


def _copy_stderr(source, captured: list) -> None:
    for chunk in iter(lambda: source.read1(4096), b""):
        captured.append(chunk)
        sys.stderr.buffer.write(chunk)
        sys.stderr.buffer.flush()


def detect_proxy_verb(args, gen, real: bool) -> int:
    want_json = _detect_args(args, gen)
    status = None if real else canned.answer(*canned.stems("detect-proxy", args))
    if status is not None:
        return status
    hints = _tor_hints()
    candidates = []
    for port, _ in DETECT_PORTS:
        is_open, socks5 = _probe(port)
        row = {"port": port, "open": is_open, "socks5": socks5}
        if port in hints:
            row["processHint"] = hints[port]
        candidates.append(row)
    confirmed = [c["port"] for c in candidates if c["socks5"]]
    if confirmed and real:
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
