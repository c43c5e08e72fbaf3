"""The one exception type a user ever sees, rendered by the CLI as `anon-pi: <message>`."""


class AnonPiError(Exception):
    """A refusal or failure the user can act on: one line, an optional hint, an exit code."""

    def __init__(self, message: str, hint: str | None = None, code: int = 1):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


class Cancelled(AnonPiError):
    """The user cancelled (Ctrl-C, q, Esc): exit 130 and say what did not happen."""

    def __init__(self, nothing: str = "launched"):
        super().__init__(f"cancelled; nothing {nothing}", code=130)


class UsageError(AnonPiError):
    """The command line itself cannot be read: an unknown verb, sub-verb, flag or choice, a
    missing or extra argument. Exit 2, so a script can tell a typo from a failure (1)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint, code=2)
