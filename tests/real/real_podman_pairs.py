"""netcage-shaped pairs and images in the test store: made, found and removed by their
own ids only (the store is shared with other runs)."""

import json
import shlex
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from real_support import BASE_IMAGE, podman


def sidecar_run(calls: list[list[str]]) -> dict:
    """From netcage's logged `podman run -d --name netcage-run-<id>-sidecar ...` (the call podman
    4.3.1 fails): the run id and the env netcage baked in (what `netcage start` compares)."""
    run = next(c for c in calls if "run" in c and "-d" in c and any(
        a.endswith("-sidecar") for a in c))
    name = run[run.index("--name") + 1]
    env = [run[i + 1] for i, a in enumerate(run) if a == "-e"]
    return {"run_id": name.removeprefix("netcage-run-").removesuffix("-sidecar"), "env": env}


def remove_pairs(run_ids: list[str]) -> None:
    """Remove the pairs of these run ids only (the test store is shared with other runs): each
    tool, then its sidecar, as `netcage rm` does; whatever state they are in."""
    for role in ("tool", "sidecar"):
        names = [f"netcage-run-{r}-{role}" for r in run_ids]
        if names:
            podman("rm", "-f", "-i", "-t", "0", *names, check=False)


def containers_labelled(label: str) -> list[str]:
    """Ids of the test store's containers carrying this exact `key=value` label."""
    res = podman("ps", "-a", "-q", "--filter", f"label={label}", check=False)
    return res.stdout.split()


def launch_argv(cli, *args: str) -> list[str]:
    """The netcage argv anon-pi would run (`--dry-run`, one shell-quoted line)."""
    res = cli.run("--dry-run", *args)
    assert res.returncode == 0, res.stderr
    return shlex.split(res.stdout)[1:]


def labels_of(argv: list[str]) -> dict[str, str]:
    return dict(argv[i + 1].split("=", 1) for i, a in enumerate(argv) if a == "--label")


@dataclass(frozen=True)
class Pair:
    """A netcage-shaped pair in the test store: the tool shares the sidecar's network, both
    carry netcage's own labels (managed/role/run-id), so every netcage verb accepts them."""

    run_id: str
    tool: str
    sidecar: str
    tool_id: str


# PID 1 ignores SIGTERM unless it traps it: without the trap every `rm`/`stop` waits 10 s.
IDLE = ("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait")


def _netcage_labels(run_id: str, role: str) -> list[str]:
    return ["--label", "netcage.managed=true", "--label", f"netcage.role={role}",
            "--label", f"netcage.run-id={run_id}"]


def make_pair(run_id: str, labels: dict[str, str], *, running: bool, env: Sequence[str] = (),
              mounts: Sequence[str] = (), workdir: str = "/", command: Sequence[str] = ()) -> Pair:
    """The pair `netcage run` would leave (podman 4.3.1 cannot start the real sidecar):
    running, or stopped as a kept box is. The sidecar gets the `env` netcage bakes in (what
    `netcage start` compares), the tool `labels`, the `-v` `mounts`, `workdir` and `command`
    (idle by default) in the busybox image. Remove it with remove_pairs or `netcage rm`."""
    made = ["run", "-d"] if running else ["create"]
    sidecar, tool = f"netcage-run-{run_id}-sidecar", f"netcage-run-{run_id}-tool"
    podman(*made, "--name", sidecar, *_netcage_labels(run_id, "sidecar"),
           *(x for e in env for x in ("-e", e)), BASE_IMAGE, *IDLE)
    tool_id = podman(*made, "--name", tool, "--network", f"container:{sidecar}",
                     *_netcage_labels(run_id, "tool"),
                     *(x for k, v in labels.items() for x in ("--label", f"{k}={v}")),
                     *(x for m in mounts for x in ("-v", m)), "-w", workdir,
                     BASE_IMAGE, *(command or IDLE)).stdout.strip()
    return Pair(run_id, tool, sidecar, tool_id)


@contextmanager
def jail_pair(argv: list[str], *command: str):
    """A running pair for `netcage run <argv>`: the tool gets exactly the launch argv's labels,
    -v and -w and runs `command`; removed afterwards, however the test ends."""
    run_id = uuid.uuid4().hex[:12]
    workdir = argv[argv.index("-w") + 1] if "-w" in argv else "/"
    mounts = [argv[i + 1] for i, a in enumerate(argv) if a == "-v"]
    for spec in mounts:  # what a launch creates on the host before netcage runs
        src, dst = spec.split(":")[:2]
        inside = Path(workdir).relative_to(dst) if Path(workdir).is_relative_to(dst) else None
        target = Path(src) / inside if inside else Path(src)
        if not target.exists():
            target.mkdir(parents=True)
    try:
        yield make_pair(run_id, labels_of(argv), running=True, mounts=mounts, workdir=workdir,
                        command=command)
    finally:
        remove_pairs([run_id])


def image_id(ref: str) -> str:
    return podman("image", "inspect", ref, "--format", "{{.Id}}").stdout.strip()


def image_labels(ref: str) -> dict:
    return json.loads(podman("image", "inspect", ref, "--format",
                             "{{json .Config.Labels}}").stdout)


@pytest.fixture
def made_images():
    """Image refs (tags or ids) a test writes into the test store; removed afterwards."""
    made: list[str] = []
    yield made
    if made:
        podman("rmi", "-f", *made, check=False)
