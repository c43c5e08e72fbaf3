"""The tun2socks sidecar netcage starts first for every jail, and the firewall baked into it.

The sidecar owns the jail's network: pasta gives it a network namespace (`-I netcage0`, and
`--map-host-loopback 169.254.1.1` when the proxy or a hole is on the host's loopback), tun2socks
sends every TCP connection to the proxy (`PROXY=socks5://...`), `TUN_EXCLUDED_ROUTES` keeps the
proxy's address and each LAN hole off the tunnel, and `EXTRA_COMMANDS` is the firewall script:
loopback UDP for the DNS forwarder, the proxy's port, each hole's network and port, then UDP,
the rest of the host's loopback and (with a LAN hole) every private range dropped.

These three variables are what `netcage start` later reads back from the sidecar and compares
with the ones its own flags would bake ("reconcile"): a different proxy, userinfo, or hole means
a different jail, refused. The stand-in builds them exactly as the recorded sidecar argv shows.
"""
from .proxy import sidecar_url

MAPPED_LOOPBACK = "169.254.1.1"
SIDECAR_IMAGE = ("docker.io/xjasonlyu/tun2socks@sha256:"
                 "aa931665f4a3ad9be7bc1ea5117c41471c20a770a62490e38090c839c1fef107")
PRIVATE_DROPS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")


def baked_env(proxy, holes) -> dict[str, str]:
    """PROXY, TUN_EXCLUDED_ROUTES and EXTRA_COMMANDS for this proxy and these holes."""
    return {"TUN_EXCLUDED_ROUTES": _excluded_routes(proxy, holes), "PROXY": sidecar_url(proxy),
            "EXTRA_COMMANDS": _firewall(proxy, holes)}


def _uses_map(proxy, holes) -> bool:
    return proxy.on_host_loopback or any(h.host_loopback for h in holes)


def _destination(hole) -> str:
    return MAPPED_LOOPBACK if hole.host_loopback else str(hole.network)


def _excluded_routes(proxy, holes) -> str:
    routes = [(MAPPED_LOOPBACK if proxy.on_host_loopback else proxy.host) + "/32"]
    for hole in holes:
        route = _destination(hole) + ("/32" if hole.host_loopback else "")
        if route not in routes:
            routes.append(route)
    return ",".join(routes)


def _firewall(proxy, holes) -> str:
    lines = ["set -e", "iptables -A OUTPUT -p udp -d 127.0.0.0/8 -j ACCEPT",
             "ip6tables -A OUTPUT -p udp -d ::1/128 -j ACCEPT"]
    if proxy.on_host_loopback:
        lines.append(f"iptables -A OUTPUT -p tcp -d {MAPPED_LOOPBACK} --dport {proxy.port} "
                     "-j ACCEPT")
    for hole in holes:
        port = f" --dport {hole.port}" if hole.port else ""
        lines.append(f"iptables -A OUTPUT -p tcp -d {_destination(hole)}{port} -j ACCEPT")
    lines += ["iptables -A OUTPUT -p udp -j DROP", "ip6tables -A OUTPUT -p udp -j DROP"]
    if _uses_map(proxy, holes):
        lines.append(f"iptables -A OUTPUT -d {MAPPED_LOOPBACK} -j DROP")
    if any(not h.host_loopback for h in holes):
        lines += [f"iptables -A OUTPUT -d {r} -j DROP" for r in PRIVATE_DROPS]
    return "\n".join(lines) + "\n"


def run_args(run_id: str, proxy, holes, dns_helper: str) -> list[str]:
    """`podman run -d ...` for the sidecar of run `run_id` (after netcage's `--root <store>`)."""
    pasta = ["-I", "netcage0"]
    if _uses_map(proxy, holes):
        pasta += ["--map-host-loopback", MAPPED_LOOPBACK]
    env = baked_env(proxy, holes)
    return ["run", "-d", "--name", f"netcage-run-{run_id}-sidecar",
            "--label", "netcage.managed=true", "--label", "netcage.role=sidecar",
            "--label", f"netcage.run-id={run_id}",
            "--network", "pasta:" + ",".join(pasta), "--cap-add", "NET_ADMIN",
            "--device", "/dev/net/tun", "-e", "CLONE_MAIN=0",
            "-e", "TUN_EXCLUDED_ROUTES=" + env["TUN_EXCLUDED_ROUTES"],
            "-e", "PROXY=" + env["PROXY"], "-e", "EXTRA_COMMANDS=" + env["EXTRA_COMMANDS"],
            "-v", f"{dns_helper}:/usr/local/bin/netcage-dns:ro", SIDECAR_IMAGE]
