"""init's two voices: findings on stdout, questions on stderr; EOF at any answer cancels.
Each takes the run's context (core/io_context.py): its streams are the run's own."""

from ..core.errors import AnonPiError
from ..core.shown import shown
from ..edges import terminal
from .grammar import parse_confirm


def say(io, text: str = "") -> None:
    """Flushed at once so stdout and the stderr prompts interleave in order. init echoes
    config values, a model server's answers and a builder's output: shown, never raw."""
    io.stdout.write(shown(text, multiline=True) + "\n")
    io.stdout.flush()


def warn(io, text: str) -> None:
    io.stderr.write(shown(text, multiline=True) + "\n")
    io.stderr.flush()


def ask(io, text: str) -> str:
    """One answer, trimmed. EOF cancels init with nothing written, exit 1; Ctrl-C does too,
    exit 130 (docs/design.md, rules 30 and 35)."""
    answer = terminal.prompt_line(io, f"{text}: ", nothing="written")
    if answer is None:
        raise AnonPiError("aborted; nothing written.")
    return answer.strip()


def confirm(io, question: str, default: bool) -> bool:
    """A yes/no question asked until answered; Enter takes `default` (`[Y/n]` or `[y/N]`,
    which the question itself shows)."""
    while (yes := parse_confirm(ask(io, question), default)) is None:
        warn(io, "answer y or n")
    return yes
