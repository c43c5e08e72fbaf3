"""Entry point: read the command line with the command table (core/command_table.py), hand
the parsed line to its verb, render every error as one `anon-pi:` line.

A verb's module is imported only when that verb runs (a plain import inside `_run`), so
`--version` and `--help` load nothing else. Each verb's entry takes the parsed line
(`line.command` says which command, every flag and argument is an attribute) and the run's
context (core/io_context.py: streams, environment, terminal, folder, clock): `entry()` builds
the real one, a test its own, and `run(argv, io)` is the same program for both.
"""

import gc
import os
import sys

GC_THRESHOLD = 20_000  # objects made (and not yet freed) before a collection; Python's: 700


def _say(io, message: str, hint: str | None = None) -> None:
    """The error line; its `anon-pi:` is red on a terminal (never with NO_COLOR). Errors echo
    config values, netcage's stderr and file names the jail made: shown, then painted."""
    from .core.colour import paint
    from .core.shown import shown
    from .edges.terminal import colour_on

    text = (f"{paint('anon-pi:', 'error', colour_on(io, io.stderr))} "
            f"{shown(message, multiline=True)}\n" + (f"  hint: {shown(hint)}\n" if hint else ""))
    try:
        io.stderr.write(text)
        io.stderr.flush()
    except OSError:  # no stderr to say it on (closed, a full disk): the exit status says it
        pass


def _version(io) -> int:
    from . import __version__

    io.stdout.write(f"anon-pi {__version__}\n")
    return 0


def _page(io, target) -> int:
    from .core.help_pages import page

    io.stdout.write(page(target))
    return 0


def _help(io, topic: list[str]) -> int:
    """`anon-pi help [<verb> [<sub-verb>]]`: the page `anon-pi <verb> ... --help` prints.
    Its words are read here, not as flags: `help --delete-home` names a verb."""
    from .core.command_line import find, first_words, help_hint, sub_meant
    from .core.command_table import GROUPS, LAUNCH
    from .core.errors import UsageError
    from .core.names import quoted
    from .core.verbs import did_you_mean, nearest

    if any(t in ("-h", "--help") for t in topic):
        return _page(io, find(("help",)))
    if not topic:
        return _page(io, LAUNCH)
    verb, rest = topic[0], topic[1:]
    if verb not in first_words():
        raise UsageError(f"no verb {quoted(verb)}{did_you_mean(nearest(verb, first_words()))}",
                         "`anon-pi --help` lists the verbs")
    if len(rest) > (1 if verb in GROUPS else 0):
        raise UsageError(f"help takes a verb and at most one sub-verb, got extra: "
                         f"{' '.join(rest[1 if verb in GROUPS else 0:])}", help_hint("help"))
    if not rest:
        return _page(io, verb if verb in GROUPS else find((verb,)))
    found = find((verb, rest[0]))
    if found is None:
        raise UsageError(f"unknown {verb} sub-verb: {rest[0]}"
                         f"{did_you_mean(sub_meant(verb, rest[0]))}", help_hint(verb))
    return _page(io, found)


def _run(line, io) -> int:
    """The verb's own module, imported now, runs the parsed line."""
    verb = line.command.words[0]
    if verb == "version":
        return _version(io)
    if verb == "init":
        from .init.verb import main
    elif verb == "machine":
        from .machines.verb import main
    elif verb == "image":
        from .containers.image_verb import main
    elif verb == "container":
        from .containers.box_verb import main
    elif verb == "forward":
        from .containers.forward_verb import forward_main as main
    elif verb == "ports":
        from .containers.forward_verb import ports_main as main
    elif verb == "config":
        from .settings.verb import main
    elif verb == "doctor":
        from .doctor.verb import main
    elif verb == "egress":
        from .egress.verb import main
    elif verb == "completions":
        from .shell.verb import main
    elif verb == "--delete-home":
        from .machines.delete import delete_home_main as main
    else:
        from .machines.delete import delete_project_main as main
    return main(line, io)


def _read(argv: list[str], io):
    """The command line read: what runs it, and the context it runs in (its -q/--color
    applied, so an error the verb raises is coloured as that command line asked)."""
    if argv in (["-V"], ["--version"]):
        return _version, io
    if argv in (["-h"], ["--help"]):  # the launch's page, without loading the launch
        from .core.command_table import LAUNCH

        return (lambda run_io: _page(run_io, LAUNCH)), io
    from .core.command_line import parse, split_verb, verb_command, wants_help

    verb, tokens = split_verb(argv)
    if verb is None:  # no verb word: a launch, read by its own grammar (pi gets its words)
        from .launch.grammar import parse_launch
        from .launch.verb import main as launch_main

        args = parse_launch(argv)
        return (lambda run_io: launch_main(args, run_io)), io.with_output(args.quiet, args.color)
    if verb == "help":
        return (lambda run_io: _help(run_io, tokens)), io
    cmd, rest = verb_command(verb, tokens)
    if wants_help(rest):
        return (lambda run_io: _page(run_io, cmd)), io
    line = parse(cmd, rest)
    return (lambda run_io: _run(line, run_io)), io.with_output(line.quiet, line.color)


def run(argv: list[str], io) -> int:
    """Run one anon-pi command line in the context `io`; never lets a traceback reach the
    user."""
    from .core.errors import AnonPiError

    said = io  # the context errors are said in: the command line's, once it is read
    try:
        act, said = _read(argv, io)
        return act(said)
    except AnonPiError as exc:
        _say(said, exc.message, exc.hint)
        return exc.code
    except KeyboardInterrupt:
        _say(said, "cancelled; nothing done")
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        _say(said, f"{exc.strerror or exc}{where}")
        return 1
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if io.env.get("ANON_PI_DEBUG"):
            raise
        _say(said, f"unexpected error: {type(exc).__name__}: {exc}",
             "please report it; ANON_PI_DEBUG=1 shows the traceback")
        return 1


def _restart_in_utf8_mode() -> None:
    """File names, the command line and the environment must read as UTF-8 (Python's UTF-8
    mode; core/output_encoding.py says why). Both launchers start Python with `-X utf8`;
    started any other way (uv's or pipx's console script, a launcher an older `make install`
    wrote) under a locale whose encoding is not UTF-8, the program starts itself again in
    that mode, the same command line, before it has read or written anything. Only then:
    anywhere else it costs nothing."""
    if sys.flags.utf8_mode or sys.getfilesystemencoding() == "utf-8" or not sys.executable:
        return
    try:
        os.execv(sys.executable, [sys.orig_argv[0], "-X", "utf8", *sys.orig_argv[1:]])
    except OSError:  # the interpreter cannot be started again: go on as started
        pass


def write_in_the_terminals_encoding() -> None:
    """The launchers start Python in UTF-8 mode (core/output_encoding.py says why), which also
    makes stdout and stderr UTF-8: under a locale that is not (an ASCII or Latin-1 `LANG`)
    they are switched back to the terminal's own encoding. Under any locale stdout prints
    what it cannot encode (a character the locale has no byte for in a machine's image, a
    model's name, a project's file name; a lone surrogate, which UTF-8 mode would write as
    the raw byte, perhaps a terminal's control byte) as an escape instead of stopping the
    listing mid-way; stderr escapes as Python's does (backslashreplace). `anon-pi-inv` sets
    its streams up with this too."""
    import codecs

    from .core.output_encoding import named_utf8
    from .core.shown import escaped_unencodable

    codecs.register_error("anon-pi-escape", escaped_unencodable)
    encoding = None  # reconfigure() keeps the stream's own
    if not named_utf8(os.environ):
        import locale

        from .core.output_encoding import output_encoding

        encoding = output_encoding(locale.setlocale(locale.LC_CTYPE),
                                   locale.nl_langinfo(locale.CODESET))
    if sys.stdout is not None:
        sys.stdout.reconfigure(encoding=encoding, errors="anon-pi-escape")
    if encoding is not None and sys.stderr is not None:
        sys.stderr.reconfigure(encoding=encoding, errors="backslashreplace")


def entry() -> None:
    """The command's whole life. It ends with `os._exit` once both streams are flushed: the
    interpreter's teardown (freeing every module and object) cost about 8-10 ms of each
    listing's or `--dry-run`'s wall time and does nothing anon-pi relies on. Files
    are closed by their `with` blocks, JSON writes are atomic, the threads are daemons or are
    joined, and no atexit handler of anon-pi's exists (plumbum's only stops its own daemon).
    Output that cannot be written at the end fails the command as it would mid-way.

    Python's cyclic garbage collector first looks after 20,000 new objects, not 700: start-up
    builds modules, classes and records that live to the end, and the dozen collections a
    launch paid before netcage could start (about 2 ms) freed some 30 objects. A long run
    (the relay beside a jail, a big listing) still collects, less often."""
    _restart_in_utf8_mode()
    gc.set_threshold(GC_THRESHOLD)
    from .edges.real_io import real_context

    write_in_the_terminals_encoding()
    io = real_context()
    code = run(sys.argv[1:], io)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left: as a broken pipe during main
        code = code or 1
    except OSError as exc:  # a full disk, an I/O error: the output is incomplete
        _say(io, f"could not write the output: {exc.strerror or exc}")
        code = code or 1
    except (ValueError, AttributeError):  # a stdout someone closed (None: started closed)
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(0 if code is None else code)
