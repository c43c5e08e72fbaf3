"""The busybox rootfs of the recording's base image `localhost/nct/busybox:latest`.

The recording `podman import`ed a busybox-static rootfs (sh, sleep, cat, nc, httpd, ...) whose
image podman sizes at 2.02 MB in `netcage images`; its snapshots (a few KB more) are 2.02 MB
too. podman counts the imported tar's bytes, so this one is written with its record padding
trimmed and a small pad file, to land in that window whatever the exact busybox build is:
about 2,016,900 bytes for the image, so a snapshot stays below 2,025,000.
"""
import io
import tarfile
from pathlib import Path

BUSYBOX = Path("/bin/busybox")
APPLETS = [
    "sh", "ash", "sleep", "cat", "nc", "httpd", "true", "false", "echo", "ls", "mkdir", "rm",
    "env", "id", "wget", "ps", "grep", "sed", "head", "tail", "sort", "wc", "tr", "cut", "awk",
    "find", "xargs", "chmod", "chown", "cp", "mv", "ln", "touch", "date", "hostname", "uname",
    "kill", "printf", "test", "[", "basename", "dirname", "readlink",
]
TARGET = 2_015_744  # tar bytes; podman adds the image config (about 1.1 KB)


def write_rootfs(path: Path) -> None:
    data = BUSYBOX.read_bytes()
    _write(path, data, 0)
    pad = (TARGET - 1024 - 512 - _payload_end(path)) // 512 * 512  # its header, the end blocks
    _write(path, data, max(pad, 0))


def _write(path: Path, busybox: bytes, pad: int) -> None:
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tar:
        for folder in ("bin", "etc", "root", "tmp", "usr", "usr/bin"):
            tar.addfile(_entry(folder, type=tarfile.DIRTYPE,
                               mode=0o1777 if folder == "tmp" else 0o755))
        tar.addfile(_entry("bin/busybox", size=len(busybox), mode=0o755), io.BytesIO(busybox))
        for applet in APPLETS:
            tar.addfile(_entry(f"bin/{applet}", type=tarfile.SYMTYPE, linkname="busybox"))
        for name, text in (("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"),
                           ("etc/group", b"root:x:0:\n"), ("etc/pad", bytes(pad))):
            if text or name != "etc/pad":
                tar.addfile(_entry(name, size=len(text), mode=0o644), io.BytesIO(text))
    with open(path, "r+b") as fh:  # drop tarfile's record padding: podman counts every byte
        fh.truncate(_payload_end(path) + 1024)


def _entry(name: str, **fields) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = 0
    for key, value in fields.items():
        setattr(info, key, value)
    return info


def _payload_end(path: Path) -> int:
    with tarfile.open(path) as tar:
        last = tar.getmembers()[-1]
    return last.offset_data + (last.size + 511) // 512 * 512
