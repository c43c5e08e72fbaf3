"""How bench.py times things: a whole process, a menu's first draw on a pty, one bash TAB."""

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import termios
import time

COLUMNS, LINES = 120, 40


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def timed(argv: list[str], env: dict) -> float:
    """Start to exit, output thrown away, no terminal."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def first_draw(argv: list[str], env: dict, marker: bytes, quiet: float = 0.3,
               timeout: float = 60.0) -> float:
    """Start to the last byte of the first screen on a 120x40 terminal: `marker` (the first
    project row) has been drawn and nothing more came for `quiet` seconds (a menu that
    writes every row, visible or not, is timed until it has written them all)."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal, then become the command
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        os.execve(argv[0], argv, env)
    seen, last = b"", None
    try:
        while time.perf_counter() - start < timeout:
            wait = quiet if marker in seen else 0.5
            if not select.select([fd], [], [], wait)[0]:
                if marker in seen:
                    break
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            last = time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if marker not in seen or last is None:
        raise RuntimeError(f"{argv}: {marker!r} never drawn; saw {seen[-300:]!r}")
    return last


TAB_LOOP = r"""
source "$1"
for i in $(seq "$3"); do
  COMP_WORDS=(anon-pi "$2"); COMP_CWORD=1; COMP_LINE="anon-pi $2"; COMP_POINT=${#COMP_LINE}
  t0=$EPOCHREALTIME; _anon_pi anon-pi "$2" anon-pi; t1=$EPOCHREALTIME
  echo "$t0 $t1 ${#COMPREPLY[@]}"
done
"""


def tab_median(script, word: str, env: dict, runs: int) -> float | None:
    """One completion request for `anon-pi <word>` inside a running bash (a TAB press)."""
    if not script.exists():
        return None
    out = subprocess.run(["bash", "--norc", "-c", TAB_LOOP, "bench", str(script), word,
                          str(runs)], env=env, capture_output=True, text=True, check=False)
    times = [float(b) - float(a) for a, b, _ in (ln.split() for ln in out.stdout.splitlines())]
    return median(times)
