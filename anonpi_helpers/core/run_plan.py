"""The exact `netcage run` argv (launch §6): every element but the script text is contract.

Shared by the launch and `container create` (a durable box: kept, not `--rm`, and labelled).
"""

from dataclasses import dataclass

from .seed_script import container_command, seed_script


@dataclass(frozen=True)
class RunPlan:
    """Everything the `netcage run` argv is built from."""

    key: str  # base64 identity record
    proxy: str
    hole_flag: str  # --allow or --allow-direct
    llm: str  # normalised host:port
    interactive: bool
    home: str
    projects_root: str
    mount_parent: str | None
    models_seed: str | None
    settings_seed: str | None
    cwd: str
    image: str
    mode: str  # "pi" | "shell"
    pi_args: tuple[str, ...] = ()
    pi_network: bool = False  # config.json "piNetwork": let pi reach its own services
    box: str | None = None  # `container create`: kept (no --rm) and labelled with this name


BOX_LABEL = "anon-pi.container"


def run_argv(plan: RunPlan) -> list[str]:
    """`netcage run …` in the order netcage and the original tool's users depend on."""
    argv = ["netcage", "run", "--label", f"anon-pi.key={plan.key}"]
    argv += ["--label", f"{BOX_LABEL}={plan.box}"] if plan.box else ["--rm"]
    argv += ["--proxy", plan.proxy, plan.hole_flag, plan.llm]
    if plan.interactive:
        argv.append("-it")
    argv += ["-v", f"{plan.home}:/root", "-v", f"{plan.projects_root}:/projects"]
    if plan.mount_parent:
        argv += ["-v", f"{plan.mount_parent}:/work"]
    if plan.models_seed:
        argv += ["-v", f"{plan.models_seed}:/anon-pi-seed/models.json:ro"]
    if plan.settings_seed:
        argv += ["-v", f"{plan.settings_seed}:/anon-pi-seed/settings.json:ro"]
    argv += ["-w", plan.cwd, plan.image]
    argv += container_command(plan.mode, plan.pi_args, seed_script(silent=not plan.pi_network))
    return argv


def container_cwd(project: str | None, mounted: bool) -> str:
    """`/projects[/<p>]`, or `/work[/<p>]` under --mount; project-less launches use the root."""
    root = "/work" if mounted else "/projects"
    return root if project in (None, ".") else f"{root}/{project}"
