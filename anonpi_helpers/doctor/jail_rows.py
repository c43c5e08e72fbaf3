"""doctor's rows for what the jail will see of the host: the projects root, whether the
mounts keep the workspace out, each mount source as the kernel resolves it, netcage's temp
folder, and who the jail says it is (git identity, timezone, locale). Reads paths, links and
git config files; judged by checks.py and jail_view.py."""

from ..core.errors import AnonPiError
from ..core.host_identity import netcage_temp_dir
from ..core.jail_identity import jail_looks
from ..core.resolve import resolve_projects_root
from ..edges import jail_paths
from ..edges.workspace import Workspace, mount_problem, user_home
from .checks import Check, mount_check
from .jail_view import Mount, env_rows, here_row, identity_row, mount_rows, temp_row


def jail_rows(io, ws: Workspace, machine: str, machine_cfg, config,
              here: bool = False) -> list[Check]:
    """What a launch of `machine` from `io.cwd`, with `io.env`, shows the jail."""
    env = io.env
    rows = []
    try:
        root = resolve_projects_root(mount=None, env=env, machine_cfg=machine_cfg,
                                     config=config, workspace=str(ws.root),
                                     home=user_home(env), cwd=io.cwd)
    except AnonPiError as exc:  # the launch refuses it in the same words
        rows.append(Check("FAIL", "projects root", exc.message,
                          exc.hint or "fix `projects` in config.json or ANON_PI_PROJECTS"))
        root = None
    rows.append(mount_check(mount_problem(ws.root, projects=root, home=str(ws.home(machine)))))
    rows += mount_rows(jail_mounts(ws, machine, root), jail_paths.login_name(env),
                       user_home(env))
    if here:
        rows.append(_here_row(io, ws))
    rows.append(temp_row(netcage_temp_dir(env), jail_paths.planned_tmp(env)))
    return rows + looks_rows(ws, machine, machine_cfg, env)


def looks_rows(ws: Workspace, machine: str, machine_cfg, env) -> list[Check]:
    """The git identity, TZ and locale a launch of `machine` gives the jail."""
    from ..edges.git_identity import home_identity, host_identity

    try:
        looks = jail_looks(machine_cfg, machine)
    except AnonPiError as exc:  # the launch refuses it in the same words
        return [Check("FAIL", "jail sees", exc.message, exc.hint)]
    home = ws.home(machine)
    found, decided = home_identity(home)
    host = host_identity(env, user_home(env))
    return [identity_row(looks, str(home), found, decided, host, jail_paths.login_name(env)),
            *env_rows(looks)]


def _here_row(io, ws: Workspace) -> Check:
    """`anon-pi --here` in this folder: refused (FAIL, in the launch's words), or what the jail
    sees at /work/<name> (warn when the path shows the login name)."""
    from ..edges.here_folder import here_folder

    env = io.env
    try:  # `.` is the run's folder (io.cwd), as for `anon-pi --here`
        folder = here_folder(io, ".", ws)
    except AnonPiError as exc:
        return Check("FAIL", "jail sees /work/<this folder>", exc.message,
                     exc.hint or "run it in a project's own folder")
    return here_row(folder.path, folder.target, jail_paths.login_name(env), user_home(env))


def jail_mounts(ws: Workspace, machine: str, root: str | None) -> list[Mount]:
    """The default launch's -v sources, each as the kernel will resolve it; the workspace's
    own first, so the one fix they share follows them once."""
    pairs = [("/root", str(ws.home(machine)))] + ([("/projects", root)] if root else [])
    for target, seed in (("/anon-pi-seed/models.json", ws.models_seed(machine)),
                         ("/anon-pi-seed/settings.json", ws.settings_seed(machine))):
        if seed:
            pairs.append((target, str(seed)))
    inside = str(ws.root).rstrip("/") + "/"
    mounts = [Mount(t, jail_paths.kernel_source(src), src.startswith(inside)) for t, src in pairs]
    return sorted(mounts, key=lambda m: not m.in_workspace)
