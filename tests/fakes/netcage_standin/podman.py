"""podman as netcage calls it: `podman --root <netcage's store> ...`, nothing else added.

netcage keeps its containers and images in a store of its own: `$NETCAGE_GRAPHROOT`, else
`/var/tmp/netcage-storage-<uid>`. Every podman call it makes puts `--root <store>` first. Its
runner returns podman's stdout and stderr with surrounding blanks trimmed; a "streamed" call
(the management verbs) also copies both to netcage's own stdout/stderr as they come, so the
user sees podman's output live and, on failure, once more inside netcage's message.
"""
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass


def store() -> str:
    return os.environ.get("NETCAGE_GRAPHROOT") or f"/var/tmp/netcage-storage-{os.getuid()}"


@dataclass
class Result:
    code: int
    out: str  # trimmed, as netcage's runner keeps it
    err: str

    @property
    def failure(self) -> str:
        """Go's text for the failed command ("exit status 125"), with podman's stderr after a
        colon when it said anything (netcage's stderrSuffix)."""
        return exit_text(self.code) + (f": {self.err}" if self.err else "")


def exit_text(code: int) -> str:
    return f"signal: {_signal_name(-code)}" if code < 0 else f"exit status {code}"


def _signal_name(number: int) -> str:
    names = {signal.SIGKILL: "killed", signal.SIGTERM: "terminated",
             signal.SIGINT: "interrupt"}
    return names.get(number, f"signal {number}")


def podman(*args: str, stream: bool = False) -> Result:
    """Run `podman --root <store> <args>` with stdin at /dev/null."""
    argv = ["podman", "--root", store(), *args]
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except FileNotFoundError:
        return Result(127, "", 'exec: "podman": executable file not found in $PATH')
    outs: dict[str, bytes] = {}
    pumps = [threading.Thread(target=_pump, args=(proc.stdout, sys.stdout, stream, outs, "out")),
             threading.Thread(target=_pump, args=(proc.stderr, sys.stderr, stream, outs, "err"))]
    for pump in pumps:
        pump.start()
    for pump in pumps:
        pump.join()
    code = proc.wait()
    return Result(code, outs["out"].decode("utf-8", "replace").strip(),
                  outs["err"].decode("utf-8", "replace").strip())


def _pump(source, target, stream: bool, outs: dict, key: str) -> None:
    chunks = []
    for chunk in iter(lambda: source.read1(65536), b""):
        chunks.append(chunk)
        if stream:
            target.buffer.write(chunk)
            target.buffer.flush()
    outs[key] = b"".join(chunks)


def podman_attached(*args: str) -> int:
    """Run podman on netcage's own stdin/stdout/stderr (an interactive exec); its status."""
    return subprocess.call(["podman", "--root", store(), *args])
