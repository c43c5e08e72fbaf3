"""Moving the workspace to a neutral folder (issue 18): nothing is lost at any point.

Same filesystem: each top-level entry trades places with a link to its new home
(renameat2 RENAME_EXCHANGE, atomic), so the old path works throughout; then the old folder
itself trades places with a link. Across filesystems: the one no-follow tree walker
(safe_tree.copy_fd_tree: the machine homes inside are jail-writable) copies into a staging
folder, every file is read back, fsynced and compared byte for byte, then the same atomic
swap of the old folder for a link, and only then the delete of the original.
A marker in the target tells a rerun that what lies there is a disposable copy.
"""

import ctypes
import errno
import hashlib
import os
import signal
import stat
from pathlib import Path

from ..core.errors import AnonPiError
from ..core.host_identity import names_user
from .safe_tree import copy_fd_tree, opened, remove_below

STAGING = ".anon-pi-incoming"
MARKER = ".anon-pi-move-incomplete"
KILL_HOOK = "ANON_PI_MOVE_KILL_AT"  # tests: SIGKILL ourselves at a named step
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _step(name: str) -> None:
    if os.environ.get(KILL_HOOK) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _exchange(a: Path, b: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(a))
    if libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                      _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a))


def leftover(old: Path) -> Path:
    """Where the old folder waits (as a folder of links, or the original copy) after the swap."""
    return old.with_name(f".{old.name}.moved")


def target_problem(target: Path, old: Path, login: str | None, home: str | None) -> str | None:
    """Why `target` cannot take the workspace, or None."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return f"{target} does not exist yet: run the command above first"
    except OSError as exc:
        return f"cannot read {target}: {exc.strerror}"
    real = os.path.realpath(target)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        return f"{target} is not a folder (a link or a file)"
    if info.st_uid != os.getuid():
        return f"{target} is not owned by you (use `install -d -o <you>`)"
    if info.st_mode & 0o022:
        return f"{target} is writable by others; make it mode 700"
    if names_user(str(target), login, home) or names_user(real, login, home):
        return f"{target} shows your login name or home path too; pick a neutral folder"
    old_real = os.path.realpath(old)
    if real == old_real or real.startswith(old_real + "/") or old_real.startswith(real + "/"):
        return f"{target} overlaps the workspace {old}"
    entries = set(os.listdir(target)) - {MARKER, STAGING}
    if entries and not os.path.lexists(target / MARKER) and not _resumable(old, target):
        return f"{target} is not empty"
    return None


def _resumable(old: Path, target: Path) -> bool:
    """A same-filesystem move stopped half-way: every target entry is linked from `old`."""
    for name in os.listdir(target):
        here, there = old / name, target / name
        if os.path.islink(there) and os.readlink(there) == str(there):
            continue  # a placeholder that never got exchanged
        if not (os.path.islink(here) and os.readlink(here) == str(there)):
            return False
    return True


def move_workspace(old: Path, target: Path) -> str:
    """Move `old` into the (checked) empty `target`, leave `old` as a link; "renamed"/"copied"
    ("linked" when there was no workspace yet)."""
    _step("start")
    if not os.path.lexists(old):
        old.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(str(target), old)
        return "linked"
    same_fs = os.stat(old).st_dev == os.stat(target).st_dev
    if same_fs and not os.path.lexists(target / MARKER) and exchange_works(old.parent):
        for name in sorted(os.listdir(old)):
            _move_entry(old / name, target / name)
        how = "renamed"
    else:
        _copy_verified(old, target)
        how = "copied"
    _swap_for_link(old, target)
    finish(old, target)
    return how


def exchange_works(folder: Path) -> bool:
    """Whether this filesystem swaps two names atomically (some network filesystems do not)."""
    a, b = folder / f".anon-pi-swap-a-{os.getpid()}", folder / f".anon-pi-swap-b-{os.getpid()}"
    try:
        os.symlink("a", a)
        os.symlink("b", b)
        _exchange(a, b)
        return os.readlink(a) == "b"
    except OSError:
        return False
    finally:
        for path in (a, b):
            if os.path.islink(path):
                os.unlink(path)


def _move_entry(src: Path, dst: Path) -> None:
    if os.path.islink(src) and os.readlink(src) == str(dst):
        return  # moved by an earlier, interrupted run
    if os.path.islink(dst) and os.readlink(dst) == str(dst):
        os.unlink(dst)
    os.symlink(str(dst), dst)  # a placeholder that becomes the old path's link
    _step("linked")
    _exchange(src, dst)
    _step("exchanged")


def _copy_verified(old: Path, target: Path) -> None:
    marker = target / MARKER
    marker.touch()
    for name in os.listdir(target):
        if name != MARKER:
            _remove_tree(target / name)  # an earlier copy, never used: the source is intact
    staging = target / STAGING
    os.mkdir(staging, 0o700)
    with opened(old) as src, opened(staging) as dst:
        copy_fd_tree(src, dst, old, [])
    _step("copied")
    if tree_digest(old) != tree_digest(staging, sync=True):
        _remove_tree(staging)
        raise AnonPiError(f"the copy of {old} differs from the original (did a running jail "
                          "write to it?); nothing was moved.",
                          "stop every anon-pi session and run `anon-pi init` again")
    _step("verified")
    for name in sorted(os.listdir(staging)):
        os.rename(staging / name, target / name)
    os.rmdir(staging)
    _step("placed")


def _swap_for_link(old: Path, target: Path) -> None:
    spare = leftover(old)
    if os.path.islink(spare):
        os.unlink(spare)  # made by a run stopped before its swap
    elif os.path.lexists(spare):
        raise AnonPiError(f"{spare} is in the way of the move; nothing was changed.",
                          "look inside it, remove it, and run `anon-pi init` again")
    os.symlink(str(target), spare)
    _step("final-link")
    _exchange(old, spare)
    _step("swapped")


def finish(old: Path, target: Path) -> None:
    """After the swap: drop the marker and the old folder's remains (links or the copy)."""
    if not (os.path.islink(old) and os.path.realpath(old) == os.path.realpath(target)):
        return
    try:
        os.unlink(target / MARKER)
    except FileNotFoundError:
        pass
    if os.path.lexists(leftover(old)):
        _remove_tree(leftover(old))


def _remove_tree(path: Path) -> None:
    """Never follows a link: a link is unlinked, a folder emptied through its own descriptor
    (the one walker's delete: the old folder's remains hold jail-writable homes)."""
    remove_below(path.parent, path.name)


def tree_digest(root: Path, *, sync: bool = False) -> dict[str, str]:
    """Every entry under `root` (no link followed): file bytes' sha256, link target, dir mode.

    Special files (sockets, FIFOs) have no entry: the walker leaves them out of the copy.
    Modes are the permission bits the walker carries (never setuid/setgid/sticky). Anything
    else it did not copy (a tree deeper than its limit, an entry that kept changing) differs,
    so the move is refused rather than finished without it. `sync` fsyncs each file as it is
    read back: the copy must be on disk before the original is deleted."""
    out = {}
    for dirpath, dirnames, filenames, dirfd in os.fwalk(root, follow_symlinks=False):
        rel = os.path.relpath(dirpath, root)
        out[rel] = f"dir {os.fstat(dirfd).st_mode & 0o777:o}"
        for name in dirnames + filenames:
            key = os.path.normpath(os.path.join(rel, name))
            info = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                out[key] = "link " + os.readlink(name, dir_fd=dirfd)
            elif stat.S_ISREG(info.st_mode):
                fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dirfd)
                with os.fdopen(fd, "rb") as fh:
                    if sync:
                        os.fsync(fd)
                    out[key] = f"file {info.st_mode & 0o777:o} " + hashlib.file_digest(
                        fh, "sha256").hexdigest()
    return out
