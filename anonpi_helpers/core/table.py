"""Rows for people or for scripts. Pure.

On a terminal a listing is an aligned table under a header; piped it stays one
tab-separated line per row with no header, so scripts that cut on tabs keep working.
"""


def tab_lines(rows: list[tuple[str, ...]]) -> list[str]:
    return ["\t".join(row) for row in rows]


def aligned_lines(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Every column padded to its widest cell, two spaces apart; the last one unpadded."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]

    def line(row: tuple[str, ...]) -> str:
        return "".join(cell.ljust(w + 2) for cell, w in zip(row, widths)) + row[-1]

    return [line(header)] + [line(r) for r in rows]
