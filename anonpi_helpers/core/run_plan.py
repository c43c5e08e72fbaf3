"""The exact `netcage run` argv: every element but the script text is contract (netcage,
users' scripts and the dry run depend on it; docs/design.md, rule 10).

Shared by the launch and `container create` (a durable box: kept, not `--rm`, and labelled).
"""

from collections import namedtuple

from .seed_script import container_command, seed_script


class RunPlan(namedtuple("RunPlan", [
    "key",  # base64 identity record
    "proxy",
    "hole_flag",  # --allow or --allow-direct
    "llm",  # normalised host:port
    "interactive",  # bool
    "home",
    "projects_root",
    "mount_parent",  # or None
    "models_seed",  # or None
    "settings_seed",  # or None
    "cwd",
    "image",
    "mode",  # "pi" | "shell"
    "pi_args",  # tuple of str
    "pi_network",  # config.json "piNetwork": let pi reach its own services
    "box",  # `container create`: kept (no --rm) and labelled with this name
    "box_token",  # ... and with the token anon-pi recorded for it (see core/boxes.py)
    "env",  # "KEY=VALUE" the jail runs with (TZ, LANG): each an `-e`
    "here",  # a folder worked on alone (`--here`): mounted at here_target(), nothing else
], defaults=((), False, None, None, (), None))):
    """Everything the `netcage run` argv is built from. A namedtuple, as every record on the
    launch path: building a frozen dataclass costs about 1.5 ms each at start-up, a
    namedtuple a tenth of that."""

    __slots__ = ()


BOX_LABEL = "anon-pi.container"
BOX_TOKEN_LABEL = "anon-pi.container-token"


def run_argv(plan: RunPlan) -> list[str]:
    """`netcage run …` in the order netcage and the original tool's users depend on."""
    argv = ["netcage", "run", "--label", f"anon-pi.key={plan.key}"]
    if plan.box:
        argv += ["--label", f"{BOX_LABEL}={plan.box}", "--label",
                 f"{BOX_TOKEN_LABEL}={plan.box_token}"]
    else:
        argv.append("--rm")
    argv += ["--proxy", plan.proxy, plan.hole_flag, plan.llm]
    for pair in plan.env:
        argv += ["-e", pair]
    if plan.interactive:
        argv.append("-it")
    argv += ["-v", f"{plan.home}:/root"]
    if plan.here:  # exactly that folder: neither the projects root nor the folder's parent
        argv += ["-v", f"{plan.here}:{here_target(plan.here)}"]
    else:
        argv += ["-v", f"{plan.projects_root}:/projects"]
    if plan.mount_parent and not plan.here:
        argv += ["-v", f"{plan.mount_parent}:/work"]
    if plan.models_seed:
        argv += ["-v", f"{plan.models_seed}:/anon-pi-seed/models.json:ro"]
    if plan.settings_seed:
        argv += ["-v", f"{plan.settings_seed}:/anon-pi-seed/settings.json:ro"]
    argv += ["-w", plan.cwd, plan.image]
    argv += container_command(plan.mode, plan.pi_args, seed_script(silent=not plan.pi_network))
    return argv


def here_target(folder: str) -> str:
    """Where a folder worked on alone lands: `/work/<its name>`, the cwd `--mount <its parent>
    <its name>` would give, so its conversations are the same group either way."""
    return "/work/" + folder.rstrip("/").rsplit("/", 1)[-1]


def container_cwd(project: str | None, mounted: bool) -> str:
    """`/projects[/<p>]`, or `/work[/<p>]` under --mount; project-less launches use the root."""
    root = "/work" if mounted else "/projects"
    return root if project in (None, ".") else f"{root}/{project}"
