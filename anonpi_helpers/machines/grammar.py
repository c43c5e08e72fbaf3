"""The `machine` grammar (data-verbs §3.1): argv in, one command or one refusal out. Pure."""

from collections import namedtuple

from ..core.errors import AnonPiError
from ..core.names import check_name
from ..core.verbs import did_you_mean, nearest, unknown_option

SUBCOMMANDS = ("create", "list", "set-image", "rm")
HELP_POINTER = "see `anon-pi machine --help` and `anon-pi --help`"


class MachineArgs(namedtuple("MachineArgs", [
    "sub",  # "help", "create", "list", "set-image" or "rm"
    "name",
    "image",
    "yes",
    "topic",  # with sub "help": the subcommand asked about, if any
    "json",  # list only
    "force",  # create and set-image: pin a ref netcage's store does not hold
], defaults=(None, None, False, None, False, False))):
    """A parsed `machine` command line (a namedtuple: cheap to define at start-up)."""

    __slots__ = ()


def _fail(message: str) -> AnonPiError:
    return AnonPiError(message, HELP_POINTER)


def parse_machine(argv: list[str]) -> MachineArgs:
    """`-h/--help` anywhere wins; names are validated left to right, before any I/O."""
    if any(tok in ("-h", "--help") for tok in argv):
        return MachineArgs("help", topic=argv[0] if argv[0] in SUBCOMMANDS else None)
    if not argv:
        raise _fail("machine needs a subcommand: " + " | ".join(SUBCOMMANDS))
    sub, rest = argv[0], argv[1:]
    if sub == "list":
        extra = [tok for tok in rest if tok != "--json"]
        if extra:
            raise _fail(unknown_option(extra[0], ("--json",)) if extra[0].startswith("-")
                        else f"machine list takes no arguments, got: {extra[0]}")
        return MachineArgs("list", json=bool(rest))
    if sub == "create":
        return _create(rest)
    if sub == "set-image":
        return _set_image(rest)
    if sub == "rm":
        return _rm(rest)
    raise _fail(f"unknown machine subcommand: {sub}{did_you_mean(nearest(sub, SUBCOMMANDS))}")


def _positional(sub: str, name: str | None, tok: str) -> str:
    if name is not None:
        raise _fail(f"machine {sub} takes one name, got extra: {tok}")
    return check_name(tok, "machine")


def _create(rest: list[str]) -> MachineArgs:
    name = image = None
    force = False
    i = 0
    while i < len(rest):
        tok = rest[i]
        if tok == "--force":
            force = True
            i += 1
            continue
        if tok == "--image":
            if i + 1 >= len(rest) or rest[i + 1].startswith("-"):
                raise _fail("--image needs an <image-ref>")
            image = rest[i + 1].strip() or None  # blank counts as not given; last wins
            i += 2
            continue
        if tok.startswith("-"):
            raise _fail(unknown_option(tok, ("--image", "--force")))
        name = _positional("create", name, tok)
        i += 1
    if name is None:
        raise _fail("machine create needs a <name>")
    return MachineArgs("create", name=name, image=image, force=force)


def _set_image(rest: list[str]) -> MachineArgs:
    positionals = []
    force = False
    for tok in rest:
        if tok == "--force":
            force = True
            continue
        if tok.startswith("-"):
            raise _fail(unknown_option(tok, ("--force",)))
        if len(positionals) == 2:
            raise _fail(f"machine set-image takes a name and an image ref, got extra: {tok}")
        if not positionals:
            check_name(tok, "machine")
        positionals.append(tok)
    if not positionals:
        raise _fail("machine set-image needs a <name> and an <image-ref>")
    if len(positionals) < 2 or not positionals[1].strip():
        raise _fail("machine set-image needs an <image-ref>")
    return MachineArgs("set-image", name=positionals[0], image=positionals[1].strip(),
                       force=force)


def _rm(rest: list[str]) -> MachineArgs:
    name, yes = None, False
    for tok in rest:
        if tok in ("--yes", "-y"):
            yes = True
        elif tok.startswith("-"):
            raise _fail(unknown_option(tok, ("--yes", "-y")))
        else:
            name = _positional("rm", name, tok)
    if name is None:
        raise _fail("machine rm needs a <name>")
    return MachineArgs("rm", name=name, yes=yes)

