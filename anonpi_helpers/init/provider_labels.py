"""Never name an exit provider: a SOCKS port cannot prove who is behind it."""

FORBIDDEN_PROVIDER_LABELS = (
    "mullvad", "proton", "nordvpn", "nord vpn", "expressvpn", "express vpn", "surfshark",
    "ivpn", "pia", "private internet access", "cyberghost", "windscribe",
)
WITHHELD = "(a hint naming a service was withheld: a SOCKS port cannot prove its exit)"
TOR_NOTE = "a `tor` process is running -> likely Tor (local software; its exit relays vary)"
WIREPROXY_NOTE = ("a `wireproxy` process is running: a SOCKS front-end for some WireGuard "
                  "tunnel whose operator is not observable from here")


def names_provider(text: str) -> bool:
    low = text.lower()
    return any(label in low for label in FORBIDDEN_PROVIDER_LABELS)


def scrub(text: str) -> str:
    """Untrusted hint text (e.g. from netcage) is shown only when it names no provider."""
    return WITHHELD if names_provider(text) else text


def process_note(process_names: list[str]) -> str | None:
    """tor wins over wireproxy by rule, not by process order (which `ps` does not fix)."""
    names = {n.rsplit("/", 1)[-1].strip().lower() for n in process_names}
    if "tor" in names:
        return TOR_NOTE
    if any(n.startswith("wireproxy") for n in names):
        return WIREPROXY_NOTE
    return None
