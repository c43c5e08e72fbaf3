"""A folder tree as a byte-identical check sees it, for tests that a command left a tree as it
found it."""

import hashlib
import os
import stat
from pathlib import Path


def _entry_digest(path: Path) -> str:
    """What a byte-identical check must see of one entry: its type, permission bits, size,
    content hash (files) or target (links); FIFOs, sockets and devices as what they are."""
    st = os.lstat(path)
    mode = f"{stat.S_IMODE(st.st_mode):04o}"
    if stat.S_ISLNK(st.st_mode):
        return f"link {os.readlink(path)}"
    if stat.S_ISREG(st.st_mode):
        return f"file {mode} {st.st_size} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    if stat.S_ISDIR(st.st_mode):
        return f"dir {mode}"
    kind = ("fifo" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
            else "chardev" if stat.S_ISCHR(st.st_mode) else "blockdev"
            if stat.S_ISBLK(st.st_mode) else "other")
    return f"{kind} {mode} {st.st_rdev}"


def tree_digest(root: Path) -> dict[str, str]:
    """Every entry under root (links not followed) with _entry_digest: for byte-identical
    checks. A root that is itself a link is recorded as that link (key ".")."""
    if not os.path.lexists(root):
        return {}
    if os.path.islink(root):
        return {".": _entry_digest(root)}
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            out[str(p.relative_to(root))] = _entry_digest(p)
    return out
