"""The long texts the stand-in prints verbatim, kept as data files in texts/.

usage.txt is netcage's usage text as recorded (0.12.0 and 0.13.0 print the same one; 0.11.1's
differs only in naming its hole flag, written @HOLE@ there). podman-<verb>-help.txt is what
`netcage <verb> --help` prints for the pass-through verbs: podman's own help (podman 4.3.1), since
netcage hands `--help` to podman.
"""
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent / "texts"


@cache
def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def usage(gen) -> str:
    return _read("usage.txt").replace("@HOLE@", gen.hole_flag)


def podman_help(verb: str) -> str:
    return _read(f"podman-{verb}-help.txt")
