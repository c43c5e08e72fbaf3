"""Entry point: dispatch the first token to a verb, render every error as one `anon-pi:` line.

Only what a path needs is imported: `--version` and `--help` load nothing else.
"""

import os
import sys

# first argv token -> (module, function); each takes the remaining argv and returns a status.
VERBS = {
    "init": ("init.verb", "main"),
    "machine": ("machines.verb", "main"),
    "image": ("containers.image_verb", "main"),
    "forward": ("containers.forward_verb", "forward_main"),
    "ports": ("containers.forward_verb", "ports_main"),
    "container": ("containers.box_verb", "main"),
    "doctor": ("doctor.verb", "main"),
    "completions": ("shell.verb", "main"),
    "--delete-home": ("machines.delete", "delete_home_main"),
    "--delete-project": ("machines.delete", "delete_project_main"),
}


def _say(message: str, hint: str | None = None) -> None:
    """The error line; its `anon-pi:` is red on a terminal (never with NO_COLOR). Errors echo
    config values, netcage's stderr and file names the jail made: shown, then painted."""
    from .core.colour import paint
    from .core.shown import shown
    from .edges.terminal import colour_on

    sys.stderr.write(f"{paint('anon-pi:', 'error', colour_on(sys.stderr))} "
                     f"{shown(message, multiline=True)}\n")
    if hint:
        sys.stderr.write(f"  hint: {shown(hint)}\n")
    sys.stderr.flush()


def _version() -> int:
    from . import __version__

    print(f"anon-pi {__version__}")
    return 0


def _help(topic: list[str]) -> int:
    """`anon-pi help [<verb> [<sub-verb>]]`: the same text as `anon-pi <verb> ... --help`."""
    if not topic or topic[0] in ("help", "version"):
        from .launch.help import LAUNCH_HELP

        sys.stdout.write(LAUNCH_HELP)
        return 0
    if topic[0] not in VERBS:
        from .core.errors import AnonPiError
        from .core.names import quoted
        from .core.verbs import did_you_mean, nearest

        raise AnonPiError(f"no verb {quoted(topic[0])}{did_you_mean(nearest(topic[0], VERBS))}",
                          "`anon-pi --help` lists the verbs")
    return _dispatch([*topic, "--help"])


def known_verbs() -> tuple[str, ...]:
    """Every first word anon-pi itself answers (the launch path refuses look-alikes)."""
    from .core.verbs import BUILTIN_VERBS

    return (*VERBS, *BUILTIN_VERBS)


def _dispatch(argv: list[str]) -> int:
    first = argv[0] if argv else None
    if first in ("-V", "--version") and len(argv) == 1:
        return _version()
    if first in ("-h", "--help") and len(argv) == 1:
        return _help([])
    if first == "help":
        return _help(argv[1:])
    if first == "version":
        if len(argv) > 1:
            from .core.errors import AnonPiError

            raise AnonPiError(f"version takes no arguments, got: {' '.join(argv[1:])}")
        return _version()
    from .core.lean_imports import defer

    defer("inspect")  # dataclasses (and plumbum) import it; no verb calls into it
    if first in VERBS:
        module, func = VERBS[first]  # the builtin __import__: importlib is one module more
        verb = __import__(f"{__package__}.{module}", fromlist=[func])
        return getattr(verb, func)(argv[1:])
    from .launch.verb import main as launch_main

    return launch_main(argv, verbs=known_verbs())


def main(argv: list[str]) -> int:
    """Run one anon-pi command line; never lets a traceback reach the user."""
    from .core.errors import AnonPiError

    try:
        return _dispatch(argv)
    except AnonPiError as exc:
        _say(exc.message, exc.hint)
        return exc.code
    except KeyboardInterrupt:
        _say("cancelled; nothing done")
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        _say(f"{exc.strerror or exc}{where}")
        return 1
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("ANON_PI_DEBUG"):
            raise
        _say(f"unexpected error: {type(exc).__name__}: {exc}",
             "please report it; ANON_PI_DEBUG=1 shows the traceback")
        return 1


def entry() -> None:
    """The command's whole life. It ends with `os._exit` once both streams are flushed: the
    interpreter's teardown (freeing every module and object) cost about 8-10 ms of each
    listing's or `--dry-run`'s wall time (issue 15) and does nothing anon-pi relies on. Files
    are closed by their `with` blocks, JSON writes are atomic, the threads are daemons or are
    joined, and no atexit handler of anon-pi's exists (plumbum's only stops its own daemon).
    Output that cannot be written at the end fails the command as it would mid-way."""
    code = main(sys.argv[1:])
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left: as a broken pipe during main
        code = code or 1
    except OSError as exc:  # a full disk, an I/O error: the output is incomplete
        _say(f"could not write the output: {exc.strerror or exc}")
        code = code or 1
    except ValueError:  # a stdout someone closed
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(0 if code is None else code)
