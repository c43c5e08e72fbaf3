"""`machine list` rows: one `<name>\\t<image>` line each when piped (what scripts cut on),
an aligned table under a header on a terminal, or one JSON document. Pure."""

from ..core.image_store import shown_ref
from ..core.jsonfmt import document
from ..core.names import quoted
from ..core.shown import shown, shown_json
from ..core.table import aligned_lines, tab_lines

NO_IMAGE = "(no image)"
INVALID = "(invalid machine.json)"


def image_cell(image: str | None) -> str:
    """The image column: a value with a character `shown()` would escape (tab, newline, ESC,
    bidi...) is shown quoted, so one machine is always exactly one line with exactly one tab
    and nothing in it reaches the terminal raw."""
    if image is None:
        return NO_IMAGE
    image = shown_ref(image)
    return image if shown(image) == image else quoted(image)


HEADER = ("MACHINE", "IMAGE")


def list_lines(rows: list[tuple[str, str]], table: bool = False) -> list[str]:
    """Rows of (name, cell) in code-point order of the name (`Zed` < `_x` < `alpha`)."""
    ordered = sorted(rows)
    return aligned_lines(HEADER, ordered) if table else tab_lines(ordered)


def list_json(rows: list[tuple[str, str | None, bool]]) -> str:
    """`[{"name", "image" (null when none), "valid" (false: invalid machine.json)}]`, one
    JSON document; the image is the raw pin, not the escaped cell."""
    return shown_json(document([{"name": n, "image": shown_ref(image), "valid": valid}
                                for n, image, valid in sorted(rows)]))
