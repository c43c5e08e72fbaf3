"""The machine home's git identity: read what git in the jail will read (~/.gitconfig and
~/.config/git/config), and give the home anon-pi's identity when neither names anybody.

The home is a folder the jail writes, so nothing here follows a link: the home is opened
once and every name under it relative to that descriptor, O_NOFOLLOW; a ~/.gitconfig that
is a link (or anything but a plain file) counts as the user's own and is left alone, and the
new file replaces the old one by a rename, never a write through whatever sits there.
"""

import os
import stat
from pathlib import Path

from ..core.jail_identity import GitIdentity, config_identity, has_identity, with_identity
from .regular_file import read_regular

GITCONFIG = ".gitconfig"
XDG_PARTS = (".config", "git")
XDG_NAME = "config"
_UNKNOWN = "\0unknown"  # a config anon-pi cannot read as text: treated as the user's own
# the fd walker's folder flags, without loading it: a launch that hands itself to netcage
# reads two small files here and must not pay for the walker's import (it is timed)
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
CAP = 1 << 20


def _kind(dir_fd: int, name: str) -> str:
    """"absent", "file" (regular), or "other" (a link, a folder, anything else): no following."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return "absent"
    return "file" if stat.S_ISREG(mode) else "other"


def _read(dir_fd: int, name: str) -> str | None:
    """A regular file's text (undecodable bytes kept as they are); None for a link, anything
    else, a file that cannot be read or one larger than CAP."""
    data = read_regular(dir_fd, name, CAP)
    return None if data is None else data.decode("utf-8", "surrogateescape")


def _xdg_text(home_fd: int) -> str | None:
    """~/.config/git/config: None when absent; a link on the way counts as a config."""
    fd = os.dup(home_fd)
    try:
        for part in XDG_PARTS:
            try:
                child = os.open(part, _DIR, dir_fd=fd)
            except FileNotFoundError:
                return None
            except OSError:  # a link or a file where a folder goes
                return _UNKNOWN
            os.close(fd)
            fd = child
        kind = _kind(fd, XDG_NAME)
        if kind == "absent":
            return None
        text = _read(fd, XDG_NAME) if kind == "file" else None
        return _UNKNOWN if text is None else text
    finally:
        os.close(fd)


def _configs(home_fd: int) -> tuple[str, str | None, str | None]:
    """(kind of ~/.gitconfig, its text, the XDG config's text)."""
    kind = _kind(home_fd, GITCONFIG)
    own = _read(home_fd, GITCONFIG) if kind == "file" else None
    if kind == "file" and own is None:  # unreadable or huge: the user's, never replaced
        kind = "other"
    return kind, own, _xdg_text(home_fd)


def _decides(kind: str, own: str | None, xdg: str | None) -> bool:
    return kind == "other" or xdg == _UNKNOWN or has_identity(own, xdg)


def give_identity(home: Path, identity: GitIdentity) -> bool:
    """Write `identity` into the home's ~/.gitconfig unless git there already has one (or
    an include, a link, a file anon-pi cannot read): True when written. The user's own
    lines stay byte for byte; the `[user]` section is added after them."""
    from .workspace import write_bytes_at

    fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        kind, own, xdg = _configs(fd)
        if _decides(kind, own, xdg):
            return False
        mode = 0o644
        if kind == "file":
            mode = os.stat(GITCONFIG, dir_fd=fd, follow_symlinks=False).st_mode & 0o777
        text = with_identity(own, identity)
        write_bytes_at(fd, GITCONFIG, text.encode("utf-8", "surrogateescape"), mode)
        return True
    finally:
        os.close(fd)


def home_identity(home: Path) -> tuple[GitIdentity | None, bool]:
    """(the identity git in the jail will use, whether the home's config decides it at all)
    for doctor; a home that is missing or unreadable decides nothing."""
    try:
        fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None, False
    try:
        kind, own, xdg = _configs(fd)
    finally:
        os.close(fd)
    if not _decides(kind, own, xdg):
        return None, False
    name = email = None
    for text in (xdg, own):  # git reads the XDG file first; ~/.gitconfig wins
        if text and text != _UNKNOWN:
            n, e, _ = config_identity(text)
            name, email = n if n is not None else name, e if e is not None else email
    if name is None and email is None:
        return None, True
    return GitIdentity(name or "", email or ""), True


def host_identity(env, home: str) -> GitIdentity | None:
    """The user's own git identity on the host (~/.gitconfig, then the XDG file), so doctor
    can tell when a machine home carries it; None when git on the host has none."""
    xdg = (env.get("XDG_CONFIG_HOME") or "").strip() or os.path.join(home, ".config")
    name = email = None
    for path in (os.path.join(xdg, "git", "config"), os.path.join(home, GITCONFIG)):
        try:
            with open(path, "rb") as f:
                text = f.read(CAP).decode("utf-8", "surrogateescape")
        except OSError:
            continue
        n, e, _ = config_identity(text)
        name, email = n if n is not None else name, e if e is not None else email
    if name is None and email is None:
        return None
    return GitIdentity(name or "", email or "")
