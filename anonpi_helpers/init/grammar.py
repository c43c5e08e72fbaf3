"""What an answer at init's proxy prompts means: a listed number, or a host:port with a
numeric port (never a bare number taken for a host); a `[Y/n]` that re-asks on anything but
y, yes, n, no or Enter (the original took `nope` for yes)."""

from ..core.numbers import ascii_int
from ..core.proxy_url import proxy_url, socks5_offer

__all__ = ["CHOICE_HINT", "parse_choice", "parse_confirm", "proxy_url", "socks5_offer",
           "socks5_refusal"]

CHOICE_HINT = "pick a listed number or enter host:port (a numeric port is required)"


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
