"""`-p --mode text-stream`: render pi's `--mode json` event lines as a live, readable log.

Pure. The launch edge feeds each line of netcage's stdout as it arrives and writes what comes
back to stderr; at the end, `final_text` (the last assistant turn's text) goes to stdout alone.
pi's stream is untrusted: a malformed, unknown, too deeply nested or too long line is
skipped, never fatal. Everything in it is the model's (and so possibly a web page's) text:
what is printed of it is shown (core.shown; newlines and tabs kept in the answer), so no
escape sequence reaches the host's terminal, and anon-pi's colours go on after. Beyond the
original (which showed nothing for them) a turn that ended in an error, a retry and a
compaction each get a line of their own.
"""

import json
from dataclasses import dataclass

from ..core.errors import AnonPiError
from ..core.shown import shown
from .grammar import HELP_HINT, TEXT_STREAM, LaunchArgs

PRINT_FLAGS = ("-p", "--print")
SHORT = 72
MAX_DELAY_MS = 10 ** 12  # about 30 years
_COLOURS = {"tool": "36", "error": "31", "note": "33"}
TOO_LONG = "⋯ a line of pi's output was too long to read and was skipped"


def _mode_values(pi_args: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(index, width, value) of every `--mode X` / `--mode=X` in pi's arguments."""
    found = []
    for i, arg in enumerate(pi_args):
        if arg == "--mode" and i + 1 < len(pi_args):
            found.append((i, 2, pi_args[i + 1]))
        elif arg.startswith("--mode="):
            found.append((i, 1, arg.removeprefix("--mode=")))
    return found


def with_text_stream(args: LaunchArgs) -> LaunchArgs:
    """Take anon-pi's own `--mode text-stream` out of pi's arguments (pi gets `--mode json`).

    It needs `-p`, may appear once and excludes every other `--mode`; anything else about the
    pi arguments is pi's business.
    """
    modes = _mode_values(args.pi_args)
    streams = [m for m in modes if m[2] == TEXT_STREAM]
    if not streams:
        return args
    if len(streams) > 1:
        raise AnonPiError("--mode text-stream may appear only once.", HELP_HINT)
    if len(modes) > 1:
        others = ", ".join(f"--mode {m[2]}" for m in modes if m[2] != TEXT_STREAM)
        raise AnonPiError(f"--mode text-stream cannot be combined with {others}.", HELP_HINT)
    if args.mode != "pi" or not any(a in PRINT_FLAGS for a in args.pi_args):
        raise AnonPiError("--mode text-stream needs -p (a one-shot prompt).",
                          'e.g. `anon-pi <project> -p "..." --mode text-stream`')
    i, width, _ = streams[0]
    pi_args = args.pi_args[:i] + ("--mode", "json") + args.pi_args[i + width:]
    return args._replace(pi_args=pi_args, text_stream=True)


def shorten(text: str, limit: int = SHORT) -> str:
    """One line of at most `limit` characters (an ellipsis says something was cut)."""
    first = " ".join(text.split())
    return first if len(first) <= limit else first[:limit - 1] + "…"


def _first_argument(args) -> str:
    if isinstance(args, dict) and args:
        value = next(iter(args.values()))
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return ""


def _text_of(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return "".join(part.get("text", "") for part in content
                   if isinstance(part, dict) and part.get("type") == "text"
                   and isinstance(part.get("text"), str))


@dataclass
class TextStream:
    """Feed it lines; it returns the stderr text each one produces and remembers the answer."""

    colour: bool = False
    final_text: str = ""  # shown already: safe to print as it is
    last_turn_failed: bool = False
    _streamed: bool = False  # text deltas of the current assistant message were shown
    _open_line: bool = False  # stderr's last write did not end in a newline
    _said_too_long: bool = False

    def _paint(self, kind: str, text: str) -> str:
        return f"\x1b[{_COLOURS[kind]}m{text}\x1b[0m" if self.colour else text

    def _line(self, kind: str, text: str) -> str:
        """One line of anon-pi's own, its foreign parts shown before the colour goes on."""
        lead = "\n" if self._open_line else ""
        self._open_line = False
        return lead + self._paint(kind, shown(text)) + "\n"

    def feed(self, line: str | None) -> str:
        """The stderr text for one line of pi's stream ("" for most records); None stands
        for a line the reader skipped as too long (said once)."""
        if line is None:
            if self._said_too_long:
                return ""
            self._said_too_long = True
            return self._line("note", TOO_LONG)
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                return ""
            handler = getattr(self, "_on_" + str(record.get("type")), None)
            return handler(record) if handler else ""
        except (ValueError, RecursionError):  # RecursionError: nested deeper than Python goes
            return ""

    def finish(self) -> str:
        """What stderr still needs at the end (a newline after streamed text)."""
        return self._line_end()

    def _line_end(self) -> str:
        if self._open_line:
            self._open_line = False
            return "\n"
        return ""

    def _on_message_update(self, record: dict) -> str:
        event = record.get("assistantMessageEvent")
        if not isinstance(event, dict) or event.get("type") != "text_delta":
            return ""
        delta = event.get("delta")
        if not isinstance(delta, str) or not delta:
            return ""
        self._streamed = True
        self._open_line = not delta.endswith("\n")
        return shown(delta, multiline=True)

    def _on_message_end(self, record: dict) -> str:
        message = record.get("message")
        if not isinstance(message, dict) or message.get("role") != "assistant":
            return ""
        text = shown(_text_of(message), multiline=True)
        out = "" if self._streamed or not text else text + ("" if text.endswith("\n") else "\n")
        out += self._line_end()
        self._streamed = False
        self.final_text = text
        error = message.get("errorMessage")
        self.last_turn_failed = message.get("stopReason") == "error" or bool(error)
        if self.last_turn_failed:
            detail = shorten(error) if isinstance(error, str) and error else "no detail"
            out += self._line("error", f"✖ the model turn ended in an error: {detail}")
        return out

    def _on_tool_execution_start(self, record: dict) -> str:
        name = record.get("toolName")
        argument = shorten(_first_argument(record.get("args")))
        label = name if isinstance(name, str) and name else "tool"
        return self._line("tool", f"▶ {label}" + (f" {argument}" if argument else ""))

    def _on_auto_retry_start(self, record: dict) -> str:
        attempt, most = record.get("attempt"), record.get("maxAttempts")
        delay = record.get("delayMs")
        # a JSON number may be any size: one too big for a float (or NaN) is no delay to say
        sane = isinstance(delay, (int, float)) and 0 <= delay <= MAX_DELAY_MS
        wait = f" in {delay / 1000:g} s" if sane else ""
        error = record.get("errorMessage")
        why = f": {shorten(error)}" if isinstance(error, str) and error else ""
        return self._line("note", f"↻ retry {attempt}/{most}{wait}{why}")

    def _on_auto_retry_end(self, record: dict) -> str:
        if record.get("success") is True:
            return self._line("note", f"↻ retry {record.get('attempt')} succeeded")
        error = record.get("finalError")
        why = f": {shorten(error)}" if isinstance(error, str) and error else ""
        return self._line("error", f"✖ gave up after {record.get('attempt')} attempts{why}")

    def _on_compaction_start(self, record: dict) -> str:
        return self._line("note", f"⋯ compacting the conversation ({record.get('reason')})")

    def _on_compaction_end(self, record: dict) -> str:
        error = record.get("errorMessage")
        if isinstance(error, str) and error:
            return self._line("error", f"✖ compaction failed: {shorten(error)}")
        if record.get("aborted") is True:
            return self._line("note", "⋯ compaction aborted")
        return self._line("note", "⋯ compaction done")


def exit_status(netcage_code: int, stream: TextStream) -> int:
    """netcage's status; but a clean exit whose last assistant turn failed is a failure (pi
    itself exits 0 then, which would hide it from scripts)."""
    if netcage_code == 0 and stream.last_turn_failed:
        return 1
    return netcage_code
