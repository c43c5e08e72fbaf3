"""Terminal text wrapped at word boundaries: a hint never breaks mid-word, whatever the width.

Shared by the selector's header (an edge) and the menu's re-asked name prompt (launch).
"""

import textwrap

MIN_WIDTH = 20


def wrap_words(text: str, width: int) -> str:
    """Each line of `text` filled to `width` columns, breaking only at spaces.

    A continuation line is indented two spaces past its line's own indent, so a wrapped
    `  hint: ...` stays visibly part of its hint. A word longer than the width stays whole.
    """
    width = max(width, MIN_WIDTH)
    out = []
    for line in text.split("\n"):
        indent = line[:len(line) - len(line.lstrip(" "))]
        out.append(textwrap.fill(line, width, subsequent_indent=indent + "  ",
                                 break_long_words=False, break_on_hyphens=False)
                   if line.strip() else line)
    return "\n".join(out)
