"""The launch command line (launch §4): flags, then a project, `.`, `pi` or a pi query."""

import re
from collections import namedtuple

from ..core.errors import AnonPiError
from ..core.names import check_name
from ..core.verbs import flag_typo, unknown_option

HELP_HINT = "see `anon-pi --help`"
SESSION_FLAGS = ("--session", "--session-id")
RESUME_FLAGS = ("-r", "--resume")  # pi's own picker: no value (pi 1.6.0 reads none)
SESSION_PREFIX = r"[A-Za-z0-9][A-Za-z0-9._-]*"  # pi's id alphabet (compiled on first use)
MODEL_QUERY_FLAGS = ("--list-models", "--models")
NEEDS_PROJECT_FLAGS = ("--fork", "--continue", "-c")
HEADLESS_PI_ARGS = frozenset({
    "-p", "--print", "--list-models", "--models", "--version", "--help", "-h", "--export",
})
RETIRED = ("--keep", "--rm")
LAUNCH_FLAGS = ("-m", "--machine", "-i", "--image", "--mount", "--shell", "--dry-run", "-h",
                "--help", "-V", "--version", *SESSION_FLAGS, *RESUME_FLAGS, *MODEL_QUERY_FLAGS,
                *NEEDS_PROJECT_FLAGS)
# A leading flag one edit from one of these is refused as a typo; any other unknown leading
# flag is pi's and handed to it (issue 16). `--models` is left out: pi's own `--model` is
# one edit from it.
TYPO_TARGETS = tuple(f for f in LAUNCH_FLAGS if f != "--models")


TEXT_STREAM = "text-stream"  # anon-pi's own `--mode` value (launch/text_stream.py renders it)


class LaunchArgs(namedtuple("LaunchArgs", [
    "mode",  # "menu" | "pi" | "shell" | "help" | "version" | "box" (a menu pick)
    "machine",
    "image",
    "mount",
    "dry_run",
    "project",  # a valid name, "." for the root, None for project-less
    "pi_args",  # tuple of str
    "session_id",
    "text_stream",  # `-p --mode text-stream`: pi runs `--mode json`, anon-pi renders
    "box",  # the menu's "enter box <name>"
], defaults=(None, None, None, False, None, (), None, False, None))):
    """What the user asked for; nothing resolved yet."""

    __slots__ = ()


def is_headless(pi_args: tuple[str, ...]) -> bool:
    """Prints and exits without a terminal: `-p`, `--print` and the query-and-exit flags.

    `-r`/`--resume` opens pi's picker, which needs a terminal whatever else is asked.
    """
    if any(a in RESUME_FLAGS for a in pi_args):
        return False
    return any(
        a in HEADLESS_PI_ARGS or a.startswith(("--print=", "--export=")) for a in pi_args
    )


def needs_tty(args: LaunchArgs) -> bool:
    if args.mode in ("shell", "menu"):
        return True
    return args.mode == "pi" and not is_headless(args.pi_args)


def _value(argv: list[str], i: int, flag: str, what: str) -> str:
    """The flag's value; an option in its place means the value was forgotten."""
    if i + 1 >= len(argv):
        raise AnonPiError(f"{flag} needs {what}.", HELP_HINT)
    value = argv[i + 1]
    if value.startswith("-"):
        raise AnonPiError(f"{flag} needs {what}, got the option {value}.", HELP_HINT)
    return value


def _session_prefix(argv: list[str], i: int, flag: str) -> str:
    """The id (or its start) after `--session`/`--session-id`, in pi's id alphabet."""
    sid = argv[i + 1].strip() if i + 1 < len(argv) else ""
    if not sid or sid.startswith("-"):
        raise AnonPiError(
            f"{flag} needs a session id.",
            "e.g. `anon-pi --session <id>` (its first characters are enough); to pick one "
            "from pi's list: `anon-pi -r`")
    if not re.fullmatch(SESSION_PREFIX, sid):
        raise AnonPiError(
            f'{flag} takes a conversation id or its start (letters, digits, ".", "_", "-"), '
            f'not "{sid}".', "the id is the part after `_` in a session file's name")
    return sid


def _needs_project(flags: list[str], rest: list[str]) -> AnonPiError:
    """`--fork`/`--continue` act on one folder's conversations: show the corrected command."""
    import shlex

    def fixed(target: str) -> str:
        return " ".join(["anon-pi", *map(shlex.quote, flags), target, shlex.join(rest)])

    return AnonPiError(f"{rest[0]} needs a project: pi resumes conversations per folder.",
                       f"name one, e.g. `{fixed('<project>')}` or `{fixed('.')}`")


def _leading_pi_flag(argv: list[str], i: int, shell: bool, opts: dict) -> LaunchArgs:
    """A flag anon-pi does not own, where a project could stand: pi gets it and everything
    after it, at the projects root (`anon-pi -p hi` is `anon-pi pi -p hi`)."""
    rest = tuple(argv[i:])
    if shell or "--shell" in rest:
        raise AnonPiError(f"--shell takes no pi arguments, got {argv[i]}.",
                          "a shell starts bash; drop --shell to hand the flags to pi, e.g. "
                          f"`anon-pi {argv[i]} ...`")
    return LaunchArgs(mode="pi", pi_args=rest, **opts)


def parse_launch(argv: list[str]) -> LaunchArgs:
    """Parse a launch command line; raises AnonPiError for anything it does not accept."""
    opts: dict = {"machine": None, "image": None, "mount": None, "dry_run": False}
    shell = False
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok in ("-h", "--help"):
            return LaunchArgs(mode="help")
        if tok in ("-V", "--version"):
            return LaunchArgs(mode="version")
        if tok in ("-m", "--machine"):
            opts["machine"] = check_name(_value(argv, i, tok, "a machine name"), "machine")
            i += 2
        elif tok in ("-i", "--image"):
            ref = _value(argv, i, tok, "an image ref").strip()
            if not ref:
                raise AnonPiError(f"{tok} needs a non-blank image ref.", HELP_HINT)
            opts["image"] = ref
            i += 2
        elif tok == "--mount":
            parent = _value(argv, i, tok, "a host folder").strip()
            if not parent:
                raise AnonPiError("--mount needs a non-blank host folder.", HELP_HINT)
            opts["mount"] = parent
            i += 2
        elif tok == "--shell":
            shell = True
            i += 1
        elif tok == "--dry-run":
            opts["dry_run"] = True
            i += 1
        elif tok in RETIRED:
            raise AnonPiError(
                f"{tok} is retired: every launch is throwaway (the container is removed on "
                "exit; your home and projects stay on the host).",
                "to keep installed tools: `anon-pi image snapshot <name>` from another "
                "terminal, then `anon-pi machine create <m> --image anon-pi/<name>:latest`",
            )
        elif tok in SESSION_FLAGS and not shell:
            sid = _session_prefix(argv, i, tok)
            return LaunchArgs(mode="pi", pi_args=tuple(argv[i:]), session_id=sid, **opts)
        elif tok in RESUME_FLAGS and not shell:
            return LaunchArgs(mode="pi", project=".", pi_args=tuple(argv[i:]), **opts)
        elif tok in MODEL_QUERY_FLAGS and not shell:
            return LaunchArgs(mode="pi", pi_args=tuple(argv[i:]), **opts)
        elif tok in NEEDS_PROJECT_FLAGS and not shell:
            raise _needs_project(argv[:i], argv[i:])
        elif tok.startswith("-"):
            if flag_typo(tok, TYPO_TARGETS):  # a near-typo of a flag anon-pi reads: never guess
                raise AnonPiError(unknown_option(tok, TYPO_TARGETS), HELP_HINT)
            return _leading_pi_flag(argv, i, shell, opts)  # any other flag is pi's (issue 16)
        else:
            break
    rest = argv[i:]
    if shell:
        if len(rest) > 1:
            raise AnonPiError(
                f"--shell takes at most one project, got extra: {' '.join(rest[1:])}",
                HELP_HINT)
        project = rest[0] if rest else None
        if project is not None and project != ".":
            check_name(project, "project")
        return LaunchArgs(mode="shell", project=project, **opts)
    if not rest:
        if opts["dry_run"]:
            raise AnonPiError(
                "--dry-run needs a launch target (a project, `.`, --shell, `pi ...`, "
                "--session, -r or --list-models).", "e.g. `anon-pi --dry-run <project> -p hi`")
        return LaunchArgs(mode="menu", **opts)
    first, pi_args = rest[0], tuple(rest[1:])
    if first == "pi":
        return LaunchArgs(mode="pi", pi_args=pi_args, **opts)
    if first != ".":
        check_name(first, "project")
    return LaunchArgs(mode="pi", project=first, pi_args=pi_args, **opts)
