"""A network namespace for an image build's RUN steps in which the set-up bridge is the only
thing there is: its loopback, and on it the bridge's port.

`podman build --network=host` would let a RUN step reach the bridge on 127.0.0.1, and also
everything else this host can reach, directly: a step that ignores the proxy variables would
leak. `--network=ns:<path>` joins a namespace of our own instead. It is made by a small holder
(edges/netns_holder.py) run under `unshare --net` — as root directly, rootless inside
`podman unshare`, so the namespace belongs to the user namespace podman's build runs in and
podman may join it. The holder listens on 127.0.0.1:<the bridge's port> in there and passes
that listening socket back, so connections made inside arrive at the bridge, which lives in
this process on the host's network. No route leads anywhere else: a step that ignores the
proxy gets "network unreachable", and a name lookup finds no server.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import namedtuple
from pathlib import Path

from .netcage import on_path

HOLDER = Path(__file__).with_name("netns_holder.py")
START_TIMEOUT = 10.0


class Netns(namedtuple("Netns", ["path", "holder", "control", "folder"])):
    """A made namespace: `path` is what `podman build --network=ns:<path>` joins."""

    __slots__ = ()

    def close(self) -> None:
        """Let the holder go (it exits when the control socket closes) and tidy up."""
        self.control.close()
        try:
            self.holder.wait(START_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.holder.kill()
            self.holder.wait()
        self.holder.stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def holder_argv(unshare: str, control: str, port: int, podman: str | None) -> list[str]:
    """The command that makes the namespace: rootless (`podman` given) inside podman's own
    user namespace, so that podman's build may join it."""
    inner = [unshare, "--net", "--", sys.executable, "-I", str(HOLDER), control, str(port)]
    return [podman, "unshare", *inner] if podman else inner


def _accept(server: socket.socket, holder: subprocess.Popen) -> socket.socket | None:
    """The holder's connection, or None once it exited or START_TIMEOUT passed."""
    end = time.monotonic() + START_TIMEOUT
    server.settimeout(0.1)
    while time.monotonic() < end:
        try:
            return server.accept()[0]
        except TimeoutError:
            if holder.poll() is not None:
                return None
    return None


def make(io, port: int) -> tuple[Netns | None, list[socket.socket], str]:
    """(the namespace, [its listener on 127.0.0.1:port], "") or (None, [], why not).
    `unshare` and podman are the run's (found on its PATH, run with its environment)."""
    unshare, podman = on_path("unshare", io.env), on_path("podman", io.env)
    rootless = os.geteuid() != 0
    if unshare is None or (rootless and podman is None):
        return None, [], ("`unshare` (util-linux) is not on PATH" if unshare is None else
                          "podman is not on PATH")
    # 0700: inside `podman unshare` the holder is this same user (root there), so it may enter
    folder = tempfile.mkdtemp(prefix="anon-pi-netns-")
    holder = control = None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(os.path.join(folder, "c"))
            server.listen(1)
            holder = subprocess.Popen(
                holder_argv(unshare, os.path.join(folder, "c"), port, podman if rootless else None),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                env=dict(io.env))
            control = _accept(server, holder)
        got = _received(control) if control is not None else None
        if got is None:
            raise _NotMade(_failure(holder))
        pid, listener = got
        netns = Netns(f"/proc/{pid}/ns/net", holder, control, folder)
        if not _separate(netns.path):
            listener.close()
            raise _NotMade("the new network namespace could not be told apart from this one")
        return netns, [listener], ""
    except (_NotMade, OSError) as exc:
        _undo(holder, control, folder)
        return None, [], str(exc.args[0] if isinstance(exc, _NotMade) else exc)
    except BaseException:  # Ctrl-C while the holder starts: nothing of it stays behind
        _undo(holder, control, folder)
        raise


class _NotMade(Exception):
    """Why the namespace could not be made (the holder's own words when it said any)."""


def _undo(holder: subprocess.Popen | None, control: socket.socket | None, folder: str) -> None:
    if control is not None:
        control.close()
    if holder is not None:
        if holder.poll() is None:
            holder.kill()
        holder.wait()
        holder.stderr.close()
    shutil.rmtree(folder, ignore_errors=True)


def _received(control: socket.socket) -> tuple[int, socket.socket] | None:
    """The holder's pid and the listening socket it passed, or None."""
    control.settimeout(START_TIMEOUT)
    try:
        message, fds, _flags, _addr = socket.recv_fds(control, 32, 1)
    except OSError:
        return None
    if len(fds) != 1 or not message.isdigit():
        for fd in fds:
            os.close(fd)
        return None
    return int(message), socket.socket(fileno=fds[0])


def _separate(path: str) -> bool:
    """The holder's namespace is not ours (an `unshare` that ignored --net would leak)."""
    try:
        return os.stat(path).st_ino != os.stat("/proc/self/ns/net").st_ino
    except OSError:
        return False


def _failure(holder: subprocess.Popen) -> str:
    """The holder's own last stderr line (unshare's or podman's reason), or a generic one."""
    if holder.poll() is None:
        holder.kill()
    holder.wait()
    err = holder.stderr.read().decode("utf-8", "replace")
    last = next((ln.strip() for ln in reversed(err.splitlines()) if ln.strip()), "")
    return last or f"the namespace holder exited with status {holder.returncode}"
