"""Proxy and llm address rules: fail-closed socks5h, one private direct hole.

The hole bypasses the proxy, so it may lead to the model and nowhere else: never a DNS
server, a proxy or a public host (docs/design.md, rules 7 and 8)."""

import ipaddress

from .errors import AnonPiError
from .netcage_version import LOOPBACK_NETCAGE, release
from .numbers import ascii_int
from .shown import shown

PROXY_HINT = (
    "set ANON_PI_PROXY or run `anon-pi init`; e.g. Tor: socks5h://127.0.0.1:9050, "
    "ssh -D 1080: socks5h://127.0.0.1:1080, wireproxy: socks5h://127.0.0.1:25344"
)
LLM_HINT = (
    "set ANON_PI_LLM or run `anon-pi init`; e.g. ANON_PI_LLM=192.168.1.150:8080 "
    "(a private, link-local or loopback IP:port)"
)
DNS_PORTS = frozenset({53, 853, 5353})
LOOPBACK_EXTRA_PORTS = frozenset({9050, 9150, 9051, 1080})
_PRIVATE_NETS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")
)
_LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
# Link-local, but the cloud's, not a LAN's: instance metadata and its credentials (AWS, GCP,
# Azure, OpenStack, Oracle: 169.254.169.254), the provider's DNS and time servers, ECS task
# and EKS pod credentials (169.254.170.2, .23). A direct hole there hands the jail the
# host's cloud identity.
_CLOUD_METADATA = tuple(ipaddress.ip_network(n) for n in ("169.254.169.0/24", "169.254.170.0/24"))


def host_port_key(value: str) -> str:
    """`SOCKS5://u:p@LocalHost:1080/x` -> `localhost:1080`: scheme, path, userinfo dropped."""
    v = value.strip()
    if "://" in v:
        v = v.split("://", 1)[1]
    v = v.split("/", 1)[0]
    if "@" in v:
        v = v.rsplit("@", 1)[1]
    return v.lower()


def split_host_port(key: str) -> tuple[str, int | None]:
    """Split at the last ':'; the port is None when missing or not a number in 1..65535."""
    host, sep, port = key.rpartition(":")
    if not sep:
        return key, None
    number = ascii_int(port, 5)  # '²', full-width '９０５０' or 5,000 digits: no port
    if number is None or not 1 <= number <= 65535:
        return host, None
    return host, number


def check_proxy(value: str | None) -> str:
    """The proxy URL, refused unless it is `socks5h://host:port` (socks5 leaks DNS)."""
    if not value:
        raise AnonPiError("no proxy configured; refusing to launch (fail-closed).", PROXY_HINT)
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() != "socks5h":
        raise AnonPiError(
            f"proxy {shown(value)} is not a socks5h:// URL; plain socks5, http or a bare host:port "
            "would resolve DNS outside the proxy.",
            PROXY_HINT,
        )
    if any(ch.isspace() or ord(ch) < 32 or "\ud800" <= ch <= "\udfff" for ch in value):
        raise AnonPiError(f"proxy {value!r} contains whitespace, control characters or bytes "
                          "that are not UTF-8.", PROXY_HINT)
    host, port = split_host_port(host_port_key(value))
    if not host or port is None:
        raise AnonPiError(f"proxy {shown(value)} needs a host and a numeric port.", PROXY_HINT)
    return "socks5h://" + rest


def proxy_port(proxy: str) -> int | None:
    return split_host_port(host_port_key(proxy))[1]


def on_loopback(proxy: str) -> bool:
    """The proxy listens on this host's loopback (127.0.0.0/8, ::1, localhost): the host's
    own, not someone else's server."""
    host = split_host_port(host_port_key(proxy))[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_llm(value: str | None, *, loopback_ok: bool, proxy: str | None = None) -> str:
    """The llm as lower-case `IP:port`, refused unless private, link-local or loopback."""
    if not value:
        raise AnonPiError("no local model (llm) configured; refusing to launch.", LLM_HINT)
    key = host_port_key(value)
    host, port = split_host_port(key)
    if port is None:
        raise AnonPiError(f"llm {shown(value)} needs an explicit numeric port (IP:port).", LLM_HINT)
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        raise AnonPiError(f"llm {shown(value)} is not an IPv4 address; hostnames are not allowed.",
                          LLM_HINT) from None
    if ip.version != 4:
        raise AnonPiError(f"llm {shown(value)} is not an IPv4 literal.", LLM_HINT)
    if port in DNS_PORTS:
        raise AnonPiError(f"llm {shown(value)} uses a DNS port ({port}); netcage never opens a "
                          "clear-DNS hole.", LLM_HINT)
    if ip in _LOOPBACK:
        if not loopback_ok:
            raise _loopback_needs_upgrade(value)
        if port in LOOPBACK_EXTRA_PORTS or (proxy is not None and port == proxy_port(proxy)):
            raise AnonPiError(f"llm {shown(value)} points at a proxy port ({port}) on loopback.",
                              LLM_HINT)
    elif not any(ip in net for net in _PRIVATE_NETS):
        raise AnonPiError(
            f"llm {shown(value)} is not a private (RFC1918) or link-local address; the direct hole "
            "must stay on your LAN.", LLM_HINT)
    elif any(ip in net for net in _CLOUD_METADATA):
        raise AnonPiError(
            f"llm {shown(value)} is a cloud provider's metadata address, not a model server; a "
            "direct hole there would hand the jail this host's cloud credentials.", LLM_HINT)
    return f"{ip}:{port}"


def is_loopback(llm: str) -> bool:
    """A normalised `IP:port` on 127.0.0.0/8."""
    return split_host_port(llm)[0].startswith("127.")


def check_llm_generation(llm: str, loopback_ok: bool) -> str:
    """Refuse a loopback llm on a netcage that cannot reach the host (below 0.12.0).

    Kept apart from normalise_llm so a public or portless llm is refused before netcage is
    ever asked its version (quality: no netcage call at all for such input).
    """
    if is_loopback(llm) and not loopback_ok:
        raise _loopback_needs_upgrade(llm)
    return llm


def _loopback_needs_upgrade(value: str) -> AnonPiError:
    return AnonPiError(f"llm {shown(value)} is on loopback, which needs netcage "
                       f"{release(LOOPBACK_NETCAGE)} or newer.",
                       "upgrade netcage, or serve the model on a private LAN address")


def jail_llm_base_url(llm: str) -> str:
    """Inside the jail the host's loopback is 169.254.1.1 (netcage maps it there), so a
    loopback model's baseUrl names that address while netcage is given 127.0.0.1."""
    host, port = split_host_port(llm)
    if is_loopback(llm):
        host = "169.254.1.1"
    return f"http://{host}:{port}/v1"
