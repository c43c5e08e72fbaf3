"""Colour for people, never for pipes (issue 14 §8). Pure: the caller says whether it is on
(edges.terminal.colour_on decides: a terminal, no NO_COLOR, not TERM=dumb)."""

# SGR codes: status words of doctor, the `anon-pi:` of an error, table headers.
_SGR = {"ok": "32", "FAIL": "1;31", "warn": "33", "error": "1;31", "header": "1"}


def paint(text: str, style: str, on: bool) -> str:
    """`text` wrapped in the style's escape codes when `on`, else unchanged."""
    if not on or style not in _SGR:
        return text
    return f"\x1b[{_SGR[style]}m{text}\x1b[0m"
