"""What one screen of the selector (edges/selector.py) shows: plain text, no terminal I/O.

Kept apart from the terminal loop so the drawing rules can be read and tested as text:
- every row is drawn through `shown()`: rows carry names the jail or netcage wrote, and a
  filtered screen must not let their escape sequences through any more than a full one;
- a list taller than the terminal scrolls under a header that stays (wrapped at spaces to the
  terminal's width), and a row never wraps (it is clipped to the terminal's columns).
"""

import unicodedata

from ..core.select_keys import NO_MATCH
from ..core.shown import shown
from ..core.wrap import wrap_words

REVERSE, PLAIN = "\x1b[7m", "\x1b[0m"
ACTIVE_COLOUR, BOLD = "\x1b[0;7;36m", "\x1b[1m"  # the active row in cyan, the header bold


def width(text: str) -> int:
    """Terminal columns `text` takes (wide East Asian characters count two)."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, columns: int) -> str:
    """`text` cut to fit `columns`, so a long row never wraps and shifts the screen."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for c in text:
        used += width(c)
        if used > columns:
            break
        out.append(c)
    return "".join(out)


def window(active: int, top: int, count: int, height: int) -> int:
    """The first visible row: the active one stays visible with one row of context."""
    if count <= height:
        return 0
    margin = 1 if height > 2 else 0
    top = min(top, max(0, active - margin))
    top = max(top, min(active + margin, count - 1) - height + 1)
    return max(0, min(top, count - height))


def frame(header: str, labels: list[str], active: int, top: int, size,
          colour: bool = False) -> tuple[str, int, int]:
    """(the text of one frame, its height in lines, the first visible row); in colour the
    active row is cyan and the header bold. `labels` are the rows the filter leaves (none:
    a line says so), each shown escaped, and so is the header (it names a machine)."""
    columns, lines = max(size.columns, 2), max(size.lines, 2)
    head = wrap_words(shown(header, multiline=True), columns).split("\n")  # words kept whole
    head_height = sum(max(1, -(-width(line) // columns)) for line in head)
    height = max(1, lines - head_height)
    top = window(active, top, len(labels), height)
    rows = []
    for i in range(top, min(top + height, len(labels))):
        row = clip(("> " if i == active else "  ") + shown(labels[i]), columns)
        rows.append(f"{ACTIVE_COLOUR if colour else REVERSE}{row}{PLAIN}" if i == active else row)
    if not labels:
        rows.append(clip(f"  {NO_MATCH}", columns))
    if colour:
        head = [f"{BOLD}{line}{PLAIN}" for line in head]
    text = "\r\n".join(head + rows)
    return text, head_height + len(rows), top
