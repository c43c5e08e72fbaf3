"""What every jail start shares (the launch, `container create`, `container enter`): the
resolved settings, the host-path checks, the run plan and the folders it needs.

It lives among the edges because it reads the workspace and asks netcage its version, and two
features need it (a feature folder may not import another). The rules themselves are pure,
in core/ (resolve, addresses, identity, run_plan).
"""

import os
from collections import namedtuple
from pathlib import Path

from ..core.addresses import check_llm_generation, check_proxy, normalise_llm
from ..core.config_model import flag_field
from ..core.errors import AnonPiError
from ..core.identity import Identity, encode, key_project
from ..core.isolation import isolated_proxy, resolve_isolation
from ..core.jail_identity import JailLooks, jail_looks
from ..core.names import quoted
from ..core.netcage_version import loopback_allowed
from ..core.resolve import (
    check_image_ref,
    check_mountable,
    resolve_image,
    resolve_llm,
    resolve_machine,
    resolve_projects_root,
    resolve_proxy,
)
from ..core.run_plan import RunPlan
from ..core.web_policy import DEFAULT as DEFAULT_WEB
from ..core.web_policy import Web, resolve_web
from . import netcage
from .proxy_owner import SQUATTER_FIX, squatter_problem
from .workspace import Workspace, check_mount_safe, user_home


class LaunchContext(namedtuple("LaunchContext", [
    "ws",  # Workspace
    "machine",
    "proxy",
    "llm",
    "hole_flag",
    "image",
    "projects_root",
    "mount_parent",  # or None
    "isolation",  # "machine" | "project" | "none"
    "pi_network",  # config.json "piNetwork": true lets pi reach its own services
    "looks",  # JailLooks: the git identity, TZ and locale the jail shows
    "web",  # core/web_policy.Web: what the launch's relay lets out
    "here",  # edges/here_folder.HereFolder: the one folder mounted (then no projects root)
], defaults=("none", False, jail_looks(None, "default"), DEFAULT_WEB, None))):
    """Everything resolved before a target is chosen (the menu needs it too)."""

    __slots__ = ()


class JailSettings(namedtuple("JailSettings", ["proxy", "llm", "hole_flag", "isolation"],
                              defaults=("none",))):
    """What netcage compares when a kept box is started again: proxy (before per-machine
    isolation is applied), the isolation level, the llm and the hole flag."""

    __slots__ = ()


def jail_settings(io, config: dict | None, web: Web = DEFAULT_WEB) -> JailSettings:
    """Proxy, isolation, llm, hole flag: netcage is asked its version only once the llm is
    otherwise acceptable, so refused input never reaches netcage at all. A loopback proxy
    served by another user's process is refused before netcage ever gets it. With no web
    at all (`web: none`) a proxy is not needed: none configured is no refusal."""
    env = io.env
    raw = resolve_proxy(env, config)
    proxy = None if raw is None and not web.needs_upstream else check_proxy(raw)
    squatted = squatter_problem(proxy) if proxy is not None else None
    if squatted:
        raise AnonPiError(squatted, SQUATTER_FIX)
    isolation = resolve_isolation(env, config)
    llm = normalise_llm(resolve_llm(env, config), loopback_ok=True, proxy=proxy)
    hole = netcage.hole_flag(io)
    check_llm_generation(llm, loopback_allowed(hole))
    return JailSettings(proxy, llm, hole, isolation)


def resolve_context(io, args, relay: bool = True) -> LaunchContext:
    """Proxy, llm, image and `-i` checks, in the launch's fixed order (docs/design.md, rule
    11); nothing is created.

    `args` carries `machine`, `image` and `mount` as typed (None when absent), and a launch's
    `web` (its --web). A durable box (`relay=False`) outlives any launch, so no per-launch
    relay stands between it and the proxy: it always needs the proxy, whatever `web` says.
    A relative --mount or folder means one under `io.cwd`, where the command was started.
    """
    env = io.env
    ws = Workspace.from_env(env)
    config = ws.read_config()
    machine = resolve_machine(args.machine, config)
    machine_cfg = ws.read_machine(machine)
    web = resolve_web(args.web, machine_cfg, config) if relay else DEFAULT_WEB
    jail = jail_settings(io, config, web)
    image = resolve_image(args.image, machine_cfg, env)
    if not image:
        raise AnonPiError(
            f'machine "{machine}" has no image.',
            f"pin one: `anon-pi machine set-image {machine} <ref>` (or set ANON_PI_IMAGE)")
    check_image_ref(image)
    looks = jail_looks(machine_cfg, machine)
    if args.image and not ws.is_seeded(machine):
        exists = ws.machine_dir(machine).is_dir()
        fix = (f"`anon-pi machine set-image {machine} {args.image}`" if exists
               else f"`anon-pi machine create {machine} --image {args.image}`")
        raise AnonPiError(
            f'-i only runs an image on an already-seeded home; machine "{machine}" is fresh, '
            "and a one-off image never seeds a home.",
            f"pin it instead with {fix}, or launch once normally to seed the home")
    typed = getattr(args, "here", None)
    if typed:  # the folder alone is mounted: the projects root is neither read nor checked
        from .here_folder import here_folder

        here = here_folder(io, typed, ws)
        check_mount_safe(ws.root, home=str(ws.home(machine)))
        return LaunchContext(ws=ws, machine=machine, proxy=jail.proxy, llm=jail.llm,
                             hole_flag=jail.hole_flag, image=image, projects_root=here.path,
                             mount_parent=None, isolation=jail.isolation,
                             pi_network=flag_field(config, "piNetwork"), looks=looks,
                             web=web, here=here)
    root = resolve_projects_root(mount=args.mount, env=env, machine_cfg=machine_cfg,
                                 config=config, workspace=str(ws.root), home=user_home(env),
                                 cwd=io.cwd)
    check_mount_safe(ws.root, projects=root, home=str(ws.home(machine)),
                     what="the --mount folder" if args.mount else "the projects root")
    return LaunchContext(ws=ws, machine=machine, proxy=jail.proxy, llm=jail.llm,
                         hole_flag=jail.hole_flag, image=image, projects_root=root,
                         mount_parent=root if args.mount else None, isolation=jail.isolation,
                         pi_network=flag_field(config, "piNetwork"), looks=looks, web=web)


def _must_be_folder(path: Path, what: str) -> Path:
    """A file (or dangling link) where a folder goes is refused before anything is created."""
    if os.path.lexists(path) and not path.is_dir():
        raise AnonPiError(f"{path} exists but is not a folder; cannot use it as {what}.",
                          "rename that file or pick another name")
    return path


def project_folder(ctx: LaunchContext, cwd: str) -> Path | None:
    """The host folder behind `-w` (None at the root, and for a folder worked on alone: that
    one exists and was checked); it must be a folder or not exist."""
    project = key_project(cwd)
    if project in ("", ".") or ctx.here is not None:
        return None
    return _must_be_folder(Path(ctx.projects_root) / project, f"project {quoted(project)}")


def check_host_paths(ctx: LaunchContext) -> None:
    """Every host path the jail mounts: mountable (no `:` or `,`, which podman's -v splits on)
    and a folder where one goes."""
    home = str(ctx.ws.home(ctx.machine))
    check_mountable(home, "the machine home")
    if ctx.here is None:
        check_mountable(ctx.projects_root,
                        "the --mount folder" if ctx.mount_parent else "the projects root")
    for seed in (ctx.ws.models_seed(ctx.machine), ctx.ws.settings_seed(ctx.machine)):
        if seed:
            check_mountable(str(seed), "the seed file")
    _must_be_folder(Path(home), "the machine home")
    if ctx.here is None:
        _must_be_folder(Path(ctx.projects_root), "the projects root")


def make_plan(ctx: LaunchContext, *, cwd: str, interactive: bool, mode: str,
              pi_args: tuple[str, ...] = (), box: str | None = None,
              box_token: str | None = None) -> RunPlan:
    """The run plan for `cwd` (after check_host_paths); the project folder is checked too."""
    project_folder(ctx, cwd)
    models = ctx.ws.models_seed(ctx.machine)
    settings = ctx.ws.settings_seed(ctx.machine)
    # a folder worked on alone: no projects root, and mountParent is that folder itself (its
    # empty projectsRoot tells it from a --mount parent)
    key = encode(Identity(ctx.machine, "", ctx.here.path, cwd) if ctx.here else
                 Identity(ctx.machine, ctx.projects_root, ctx.mount_parent or "", cwd))
    return RunPlan(
        key=key, proxy=ctx.proxy and isolated_proxy(ctx.proxy, ctx.isolation, ctx.machine,
                                                    key_project(cwd)),
        hole_flag=ctx.hole_flag, llm=ctx.llm,
        interactive=interactive, home=str(ctx.ws.home(ctx.machine)),
        projects_root=ctx.projects_root, mount_parent=ctx.mount_parent,
        models_seed=str(models) if models else None,
        settings_seed=str(settings) if settings else None, cwd=cwd, image=ctx.image,
        mode=mode, pi_args=pi_args, pi_network=ctx.pi_network, box=box, box_token=box_token,
        env=ctx.looks.env, here=ctx.here.path if ctx.here else None)


def new_project_folder(ctx: LaunchContext, plan: RunPlan) -> Path | None:
    """The project folder this launch would create (None: at the root, or it exists)."""
    folder = project_folder(ctx, plan.cwd)
    return None if folder is None or os.path.lexists(folder) else folder


def confirm_new_project(io, ctx: LaunchContext, plan: RunPlan, asked: bool = False) -> None:
    """A project folder that does not exist yet is made on purpose: a terminal asks first
    (Enter is yes), a pipe is told on stderr. `asked`: the menu asked already."""
    from . import terminal

    folder = new_project_folder(ctx, plan)
    if folder is None:
        return
    name = quoted(folder.name)
    if not asked and io.tty:
        answer = terminal.prompt_line(io, f"Create project {name} in {folder.parent}? [Y/n] ",
                                      nothing="launched")
        if answer is None or answer.strip().lower() not in ("", "y", "yes"):
            raise AnonPiError(f"project {name} not created; nothing launched.")
    terminal.note(io, f"new project {name} at {folder}")


def create_folders(io, ctx: LaunchContext, plan: RunPlan) -> None:
    """The machine home, the projects root and the project's own folder, when missing; a
    home whose git config names nobody gets the machine's git identity (never the user's).
    A folder worked on alone exists already; it is walked again here, the last step before
    netcage gets its path, and must still be the folder that was checked."""
    Path(plan.home).mkdir(parents=True, exist_ok=True)
    _give_identity(io, ctx.machine, Path(plan.home), ctx.looks)
    if ctx.here is not None:
        from .here_folder import still_there

        still_there(ctx.here)
        return
    Path(ctx.projects_root).mkdir(parents=True, exist_ok=True)
    folder = project_folder(ctx, plan.cwd)
    if folder is not None:
        folder.mkdir(exist_ok=True)


def _give_identity(io, machine: str, home: Path, looks: JailLooks) -> None:
    """Said once, when written: the user learns where the identity lives and how to change
    it. A home git cannot be given one is said too, and the launch goes on."""
    from . import terminal
    from .git_identity import give_identity

    try:
        written = give_identity(home, looks.identity)
    except OSError as exc:
        terminal.note(io, f"warning: could not write a git identity into {home}/.gitconfig "
                      f"({exc.strerror or exc}); git in the jail has none.")
        return
    if written:
        terminal.note(io, f"machine {quoted(machine)} commits as {looks.identity} (written into "
                      "its ~/.gitconfig; change it there, or `gitIdentity` in machine.json)")
