"""`netcage forward [--bind 127.0.0.1|0.0.0.0] <c> [hostPort:]jailPort`: a host port into the jail.

netcage checks the tool is running and the sidecar has `nc`, prints where it forwards (and a
warning for 0.0.0.0), then runs socat on the host: it listens and, per connection, runs
`podman exec -i <sidecar> nc 127.0.0.1 <port>`. It runs until Ctrl-C, then exits 0; a port
nothing listens on still forwards, and each connection then logs nc's "can't connect".
"""
import signal
import subprocess
import sys
import threading
import time

from . import canned
from .gostr import atoi, listing, quote
from .managed import resolve_run, sidecar_name, tool_name
from .outcome import refused, usage_error
from .podman import exit_text, podman, store


def forward_verb(args, gen, real: bool) -> int:
    bind, name, host_port, jail_port = _forward_args(args, gen)
    if real:
        run_id = resolve_run("forward", name)
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
