"""The one tree walker for host folders the jail can write (docs/design.md, rule 26).

A running jail can swap any folder under a machine home for a link (an atomic rename-exchange)
at any moment, so a checked path promises nothing about the next system call. So: each folder
is opened `O_NOFOLLOW` relative to its parent's descriptor and listed by descriptor; each entry
is opened relative to the open folder, its type taken from `fstat` of what was opened. Links
are recreated or removed as links, never followed; sockets, FIFOs and devices are skipped and
named. A walk starts at the user's own folder (workspace, projects root), never re-resolved.
"""

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import AnonPiError
from .regular_file import NO_FOLLOW_FILE

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_LINKED = (errno.ELOOP, errno.ENOTDIR)
MAX_DEPTH = 200  # 2 descriptors per level; a jail-made deeper tree is refused, never a crash
_RETRIES = 8  # an entry that keeps changing type under us is given up on (and named)


class LinkInPath(AnonPiError):
    """A folder on the way to a target is a symlink (or not a folder): not walked through."""

    def __init__(self, path: Path):
        super().__init__(f"{path} is a symlink or not a folder; it is not followed.")
        self.path = path


def _parts(rel: Path | str) -> tuple[str, ...]:
    return tuple(p for p in Path(rel).parts if p not in ("", "."))


def open_chain(base: Path, rel: Path | str = "", *, create: bool = False) -> int:
    """An fd of `base/rel`: `base` (the user's own folder) as given, each part of `rel`
    O_NOFOLLOW (made first with `create`); LinkInPath or FileNotFoundError. Caller closes."""
    return descend(os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC), rel,
                   Path(base), create=create)


def descend(fd: int, rel: Path | str, where: Path, *, create: bool = False) -> int:
    """From the open folder `fd` (taken over: closed here) down `rel`, O_NOFOLLOW each step."""
    here = where
    try:
        for part in _parts(rel):
            here = here / part
            if create:
                try:
                    os.mkdir(part, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
            try:
                child = os.open(part, _DIR, dir_fd=fd)
            except OSError as exc:
                if exc.errno in _LINKED:
                    raise LinkInPath(here) from None
                raise
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def opened(base: Path, rel: Path | str = "", *, create: bool = False) -> Iterator[int]:
    fd = open_chain(base, rel, create=create)
    try:
        yield fd
    finally:
        os.close(fd)


@contextmanager
def opened_below(dir_fd: int, name: str, where: Path | None = None) -> Iterator[int]:
    """The folder `name` of an open folder, O_NOFOLLOW; LinkInPath (naming `where`) if not."""
    try:
        fd = os.open(name, _DIR, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in _LINKED:
            raise LinkInPath(where or Path(name)) from None
        raise
    try:
        yield fd
    finally:
        os.close(fd)


def kind_at(dir_fd: int, name: str) -> str:
    """"absent", "link", "dir", "file" (regular) or "special", without following."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return "absent"
    return ("link" if stat.S_ISLNK(mode) else "dir" if stat.S_ISDIR(mode)
            else "file" if stat.S_ISREG(mode) else "special")


def is_regular(base: Path, rel: Path | str) -> bool:
    """A regular file at `base/rel` reached without any link (a link there counts as absent)."""
    parts = _parts(rel)
    try:
        with opened(base, Path(*parts[:-1])) as fd:
            return kind_at(fd, parts[-1]) == "file"
    except (LinkInPath, OSError):
        return False


def _copy_bytes(src: int, dst: int, size: int) -> None:
    """In-kernel copy of `size` bytes: copy_file_range, else sendfile (refused by the fs)."""
    done, ranged = 0, True
    while done < size:
        try:
            n = (os.copy_file_range(src, dst, size - done) if ranged
                 else os.sendfile(dst, src, done, size - done))
        except OSError as exc:
            if not ranged or exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL,
                                               errno.EOPNOTSUPP):
                raise
            ranged = False
            continue
        if n == 0:
            return
        done += n


class _Copy:
    """One copy run: what was skipped (special files, vanished or too deep), by host path."""

    def __init__(self, skipped: list[Path]):
        self.skipped = skipped
        self.umask = os.umask(0o077)  # reading it means setting it: put it straight back
        os.umask(self.umask)

    def tree(self, src: int, dst: int, where: Path, skip: tuple[str, ...], depth: int) -> None:
        with os.scandir(src) as it:
            entries = [(e.name, e.is_symlink(), e.is_dir(follow_symlinks=False),
                        e.is_file(follow_symlinks=False)) for e in it]
        for name, is_link, is_dir, is_file in entries:
            if len(skip) == 1 and name == skip[0]:
                continue
            if not (is_link or is_dir or is_file):
                self.skipped.append(where / name)  # d_type says special: never opened
                continue
            rest = skip[1:] if skip and name == skip[0] else ()
            self.entry(src, dst, name, where, rest, depth, is_link)

    def entry(self, src, dst, name, where, skip, depth, is_link) -> None:
        for _ in range(_RETRIES):
            if is_link and self.link(src, dst, name):
                return
            try:
                fd = os.open(name, NO_FOLLOW_FILE, dir_fd=src)
            except FileNotFoundError:
                return  # removed by the running jail meanwhile: nothing to copy
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
                is_link = True  # became a link since the listing
                continue
            try:
                self.opened(fd, dst, name, where, skip, depth)
            finally:
                os.close(fd)
            return
        self.skipped.append(where / name)

    def link(self, src: int, dst: int, name: str) -> bool:
        try:
            target = os.readlink(name, dir_fd=src)
        except OSError as exc:
            if exc.errno in (errno.EINVAL, errno.ENOENT):
                return exc.errno == errno.ENOENT  # EINVAL: no longer a link, open it instead
            raise
        os.symlink(target, name, dir_fd=dst)
        return True

    def opened(self, fd, dst, name, where, skip, depth) -> None:
        st = os.fstat(fd)
        mode = stat.S_IMODE(st.st_mode) & 0o777  # no setuid/setgid bits from the jail
        if stat.S_ISREG(st.st_mode):
            out = os.open(name, _NEW, mode | 0o600, dir_fd=dst)
            try:
                if st.st_size:
                    _copy_bytes(fd, out, st.st_size)
                if (mode | 0o600) & ~self.umask != mode:  # the umask or 0o600 changed it
                    os.fchmod(out, mode)
                os.utime(out, ns=(st.st_atime_ns, st.st_mtime_ns))
            finally:
                os.close(out)
        elif stat.S_ISDIR(st.st_mode):
            if depth >= MAX_DEPTH:
                self.skipped.append(where / name)
                return
            os.mkdir(name, 0o700, dir_fd=dst)
            sub = os.open(name, _DIR, dir_fd=dst)
            try:
                self.tree(fd, sub, where / name, skip, depth + 1)
                os.fchmod(sub, mode)
                os.utime(sub, ns=(st.st_atime_ns, st.st_mtime_ns))
            finally:
                os.close(sub)
        else:
            self.skipped.append(where / name)


def copy_fd_tree(src: int, dst: int, where: Path, skipped: list[Path],
                 skip: Path | str = "") -> None:
    """Copy the open folder `src` into the open (new, empty) folder `dst`, its mode and
    times too; `skip` is a path below `src` left out; what was skipped (special files, a
    tree too deep, an entry that kept changing) is appended to `skipped` as `where/<rel>`."""
    _Copy(skipped).tree(src, dst, where, _parts(skip), 0)
    st = os.fstat(src)
    os.fchmod(dst, stat.S_IMODE(st.st_mode) & 0o777)
    os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))


def _empty(fd: int, where: Path, depth: int) -> None:
    if depth >= MAX_DEPTH:
        raise AnonPiError(f"refusing to delete below {where}: folders nested deeper than "
                          f"{MAX_DEPTH} levels.", "remove that folder by hand")
    with os.scandir(fd) as it:
        entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in it]
    for name, is_dir in entries:
        if not is_dir:
            try:
                os.unlink(name, dir_fd=fd)
                continue
            except FileNotFoundError:
                continue
            except IsADirectoryError:
                pass  # became a folder since the listing
        remove_at(fd, name, where / name, depth + 1)


def remove_at(dir_fd: int, name: str, where: Path, depth: int = 0) -> None:
    """Remove the entry `name` of the open folder: a link or file is unlinked, a folder is
    emptied through its own descriptor and removed. Nothing outside is ever opened."""
    for _ in range(_RETRIES):
        try:
            fd = os.open(name, _DIR, dir_fd=dir_fd)
        except FileNotFoundError:
            return
        except OSError as exc:
            if exc.errno not in _LINKED:
                raise
            try:
                os.unlink(name, dir_fd=dir_fd)  # a link or a file: only the entry goes
                return
            except FileNotFoundError:
                return
            except IsADirectoryError:
                continue
        try:
            _empty(fd, where, depth)
        finally:
            os.close(fd)
        try:
            os.rmdir(name, dir_fd=dir_fd)
            return
        except FileNotFoundError:
            return
        except OSError as exc:  # refilled or swapped meanwhile: walk it again
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                raise
    raise AnonPiError(f"could not delete {where}: it kept changing while being deleted.",
                      "stop the machine's running jail, then try again")


def remove_below(base: Path, rel: Path | str) -> str:
    """Remove `base/rel` (no part of `rel` followed); a link loses only its link. Returns
    what was there: "absent", "link", "dir", "file" or "special". LinkInPath when a folder
    on the way is a link: nothing is removed then."""
    parts = _parts(rel)
    with opened(base, Path(*parts[:-1])) as fd:
        kind = kind_at(fd, parts[-1])
        remove_at(fd, parts[-1], Path(base, *parts))
        return kind
