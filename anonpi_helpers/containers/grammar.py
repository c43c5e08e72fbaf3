"""Command lines of the verbs that act on a running jail: forward, ports, image snapshot.

Pure. Everything is checked here, so a bad argument never reaches netcage.
"""

from collections import namedtuple

from ..core.errors import AnonPiError
from ..core.names import check_name, check_snapshot_name
from ..core.verbs import unknown_option
from .ports_parse import check_bind, port_token

_FLAGS = {"forward": ("-m", "--machine", "-p", "--port", "--bind", "-h", "--help"),
          "ports": ("-m", "--machine", "--json", "-h", "--help")}
IMAGE_HINT = "see `anon-pi image --help` or `anon-pi --help`"


class ForwardArgs(namedtuple("ForwardArgs", [
    "project",  # a valid name or "." (the root); None = any project
    "machine",  # None = every machine (ruling 11)
    "token",  # normalised `[host:]jail`; None = ask
    "bind",
    "json",  # ports only: one JSON document instead of lines
], defaults=(None, None, None, None, False))):
    """What `forward` was asked: the target, the ports and the machine."""

    __slots__ = ()


class SnapshotArgs(namedtuple("SnapshotArgs",
                              ["name", "machine", "create_machine", "update_machine", "json"],
                              defaults=(None, None, None, False))):
    """What `image snapshot` was asked: the name and the target."""

    __slots__ = ()


def wants_help(argv: list[str]) -> bool:
    """`-h`/`--help` anywhere in a verb prints that verb's help and does nothing else."""
    return any(a in ("-h", "--help") for a in argv)


def _value(argv: list[str], i: int, hint: str) -> str:
    if i + 1 >= len(argv):
        raise AnonPiError(f"{argv[i]} needs a value.", hint)
    return argv[i + 1]


def parse_forward_args(argv: list[str], verb: str) -> ForwardArgs:
    """`[<project>] [-m <m>]`, plus `[--port|-p [host:]jail] [--bind addr]` for forward and
    `[--json]` for ports."""
    hint = f"see `anon-pi {verb} --help` or `anon-pi --help`"
    found: dict = {}
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok in ("-m", "--machine"):
            found["machine"] = check_name(_value(argv, i, hint), "machine")
        elif verb == "forward" and tok in ("-p", "--port"):
            found["token"] = port_token(_value(argv, i, hint))
        elif verb == "forward" and tok == "--bind":
            found["bind"] = check_bind(_value(argv, i, hint))
        elif verb == "ports" and tok == "--json":
            found["json"] = True
            i += 1
            continue
        elif tok.startswith("-"):
            raise AnonPiError(unknown_option(tok, _FLAGS[verb]), hint)
        elif "project" in found:
            raise AnonPiError(f"unexpected argument: {tok} ({verb} takes at most one project)",
                              hint)
        else:
            found["project"] = tok if tok == "." else check_name(tok, "project")
            i += 1
            continue
        i += 2
    return ForwardArgs(**found)


def parse_snapshot_args(argv: list[str]) -> SnapshotArgs:
    """`<name> [-m|--machine <m>] [--create-machine <d> | --update-machine <m>] [--json]`;
    repeated flags: the last wins."""
    hint = IMAGE_HINT
    found: dict = {}
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--json":
            found["json"] = True
            i += 1
            continue
        if tok in ("-m", "--machine"):
            found["machine"] = check_name(_value(argv, i, hint), "machine")
        elif tok == "--create-machine":
            found["create_machine"] = check_name(_value(argv, i, hint), "machine")
        elif tok == "--update-machine":
            found["update_machine"] = check_name(_value(argv, i, hint), "machine")
        elif tok.startswith("-"):
            raise AnonPiError(unknown_option(tok, ("-m", "--machine", "--create-machine",
                                                   "--update-machine", "--json"),
                                             "image snapshot"), hint)
        elif "name" in found:
            raise AnonPiError(f"image snapshot takes one name, got extra: {tok}", hint)
        else:
            found["name"] = check_snapshot_name(tok)
            i += 1
            continue
        i += 2
    if "name" not in found:
        raise AnonPiError("image snapshot needs a <name> (the image becomes "
                          "anon-pi/<name>:latest).", hint)
    if "create_machine" in found and "update_machine" in found:
        raise AnonPiError("--create-machine and --update-machine cannot be combined: one makes "
                          "a new machine, the other re-pins an existing one.", hint)
    return SnapshotArgs(**found)
