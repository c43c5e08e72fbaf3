"""Moving the workspace to a neutral folder (issue 18): nothing is lost at any point.

Same filesystem: each top-level entry trades places with a link to its new home
(renameat2 RENAME_EXCHANGE, atomic), so the old path works throughout; then the old folder
itself trades places with a link. Across filesystems: an fd-based copy that never follows a
link into a staging folder, a byte-for-byte verification of every file, the same atomic
swap of the old folder for a link, and only then the delete of the original.
A marker in the target tells a rerun that what lies there is a disposable copy.
"""

import ctypes
import errno
import hashlib
import os
import shutil
import signal
import stat
from pathlib import Path

from ..core.errors import AnonPiError
from ..core.host_identity import names_user

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
    skipped = copy_tree(old, staging)
    _step("copied")
    if tree_digest(old, skipped) != tree_digest(staging, set()):
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
    """Never follows a link: a link is unlinked, a folder removed with what is inside it."""
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
    else:
        shutil.rmtree(path)


def copy_tree(src: Path, dst: Path) -> set[str]:
    """Copy without following any link (files opened O_NOFOLLOW relative to their folder's fd);
    returns the relative paths of special files (sockets, fifos) left out."""
    os.mkdir(dst, 0o700)
    skipped, dir_modes = set(), []
    for dirpath, dirnames, filenames, dirfd in os.fwalk(src, follow_symlinks=False):
        rel = os.path.relpath(dirpath, src)
        out = dst / rel
        dir_modes.append((out, os.fstat(dirfd)))
        for name in dirnames + filenames:
            info = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                os.symlink(os.readlink(name, dir_fd=dirfd), out / name)
            elif stat.S_ISDIR(info.st_mode):
                os.mkdir(out / name, 0o700)
            elif stat.S_ISREG(info.st_mode):
                _copy_file(name, dirfd, out / name)
            else:
                skipped.add(os.path.normpath(os.path.join(rel, name)))
    for path, info in reversed(dir_modes):
        os.chmod(path, stat.S_IMODE(info.st_mode))
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    return skipped


def _copy_file(name: str, dirfd: int, out: Path) -> None:
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dirfd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "changed while copying", name)
        wfd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            while chunk := os.read(fd, 1 << 20):
                os.write(wfd, chunk)
            os.fchmod(wfd, stat.S_IMODE(info.st_mode))
            os.utime(wfd, ns=(info.st_atime_ns, info.st_mtime_ns))
            os.fsync(wfd)
        finally:
            os.close(wfd)
    finally:
        os.close(fd)


def tree_digest(root: Path, skipped: set[str]) -> dict[str, str]:
    """Every entry under `root` (no link followed): file bytes' sha256, link target, dir mode."""
    out = {}
    for dirpath, dirnames, filenames, dirfd in os.fwalk(root, follow_symlinks=False):
        rel = os.path.relpath(dirpath, root)
        out[rel] = f"dir {stat.S_IMODE(os.fstat(dirfd).st_mode):o}"
        for name in dirnames + filenames:
            key = os.path.normpath(os.path.join(rel, name))
            info = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
            if key in skipped:
                continue
            if stat.S_ISLNK(info.st_mode):
                out[key] = "link " + os.readlink(name, dir_fd=dirfd)
            elif stat.S_ISREG(info.st_mode):
                fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dirfd)
                with os.fdopen(fd, "rb") as fh:
                    out[key] = f"file {stat.S_IMODE(info.st_mode):o} " + hashlib.file_digest(
                        fh, "sha256").hexdigest()
    return out
