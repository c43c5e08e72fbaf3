"""The launch command line, read with the command table: anon-pi's flags, a target (a project,
`.`, a folder's path, `pi`, or one of pi's target flags), and pi's arguments.

A target holding a `/` (or `..`) is a host folder to work on alone, as `--here` is the current
one: no project name can hold a `/`, and `.` keeps meaning the projects root.

anon-pi's own launch flags (core/command_table.py ANYWHERE: `-m`, `-i`, `--mount`, `--here`,
`--shell`, `--web`, `--dry-run`, `-q`, `--color`) are anon-pi's wherever they stand before
`--`, also after the project:
`anon-pi recon --dry-run -p hi` is a dry run, never a launch that hands `--dry-run` to pi.
Every other word after the target is pi's, in order; everything after `--` is pi's verbatim.
A flag anon-pi does not own where the project would stand starts pi at the projects root
with it (`anon-pi -p hi` is `anon-pi pi -p hi`). Where position-independence would guess, the
line is refused (launch/word_refusals.py says which words and how). Before the target,
`-h`/`--help` and `-V`/`--version` are anon-pi's; after it, pi's.
"""

import re
from collections import namedtuple

from ..core.command_line import is_path, looks_like_flag, read_flag, split_flag
from ..core.command_table import ANYWHERE, COMMON, LAUNCH, LAUNCH_FIRST, PI_AFTER, PI_TARGETS
from ..core.errors import AnonPiError, UsageError
from ..core.names import check_name, quoted
from .word_refusals import (
    PI_VALUE_FLAGS,
    ambiguous,
    needs_project,
    refuse_lookalike,
    refuse_oddity,
)

HELP_HINT = "see `anon-pi --help`"
SESSION_PREFIX = r"[A-Za-z0-9][A-Za-z0-9._-]*"  # pi's id alphabet (compiled on first use)
HEADLESS_PI_ARGS = frozenset({
    "-p", "--print", "--list-models", "--version", "-v", "--help", "-h", "--export",
})
_SESSION, _RESUME, _MODELS = PI_TARGETS
_NEEDS_PROJECT = tuple(n for f in PI_AFTER for n in f.names)
_TARGETS = (*_SESSION.names, *_RESUME.names, *_MODELS.names)

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
    "new_project_ok",  # the menu already asked to create this new project's folder
    "late_word",  # a project-like word pi gets as a message because a pi flag came first
    "quiet",  # -q/--quiet: no notes
    "color",  # --color: auto, always, never (None: not given)
    "web",  # --web as typed (core/web_policy.py reads it), or None
    "here",  # a host folder as typed (`--here`: "."): only it is mounted, at /work/<name>
], defaults=(None, None, None, False, None, (), None, False, None, False, None, False, None,
             None, None))):
    """What the user asked for; nothing resolved yet."""

    __slots__ = ()


def is_headless(pi_args: tuple[str, ...]) -> bool:
    """Prints and exits without a terminal: `-p`, `--print` and the query-and-exit flags.

    `-r`/`--resume` opens pi's picker, which needs a terminal whatever else is asked.
    `--print=x` is no print mode to pi (it reads `--print` alone, `--print=x` is an unknown
    flag), so it is not headless either.
    """
    if any(a in _RESUME.names for a in pi_args):
        return False
    return any(a in HEADLESS_PI_ARGS or a.startswith("--export=") for a in pi_args)


def needs_tty(args: LaunchArgs) -> bool:
    if args.mode in ("shell", "menu"):
        return True
    return args.mode == "pi" and not is_headless(args.pi_args)


def _session_prefix(flag: str, sid: str | None) -> str:
    """The id (or its start) after `--session`/`--session-id`, in pi's id alphabet."""
    sid = (sid or "").strip()
    if not sid or sid.startswith("-"):
        raise UsageError(
            f"{flag} needs a session id.",
            "e.g. `anon-pi --session <id>` (its first characters are enough); to pick one "
            "from pi's list: `anon-pi -r`")
    if not re.fullmatch(SESSION_PREFIX, sid):
        raise AnonPiError(
            f'{flag} takes a conversation id or its start (letters, digits, ".", "_", "-"), '
            f'not "{sid}".', "the id is the part after `_` in a session file's name")
    return sid


def _here(own: dict, target: str | None) -> tuple[str | None, str | None]:
    """(the target left, the host folder to work on): `--here` is the current folder, a
    target that is a path (`./repo`, `/src/x`, `..`) that folder. Neither goes with a project
    or with --mount, which choose the folder the jail works in another way."""
    here = "." if own["here"] else None
    if target is not None and not target.startswith("-") and target != "pi" and is_path(target):
        if own["mount"] is not None:
            raise UsageError(f"--mount and the folder {quoted(target)} both choose what is at "
                             "/work: give one.", "`anon-pi <folder>` mounts only that folder; "
                             "`--mount <folder> <project>` mounts a folder of projects")
        if here:
            raise UsageError(f"--here and the folder {quoted(target)}: give one of them.",
                             f"`anon-pi {target}` works on that folder; `anon-pi --here` on the "
                             "current one")
        return "pi", target
    if here is None:
        return target, None
    if own["mount"] is not None:
        raise UsageError("--here and --mount both choose the folder at /work: give one.",
                         "`anon-pi --here` mounts only the current folder; `--mount <folder> "
                         "<project>` mounts a folder of projects")
    if target not in (None, "pi", "--") and not target.startswith("-"):
        raise UsageError(f"--here works on the current folder, so it takes no project "
                         f"(got {quoted(target)}).",
                         f"drop --here to work on project {quoted(target)}, or `cd` into "
                         "the folder first" if target != "." else
                         "drop --here for the projects root")
    return target, here


def parse_launch(argv: list[str]) -> LaunchArgs:
    """Read a launch command line; raises AnonPiError (UsageError: exit 2) for anything it
    does not accept. Nothing is resolved or touched here."""
    own: dict = {"machine": None, "image": None, "mount": None, "web": None, "dry_run": False,
                 "shell": False, "quiet": False, "color": None,
                 "here": False}
    target = None  # the project word, "pi", "--", or the pi flag that named the target
    implied = False  # a pi flag stood where the project would: pi's at the projects root
    pi: list[str] = []
    session = None
    pending = None  # a pi flag that takes the next word whatever it is
    # a pi flag that takes the next word when it is no flag: `-p`, `--mode`, `--list-models`
    # and every long flag pi does not know (an extension's). anon-pi keeps no list of pi's
    # value-less flags, so any long flag counts: a late project is then missed, never invented
    optional = False
    late = None  # the first word pi reads as a message after a leading pi flag
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--":
            pi += argv[i + 1:]
            target = target or "--"
            break
        name, attached = split_flag(tok)
        if looks_like_flag(tok) and LAUNCH.flag(name) in ANYWHERE:
            if pending is not None:
                raise ambiguous(name, pending)
            found, value, i = read_flag(LAUNCH, argv, i, ANYWHERE)
            own[found.dest] = value
            continue
        i += 1
        if pending is not None or not looks_like_flag(tok):  # pi's value, a target or pi's word
            refuse_lookalike(tok)
            if pending is None and target is None:
                target = tok
            else:
                if pending is None and not optional and late is None and implied:
                    late = tok
                pi.append(tok)
            pending, optional = None, False
            continue
        refuse_oddity(tok, name, target is None)
        if target is None:
            if name in COMMON[0].names:
                return LaunchArgs(mode="help")
            if name in LAUNCH_FIRST[0].names:
                return LaunchArgs(mode="version")
            if name in _NEEDS_PROJECT and not own["here"]:
                raise needs_project(argv[:i - 1], argv[i - 1:])
            target = name if name in _TARGETS else "pi"
            implied = target == "pi"
            if name in _SESSION.names:
                session = _session_prefix(name, attached if attached is not None
                                          else argv[i] if i < len(argv) else None)
        if attached is not None and name in PI_VALUE_FLAGS:  # pi reads `--model x`, not `=`
            pi += [name, attached]
            continue
        pi.append(tok)
        if name in PI_VALUE_FLAGS and attached is None:
            pending = name
        optional = attached is None and (name == "-p" or name.startswith("--"))
    args = _launch_args(own, target, tuple(pi), session)
    # on a folder worked on alone (--here) pi does not start at the projects root: a late word
    # is pi's message and no project's
    late = late if args.here is None else None
    return args._replace(late_word=late) if late and _is_name(late) else args


def _is_name(word: str) -> bool:
    try:
        check_name(word, "project")
    except AnonPiError:
        return False
    return True


def _launch_args(own: dict, target: str | None, pi: tuple[str, ...],
                 session: str | None) -> LaunchArgs:
    """The mode the collected words make, or the refusal of a combination that makes none."""
    target, own["here"] = _here(own, target)
    shell = own.pop("shell")
    if shell:
        if pi:
            if looks_like_flag(pi[0]) or target in ("pi", "--", *_TARGETS):
                bad = pi[0]
                raise UsageError(f"--shell takes no pi arguments, got {bad}.",
                                 "a shell starts bash; drop --shell to hand the flags to pi, "
                                 f"e.g. `anon-pi {bad} ...`")
            raise UsageError(f"--shell takes at most one project, got extra: {' '.join(pi)}",
                             HELP_HINT)
        target = None if target == "--" or own["here"] else target
        if target is not None and target != ".":
            check_name(target, "project")
        return LaunchArgs(mode="shell", project=target, **own)
    if target is None and own["here"]:
        return LaunchArgs(mode="pi", **own)
    if target is None:
        if own["dry_run"]:
            raise UsageError(
                "--dry-run needs a launch target (a project, `.`, --shell, `pi ...`, "
                "--session, -r or --list-models).", "e.g. `anon-pi --dry-run <project> -p hi`")
        return LaunchArgs(mode="menu", **own)
    if target in _RESUME.names:
        return LaunchArgs(mode="pi", project=None if own["here"] else ".", pi_args=pi, **own)
    if target == "pi" or target.startswith("-") or own["here"]:
        return LaunchArgs(mode="pi", pi_args=pi, session_id=session, **own)
    if target != ".":
        check_name(target, "project")
    return LaunchArgs(mode="pi", project=target, pi_args=pi, **own)
