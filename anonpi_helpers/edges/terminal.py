"""The one terminal module (ruling 14): line prompts on stderr and the arrow-key selector.

Prompt libraries are imported lazily so the launch path never pays for them.
"""

import os
import sys

from ..core.errors import Cancelled


def has_tty() -> bool:
    """Every prompt decision keys off stdin alone."""
    try:
        return os.isatty(0)
    except OSError:
        return False


def colour_ok(stream, env) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if env.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def prompt_line(text: str, nothing: str | None = None) -> str | None:
    """Write `text` to stderr, read one line (blocking, whole-line UTF-8); None on EOF.

    With `nothing`, Ctrl-C is a cancel (ruling 12: exit 130, "cancelled; nothing <nothing>")
    and after EOF or Ctrl-C the next message starts on a fresh line, not after the prompt.
    Without it, KeyboardInterrupt propagates and the caller handles both.
    """
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
        raw = sys.stdin.buffer.readline()
    except KeyboardInterrupt:
        if nothing is None:
            raise
        sys.stderr.write("\n")
        raise Cancelled(nothing) from None
    if not raw:
        if nothing is not None:
            sys.stderr.write("\n")
        return None
    return raw.decode("utf-8", errors="replace").rstrip("\n").rstrip("\r")


def ask_yes_no(text: str, nothing: str | None = None) -> bool:
    """Yes only for y/yes (any case, trimmed); anything else, or EOF, is No."""
    answer = prompt_line(text, nothing)
    return answer is not None and answer.strip().lower() in ("y", "yes")


def select(header: str, labels: list[str], nothing: str) -> int:
    """Arrow-key picker on stdout; returns the chosen index or raises Cancelled(nothing)."""
    from . import selector

    return selector.run(header, labels, nothing)
