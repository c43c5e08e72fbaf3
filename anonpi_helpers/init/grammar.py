"""What an answer at init's proxy prompts means (init §4.5-4.6 with the §12 fixes)."""

from ..core.addresses import split_host_port

CHOICE_HINT = "pick a listed number or enter host:port (a numeric port is required)"


def proxy_url(text: str) -> str | None:
    """`[socks5[h]://][user:pw@]host:port[/...]` -> `socks5h://[user:pw@]host:port`, else None.

    Credentials are kept (authenticated SOCKS works); DNS always goes through the proxy.
    """
    v = text.strip()
    scheme, sep, rest = v.partition("://")
    if not sep:
        rest = v
    elif scheme.lower() not in ("socks5", "socks5h"):
        return None
    rest = rest.split("/", 1)[0]
    userinfo, at, hostport = rest.rpartition("@")
    host, port = split_host_port(hostport.lower())
    if not host or port is None or any(c.isspace() for c in rest):
        return None
    return f"socks5h://{userinfo}{at}{host}:{port}"


def parse_choice(answer: str, confirmed: list[str], current: str | None) -> str | None:
    """The chosen proxy URL, or None to re-ask with CHOICE_HINT."""
    text = answer.strip()
    if not text:
        return proxy_url(current) if current else None
    if text.isdigit() and confirmed:
        n = int(text)
        return proxy_url(confirmed[n - 1]) if 1 <= n <= len(confirmed) else None
    return proxy_url(text)


def parse_confirm(answer: str) -> bool | None:
    """`[Y/n]`: Enter, y, yes -> True; n, no -> False; anything else re-asks (None)."""
    text = answer.strip().lower()
    if text in ("", "y", "yes"):
        return True
    if text in ("n", "no"):
        return False
    return None
