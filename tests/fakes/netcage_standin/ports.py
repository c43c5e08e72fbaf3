"""`netcage ports <c> [--json]`: the TCP listeners of a running jail.

netcage reads them from the sidecar's /proc/net/tcp and /proc/net/tcp6 (tool and sidecar share
one network namespace, so its own DNS forwarder shows as 127.0.0.1:53) and prints
`[{"address","port","loopbackOnly"}]` sorted by port, or a table; either half's name or id
works, a stopped jail is refused. Argv errors exit 2 with the usage text, refusals exit 1.
"""
import ipaddress
import json
import sys

from . import canned
from .gostr import listing, quote
from .managed import resolve_run, sidecar_name
from .outcome import refused, usage_error
from .podman import exit_text, podman


def ports_verb(args, gen, real: bool) -> int:
    want_json, name = _ports_args(args, gen)
    if not real:
        status = canned.answer(*canned.stems("ports", args))
        if status is None:
            print("[]" if want_json else "no TCP listeners in the jail")
        return status or 0
    run_id = resolve_run("ports", name)
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
