"""What an answer at init's proxy prompts means: a listed number, or a host:port with a
numeric port (never a bare number taken for a host); a `[Y/n]` that re-asks on anything but
y, yes, n, no or Enter (the original took `nope` for yes)."""

from ..core.addresses import split_host_port
from ..core.numbers import ascii_int

CHOICE_HINT = "pick a listed number or enter host:port (a numeric port is required)"


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


def socks5_refusal(typed: str, offer: str) -> str:
    return (f"anon-pi: {typed.strip()} is socks5://, which lets names be resolved outside the "
            "proxy (a DNS leak); anon-pi only uses socks5h:// (names resolved by the proxy).\n"
            f"  hint: press Enter to use {offer} instead, or enter another proxy")


def parse_choice(answer: str, confirmed: list[str], current: str | None) -> str | None:
    """The chosen proxy URL, or None to re-ask with CHOICE_HINT."""
    text = answer.strip()
    if not text:
        return proxy_url(current) if current else None
    if text.isascii() and text.isdigit() and confirmed:
        n = ascii_int(text)
        return proxy_url(confirmed[n - 1]) if n is not None and 1 <= n <= len(confirmed) else None
    return proxy_url(text)


def parse_confirm(answer: str, default: bool = True) -> bool | None:
    """`[Y/n]` (or `[y/N]` with default False): Enter -> default; y, yes -> True; n, no ->
    False; anything else re-asks (None)."""
    text = answer.strip().lower()
    if not text:
        return default
    if text in ("y", "yes"):
        return True
    if text in ("n", "no"):
        return False
    return None
