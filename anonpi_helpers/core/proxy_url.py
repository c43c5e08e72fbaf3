"""What a typed proxy means: the one reading init's prompt and `anon-pi config set proxy`
share, so a value either of them stores is one the other would have taken. Pure."""

from .addresses import split_host_port


def _split_proxy(text: str) -> tuple[str | None, str | None]:
    """`[scheme://][user:pw@]host:port[/...]` -> (scheme or None, `[user:pw@]host:port`)."""
    v = text.strip()
    scheme, sep, rest = v.partition("://")
    if not sep:
        scheme, rest = None, v
    rest = rest.split("/", 1)[0]
    userinfo, at, hostport = rest.rpartition("@")
    host, port = split_host_port(hostport.lower())
    if not host or port is None or any(c.isspace() for c in rest):
        return scheme, None
    return scheme, f"{userinfo}{at}{host}:{port}"


def proxy_url(text: str) -> str | None:
    """`[socks5h://][user:pw@]host:port[/...]` -> `socks5h://[user:pw@]host:port`, else None.

    Credentials are kept (authenticated SOCKS works). A bare host:port means socks5h; an
    explicit `socks5://` is refused (see socks5_offer): it would resolve names on the host.
    """
    scheme, target = _split_proxy(text)
    if target is None or (scheme is not None and scheme.lower() != "socks5h"):
        return None
    return f"socks5h://{target}"


def socks5_offer(text: str) -> str | None:
    """A typed `socks5://host:port` -> the socks5h:// form to OFFER (never taken silently)."""
    scheme, target = _split_proxy(text)
    if target is None or scheme is None or scheme.lower() != "socks5":
        return None
    return f"socks5h://{target}"
