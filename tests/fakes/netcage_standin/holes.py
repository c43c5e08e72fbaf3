"""The direct hole: one value of `--allow` (0.12+) or `--allow-direct` (0.11), checked as
netcage does.

The hole is the one place the jailed tool may reach without the proxy (the model on the LAN or
on the host's loopback), so netcage is strict about it. Its rules, in the order netcage applies
them (the first broken rule is the one reported):

1. a port after the last `:` must be a number 1..65535 (an IPv6 literal without brackets has
   no port part);
2. 0.12+: a value without a port is refused: an all-ports hole to a host that runs a proxy would
   let the tool egress the whole internet from the real IP;
3. the host part must be an IP or CIDR literal (a name cannot resolve through the proxy);
4. 0.12+: a value inside 127.0.0.0/8 reaches the HOST's loopback (dialled in the jail as
   169.254.1.1); its ports 53, 9050, 9150, 9051 and 1080 are refused (DNS, Tor and SOCKS ports:
   the anonymizer's control surface);
5. anything else must lie inside 10/8, 172.16/12, 192.168/16 or 169.254/16 (0.11 stops here);
6. 0.12+: LAN ports 53, 853 and 5353 are refused (a direct DNS query can reveal the public IP).
"""
import ipaddress
from dataclasses import dataclass

from .gostr import atoi
from .gostr import quote as _q

PRIVATE = [ipaddress.ip_network(n) for n in
           ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")]
HOST_LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
LAN_DNS_PORTS = {53: "clear DNS", 853: "DNS-over-TLS", 5353: "mDNS"}
LOOPBACK_BLOCKED = {
    53: "clear DNS: DNS stays on the jail's proxy-side socks5h forwarder, never a direct "
        "loopback query (ADR-0018)",
    9050: "conventional Tor SocksPort: allowing it lets the tool skip the forced path",
    9150: "conventional Tor Browser SocksPort: allowing it lets the tool skip the forced path",
    9051: "conventional Tor CONTROL port: a self-deanonymization vector (GETINFO / SIGNAL NEWNYM "
          "/ circuit inspection)",
    1080: "conventional generic SOCKS port: allowing it lets the tool skip the forced path",
}


@dataclass(frozen=True)
class Hole:
    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int  # 0 = every port (0.11 only)
    raw: str
    host_loopback: bool = False


class HoleError(Exception):
    """A refused hole value; the message is netcage's reason (the caller adds the prefix)."""


def parse_hole(raw: str, gen) -> Hole:
    flag = gen.hole_flag
    value = raw.strip()
    if not value:
        if gen.allow_direct:
            raise HoleError(f"empty {flag} value: expected an RFC1918/link-local IP or CIDR, "
                            "optionally with :port")
        raise HoleError(f"empty {flag} value: expected an RFC1918/link-local IP or CIDR WITH a "
                        ":port (e.g. 192.168.1.150:8080)")
    host, port = _split_port(value, flag)
    if port == 0 and not gen.allow_direct:
        raise HoleError(
            f"{flag} {_q(raw)} omits the port: a direct exemption MUST name an exact TCP port "
            f"(add :port, e.g. {value}:8080). The all-ports form is refused because a forwarding "
            "proxy on an unspecified port on that host would let the jailed tool egress the whole "
            "internet from your real IP around the forced path (deanonymization); allow exactly "
            "the one service you need")
    network = _network(host, value, flag)
    if not gen.allow_direct and _within(network, HOST_LOOPBACK):
        if port in LOOPBACK_BLOCKED:
            raise HoleError(
                f"{flag} {_q(raw)} targets host-loopback port {port} ({LOOPBACK_BLOCKED[port]}): "
                "host loopback is where the anonymizer's control surface lives, so this port is "
                f"refused (a {flag} 127.0.0.1:<port> reaches a HOST service via the reachback, "
                "not the container's own loopback)")
        return Hole(network, port, raw, host_loopback=True)
    if not any(_within(network, r) for r in PRIVATE):
        also = "" if gen.allow_direct else " or the host loopback (127.0.0.0/8)"
        raise HoleError(
            f"{flag} {_q(raw)} is not a private address: only RFC1918 / link-local ranges "
            f"(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16){also} may be reached "
            "directly; a public destination would leak your real IP around the jail")
    if not gen.allow_direct and port in LAN_DNS_PORTS:
        raise HoleError(
            f"{flag} {_q(raw)} targets port {port} ({LAN_DNS_PORTS[port]}): a direct DNS hole to "
            "a LAN resolver is refused because a @LAN-resolver query can reveal the local "
            "network's public IP (deanonymization); DNS stays on the jail's proxy-side socks5h "
            "forwarder, never direct to the LAN")
    return Hole(network, port, raw)


def refuse_proxy_port(holes, proxy) -> None:
    """0.12+: a host-loopback hole on the proxy's own port would let the tool dial the proxy's
    SOCKS surface directly, around the forced path."""
    if proxy.host not in ("127.0.0.1", "::1", "localhost") or not proxy.port.isdigit():
        return
    for hole in holes:
        if hole.host_loopback and hole.port == int(proxy.port):
            raise HoleError(
                f"--allow {_q(hole.raw)} targets host-loopback port {hole.port}, which is the "
                "CONFIGURED proxy port: refused because allowing it would let the jailed tool "
                "dial the proxy's SOCKS surface directly on host loopback and bypass the forced "
                "path")


def _split_port(value: str, flag: str) -> tuple[str, int]:
    if ":" not in value or (value.count(":") > 1 and "]" not in value):
        return value, 0
    host, _, text = value.rpartition(":")
    if not text:
        raise HoleError(f"{flag} {_q(value)} has an empty port after ':': expected :<1-65535>")
    number = atoi(text)
    if number is None:
        raise HoleError(f"{flag} {_q(value)} has a non-numeric port {_q(text)}: "
                        "expected :<1-65535>")
    if not 1 <= number <= 65535:
        raise HoleError(f"{flag} {_q(value)} has an out-of-range port {number}: "
                        "expected :<1-65535>")
    return host, number


def _network(host: str, value: str, flag: str):
    if "/" in host:
        try:
            return ipaddress.ip_network(host, strict=False)
        except ValueError:
            raise HoleError(f"{flag} {_q(value)} is not a valid CIDR: invalid CIDR address: "
                            f"{host} (IP/CIDR literals only; hostnames are unsupported)") from None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        raise HoleError(f"{flag} {_q(value)} is not a valid IP or CIDR literal (hostnames are "
                        "unsupported: a LAN name cannot resolve through the proxy)") from None
    if getattr(ip, "ipv4_mapped", None):  # ::ffff:a.b.c.d is an IPv4 address to netcage
        ip = ip.ipv4_mapped
    return ipaddress.ip_network(ip)


def _within(network, whole) -> bool:
    return network.version == whole.version and network.subnet_of(whole)


