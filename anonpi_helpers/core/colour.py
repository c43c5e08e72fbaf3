"""Colour for people, not for pipes unless asked. Pure: the caller passes the facts
(edges.terminal.colour_on: is the stream a terminal, and the environment)."""

from collections.abc import Mapping

# SGR codes: status words of doctor, the `anon-pi:` of an error, table headers.
_SGR = {"ok": "32", "FAIL": "1;31", "warn": "33", "error": "1;31", "header": "1"}


def colour_wanted(env: Mapping[str, str], is_terminal: bool, choice: str | None = None) -> bool:
    """`--color=always|never` first; then NO_COLOR set and non-empty turns it off (no-color.org);
    FORCE_COLOR or CLICOLOR_FORCE set to anything but empty or `0` turns it on even in a pipe
    (the Node and bixense conventions); else a terminal whose TERM is not `dumb`."""
    if choice in ("always", "never"):
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if any(env.get(k, "") not in ("", "0") for k in ("FORCE_COLOR", "CLICOLOR_FORCE")):
        return True
    return is_terminal and env.get("TERM") != "dumb"


def paint(text: str, style: str, on: bool) -> str:
    """`text` wrapped in the style's escape codes when `on`, else unchanged."""
    if not on or style not in _SGR:
        return text
    return f"\x1b[{_SGR[style]}m{text}\x1b[0m"
