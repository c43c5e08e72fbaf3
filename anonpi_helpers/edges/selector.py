"""The arrow-key selector behind terminal.select (interactive §1.5-1.6), on prompt_toolkit.

prompt_toolkit tokenises the input stream (typeahead `jj` is two moves, an arrow key split
across reads is still an arrow), scrolls a list taller than the terminal, follows SIGWINCH,
and restores the terminal mode and cursor on every exit path. It is imported here only, on
first use, so the launch path never loads it.
"""

import os
import signal
import sys

from ..core.colour import colour_wanted
from ..core.errors import AnonPiError, Cancelled
from ..core.wrap import wrap_words

_CANCEL = -1
_TERMINATED = -2


def _screen():
    """The stream to draw on: stdout, or stderr when stdout is redirected (§7.20)."""
    if not os.isatty(0):
        raise AnonPiError("no TTY; choosing needs an interactive terminal.")
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and stream.isatty():
            return stream
    raise AnonPiError("no terminal to draw the choices on (stdout and stderr are redirected).")


def _rows(labels: list[str], active: int, colour: bool = False) -> list[tuple[str, str]]:
    """`> label` in reverse video for the active row (the cursor sits there for scrolling),
    cyan too when colour is wanted."""
    style = "reverse fg:ansicyan" if colour else "reverse"
    out: list[tuple[str, str]] = []
    for i, label in enumerate(labels):
        if i == active:
            out += [("[SetCursorPosition]", ""), (style, f"> {label}")]
        else:
            out.append(("", f"  {label}"))
        out.append(("", "\n"))
    return out[:-1]


def run(header: str, labels: list[str], nothing: str) -> int:
    """Show `labels` under `header`; the chosen index, or Cancelled(nothing)."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.input import create_input
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import FormattedTextControl, HSplit, Layout, ScrollOffsets, Window
    from prompt_toolkit.layout.dimension import Dimension
    from prompt_toolkit.output.vt100 import Vt100_Output

    colour = colour_wanted(os.environ, True)  # _screen() makes sure it is a terminal
    output = Vt100_Output.from_pty(_screen())
    output.enable_cpr = False  # nothing here needs the cursor row; some terminals never answer
    state = {"active": 0}
    keys = KeyBindings()

    def move(step: int):
        def handler(_event):
            state["active"] = (state["active"] + step) % len(labels)
        return handler

    for key in ("up", "k"):
        keys.add(key)(move(-1))
    for key in ("down", "j"):
        keys.add(key)(move(1))
    for key in ("enter", "c-j"):
        keys.add(key)(lambda event: event.app.exit(result=state["active"]))
    for key in ("c-c", "q", "<sigint>"):
        keys.add(key)(lambda event: event.app.exit(result=_CANCEL))
    keys.add("escape", eager=True)(lambda event: event.app.exit(result=_CANCEL))

    body = Window(FormattedTextControl(lambda: _rows(labels, state["active"], colour),
                                       show_cursor=False),
                  height=Dimension(max=len(labels)), always_hide_cursor=True,
                  scroll_offsets=ScrollOffsets(top=1, bottom=1))
    top = Window(FormattedTextControl(  # words whole, following SIGWINCH; bold in colour
        lambda: [("bold" if colour else "", wrap_words(header, output.get_size().columns))]),
                 wrap_lines=True, dont_extend_height=True)
    app = Application(layout=Layout(HSplit([top, body])), key_bindings=keys, output=output,
                      input=create_input(sys.stdin), full_screen=False, erase_when_done=False)

    def on_sigterm():
        import asyncio

        asyncio.get_running_loop().add_signal_handler(
            signal.SIGTERM, lambda: app.exit(result=_TERMINATED))

    try:
        chosen = app.run(pre_run=on_sigterm)
    except EOFError:  # stdin closed: nothing to choose with
        chosen = _CANCEL
    if chosen == _TERMINATED:
        raise AnonPiError(f"terminated; nothing {nothing}", code=128 + signal.SIGTERM)
    if chosen == _CANCEL:
        raise Cancelled(nothing)
    return chosen
