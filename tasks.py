"""Invoke tasks: every anon-pi verb with named flags, for scripts and Makefiles.

The tasks are made from anon-pi's command table (anonpi_helpers/core/command_table.py): one
task per command that names one (`Command.task`), its arguments and flags as the task's
parameters, their help as the table's. Each task only turns its parameters into the
`anon-pi` command line it stands for and runs the very same code `bin/anon-pi` runs, so both
surfaces give the same netcage argv, files and exit code (tests/shell/test_parity_tasks.py).
A task's `anon_pi_words` says which anon-pi words it implements (`machine create`; "" for
the launch). The launch task takes pi's own arguments after `--`, like `anon-pi` itself:
`anon-pi-inv launch --project recon -- -p "hi"`.
"""

import inspect
import shlex
import sys

from invoke import Collection, Exit, Task

from anonpi_helpers.cli import run as anon_pi
from anonpi_helpers.core.command_line import DESCRIBED, looks_like_flag
from anonpi_helpers.core.command_table import (
    COMMANDS,
    COMMON,
    LAUNCH,
    LAUNCH_FIRST,
    PI_AFTER,
    PI_TARGETS,
    Command,
)
from anonpi_helpers.core.shown import shown
from anonpi_helpers.edges.real_io import real_context

# A second Invoke task for a launch mode: name -> (what it does, the switches it sets, the
# launch flags it offers).
TASK_VARIANTS = {"shell": ("open a jailed bash instead of pi", {"shell": True},
                           ("machine", "image", "mount", "here", "web", "dry_run"))}


def _run(argv: list[str]) -> None:
    code = anon_pi(argv, real_context())
    if code:
        raise Exit(code=code)


def _refuse_invokes_dry(c) -> None:
    """Invoke's own `--dry`/`-R` echoes the shell commands a task would run instead of running
    them. These tasks run none (they call anon-pi itself), so it would be ignored and a delete
    or a launch would go ahead where only a look was asked."""
    if c.config.run.dry:
        raise Exit("anon-pi: --dry (-R) is Invoke's own flag, which anon-pi's tasks do not "
                   "read; nothing done.\n  hint: anon-pi's dry run is the task's --dry-run "
                   "(`anon-pi-inv <task> --help` lists its flags)", code=2)


def _refuse_flag_arguments(cmd: Command, values: dict) -> None:
    """An argument's value goes where the command line reads the verb and its flags: Invoke
    passes `--project=--delete-home` (no flag of the task's), and `anon-pi --delete-home` would
    run. No name anon-pi takes begins with `-`, so such a value is refused as a forgotten one."""
    for a in cmd.args:
        value = values.get(a.dest)
        if isinstance(value, str) and looks_like_flag(value):
            raise Exit(f"anon-pi: --{a.dest} needs {DESCRIBED.get(a.kind, a.metavar)}, got the "
                       f"option {shown(value)}.", code=2)


def _pi_args(c) -> list[str]:
    """pi's arguments after `--`, verbatim (Invoke's own remainder joins them with spaces)."""
    if "--" in sys.argv:
        return sys.argv[sys.argv.index("--") + 1:]
    return shlex.split(getattr(c, "remainder", "") or "")


def _flags(cmd: Command, only: tuple[str, ...] | None) -> list:
    """The flags a task has as parameters: the command's own (not -h, nor -V: the program
    answers those itself), and for the launch pi's flags that anon-pi reads."""
    own = [f for f in cmd.flags if f not in (*COMMON, *LAUNCH_FIRST)]
    if cmd is LAUNCH and only is None:
        own += [*PI_TARGETS, *PI_AFTER]
    return [f for f in own if only is None or f.dest in only]


def command_line(cmd: Command, values: dict, flags: list) -> list[str]:
    """The anon-pi words for a task's parameters: the command, its flags, its arguments,
    then (launch) pi's flags after the project."""
    words, after = list(cmd.words), []
    for f in flags:
        value = values.get(f.dest)
        if value is None or value is False or value == []:
            continue
        target = after if f in (*PI_TARGETS, *PI_AFTER) else words
        if f.kind is None:
            target.append(f.long)
        for item in (value if f.repeat else [value]) if f.kind is not None else ():
            target += [f.long, item]
    words += [values[a.dest] for a in cmd.args if values.get(a.dest) is not None]
    return words + after


class _TableTask(Task):
    """A task whose flags have only the short forms the command table gives them (`-m`,
    `-i`, `-c`, `-r`). Invoke would make one for every parameter from its first free letter
    (`-p` for --project, `-d` for --dry-run), so `anon-pi-inv launch -p hi` named a project
    where `anon-pi -p hi` sends pi a prompt."""

    def __init__(self, *args, shorts: dict[str, str], **kwargs):
        self.anon_pi_shorts = shorts
        super().__init__(*args, auto_shortflags=False, **kwargs)

    def arg_opts(self, name, default, taken_names):
        opts = super().arg_opts(name, default, taken_names)
        short = self.anon_pi_shorts.get(name)
        if short and short not in taken_names:
            opts["names"] = [*opts["names"], short]
        return opts


def make_task(name: str, cmd: Command, summary: str | None = None, preset: dict | None = None,
              only: tuple[str, ...] | None = None) -> Task:
    """The Invoke task `name` for `cmd`; a variant (`shell`) has its own `summary`, the
    switches it always sets (`preset`) and the flags it offers (`only`; all when None)."""
    summary = summary or cmd.summary
    flags = _flags(cmd, only)
    params = [inspect.Parameter("c", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for a in cmd.args:
        default = inspect.Parameter.empty if a.required else None
        params.append(inspect.Parameter(a.dest, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                        default=default))
    for f in flags:
        default = [] if f.repeat else None if f.kind is not None else False
        params.append(inspect.Parameter(f.dest, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                        default=default))

    def body(c, **values):
        _refuse_invokes_dry(c)
        _refuse_flag_arguments(cmd, values)
        argv = command_line(cmd, {**values, **(preset or {})},
                            [*flags, *(cmd.flag(f"--{k}") for k in preset or {})])
        if cmd is LAUNCH and not preset:
            pi = _pi_args(c)
            argv += ["--", *pi] if pi else []
        _run(argv)

    body.__signature__ = inspect.Signature(params)
    body.__name__ = name.replace("-", "_")
    words = " ".join((*cmd.words, *(f"--{k}" for k in preset or {})))
    body.__doc__ = (f"{summary[0].upper()}{summary[1:]} (`anon-pi {words}`)."
                    if words else "Run pi in the jail (`anon-pi [<project>] [pi args]`); pi's "
                    "arguments go after `--`.")
    helps = {a.dest: a.help for a in cmd.args} | {f.dest: f.help for f in flags}
    shorts = {f.dest: n[1:] for f in flags for n in f.names if not n.startswith("--")}
    task = _TableTask(body, name=name, help=helps, iterable=[f.dest for f in flags if f.repeat],
                      shorts=shorts)
    task.anon_pi_words = words
    task.anon_pi_help = dict(helps)  # Invoke consumes task.help while building its parser
    return task


def _tasks() -> list[Task]:
    found = [make_task(c.task, c) for c in COMMANDS if c.task]
    for name, (summary, preset, only) in TASK_VARIANTS.items():
        found.append(make_task(name, LAUNCH, summary, preset, only))
    return found


ns = Collection()
for _task in _tasks():
    ns.add_task(_task)
# Invoke's idiom for groups (`machine.create`, `image.list`, `container.enter`) beside the flat
# names scripts use: a task of its own each (Invoke consumes a task's help while parsing).
for _group in dict.fromkeys(c.words[0] for c in COMMANDS if len(c.words) == 2):
    _sub = Collection(_group)
    for _cmd in (c for c in COMMANDS if c.words[:1] == (_group,) and len(c.words) == 2):
        _sub.add_task(make_task(_cmd.words[1], _cmd), name=_cmd.words[1])
    ns.add_collection(_sub)


def _program():
    """`anon-pi-inv`: this namespace as a program of its own, so it works from any folder and
    never reads (or hides) a tasks.py of the user's; `bin/anon-pi-inv` runs it."""
    from invoke import Program

    from anonpi_helpers import __version__

    return Program(namespace=ns, version=__version__, name="anon-pi-inv",
                   binary="anon-pi-inv")


def run_program() -> None:
    """`bin/anon-pi-inv`: the program, and a reader that left early (`anon-pi-inv --help |
    head -1`) ends it with status 1 and no traceback, as for `anon-pi`."""
    import os

    from anonpi_helpers.cli import write_in_the_terminals_encoding

    write_in_the_terminals_encoding()
    try:
        _program().run()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush at exit
        sys.exit(1)
