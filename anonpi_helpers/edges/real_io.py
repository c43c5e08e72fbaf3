"""The real run's context (core/io_context.py): this process's streams, environment,
terminal, folder and clock, read once when the command starts."""

import os
import sys
import time

from ..core.io_context import IO


def _stdin_is_terminal() -> bool:
    try:
        return os.isatty(0)
    except OSError:
        return False


def _start_folder() -> str:
    """The folder the command was started in; a folder deleted under the shell still has a
    path for messages, and any relative path then fails where it is used."""
    try:
        return os.getcwd()
    except OSError:
        return os.environ.get("PWD", "/")


def real_context() -> IO:
    return IO(stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr, env=os.environ,
              cwd=_start_folder(), tty=_stdin_is_terminal(), now=time.time)
