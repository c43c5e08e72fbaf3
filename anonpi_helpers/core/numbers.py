"""Whole numbers from text anon-pi did not write (a typed answer, a server's JSON, a cache
header), read one way everywhere. Pure.

`int()` alone is the wrong reader for such text: it accepts full-width digits (`'９０５０'`),
`'1_000'`, signs and surrounding spaces, raises ValueError on `'²'` (which `str.isdigit()`
accepts), and a string of thousands of digits costs real time before it fails. Here a number
is 1 to `max_digits` ASCII digits and nothing else; anything else is None, never an exception.
"""

DEFAULT_MAX_DIGITS = 10


def ascii_int(text: object, max_digits: int = DEFAULT_MAX_DIGITS) -> int | None:
    """`text` as a non-negative int when it is 1..max_digits ASCII digits, else None.
    A real JSON integer (not a bool) within the same number of digits is taken as is."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 <= text < 10 ** max_digits else None
    if not isinstance(text, str) or not 0 < len(text) <= max_digits:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text)
