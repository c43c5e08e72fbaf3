"""What the host offers a real jail, read without changing anything: podman's version, the
pasta binary, /dev/net/tun, the user's subordinate id ranges and netcage's own config file.

doctor judges these (doctor/host_checks.py, doctor/netcage_config.py); a launch never reads
them. The paths are module constants so tests can point them at files of their own.
"""

import errno
import os
import stat

from ..core.errors import AnonPiError
from . import image_store, netcage
from .workspace import password_home

TUN = "/dev/net/tun"
SUBUID, SUBGID = "/etc/subuid", "/etc/subgid"
# Where podman looks for pasta besides PATH (containers.conf's default helper_binaries_dir).
PODMAN_HELPERS = ("/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman",
                  "/usr/lib/podman")
CONFIG_CAP = 1 << 20


def euid() -> int:
    """Who runs the jail: podman is rootless exactly when this is not 0."""
    return os.geteuid()


def podman_version(io, podman: str) -> tuple[str | None, str | None]:
    """(`podman --version`'s output, None) or (None, why it did not answer)."""
    try:
        res = image_store.podman_query(io, podman, ["--version"], "podman --version")
    except AnonPiError as exc:
        return None, exc.message
    if res.code != 0:
        return None, f"`podman --version` failed (exit {res.code}){netcage.failure_detail(res)}"
    return res.out, None


def pasta(io) -> str | None:
    """The pasta binary podman would run: on the run's PATH or in its helper folders."""
    found = netcage.on_path("pasta", io.env)
    if found:
        return found
    for folder in PODMAN_HELPERS:
        candidate = os.path.join(folder, "pasta")
        if os.access(candidate, os.X_OK) and os.path.isfile(candidate):
            return candidate
    return None


def tun_open_error() -> str | None:
    """Why this user cannot open /dev/net/tun read-write (None: it can). Opening it creates
    no interface: that needs an ioctl, never sent here."""
    try:
        fd = os.open(TUN, os.O_RDWR | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError as exc:
        return exc.strerror or errno.errorcode.get(exc.errno or 0, str(exc))
    os.close(fd)
    return None


def tun_mode() -> tuple[int, int] | None:
    """(permission bits, owner uid) of /dev/net/tun, or None when it is missing."""
    try:
        st = os.stat(TUN)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode), st.st_uid


def subid_lines() -> tuple[str | None, str | None]:
    """The text of /etc/subuid and /etc/subgid (None for one that cannot be read)."""
    return _text_or_empty(SUBUID), _text_or_empty(SUBGID)


def netcage_config_path(env) -> str:
    """netcage's config file: `$XDG_CONFIG_HOME/netcage/config.json`, else under ~/.config
    (Go's os.UserConfigDir, which netcage uses)."""
    base = env.get("XDG_CONFIG_HOME") or os.path.join(env.get("HOME") or password_home(),
                                                      ".config")
    return os.path.join(base, "netcage", "config.json")


def read_small(path: str) -> tuple[str | None, str | None]:
    """(its text, None), (None, None) when there is no such file, or (None, why it cannot
    be read). A FIFO or device there is not read (it could block doctor)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, exc.strerror or str(exc)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, "it is not a regular file"
        data = fh.read(CONFIG_CAP + 1)
    if len(data) > CONFIG_CAP:
        return None, f"it is larger than {CONFIG_CAP // 1024} KiB"
    return data.decode("utf-8", errors="replace"), None


def _text_or_empty(path: str) -> str | None:
    """A missing file lists nothing; None only when it is there but cannot be read."""
    text, error = read_small(path)
    return None if error else (text or "")
