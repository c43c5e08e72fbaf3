"""The one terminal module: line prompts on stderr and the arrow-key selector, so every verb
asks and picks the same way (docs/design.md, rule 34).

Prompt libraries are imported lazily so the launch path never pays for them.
"""

from ..core.colour import colour_wanted
from ..core.errors import Cancelled
from ..core.shown import shown


def note(io, text: str, *more: str) -> None:
    """One `anon-pi: ...` line on stderr (and `more` indented lines after it), flushed at once
    so it lands before what follows; nothing with -q/--quiet. Notes name folders and files
    the jail made: shown, one line each whatever they hold. Warnings are not notes: they stay
    (`warning()`)."""
    if io.quiet and not text.startswith("warning"):
        return
    io.stderr.write(f"anon-pi: {shown(text)}\n" + "".join(f"  {shown(m)}\n" for m in more))
    io.stderr.flush()


def warning(io, text: str) -> None:
    """An `anon-pi: warning: ...` line on stderr, shown even with -q/--quiet."""
    io.stderr.write(f"anon-pi: warning: {shown(text)}\n")
    io.stderr.flush()


def is_terminal(stream) -> bool:
    """Output for a person (tables, split lines) rather than for a pipe or a file."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def write_utf8(out, text: str) -> None:
    """UTF-8 whatever the locale says, for text whose bytes matter more than the terminal's
    encoding: a model's answer (an ISO-8859-1 terminal must not lose a non-Latin answer to
    UnicodeEncodeError) and a completion script (the shell reads it as it reads the installed
    file). Anything unencodable becomes U+FFFD. A stream with no bytes beneath it (one the
    command was started without) takes the text as it is, and fails as writing there fails."""
    out.flush()
    raw = getattr(out, "buffer", None)
    if raw is None:
        out.write(text)
        return
    raw.write(text.encode("utf-8", "replace"))
    raw.flush()


def colour_on(io, stream) -> bool:
    """Colour only for a person at a terminal, never with NO_COLOR (core.colour)."""
    return colour_wanted(io.env, is_terminal(stream), io.colour)


def prompt_line(io, text: str, nothing: str | None = None) -> str | None:
    """Write `text` (shown: prompts echo names the jail made) to stderr, read one line
    (blocking, whole-line UTF-8); None on EOF.

    With `nothing`, Ctrl-C is a cancel (exit 130, "cancelled; nothing <nothing>")
    and after EOF or Ctrl-C the next message starts on a fresh line, not after the prompt.
    Without it, KeyboardInterrupt propagates and the caller handles both.
    """
    try:
        io.stderr.write(shown(text, multiline=True))
        io.stderr.flush()
        raw = io.stdin.buffer.readline()
    except KeyboardInterrupt:
        if nothing is None:
            raise
        io.stderr.write("\n")
        raise Cancelled(nothing) from None
    if not raw:
        if nothing is not None:
            io.stderr.write("\n")
        return None
    return raw.decode("utf-8", errors="replace").rstrip("\n").rstrip("\r")


def ask_yes_no(io, text: str, nothing: str | None = None) -> bool:
    """Yes only for y/yes (any case, trimmed); anything else, or EOF, is No."""
    answer = prompt_line(io, text, nothing)
    return answer is not None and answer.strip().lower() in ("y", "yes")


def select(io, header: str, labels: list[str], nothing: str, later=None,
           search=None) -> int | None:
    """Arrow-key picker on stdout: the chosen index; None when the person left with q or Esc
    (the caller says what that means); Ctrl-C raises Cancelled(nothing).

    `later()` may give the rows again, fuller or more of them; they fill in once it answers
    and `labels` is updated in place (so `labels[index]` is what was picked). Typing filters
    the rows by `search(label)` (default: the whole row).
    """
    from . import selector

    return selector.run(io, header, labels, nothing, later, search)
