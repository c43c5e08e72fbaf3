"""Go's formatting of the values netcage puts in its messages (its %q and its %v of a list).

netcage is written in Go; its refusals quote the offending value with %q and print argument
lists with %v, so the stand-in must spell them the same way to print the same bytes.
"""


def quote(text: str) -> str:
    """A string as Go's %q writes it: double quotes, backslash escapes for quotes, backslashes and
    control characters; printable Unicode kept as is."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        elif 0x80 <= ord(ch) < 0xA0:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def listing(items) -> str:
    """A []string as Go's %v writes it: `[a b c]`."""
    return "[" + " ".join(items) + "]"


def atoi(text: str) -> int | None:
    """A decimal number as Go's strconv.Atoi reads it (an optional sign, ASCII digits only)."""
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not all("0" <= c <= "9" for c in digits):
        return None
    return int(text)
