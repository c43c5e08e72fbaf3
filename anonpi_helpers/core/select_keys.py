"""What the keys do in every selector (the bare menu and the container pickers alike). Pure.

Shared by the launch menu and the container pickers, so it lives in core; the terminal side
(raw mode, reading bytes, drawing) is edges/selector.py.

Two ways of moving through a list meet here: people used to vi-style lists press j/k and q,
people used to searchable pickers start typing a name. Both work without a mode to learn
first: with no filter, j and k move and q leaves, and any other character starts a filter
with itself. Once a filter is being typed every character is text, so `jobs` or `quotes`
can be typed after a `/` (which starts an empty filter) and `kafka` still finds "kafka"
because the filter matches anywhere in a name. Arrows and Enter work the same in both
states, so a person who only ever uses them never notices the difference.
"""

SELECT_KEYS = ("(\u2191/\u2193 or j/k move, type to filter (/ first to type j/k/q), "
               "Enter select, q/Esc quit)")
FILTER_KEYS = "(j, k and q type too; Backspace widens, Esc clears)"
NO_MATCH = "(no row matches; Backspace widens, Esc clears)"

PICK, LEAVE, CANCEL = "pick", "leave", "cancel"
MOVES = {"k": -1, "up": -1, "j": 1, "down": 1}


class Choosing:
    """The rows one selector shows, the active one and the filter typed so far.

    `names(i)` is the text a filter matches for row `i`, as the row shows it (the menu
    passes only the project's name, so its notes in parentheses never match). Rows are
    addressed by their index in the full list, whatever the filter hides.
    """

    def __init__(self, count: int, names):
        self.count = count
        self._names = names
        self.active = 0
        self.text = ""
        self.filtering = False
        self.visible = list(range(count))

    def replace(self, count: int, active: int) -> None:
        """The rows were replaced (details or more rows filled in): keep the filter."""
        self.count, self.active = count, active
        self._narrow(keep=True)

    def press(self, key: str) -> str | None:
        """Apply one key: PICK, LEAVE or CANCEL when the choosing is over, else None."""
        if key == "\x03":
            return CANCEL
        if key == "enter":
            return PICK if self.visible else None
        if key in ("up", "down") or (not self.filtering and key in ("j", "k")):
            self._move(MOVES[key])
        elif not self.filtering:
            return self._unfiltered(key)
        elif key == "esc":
            self.text, self.filtering = "", False
            self._narrow(keep=True)
        elif key == "backspace":
            if self.text:
                self.text = self.text[:-1]
                self._narrow(keep=True)
            else:
                self.filtering = False
        elif _typed(key):
            self.text += key
            self._narrow(keep=False)
        return None

    def _unfiltered(self, key: str) -> str | None:
        if key in ("q", "esc"):
            return LEAVE
        if key == "/":
            self.filtering = True
        elif _typed(key) and key != " ":  # a stray space never starts a hidden filter
            self.filtering, self.text = True, key
            self._narrow(keep=False)
        return None

    def _move(self, step: int) -> None:
        if not self.visible:
            return
        at = self.visible.index(self.active) if self.active in self.visible else -step
        self.active = self.visible[(at + step) % len(self.visible)]

    def _narrow(self, keep: bool) -> None:
        """Show the rows whose name holds the filter (any case). The cursor jumps to the
        first name that starts with it, so a first letter works as a jump; it stays put
        while a wider filter still shows its row, or a narrower one still starts it."""
        wanted = self.text.casefold()
        names = [self._names(i).casefold() for i in range(self.count)] if wanted else None
        self.visible = ([i for i in range(self.count) if wanted in names[i]] if wanted
                        else list(range(self.count)))
        if not self.visible:
            return  # the active row is remembered for when the filter widens again
        here = self.active in self.visible
        if here and (keep or not wanted or names[self.active].startswith(wanted)):
            return
        starts = [i for i in self.visible if names is None or names[i].startswith(wanted)]
        self.active = (starts or self.visible)[0]


def _typed(key: str) -> bool:
    """A key that is text: one printable character (the tokeniser names every other key)."""
    return len(key) == 1 and key.isprintable()
