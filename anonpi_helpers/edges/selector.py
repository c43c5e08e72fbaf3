"""The arrow-key selector behind terminal.select: raw mode on termios, keys read as a stream.

A prompt library's import cost more than the whole menu (prompt_toolkit: about 100 ms before
the first row); this draws the same screen with the standard library. What it keeps:
- input is tokenised, not read key by key: typeahead `jj` is two moves, an escape sequence
  split across reads is still one key (a lone Esc is told apart by a 0.5 s pause), other
  sequences (PageUp, Home, ←/→) are skipped whole, and a UTF-8 character typed into the
  filter is one key however it arrives;
- what the keys mean (moving, filtering, leaving) is core/select_keys.py's, the same for the
  menu and the pickers;
- what one screen shows (rows escaped, a long list scrolling under its header) is
  edges/selector_screen.py's, pure text; SIGWINCH redraws it;
- it draws on stdout, or on stderr when stdout is redirected (a file gets no escape codes),
  and the terminal mode and the cursor are restored on every exit path, SIGTERM included
  (exit 143);
- SIGTERM only rings a doorbell (a pipe the key loop watches) and the loop ends the choosing:
  an exception raised from the handler would surface wherever the main thread happens to be,
  such as inside `threading`'s start of the fill-in thread, whose clean-up is not written for
  it (the person saw `unexpected error: KeyError` instead of the termination).
"""

import contextlib
import os
import select
import signal
import termios
import time

from ..core.colour import colour_wanted
from ..core.errors import AnonPiError, Cancelled
from ..core.select_keys import CANCEL, FILTER_KEYS, PICK, Choosing
from ..core.shown import shown
from .selector_screen import frame

ESC_WAIT = 0.5  # seconds a lone Esc waits for the rest of a sequence (what vi-style tools use)
HIDE, SHOW = "\x1b[?25l", "\x1b[?25h"  # the cursor, hidden while choosing
TERMINATED = "terminated"  # the outcome when SIGTERM rang the doorbell


def next_key(buf: bytes, final: bool = False) -> tuple[str | None, bytes]:
    """(the first key in `buf`, the rest); (None, buf) while a sequence may still be coming.

    With `final` (no more bytes came in time), a pending Esc is the Esc key itself. A key is
    a name ("up", "enter", "backspace", "esc", "other") or the character typed.
    """
    if not buf:
        return None, buf
    if buf[0] >= 0x80:
        return _utf8_key(buf, final)
    if buf[0] != 0x1B:
        char = chr(buf[0])
        return ("enter" if char in "\r\n" else "backspace" if char in "\x7f\x08" else char), buf[1:]
    if len(buf) == 1:
        return ("esc", b"") if final else (None, buf)
    if buf[1:2] == b"O":  # SS3: ESC O <letter>
        if len(buf) < 3:
            return ("other", b"") if final else (None, buf)
        return {b"A": "up", b"B": "down"}.get(buf[2:3], "other"), buf[3:]
    if buf[1:2] != b"[":
        return "esc", buf[1:]
    for i in range(2, len(buf)):  # CSI: parameters and intermediates, then one final byte
        if 0x40 <= buf[i] <= 0x7E:
            seq = buf[: i + 1]
            return {b"\x1b[A": "up", b"\x1b[B": "down"}.get(seq, "other"), buf[i + 1:]
        if not 0x20 <= buf[i] <= 0x3F:
            return "other", buf[i:]
    return ("other", b"") if final else (None, buf)


def _utf8_key(buf: bytes, final: bool) -> tuple[str | None, bytes]:
    """One UTF-8 character (a project may be called `café`); a broken byte is "other"."""
    lead = buf[0]
    size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else \
        4 if 0xF0 <= lead <= 0xF4 else 0
    if size == 0:
        return "other", buf[1:]
    if len(buf) < size and not final:
        return None, buf
    try:
        return buf[:size].decode("utf-8"), buf[size:]
    except UnicodeDecodeError:
        return "other", buf[1:]


def _screen(io):
    """The stream to draw on: stdout, or stderr when stdout is redirected (escape codes in a
    file or a pipe are noise, and the picker must still be seen). Keys are read from fd 0,
    the terminal `io.tty` vouches for."""
    if not io.tty:
        raise AnonPiError("no TTY; choosing needs an interactive terminal.")
    for stream in (io.stdout, io.stderr):
        if stream is not None and stream.isatty():
            return stream
    raise AnonPiError("no terminal to draw the choices on (stdout and stderr are redirected).")


def _raw(fd: int) -> list:
    """Keys one by one, no echo, Ctrl-C as a key; output processing (\\n -> \\r\\n) stays."""
    saved = termios.tcgetattr(fd)
    mode = termios.tcgetattr(fd)
    mode[0] &= ~(termios.ICRNL | termios.IXON)
    mode[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN)
    mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, mode)  # TCSANOW: keys typed ahead are kept
    return saved


def _fill_in(later) -> tuple[int, dict]:
    """Run `later` (the rows' final labels) in a thread; a pipe says when they are ready.

    The thread owns the pipe's write end, so the descriptor is never reused under it.
    """
    import threading

    read_end, write_end = os.pipe()
    box: dict = {}

    def work():
        try:
            box["labels"] = later()
        except (AnonPiError, OSError):  # the rows keep their first labels
            box["labels"] = None
        with contextlib.suppress(OSError):  # the choice was made and the read end is closed
            os.write(write_end, b".")
        os.close(write_end)

    threading.Thread(target=work, daemon=True).start()
    return read_end, box


def follow(old: list[str], new: list[str], active: int) -> int:
    """Where the cursor goes when the rows are replaced: the same index when only the details
    changed (as many rows), else the row with the same label, else the nearest index."""
    if len(new) == len(old):
        return active
    if old[active] in new:
        return new.index(old[active])
    return min(active, len(new) - 1)


def _choose(out: int, colour: bool, header: str, labels: list[str], doorbell: int,
            later=None, search=None, encoding: str = "utf-8") -> tuple[str, int]:
    """Draw and read keys until the choosing is over: (PICK, the row's index), LEAVE, CANCEL,
    or TERMINATED once `doorbell` (the SIGTERM handler's pipe) is readable. Rows are written
    in the terminal's `encoding`, what it has no byte for escaped as stderr escapes it
    (`caf\\xe9` on an ASCII terminal)."""
    state = {"top": 0, "height": 0, "resized": False}
    filled, box = (None, None)
    keys = Choosing(len(labels), lambda i: shown(search(labels[i]) if search else labels[i]))

    def draw():
        size = os.get_terminal_size(out)
        if keys.text:  # only a filter hides rows: unfiltered, no copy of a long list
            rows = [labels[i] for i in keys.visible]
            at = keys.visible.index(keys.active) if keys.active in keys.visible else -1
        else:
            rows, at = labels, keys.active
        head = header + (f"\nfilter: {shown(keys.text)}  {FILTER_KEYS}" if keys.filtering else "")
        text, height, state["top"] = frame(head, rows, at, state["top"], size, colour)
        back = f"\r\x1b[{state['height'] - 1}A" if state["height"] > 1 else "\r"
        os.write(out, ((back + "\x1b[J") if state["height"] else "").encode() +
                 text.encode(encoding, "backslashreplace"))
        state["height"] = height

    def on_resize(_signum, _frame):
        state["resized"] = True

    old_winch = signal.signal(signal.SIGWINCH, on_resize)
    try:
        os.write(out, HIDE.encode())
        draw()
        if later is not None:  # the first screen is up; slow details fill in when they come
            filled, box = _fill_in(later)
        pending, deadline = b"", 0.0
        while True:
            waiting = bool(pending)  # part of a sequence: wait until `deadline` for the rest
            watched = [0, doorbell] if filled is None else [0, doorbell, filled]
            wait = max(0.0, deadline - time.monotonic()) if waiting else 0.25
            ready = select.select(watched, [], [], wait)[0]
            if doorbell in ready:
                return TERMINATED, keys.active
            if filled in ready:
                new = box.get("labels")
                if new and new != labels:  # nothing new (or a failed answer): no redraw
                    active = follow(labels, new, keys.active)
                    labels[:] = new
                    keys.replace(len(labels), active)
                    state["resized"] = True  # redraw below
                os.close(filled)
                filled = None
                ready = [fd for fd in ready if fd == 0]
            if state["resized"]:
                state["resized"] = False
                draw()
            if ready:
                chunk = os.read(0, 1024)
                if not chunk:  # stdin closed: nothing to choose with
                    return CANCEL, keys.active
                pending += chunk
                deadline = time.monotonic() + ESC_WAIT
            elif not waiting or time.monotonic() < deadline:
                continue  # idle, or woken by the fill-in while the rest of a sequence may come
            start, outcome = (keys.active, keys.text, keys.filtering), None
            while pending and outcome is None:
                key, pending = next_key(pending, final=not ready)
                if key is None:
                    break
                outcome = keys.press(key)
            if (keys.active, keys.text, keys.filtering) != start:
                draw()  # the last frame shows what Enter picked
            if outcome is not None:
                return outcome, keys.active
    finally:
        if filled is not None:
            os.close(filled)
        signal.signal(signal.SIGWINCH, old_winch)
        os.write(out, ("\r\n" if state["height"] else "").encode() + SHOW.encode())


def run(io, header: str, labels: list[str], nothing: str, later=None,
        search=None) -> int | None:
    """Show `labels` under `header`: the chosen index; None when the person left (q, or Esc
    with no filter), which each caller words itself; Ctrl-C raises Cancelled(nothing).

    With `later`, a callable giving the rows again with more detail (the pickers' port hints)
    or more rows (the menu's boxes), the rows show at once and are redrawn with its answer
    when it comes; `labels` is then updated in place, so `labels[chosen]` is the row picked.
    With `search`, a filter matches `search(label)` rather than the whole row.
    """
    screen = _screen(io)
    screen.flush()
    out = screen.fileno()
    colour = colour_wanted(io.env, True, io.colour)  # _screen() made sure `out` is a terminal
    encoding = getattr(screen, "encoding", None) or "utf-8"  # the locale's (cli.py)

    rang, (doorbell, bell) = [], os.pipe()

    def on_term(signum, _frame):  # note it and wake the loop; never raise (module docstring)
        rang.append(signum)
        with contextlib.suppress(OSError):  # the pipe is full: it has rung already
            os.write(bell, b".")

    installed, old_term = False, None
    try:
        os.set_blocking(bell, False)
        old_term, installed = signal.signal(signal.SIGTERM, on_term), True
        saved = _raw(0)
        try:
            outcome, chosen = _choose(out, colour, header, labels, doorbell, later, search,
                                      encoding)
        finally:
            termios.tcsetattr(0, termios.TCSANOW, saved)
    finally:
        if installed:  # before closing: no handler writes to a reused fd
            signal.signal(signal.SIGTERM, signal.SIG_DFL if old_term is None else old_term)
        os.close(doorbell)
        os.close(bell)
    if rang:  # even when a key ended the choosing first: SIGTERM ends anon-pi
        raise AnonPiError(f"terminated; nothing {nothing}", code=128 + signal.SIGTERM)
    if outcome == CANCEL:
        raise Cancelled(nothing)
    return chosen if outcome == PICK else None
