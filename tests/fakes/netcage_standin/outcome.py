"""How netcage ends a call it refuses: the words, the stream and the exit status.

netcage's parse errors (run, start, verify, ports, forward, detect-proxy, setup-default, a
missing or unknown verb) exit 2 with `netcage: <reason>` and then the whole usage text; its
management verbs and everything after parsing exit 1 with one `netcage: <verb>: <reason>` line.
Raising one of these ends the stand-in the same way (main.py prints it).
"""
from .texts import usage


class Exit(Exception):
    """End the call: `stderr` is written as is, then the process exits with `code`."""

    def __init__(self, code: int, stderr: str = ""):
        super().__init__(code, stderr)
        self.code, self.stderr = code, stderr


def usage_error(reason: str, gen) -> Exit:
    """A rejected argv: exit 2, the reason, then netcage's usage text."""
    return Exit(2, f"netcage: {reason}\n{usage(gen)}")


def refused(verb: str, reason: str) -> Exit:
    """A verb that parsed but could not go on: exit 1, one line naming the verb."""
    return Exit(1, f"netcage: {verb}: {reason}\n")


def failed(reason: str) -> Exit:
    """A failure before any verb ran (the proxy preflight): exit 1, one line."""
    return Exit(1, f"netcage: {reason}\n")
