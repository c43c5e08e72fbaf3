"""Colour for people, never for pipes. Pure: the caller passes the facts
(edges.terminal.colour_on: is the stream a terminal, and the environment)."""

from collections.abc import Mapping

# SGR codes: status words of doctor, the `anon-pi:` of an error, table headers.
_SGR = {"ok": "32", "FAIL": "1;31", "warn": "33", "error": "1;31", "header": "1"}


def colour_wanted(env: Mapping[str, str], is_terminal: bool) -> bool:
    """A terminal, NO_COLOR unset or empty (no-color.org), and TERM not `dumb`."""
    return is_terminal and not env.get("NO_COLOR") and env.get("TERM") != "dumb"


def paint(text: str, style: str, on: bool) -> str:
    """`text` wrapped in the style's escape codes when `on`, else unchanged."""
    if not on or style not in _SGR:
        return text
    return f"\x1b[{_SGR[style]}m{text}\x1b[0m"
