"""The launch verb: parse, resolve, check in ruling-20 order, then hand the jail to netcage."""

import os
import shlex
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from . import netcage, terminal
from .addresses import check_proxy, normalise_llm
from .errors import AnonPiError
from .identity import Identity, encode
from .launch_grammar import LaunchArgs, needs_tty, parse_launch
from .netcage_version import loopback_allowed
from .resolve import (check_mountable, env_value, resolve_image, resolve_llm, resolve_machine,
                      resolve_projects_root, resolve_proxy)
from .run_plan import RunPlan, container_cwd, run_argv
from .workspace import Workspace, user_home

NO_TTY_HINT = 'forward a one-shot prompt instead, e.g. `anon-pi <project> -p "..."`'


@dataclass(frozen=True)
class LaunchContext:
    """Everything resolved before a target is chosen (the menu needs it too)."""

    ws: Workspace
    machine: str
    proxy: str
    llm: str
    hole_flag: str
    image: str
    projects_root: str
    mount_parent: str | None


def main(argv: list[str]) -> int:
    args = parse_launch(argv)
    if args.mode == "help":
        from .help_text import LAUNCH_HELP

        sys.stdout.write(LAUNCH_HELP)
        return 0
    if args.mode == "version":
        from . import __version__

        print(f"anon-pi {__version__}")
        return 0
    return launch(args)


def _first_run_due(args: LaunchArgs, ws: Workspace, env) -> bool:
    return (not args.dry_run and terminal.has_tty() and not ws.config_path.exists()
            and env_value(env, "ANON_PI_PROXY") is None)


def resolve_context(args: LaunchArgs, env) -> LaunchContext:
    """Proxy, llm, image and `-i` checks, in that order; nothing is created."""
    ws = Workspace.from_env(env)
    config = ws.read_config()
    machine = resolve_machine(args.machine, config)
    machine_cfg = ws.read_machine(machine)
    proxy = check_proxy(resolve_proxy(env, config))
    hole = "--allow" if args.dry_run and not netcage.path() else netcage.hole_flag()
    llm = normalise_llm(resolve_llm(env, config), loopback_ok=loopback_allowed(hole), proxy=proxy)
    image = resolve_image(args.image, machine_cfg, env)
    if not image:
        raise AnonPiError(
            f'machine "{machine}" has no image.',
            f"pin one: `anon-pi machine set-image {machine} <ref>` (or set ANON_PI_IMAGE)")
    if args.image and not ws.is_seeded(machine):
        exists = ws.machine_dir(machine).is_dir()
        fix = (f"`anon-pi machine set-image {machine} {args.image}`" if exists
               else f"`anon-pi machine create {machine} --image {args.image}`")
        raise AnonPiError(
            f'-i only runs an image on an already-seeded home; machine "{machine}" is fresh, '
            "and a one-off image never seeds a home.",
            f"pin it instead with {fix}, or launch once normally to seed the home")
    home = user_home(env)
    root = resolve_projects_root(mount=args.mount, env=env, machine_cfg=machine_cfg,
                                 config=config, workspace=str(ws.root), home=home,
                                 cwd=os.getcwd())
    return LaunchContext(ws=ws, machine=machine, proxy=proxy, llm=llm, hole_flag=hole,
                         image=image, projects_root=root,
                         mount_parent=root if args.mount else None)


def launch_cwd(args: LaunchArgs, ctx: LaunchContext) -> str:
    """The -w value: the project folder, or a resumed session's own recorded cwd."""
    mounted = ctx.mount_parent is not None
    if args.session_id:
        from .session_files import find_session, first_line
        from .session_header import header_cwd

        found = find_session(ctx.ws.sessions_dir(ctx.machine), args.session_id)
        line = first_line(found) if found else None
        cwd = header_cwd(line, mounted) if line else None
        if cwd:
            return cwd
    return container_cwd(args.project, mounted)


def plan_for(args: LaunchArgs, ctx: LaunchContext) -> RunPlan:
    home = str(ctx.ws.home(ctx.machine))
    models = ctx.ws.models_seed(ctx.machine)
    settings = ctx.ws.settings_seed(ctx.machine)
    check_mountable(home, "the machine home")
    check_mountable(ctx.projects_root, "the projects root")
    for seed in (models, settings):
        if seed:
            check_mountable(str(seed), "the seed file")
    cwd = launch_cwd(args, ctx)
    key = encode(Identity(ctx.machine, ctx.projects_root, ctx.mount_parent or "", cwd))
    return RunPlan(
        key=key, proxy=ctx.proxy, hole_flag=ctx.hole_flag, llm=ctx.llm,
        interactive=needs_tty(args), home=home, projects_root=ctx.projects_root,
        mount_parent=ctx.mount_parent, models_seed=str(models) if models else None,
        settings_seed=str(settings) if settings else None, cwd=cwd, image=ctx.image,
        mode="shell" if args.mode == "shell" else "pi", pi_args=args.pi_args)


def _create_folders(args: LaunchArgs, ctx: LaunchContext) -> None:
    ctx.ws.home(ctx.machine).mkdir(parents=True, exist_ok=True)
    root = Path(ctx.projects_root)
    root.mkdir(parents=True, exist_ok=True)
    if args.project not in (None, "."):
        folder = root / args.project
        if folder.exists() and not folder.is_dir():
            raise AnonPiError(f"{folder} exists but is not a folder; cannot use it as project "
                              f'"{args.project}".', "rename that file or pick another name")
        folder.mkdir(exist_ok=True)


def launch(args: LaunchArgs, env=None) -> int:
    env = os.environ if env is None else env
    if args.mode == "menu" and args.dry_run:
        raise AnonPiError("--dry-run needs a launch target (a project, `.`, --shell, `pi ...`).",
                          "e.g. `anon-pi --dry-run <project> -p hi`")
    if _first_run_due(args, Workspace.from_env(env), env):
        from .verb_init import first_run

        code = first_run()
        if code != 0:
            return code
    ctx = resolve_context(args, env)
    if needs_tty(args) and not args.dry_run and not terminal.has_tty():
        if args.mode == "menu":
            raise AnonPiError("no TTY; the menu needs an interactive terminal.",
                              "name a project directly (`anon-pi <project>`)")
        raise AnonPiError("no TTY.", NO_TTY_HINT)
    if not args.dry_run:
        netcage.require()
    if args.mode == "menu":
        from .menu import choose

        args = replace(args, **choose(args, ctx))
    plan = plan_for(args, ctx)
    argv = run_argv(plan)
    if args.dry_run:
        print(shlex.join(argv))
        return 0
    _create_folders(args, ctx)
    sys.stderr.write("anon-pi: entering the netcage jail…\n")
    sys.stderr.flush()
    return netcage.run_foreground(argv[1:])
