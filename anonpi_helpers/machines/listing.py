"""`machine list` rows (data-verbs §3.3, §7.20): one `<name>\\t<image>` line each. Pure."""

import json

NO_IMAGE = "(no image)"
INVALID = "(invalid machine.json)"


def image_cell(image: str | None) -> str:
    """The image column: a control character (tab, newline...) is shown escaped and quoted,
    so one machine is always exactly one line with exactly one tab."""
    if image is None:
        return NO_IMAGE
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u2028\u2029\x85" for ch in image):
        return json.dumps(image)
    return image


def list_lines(rows: list[tuple[str, str]]) -> list[str]:
    """Rows of (name, cell) in code-point order of the name (`Zed` < `_x` < `alpha`)."""
    return [f"{name}\t{cell}" for name, cell in sorted(rows)]
