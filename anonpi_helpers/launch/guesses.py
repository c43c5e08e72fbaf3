"""Mistyped words never create anything: a `-m` machine that does not exist, a `--mount`
folder that does not exist, a project that looks like a typo of a verb or is another tool's
command word. Checked before onboarding, resolution or any netcage call."""

import os
from pathlib import Path

from ..core.command_line import first_words
from ..core.errors import AnonPiError, UsageError
from ..core.names import quoted
from ..core.resolve import (
    check_mountable,
    env_value,
    expand_path,
    resolve_machine,
    resolve_projects_root,
)
from ..core.verbs import NOT_VERBS, did_you_mean, nearest, verb_typo
from ..edges.workspace import Workspace, user_home
from .grammar import LaunchArgs


def _lenient(read, *args):
    """A corrupt config is resolve_context's error to report; the guesses go on without it."""
    try:
        return read(*args)
    except AnonPiError:
        return None


def refuse_guesses(io, args: LaunchArgs) -> None:
    """Mistyped words never create anything: a `-m` machine that does not exist, a `--mount`
    folder that does not exist, a project that looks like a typo of a verb or is a command
    word of other tools (`status`, `ls`, `rm`: NOT_VERBS in core/verbs.py)."""
    env = io.env
    ws = Workspace.from_env(env)
    config = _lenient(ws.read_config)
    if args.machine is not None:
        _refuse_unknown_machine(ws, args, config, env)
    if args.mount is not None:
        mount_folder(io, args.mount)
    if args.late_word is not None:
        _refuse_late_project(io, args, ws, config)
    if args.here is not None:  # before onboarding: a wrong folder is said first
        from ..edges.here_folder import here_folder

        here_folder(io, args.here, ws)
    if args.project in (None, "."):
        return
    word = args.project.lower()  # `STATUS` and `Doctor` are the same words to their typist
    meant = NOT_VERBS.get(word)  # `images` is `image list`, not a typo of `image`
    if meant is None:
        typo = word if word in first_words() else verb_typo(word, first_words())
        meant = f"`{typo}`" if typo else None
    if meant is None:
        return
    folder = Path(_projects_root(io, args, ws, config)) / args.project
    if not os.path.lexists(folder):  # an existing project of that name still launches
        import shlex  # refusals only: a launch that goes ahead never quotes

        raise UsageError(f"no verb {quoted(args.project)}; did you mean {meant}?",
                         f"to start a project named {quoted(args.project)} on purpose, create "
                         f"its folder first: `mkdir -p {shlex.quote(str(folder))}`, then "
                         f"`anon-pi {shlex.quote(args.project)}`")


def _projects_root(io, args: LaunchArgs, ws: Workspace, config) -> str:
    machine = _lenient(resolve_machine, args.machine, config) or "default"
    return resolve_projects_root(
        mount=args.mount, env=io.env, machine_cfg=_lenient(ws.read_machine, machine),
        config=config, workspace=str(ws.root), home=user_home(io.env), cwd=io.cwd)


def _refuse_late_project(io, args: LaunchArgs, ws: Workspace, config) -> None:
    """`anon-pi --model qwen3 recon -p hi`: a pi flag first makes every later word pi's, so
    `recon` would reach pi as a message at the projects root. When it names an existing
    project the user most likely meant that project: refused, with both readings spelled."""
    word = args.late_word
    if not (Path(_projects_root(io, args, ws, config)) / word).is_dir():
        return
    import shlex

    own = [*(["-m", args.machine] if args.machine else []),
           *(["-i", args.image] if args.image else []),
           *(["--mount", args.mount] if args.mount else []),
           *(["--dry-run"] if args.dry_run else [])]
    pi = list(args.pi_args)
    pi.remove(word)
    raise UsageError(
        f"{quoted(word)} is one of your projects, but it comes after pi's {args.pi_args[0]}: "
        "every word after a leading pi flag is pi's, so pi would start at the projects root "
        f"with {quoted(word)} as its message.",
        f"name the project first: `{shlex.join(['anon-pi', *own, word, *pi])}`; to send the "
        f"word to pi: `{shlex.join(['anon-pi', *own, 'pi', *args.pi_args])}`")


def _refuse_unknown_machine(ws: Workspace, args: LaunchArgs, config, env) -> None:
    """Only the default machine is created by its first launch; `-m` names an existing one."""
    default = _lenient(resolve_machine, None, config) or "default"
    if args.machine == default or ws.machine_dir(args.machine).is_dir():
        return
    try:
        known = sorted(n for n in os.listdir(ws.machines_dir) if (ws.machines_dir / n).is_dir())
    except OSError:
        known = []
    ref = args.image or env_value(env, "ANON_PI_IMAGE")
    import shlex

    raise AnonPiError(
        f"no machine {quoted(args.machine)} ({ws.machine_dir(args.machine)}); a launch only "
        f"creates the default machine{did_you_mean(nearest(args.machine, known))}",
        f"create it first: `anon-pi machine create {args.machine} --image "
        f"{shlex.quote(ref) if ref else '<ref>'}`")


def mount_folder(io, mount: str) -> str:
    """`--mount` names an existing folder; a relative one is resolved here (under `io.cwd`)
    and shown so."""
    folder = check_mountable(expand_path(mount, user_home(io.env), io.cwd), "the --mount folder")
    if not os.path.isdir(folder):
        what = "is not a folder" if os.path.lexists(folder) else "does not exist"
        raise AnonPiError(f"--mount {folder} {what}; --mount needs an existing folder.",
                          "create it first, or pick another folder")
    if not (mount.startswith(("/", "~/")) or mount == "~"):
        from ..edges.terminal import note

        note(io, f"--mount {mount} is {folder}")
    return folder
