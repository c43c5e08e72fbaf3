"""What the jail can read about the host's paths: the login name, the kernel's view
of each mount source, and a neutral private temp folder for netcage's own mounted files."""

import os
import stat

from ..core.errors import AnonPiError
from ..core.host_identity import names_user, netcage_temp_dir, neutral_tmp_path
from .workspace import user_home


def login_name(env) -> str | None:
    """The login name as getpass.getuser() finds it: $LOGNAME, $USER, $LNAME, $USERNAME, then
    the password file. Read here rather than through getpass, whose import loads termios (a
    shared library) for a password prompt anon-pi never shows: every launch asks, and the
    launch's start-up time is benchmarked."""
    for var in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if env.get(var):
            return env[var]
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return None


def kernel_source(path: str) -> str:
    """A bind-mount source as /proc/self/mountinfo will show it: every link resolved. A
    value no path can be (a NUL or a lone surrogate from a JSON string) has no links to
    resolve: it is what it says (a launch refuses it; init shows it and asks again)."""
    try:
        return os.path.realpath(path)
    except (ValueError, UnicodeEncodeError):
        return path


def planned_tmp(env) -> str | None:
    """The neutral TMPDIR a launch will give netcage, or None when its own is neutral."""
    current, login, home = netcage_temp_dir(env), login_name(env), user_home(env)
    if not any(names_user(p, login, home) for p in (current, kernel_source(current))):
        return None
    return neutral_tmp_path(os.getuid())


def private_tmp(env) -> str | None:
    """planned_tmp(), created mode 700; a folder there that is a link, not ours, or open to
    others is refused rather than used (a shared /tmp invites squatting)."""
    path = planned_tmp(env)
    if path is None:
        return None
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise AnonPiError(f"cannot create netcage's neutral temp folder {path}: "
                          f"{exc.strerror or exc}", "set TMPDIR to a folder outside your home "
                          "whose path does not show your login name") from None
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise AnonPiError(f"{path} exists but is not a private folder of yours (mode 700).",
                          "remove it, or set TMPDIR to a neutral folder of your own")
    return path
