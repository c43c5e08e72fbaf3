"""Read the jail's exit IP out of `netcage verify` output.

Only the address written after "exit IP" counts: the output also names the proxy
(`proxy: socks5h://127.0.0.1:9050`) and the host's own IP, and neither is the exit.
"""

import ipaddress
import re

_AFTER_EXIT_IP = re.compile(r"exit IP[:=]?\s+\[?([0-9A-Fa-f:.]+)", re.IGNORECASE)


def parse_exit_ip(text: str, proxy_host: str | None = None) -> str | None:
    """The first valid address after "exit IP" that is not the proxy's own host."""
    for m in _AFTER_EXIT_IP.finditer(text or ""):
        candidate = m.group(1).rstrip(".:")
        try:
            ip = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if proxy_host and candidate == proxy_host.strip("[]"):
            continue
        return str(ip)
    return None
