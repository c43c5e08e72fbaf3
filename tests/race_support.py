"""A separate process that swaps a folder and a link (atomic rename-exchange) as fast as it
can: what a jailed agent can do to its own home while the host copies or deletes in it.

ANON_PI_RACE_ROUNDS sets how many copies/deletes a race test runs (default 1000).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROUNDS = int(os.environ.get("ANON_PI_RACE_ROUNDS", "1000"))

SWAPPER = r"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
args = [p.encode() for p in sys.argv[1:]]
pairs = list(zip(args[::2], args[1::2]))
exchange = getattr(libc, "renameat2", None)
while True:
    for a, b in pairs:
        if exchange is not None:
            exchange(-100, a, -100, b, 2)  # AT_FDCWD, RENAME_EXCHANGE
        else:  # no renameat2 in libc: three renames (a brief gap, still a race)
            try:
                os.rename(a, a + b".t"); os.rename(b, a); os.rename(a + b".t", b)
            except OSError:
                pass
"""


class Swapper:
    """Exchanges each (folder, link) pair in a loop; `pause()` stops it with every folder
    back in place (a real folder at `folder`, or nothing), `resume()` lets it go on."""

    def __init__(self, *pairs: tuple[Path, Path]):
        self.pairs = pairs
        self.proc = subprocess.Popen([sys.executable, "-c", SWAPPER,
                                      *(str(p) for pair in pairs for p in pair)])

    def pause(self) -> None:
        os.kill(self.proc.pid, signal.SIGSTOP)
        os.waitpid(self.proc.pid, os.WUNTRACED)
        self._restore()

    def resume(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._restore()

    def _restore(self) -> None:
        for folder, link in self.pairs:
            if folder.is_symlink() and os.path.lexists(link):
                tmp = folder.with_name(".swap-tmp")
                os.rename(folder, tmp)
                os.rename(link, folder)
                os.rename(tmp, link)


def files_in(root: Path) -> dict[str, bytes]:
    """Every regular file below `root` (links not followed) with its bytes."""
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                out[str(path.relative_to(root))] = path.read_bytes()
    return out
