"""Runs as its own program inside a fresh network namespace (`unshare --net`, started by
edges/build_netns.py): brings the namespace's loopback up, listens on 127.0.0.1:<port>, hands
that listening socket to anon-pi over the control socket, then stays — so the namespace keeps
a path (/proc/<pid>/ns/net) for podman to join — until anon-pi closes the control socket.

The standard library only, run with `python -I <this file>`: inside `podman unshare` it must
not depend on anon-pi's package being importable, and nothing of the user's environment
(PYTHONPATH, site packages) is needed in a process that exists only to hold a namespace.
"""

import fcntl
import os
import signal
import socket
import struct
import sys

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
IFREQ = "16sH22x"  # struct ifreq: the name, then the flags (the rest of the union unused)


def loopback_up() -> None:
    """A new namespace's `lo` is down, so not even 127.0.0.1 could be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        got = fcntl.ioctl(sock, SIOCGIFFLAGS, struct.pack(IFREQ, b"lo", 0))
        flags = struct.unpack(IFREQ, got)[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack(IFREQ, b"lo", flags | IFF_UP))


def main(control: str, port: int) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build's Ctrl-C is anon-pi's to handle
    loopback_up()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as ctl:
        ctl.connect(control)
        socket.send_fds(ctl, [str(os.getpid()).encode("ascii")], [listener.fileno()])
        listener.close()
        while ctl.recv(64):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
