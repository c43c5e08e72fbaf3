"""Moving the workspace to a neutral folder, so the jail's mount paths no longer show the
login name: nothing is lost at any point.

Same filesystem: each top-level entry trades places with a link to its new home
(renameat2 RENAME_EXCHANGE, atomic), so the old path works throughout; then the old folder
itself trades places with a link. Across filesystems: the one no-follow tree walker
(safe_tree.copy_fd_tree: the machine homes inside are jail-writable) copies into a staging
folder, every file is read back, fsynced and compared byte for byte, then the same atomic
swap of the old folder for a link, and only then the delete of the original.
A marker in the target tells a rerun that what lies there is a disposable copy.

The target must lie apart from every folder the jail mounts read-write (projects roots,
`--mount` folders, machine homes): there, config.json would be the jail's to rewrite. That is
checked when the user names the folder and again at the moment of the move, on the folder
itself (opened without following a link, its location as the kernel names it), since the
answers given in between (a projects root that holds it) or a swapped path could change it.
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
from ..core.mount_safety import move_target_problem
from ..core.shown import shown
from .safe_tree import copy_fd_tree, opened, remove_below

STAGING = ".anon-pi-incoming"
MARKER = ".anon-pi-move-incomplete"
KILL_HOOK = "ANON_PI_MOVE_KILL_AT"  # tests: SIGKILL ourselves at a named step (in io.env)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _step(io, name: str) -> None:
    """The crash test's hook: the run's environment names the step to die at. It kills this
    whole process, so only a test that runs anon-pi as a process of its own may set it."""
    if io.env.get(KILL_HOOK) == name:
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


def real_roots(roots: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(what, path) -> (what, the path as the kernel resolves it, as a bind mount does)."""
    return [(what, os.path.realpath(path)) for what, path in roots]


def target_problem(target: Path, old: Path, login: str | None, home: str | None,
                   roots: list[tuple[str, str]] = ()) -> str | None:
    """Why `target` cannot take the workspace, or None. `roots`: (what, path) of every folder
    the jail mounts read-write."""
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
    clash = move_target_problem(real, real_roots(roots))
    if clash:
        return clash
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


def held_target(target: Path, roots: list[tuple[str, str]]) -> int:
    """The target opened as it is now (never through a link), owned by the user, not
    writable by others, reached by its own path (the link the workspace becomes names that
    path: through a link on the way, a jail that can write where that link lies could point
    the workspace anywhere later), and apart from every mount root by where the kernel says
    the opened folder is: its descriptor, or a refusal. The caller closes it."""
    try:
        fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise _refused(target, f"it cannot be opened as a folder ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        where = os.readlink(f"/proc/self/fd/{fd}")
        problem = (("it is not owned by you" if info.st_uid != os.getuid() else None)
                   or ("it is writable by others" if info.st_mode & 0o022 else None)
                   or (f"its path leads through a link (the folder is {shown(where)})"
                       if where != os.path.normpath(target) else None)
                   or move_target_problem(where, real_roots(roots)))
    except BaseException:
        os.close(fd)
        raise
    if problem:
        os.close(fd)
        raise _refused(target, problem)
    return fd


def _refused(target: Path, why: str) -> AnonPiError:
    return AnonPiError(f"refusing to move the workspace into {target}: {why}; nothing was "
                       "moved.", "pick another folder when `anon-pi init` asks again")


def _still_names(target: Path, fd: int) -> None:
    """The path the old one will link to still names the folder that was checked."""
    now, held = os.stat(target, follow_symlinks=False), os.fstat(fd)
    if (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino):
        raise _refused(target, "it was replaced during the move (the old folder still works "
                       "and keeps everything)")


def move_workspace(io, old: Path, target: Path, roots: list[tuple[str, str]] = ()) -> str:
    """Move `old` into the (checked) empty `target`, leave `old` as a link; "renamed"/"copied"
    ("linked" when there was no workspace yet). `roots`: (what, path) of every folder the
    jail mounts read-write; the target is checked against them again here. `io`: the run's
    context, read only for the crash test's hook."""
    _step(io, "start")
    fd = held_target(target, roots)
    try:
        if not os.path.lexists(old):
            old.parent.mkdir(parents=True, exist_ok=True)
            _still_names(target, fd)
            os.symlink(str(target), old)
            return "linked"
        same_fs = os.stat(old).st_dev == os.fstat(fd).st_dev
        if same_fs and not os.path.lexists(target / MARKER) and exchange_works(old.parent):
            for name in sorted(os.listdir(old)):
                _move_entry(io, old / name, target / name)
            how = "renamed"
        else:
            _copy_verified(io, old, target)
            how = "copied"
        _still_names(target, fd)
        _swap_for_link(io, old, target)
        finish(old, target)
        return how
    finally:
        os.close(fd)


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


def _move_entry(io, src: Path, dst: Path) -> None:
    if os.path.islink(src) and os.readlink(src) == str(dst):
        return  # moved by an earlier, interrupted run
    if os.path.islink(dst) and os.readlink(dst) == str(dst):
        os.unlink(dst)
    os.symlink(str(dst), dst)  # a placeholder that becomes the old path's link
    _step(io, "linked")
    _exchange(src, dst)
    _step(io, "exchanged")


def _copy_verified(io, old: Path, target: Path) -> None:
    marker = target / MARKER
    marker.touch()
    for name in os.listdir(target):
        if name != MARKER:
            _remove_tree(target / name)  # an earlier copy, never used: the source is intact
    staging = target / STAGING
    os.mkdir(staging, 0o700)
    with opened(old) as src, opened(staging) as dst:
        copy_fd_tree(src, dst, old, [])
    _step(io, "copied")
    if tree_digest(old) != tree_digest(staging, sync=True):
        _remove_tree(staging)
        raise AnonPiError(f"the copy of {old} differs from the original (did a running jail "
                          "write to it?); nothing was moved.",
                          "stop every anon-pi session and run `anon-pi init` again")
    _step(io, "verified")
    for name in sorted(os.listdir(staging)):
        os.rename(staging / name, target / name)
    os.rmdir(staging)
    _step(io, "placed")


def _swap_for_link(io, old: Path, target: Path) -> None:
    spare = leftover(old)
    if os.path.islink(spare):
        os.unlink(spare)  # made by a run stopped before its swap
    elif os.path.lexists(spare):
        raise AnonPiError(f"{spare} is in the way of the move; nothing was changed.",
                          "look inside it, remove it, and run `anon-pi init` again")
    os.symlink(str(target), spare)
    _step(io, "final-link")
    _exchange(old, spare)
    _step(io, "swapped")


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
