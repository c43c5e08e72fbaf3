"""`anon-pi container create|enter|list|rm`: the command lines, checked before anything runs.

Pure. A box's image, home and cwd are frozen when it is created, so `enter` refuses every
launch flag with the two ways out (a new box, or a snapshot of this one).
"""

from dataclasses import dataclass

from ..core.errors import AnonPiError
from ..core.names import check_name

HINT = "see `anon-pi container --help`"
SUBCOMMANDS = ("create", "enter", "list", "rm")
FROZEN = ("-i", "--image", "-m", "--machine", "--mount", "--shell")


@dataclass(frozen=True)
class BoxArgs:
    """One container command; the launch fields (`machine`, `image`, `mount`) only for create."""

    sub: str
    name: str | None = None
    machine: str | None = None
    image: str | None = None
    mount: str | None = None
    project: str | None = None  # create: a valid name, "." or None (the projects root)
    shell: bool = False
    yes: bool = False
    json: bool = False


def _value(argv: list[str], i: int, what: str) -> str:
    if i + 1 >= len(argv) or argv[i + 1].startswith("-") or not argv[i + 1].strip():
        raise AnonPiError(f"{argv[i]} needs {what}.", HINT)
    return argv[i + 1].strip()


def _create(argv: list[str]) -> BoxArgs:
    found: dict = {}
    words: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok in ("-m", "--machine"):
            found["machine"] = check_name(_value(argv, i, "a machine name"), "machine")
        elif tok in ("-i", "--image"):
            found["image"] = _value(argv, i, "an image ref")
        elif tok == "--mount":
            found["mount"] = _value(argv, i, "a host folder")
        elif tok == "--shell":
            found["shell"] = True
            i += 1
            continue
        elif tok.startswith("-"):
            raise AnonPiError(f"unknown option for container create: {tok}", HINT)
        else:
            words.append(tok)
            i += 1
            continue
        i += 2
    if not words:
        raise AnonPiError("container create needs a <name> for the box.", HINT)
    if words[0] == ".":
        raise AnonPiError("container create takes the box <name> first, then `.` or a project.",
                          "e.g. `anon-pi container create <name> .`")
    if len(words) > 2:
        raise AnonPiError(f"container create takes at most one project, got extra: "
                          f"{' '.join(words[2:])}", HINT)
    project = words[1] if len(words) == 2 else None
    if project is not None and found.get("shell"):
        raise AnonPiError("container create takes a project, `.` or --shell, not both.",
                          "a --shell box starts at the projects root")
    if project not in (None, "."):
        check_name(project, "project")
    return BoxArgs(sub="create", name=check_name(words[0], "box"), project=project, **found)


def _named(sub: str, argv: list[str]) -> BoxArgs:
    """`enter <name>` and `rm <name> [-y|--yes]`."""
    found: dict = {}
    words = []
    for tok in argv:
        if sub == "rm" and tok in ("-y", "--yes"):
            found["yes"] = True
        elif sub == "enter" and tok in FROZEN:
            raise AnonPiError(
                f"container enter takes no {tok}: a box keeps the image, home and cwd it was "
                "created with.",
                "make a new box (`anon-pi container create <name> ...`), or snapshot this one "
                "while it runs (`anon-pi image snapshot <image>`)")
        elif tok.startswith("-"):
            raise AnonPiError(f"unknown option for container {sub}: {tok}", HINT)
        else:
            words.append(tok)
    if not words:
        raise AnonPiError(f"container {sub} needs the box <name>.",
                          "`anon-pi container list` shows them")
    if len(words) > 1:
        extra = " ".join(words[1:])
        if sub == "enter":
            raise AnonPiError(
                f"container enter takes only the box name, got extra: {extra} (a box's cwd is "
                "frozen at create).",
                "make a new box in that project: `anon-pi container create <name> <project>`")
        raise AnonPiError(f"container {sub} takes one box name, got extra: {extra}", HINT)
    return BoxArgs(sub=sub, name=check_name(words[0], "box"), **found)


def parse_box(argv: list[str]) -> BoxArgs:
    """The whole `container ...` command line after the word `container`."""
    if not argv:
        raise AnonPiError("container needs a subcommand: " + " | ".join(SUBCOMMANDS), HINT)
    sub, rest = argv[0], argv[1:]
    if sub == "create":
        return _create(rest)
    if sub in ("enter", "rm"):
        return _named(sub, rest)
    if sub == "list":
        bad = [a for a in rest if a != "--json"]
        if bad:
            raise AnonPiError(f"container list takes only --json, got: {' '.join(bad)}", HINT)
        return BoxArgs(sub="list", json=bool(rest))
    raise AnonPiError(f"unknown container subcommand: {sub}", HINT)
