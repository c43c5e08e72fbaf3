"""How anon-pi shows a string it did not write itself: escaped, never as raw control bytes.

The jail writes the machine home and the projects root, pi's output and the model's text; a
model server writes what init reads from it. Any of those can carry terminal escape sequences
(OSC 52 writes the host clipboard, OSC 8 plants a link the host browser opens outside the
proxy, a CSI clear can forge anon-pi's own lines, a query's reply lands in the shell's input)
or bidi overrides that make a name read as something else. Every such string goes through
`shown()` before it reaches a terminal, a pipe or a file meant for people; anon-pi's own
colours are added after. Pure.
"""

import unicodedata

# Formatting characters that real text needs: the zero-width (non-)joiner shape Persian and
# Indic scripts and join emoji. Every other format character (bidi overrides and isolates,
# zero-width space, word joiner, BOM, tag characters) is invisible and is escaped.
_KEPT_FORMAT = frozenset("\u200c\u200d")


def _escaped(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte carried by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _needs_escape(ch: str, multiline: bool) -> bool:
    code = ord(ch)
    if code < 0x20:
        return not (multiline and ch in "\n\t")
    if code < 0x7F:
        return False
    if code <= 0x9F:  # DEL and the C1 controls (CSI, OSC, DCS as single bytes)
        return True
    category = unicodedata.category(ch)
    if category == "Cf":
        return ch not in _KEPT_FORMAT
    return category in ("Cs", "Zl", "Zp")  # lone surrogates, line/paragraph separators


def shown(text: str, multiline: bool = False) -> str:
    """`text` safe to print: controls (C0, DEL, C1), lone surrogates, line separators and
    invisible formatting characters become visible escapes (`\\x1b`, `\\u202e`). Newline
    and tab stay only when `multiline` (a text meant to span lines, e.g. a model's answer)."""
    if text.isascii() and text.isprintable():
        return text  # the common case, without a per-character walk
    return "".join(_escaped(ch) if _needs_escape(ch, multiline) else ch for ch in text)


def _json_escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a character beyond the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escaped_unencodable(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler for an output stream whose encoding cannot carry a character
    (a terminal under an ASCII or Latin-1 locale): the character becomes the JSON escape
    `\\uXXXX`, which a person reads as well as `shown()`'s escapes and which keeps a JSON
    document valid (outside its strings a JSON document is ASCII)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(_json_escaped(ch) for ch in error.object[error.start:error.end]), error.end


def shown_json(document: str) -> str:
    """A JSON document (`json.dumps(..., ensure_ascii=False)`) safe to print: the same
    characters `shown()` escapes become JSON `\\uXXXX` escapes, so a script that parses the
    output reads exactly the values anon-pi read, and a person who looks at it sees no raw
    control. Outside strings a JSON document holds only ASCII, newlines and tabs, which stay."""
    if document.isascii() and "\x7f" not in document:
        return document  # json.dumps already escaped every other ASCII control in strings
    return "".join(_json_escaped(ch) if _needs_escape(ch, True) else ch for ch in document)
