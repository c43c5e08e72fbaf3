"""The launch verb: parse, resolve, check in ruling-20 order, then hand the jail to netcage."""

import os
import shlex
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.addresses import check_llm_generation, check_proxy, normalise_llm
from ..core.config_model import flag_field
from ..core.errors import AnonPiError, Cancelled
from ..core.identity import Identity, encode, key_project
from ..core.isolation import isolated_proxy, resolve_isolation
from ..core.names import quoted
from ..core.netcage_version import loopback_allowed
from ..core.resolve import (
    check_image_ref,
    check_mountable,
    env_value,
    expand_path,
    resolve_image,
    resolve_llm,
    resolve_machine,
    resolve_projects_root,
    resolve_proxy,
)
from ..core.verbs import did_you_mean, nearest, verb_typo
from ..edges import jail_paths, netcage, terminal
from ..edges.workspace import Workspace, check_mount_safe, user_home
from .grammar import LaunchArgs, needs_tty, parse_launch
from .run_plan import RunPlan, container_cwd, run_argv

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
    isolation: str = "none"
    pi_network: bool = False  # config.json "piNetwork": true lets pi reach its own services


def main(argv: list[str], verbs: tuple[str, ...] = ()) -> int:
    """`verbs`: the first words cli.py dispatches itself; a project looking like a typo of
    one is refused (unless its folder exists)."""
    args = parse_launch(argv)
    if args.mode == "help":
        from .help import LAUNCH_HELP

        sys.stdout.write(LAUNCH_HELP)
        return 0
    if args.mode == "version":
        from .. import __version__

        print(f"anon-pi {__version__}")
        return 0
    try:
        refuse_guesses(args, os.environ, verbs)
        return launch(args)
    except KeyboardInterrupt:  # before netcage runs (it takes Ctrl-C itself once started)
        raise Cancelled("launched") from None


def _lenient(read, *args):
    """A corrupt config is resolve_context's error to report; the guesses go on without it."""
    try:
        return read(*args)
    except AnonPiError:
        return None


def refuse_guesses(args: LaunchArgs, env, verbs: tuple[str, ...]) -> None:
    """Mistyped words never create anything (issue 14): a `-m` machine that does not exist, a
    `--mount` folder that does not exist, a project that looks like a typo of a verb."""
    ws = Workspace.from_env(env)
    config = _lenient(ws.read_config)
    if args.machine is not None:
        _refuse_unknown_machine(ws, args, config, env)
    if args.mount is not None:
        mount_folder(args.mount, env)
    typo = verb_typo(args.project, verbs) if args.project not in (None, ".") else None
    if typo is None:
        return
    machine = _lenient(resolve_machine, args.machine, config) or "default"
    root = resolve_projects_root(
        mount=args.mount, env=env, machine_cfg=_lenient(ws.read_machine, machine),
        config=config, workspace=str(ws.root), home=user_home(env), cwd=os.getcwd())
    folder = Path(root) / args.project
    if not os.path.lexists(folder):
        raise AnonPiError(f"no verb {quoted(args.project)}{did_you_mean(typo)}",
                          f"to start a project named {quoted(args.project)}, create its folder "
                          f"first: `mkdir -p {shlex.quote(str(folder))}`, then "
                          f"`anon-pi {shlex.quote(args.project)}`")


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
    raise AnonPiError(
        f"no machine {quoted(args.machine)} ({ws.machine_dir(args.machine)}); a launch only "
        f"creates the default machine{did_you_mean(nearest(args.machine, known))}",
        f"create it first: `anon-pi machine create {args.machine} --image "
        f"{shlex.quote(ref) if ref else '<ref>'}`")


def mount_folder(mount: str, env) -> str:
    """`--mount` names an existing folder; a relative one is resolved here and shown so."""
    folder = check_mountable(expand_path(mount, user_home(env), os.getcwd()), "the --mount folder")
    if not os.path.isdir(folder):
        what = "is not a folder" if os.path.lexists(folder) else "does not exist"
        raise AnonPiError(f"--mount {folder} {what}; --mount needs an existing folder.",
                          "create it first, or pick another folder")
    if not (mount.startswith(("/", "~/")) or mount == "~"):
        sys.stderr.write(f"anon-pi: --mount {mount} is {folder}\n")
    return folder


def _first_run_due(args: LaunchArgs, ws: Workspace, env) -> bool:
    """init §2: a person at a terminal with nothing configured gets onboarding, not an error."""
    return (not args.dry_run and terminal.has_tty() and not ws.config_path.exists()
            and env_value(env, "ANON_PI_PROXY") is None)


def resolve_context(args: LaunchArgs, env) -> LaunchContext:
    """Proxy, llm, image and `-i` checks, in ruling-20 order; nothing is created.

    netcage is asked its version only once the llm is otherwise acceptable, so refused input
    never reaches netcage at all.
    """
    ws = Workspace.from_env(env)
    config = ws.read_config()
    machine = resolve_machine(args.machine, config)
    proxy = check_proxy(resolve_proxy(env, config))
    isolation = resolve_isolation(env, config)
    llm = normalise_llm(resolve_llm(env, config), loopback_ok=True, proxy=proxy)
    hole = netcage.hole_flag()
    check_llm_generation(llm, loopback_allowed(hole))
    machine_cfg = ws.read_machine(machine)
    image = resolve_image(args.image, machine_cfg, env)
    if not image:
        raise AnonPiError(
            f'machine "{machine}" has no image.',
            f"pin one: `anon-pi machine set-image {machine} <ref>` (or set ANON_PI_IMAGE)")
    check_image_ref(image)
    if args.image and not ws.is_seeded(machine):
        exists = ws.machine_dir(machine).is_dir()
        fix = (f"`anon-pi machine set-image {machine} {args.image}`" if exists
               else f"`anon-pi machine create {machine} --image {args.image}`")
        raise AnonPiError(
            f'-i only runs an image on an already-seeded home; machine "{machine}" is fresh, '
            "and a one-off image never seeds a home.",
            f"pin it instead with {fix}, or launch once normally to seed the home")
    root = resolve_projects_root(mount=args.mount, env=env, machine_cfg=machine_cfg,
                                 config=config, workspace=str(ws.root), home=user_home(env),
                                 cwd=os.getcwd())
    check_mount_safe(ws.root, projects=root, home=str(ws.home(machine)),
                     what="the --mount folder" if args.mount else "the projects root")
    return LaunchContext(ws=ws, machine=machine, proxy=proxy, llm=llm, hole_flag=hole,
                         image=image, projects_root=root,
                         mount_parent=root if args.mount else None, isolation=isolation,
                         pi_network=flag_field(config, "piNetwork"))


def launch_cwd(args: LaunchArgs, ctx: LaunchContext) -> tuple[str, tuple[str, ...]]:
    """The -w value and pi's args: a resumed conversation runs in its own recorded cwd, and
    pi gets its FULL id (pi then opens exactly that file; launch §4, issue 12)."""
    mounted = ctx.mount_parent is not None
    if not args.session_id:
        return container_cwd(args.project, mounted), args.pi_args
    from .session_files import find_one, recorded_cwd, symlinked_part

    home = ctx.ws.home(ctx.machine)
    link = symlinked_part(home)
    if link is not None:
        sys.stderr.write(f"anon-pi: warning: {link} is a symlink; the session store is not "
                         "searched.\n")
    found = find_one(home, args.session_id, ctx.machine, mounted)
    pi_args = (args.pi_args[0], found.session_id, *args.pi_args[2:])
    return recorded_cwd(found, mounted) or container_cwd(None, mounted), pi_args


def _must_be_folder(path: Path, what: str) -> Path:
    """A file (or dangling link) where a folder goes is refused before anything is created."""
    if os.path.lexists(path) and not path.is_dir():
        raise AnonPiError(f"{path} exists but is not a folder; cannot use it as {what}.",
                          "rename that file or pick another name")
    return path


def project_folder(ctx: LaunchContext, cwd: str) -> Path | None:
    """The host folder behind `-w` (None at the root); it must be a folder or not exist."""
    project = key_project(cwd)
    if project in ("", "."):
        return None
    return _must_be_folder(Path(ctx.projects_root) / project, f"project {quoted(project)}")


def plan_for(args: LaunchArgs, ctx: LaunchContext) -> RunPlan:
    home = str(ctx.ws.home(ctx.machine))
    models = ctx.ws.models_seed(ctx.machine)
    settings = ctx.ws.settings_seed(ctx.machine)
    check_mountable(home, "the machine home")
    check_mountable(ctx.projects_root,
                    "the --mount folder" if ctx.mount_parent else "the projects root")
    for seed in (models, settings):
        if seed:
            check_mountable(str(seed), "the seed file")
    _must_be_folder(Path(home), "the machine home")
    _must_be_folder(Path(ctx.projects_root), "the projects root")
    cwd, pi_args = launch_cwd(args, ctx)
    project_folder(ctx, cwd)
    key = encode(Identity(ctx.machine, ctx.projects_root, ctx.mount_parent or "", cwd))
    return RunPlan(
        key=key, proxy=isolated_proxy(ctx.proxy, ctx.isolation, ctx.machine, key_project(cwd)),
        hole_flag=ctx.hole_flag, llm=ctx.llm,
        interactive=needs_tty(args), home=home, projects_root=ctx.projects_root,
        mount_parent=ctx.mount_parent, models_seed=str(models) if models else None,
        settings_seed=str(settings) if settings else None, cwd=cwd, image=ctx.image,
        mode="shell" if args.mode == "shell" else "pi", pi_args=pi_args,
        pi_network=ctx.pi_network)


def _create_folders(ctx: LaunchContext, plan: RunPlan) -> None:
    """The machine home, the projects root and the project's own folder, when missing."""
    Path(plan.home).mkdir(parents=True, exist_ok=True)
    Path(ctx.projects_root).mkdir(parents=True, exist_ok=True)
    folder = project_folder(ctx, plan.cwd)
    if folder is not None:
        folder.mkdir(exist_ok=True)


def launch(args: LaunchArgs, env=None) -> int:
    """Ruling 20's order; every refusal comes before anything is created or spawned."""
    env = os.environ if env is None else env
    if _first_run_due(args, Workspace.from_env(env), env):
        from ..init.verb import first_run

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
        from .dry_run import one_line, split_lines

        print(split_lines(argv) if terminal.is_terminal(sys.stdout) else one_line(argv))
        return 0
    _create_folders(ctx, plan)
    sys.stderr.write("anon-pi: entering the netcage jail…\n")
    # never returns: from here on the process IS netcage
    netcage.hand_over(argv[1:], tmpdir=jail_paths.private_tmp(env))
