"""What a real jail needs from the host, as doctor rows: podman 5, rootless, pasta,
/dev/net/tun and subordinate ids. Pure: the caller reads the facts (edges/host_facts.py).

Each of these was met by a real launch: rootful podman refuses netcage's pasta network
(`pasta networking is only supported for rootless mode`), podman 4 has no pasta options
(`unknown bridge network option: -I`), and a /dev/net/tun the user cannot open makes the
sidecar exit 126 (`Failed to open() /dev/net/tun: Permission denied`).
"""

import re

from ..core.numbers import ascii_int
from .checks import Check

MIN_PODMAN = (5, 0, 0)
HOW_TO = "README.md#troubleshooting"
INSTALL = "README.md#install-netcage"
NEEDED_IDS = 65536  # an image's own users (node: 1000, nobody: 65534) must map somewhere
_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")
_UID_FIX = ("`sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {login}`, "
            "then `podman system migrate`")


def podman_version_check(path: str, output: str | None, error: str | None) -> Check:
    """`output` is `podman --version`'s answer (`podman version 5.4.2`)."""
    if output is None:
        return Check("FAIL", "podman", f"{path} did not answer: {error}",
                     "check that podman runs: `podman --version`")
    found = _VERSION.search(output)
    if found is None:
        return Check("FAIL", "podman", f"{path}: cannot read a version in "
                     f"{output.strip()[:80]!r}", "check that podman runs: `podman --version`")
    version = tuple(ascii_int(g) or 0 for g in found.groups(default="0"))
    shown = ".".join(map(str, version))
    if version < MIN_PODMAN:
        return Check("FAIL", "podman", f"{path} is version {shown}; netcage needs podman 5 or "
                     "newer (podman 4 has no pasta options: `unknown bridge network option: -I`)",
                     f"install podman 5 or newer ({INSTALL})")
    return Check("ok", "podman", f"{path}, version {shown}")


def rootless_check(euid: int) -> Check:
    """podman runs rootless exactly when its user is not root."""
    if euid == 0:
        return Check("FAIL", "rootless", "anon-pi runs as root, so podman is rootful, and "
                     "netcage's pasta network is rootless only (`pasta networking is only "
                     "supported for rootless mode`)",
                     f"run anon-pi as your normal user: netcage needs rootless podman ({HOW_TO})")
    return Check("ok", "rootless", f"podman runs rootless as uid {euid}")


def pasta_check(path: str | None) -> Check:
    if path is None:
        return Check("FAIL", "pasta", "not found on PATH or in podman's helper folders; "
                     "netcage's jail network is pasta",
                     "install passt, which provides pasta (`sudo apt install passt`, "
                     "`sudo dnf install passt`)")
    return Check("ok", "pasta", path)


def tun_check(euid: int, open_error: str | None, mode: tuple[int, int] | None) -> Check:
    """Judged for the user who runs the jail: as root by its mode bits (rootless podman runs
    as a normal user, who must be able to open it), otherwise by opening it."""
    name = "/dev/net/tun"
    if mode is None:
        return Check("FAIL", name, "missing: the sidecar cannot create the jail's network "
                     "device", "load the tun module: `sudo modprobe tun`")
    perms, owner = mode
    fix = ("`sudo chmod 0666 /dev/net/tun` (its usual mode; a udev rule `KERNEL==\"tun\", "
           "MODE=\"0666\"` keeps it after a reboot)")
    if euid == 0:
        if perms & 0o006 != 0o006:
            return Check("FAIL", name, f"mode {perms:04o} (owner uid {owner}): a normal user "
                         "cannot open it, and rootless podman runs as one (the sidecar exits "
                         "126: `Failed to open() /dev/net/tun: Permission denied`)", fix)
        return Check("ok", name, f"mode {perms:04o}: every user can open it")
    if open_error is not None:
        return Check("FAIL", name, f"you cannot open it ({open_error}): the sidecar exits 126 "
                     "(`Failed to open() /dev/net/tun: Permission denied`)", fix)
    return Check("ok", name, "you can open it")


def id_ranges(text: str | None, login: str | None, uid: int) -> int | None:
    """How many subordinate ids `/etc/subuid`-style `text` gives this user (by name or uid);
    None when the file could not be read."""
    if text is None:
        return None
    total = 0
    for line in text.splitlines():
        parts = line.strip().split(":")
        if len(parts) != 3 or parts[0] not in (login, str(uid)):
            continue
        count = ascii_int(parts[2])
        if ascii_int(parts[1]) is not None and count:
            total += count
    return total


def subid_check(euid: int, login: str | None, uids: int | None, gids: int | None,
                newuidmap: str | None) -> Check:
    """Rootless podman maps an image's users onto the user's subordinate id ranges."""
    name = "subordinate ids"
    who = login or str(euid)
    fix = _UID_FIX.format(login=who)
    if euid == 0:
        return Check("warn", name, "not checked as root (rootful podman maps no ranges); the "
                     "user who runs anon-pi rootless needs ranges in /etc/subuid and /etc/subgid",
                     _UID_FIX.format(login="<user>"))
    if uids is None or gids is None:
        return Check("FAIL", name, "/etc/subuid or /etc/subgid cannot be read", fix)
    missing = [f for f, n in (("/etc/subuid", uids), ("/etc/subgid", gids)) if not n]
    if missing:
        return Check("FAIL", name, f"no range for {who} in {' and '.join(missing)}: rootless "
                     "podman cannot map an image's users", fix)
    if newuidmap is None:
        return Check("FAIL", name, "newuidmap/newgidmap are not installed: rootless podman "
                     "cannot use the ranges", "install them (`sudo apt install uidmap`; "
                     "Fedora: `shadow-utils`)")
    if min(uids, gids) < NEEDED_IDS:
        return Check("warn", name, f"{who} has {uids} uids and {gids} gids; images whose "
                     f"users reach uid {NEEDED_IDS - 2} (nobody) need {NEEDED_IDS}", fix)
    return Check("ok", name, f"{who} has {uids} uids and {gids} gids for rootless podman")
