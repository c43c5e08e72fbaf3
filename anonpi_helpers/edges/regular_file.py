"""Reading one small file in a folder the jail can write, by that folder's descriptor.

The jail can put a link, a FIFO or a device where a file was, or grow the file without end,
at any moment. So the name is opened relative to the already-open folder without following a
link (O_NOFOLLOW), without waiting on a FIFO's writer (O_NONBLOCK) and without making a
terminal ours (O_NOCTTY); what was opened must be a regular file by its own `fstat`, and no
more than `limit` bytes are read. Anything else reads as nothing.

Its own small module: the launch reads the home's git config through it, and a launch's
start-up is timed (the folder walker in edges/safe_tree.py is not needed there).
"""

import os
import stat

# how a name in a jail-writable folder is opened for reading (edges/safe_tree.py too)
NO_FOLLOW_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def read_regular(dir_fd: int, name: str, limit: int) -> bytes | None:
    """The bytes of the regular file `name` in the folder `dir_fd`; None for a link,
    anything but a regular file, one that cannot be opened or read, or one larger than
    `limit` bytes."""
    try:
        fd = os.open(name, NO_FOLLOW_FILE, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = b""
        while len(data) <= limit and (chunk := os.read(fd, limit + 1 - len(data))):
            data += chunk
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if len(data) > limit else data
