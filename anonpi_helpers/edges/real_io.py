"""The real run's context (core/io_context.py): this process's streams, environment,
terminal, folder and clock, read once when the command starts."""

import errno
import os
import sys
import time

from ..core.io_context import IO


class ClosedStream:
    """Stands for a standard stream the command was started without (`anon-pi --version
    >&-`), where Python has None. Writing to it fails as writing to a closed descriptor
    does, so the command says it could not write instead of exiting 0 having printed
    nothing; a child started in the foreground inherits the closed descriptor as it is."""

    def __init__(self, fd: int):
        self.fd = fd

    def write(self, _text: str) -> int:
        raise OSError(errno.EBADF, f"could not write the output: {self._name()} is closed")

    def _name(self) -> str:
        return ("stdin", "stdout", "stderr")[self.fd]

    def flush(self) -> None:
        """Nothing is ever buffered here."""

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.fd


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
    stdin, stdout, stderr = (stream if stream is not None else ClosedStream(fd)
                             for fd, stream in enumerate((sys.stdin, sys.stdout, sys.stderr)))
    return IO(stdin=stdin, stdout=stdout, stderr=stderr, env=os.environ,
              cwd=_start_folder(), tty=_stdin_is_terminal(), now=time.time)
