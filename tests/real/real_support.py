"""What every real-components suite shares: where the real netcage, podman and pi are, and
the one rule for when they are missing (skip with one line on a plain clone; fail under CI,
where `.ci/run` installs them through tests/integration/setup-real.sh).

Tests here talk to the REAL components: netcage 0.11.1 / 0.12.0 / 0.13.0 from
`../shared/netcage/`, podman in a store of the tests' own (`NETCAGE_GRAPHROOT`, so a user's
own netcage store is never touched), and pi from npm. Import the fixtures you use:
`from real_support import real_netcage, socks_proxy, ...`.
"""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
from conftest import BIN, ROOT

SHARED = ROOT.parent / "shared"
NETCAGE_HOME = SHARED / "netcage"
GENERATIONS = ("0.11.1", "0.12.0", "0.13.0")
SETUP = "tests/integration/setup-real.sh"
BASE_IMAGE = "localhost/test/busybox:latest"
STORE = Path(os.environ.get("ANON_PI_TEST_STORE", f"/var/tmp/anon-pi-test-store-{os.getuid()}"))
PI_PREFIX = Path(os.environ.get("ANON_PI_REAL_PREFIX", "/opt/anon-pi-real"))
# Where podman 4.3.1 stops a `netcage run`/`start` whose argv netcage accepted (netcage README).
SIDECAR = "start tun2socks sidecar"
REAL_PODMAN = shutil.which("podman")
# What the cli harness puts first on PATH for a real tool: log the call, then exec the real
# one (so `cli.calls()` / `cli.podman_calls()` count real calls as they count the fakes').
SHIM = """#!{python}
import json, os, sys
log = os.environ.get({log!r})
if log:
    with open(log, "a", encoding="utf-8") as fh:
        fh.write({line} + "\\n")
if os.environ.get("REAL_SHIM_PATH"):
    os.environ["PATH"] = os.environ["REAL_SHIM_PATH"]
os.execv({target!r}, [{target!r}, *sys.argv[1:]])
"""
# Just enough for bin/anon-pi without podman on PATH (the `netcage images` fallback).
BASICS = ("bash", "readlink", "dirname", "uname", "env")


def required() -> bool:
    """Under CI (and with ANON_PI_REAL=1) a missing component is a failure, not a skip."""
    flags = (os.environ.get("CI", ""), os.environ.get("ANON_PI_REAL", ""))
    return any(v.lower() not in ("", "0", "false", "no") for v in flags)


def need(missing: str | None) -> None:
    """Skip (plain clone) or fail (CI) with one line naming what is missing."""
    if missing is None:
        return
    if required():
        pytest.fail(f"the real-components suite must run here, but {missing}; run {SETUP}",
                    pytrace=False)
    pytest.skip(f"{missing} (run {SETUP})")


def podman(*args: str, check: bool = True, store: bool = True,
           timeout: float = 120) -> subprocess.CompletedProcess:
    """podman in the tests' netcage store (`--root`, exactly what netcage passes)."""
    argv = ["podman", *(["--root", str(STORE)] if store else []), *args]
    res = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=timeout)
    if check:
        assert res.returncode == 0, f"{' '.join(argv)}: {res.stderr}"
    return res


def netcage_dir(generation: str) -> Path:
    folder = NETCAGE_HOME / generation
    need(None if (folder / "netcage").is_file() else f"{folder}/netcage is missing")
    return folder


def podman_missing() -> str | None:
    if not shutil.which("podman"):
        return "podman is not on PATH"
    if podman("image", "exists", BASE_IMAGE, check=False).returncode != 0:
        return f"the test store {STORE} has no {BASE_IMAGE}"
    return None


def _shim(path: Path, target: str, log: str, line: str) -> None:
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_text(SHIM.format(python=sys.executable, log=log, line=line, target=target))
    path.chmod(0o755)


def use_netcage(cli, generation: str) -> Path:
    """Make the cli harness run the REAL netcage of that generation and the real podman, in
    the test store; both calls are logged like the fakes' (`cli.calls()`, `cli.podman_calls()`)."""
    folder = netcage_dir(generation)
    need(podman_missing())
    _shim(cli.bindir / "netcage", str(folder / "netcage"), "FAKE_NETCAGE_LOG",
          "json.dumps(sys.argv[1:])")
    _shim(cli.bindir / "podman", REAL_PODMAN, "FAKE_PODMAN_LOG", '" ".join(sys.argv[1:])')
    link = cli.bindir / "netcage-dns"
    if not link.exists():
        link.symlink_to(folder / "netcage-dns")
    cli.vars["NETCAGE_GRAPHROOT"] = str(STORE)
    return folder


def hide_podman(cli) -> None:
    """anon-pi finds no podman on PATH (netcage, run by its shim, still does)."""
    (cli.bindir / "podman").unlink()
    tools = cli.tmp / "basics"
    tools.mkdir(exist_ok=True)
    for name in BASICS:
        (tools / name).symlink_to(shutil.which(name))
    cli.vars["REAL_SHIM_PATH"] = cli.vars["PATH"]
    cli.vars["PATH"] = f"{cli.bindir}:{tools}"


@pytest.fixture(params=GENERATIONS)
def real_netcage(request, cli):
    """The cli harness with one real netcage generation first on PATH; yields the version."""
    use_netcage(cli, request.param)
    return request.param


@pytest.fixture
def newest_netcage(cli):
    """The cli harness on the newest real generation only (set up before a fixture listed after
    it in a test's arguments, e.g. podman_log, which must put its podman shim in last)."""
    use_netcage(cli, GENERATIONS[-1])
    return GENERATIONS[-1]


@pytest.fixture
def socks_proxy():
    """A loopback listener that netcage's proxy dial reaches (it only connects); yields its
    `socks5h://127.0.0.1:<port>` URL. Counts connections in `.hits`."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.2)
    stop = threading.Event()

    class Proxy(str):
        hits = 0

    url = Proxy(f"socks5h://127.0.0.1:{srv.getsockname()[1]}")

    def serve():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            Proxy.hits += 1
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield url
    stop.set()
    thread.join(2)
    srv.close()


def assert_accepted(res) -> None:
    """netcage accepted the argv: past its argument and proxy checks, stopped at the sidecar."""
    assert res.returncode != 2, f"netcage rejected the argv:\n{res.stderr}"
    assert SIDECAR in res.stderr, res.stderr


def pi_env() -> dict[str, str]:
    """PATH entries that run the real pi on node >= 22.19 (setup-real.sh's npm prefix)."""
    bindir = PI_PREFIX / "node_modules" / ".bin"
    need(None if (bindir / "pi").exists() and (bindir / "node").exists()
         else f"no real pi in {bindir}")
    return {"PATH": f"{bindir}:/usr/bin:/bin"}


# --- the real pi, run with a launch argv's own mounts (issue 12 item 6, issue 17 item 1) ----

JAIL_RUN = Path(__file__).with_name("jail_run.py")
MODELS = ("qwen3-coder-30b", "gemma-3-12b")  # what the tests' init would have seeded


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_workspace(cli, port: int, default: str = MODELS[0]) -> None:
    """A configured workspace with a loopback model and the seed files init writes for it."""
    from anonpi_helpers.core.addresses import jail_llm_base_url
    from anonpi_helpers.core.jsonfmt import dumps
    from anonpi_helpers.init.models_listing import minimal_entry
    from anonpi_helpers.init.models_seed import models_doc, settings_seed_doc

    llm = f"127.0.0.1:{port}"
    cli.configure(llm=llm)
    doc = models_doc("openai-completions", "none", jail_llm_base_url(llm),
                     [minimal_entry(m) for m in MODELS])
    (cli.ws / "models.json").write_text(dumps(doc), encoding="utf-8")
    (cli.ws / "settings-seed.json").write_text(dumps(settings_seed_doc(default, list(MODELS))),
                                               encoding="utf-8")


def jail_spec(dry_run_line: str) -> dict:
    """The mounts, cwd and container command of a `--dry-run` netcage line."""
    import shlex

    argv = shlex.split(dry_run_line)
    assert argv[:2] == ["netcage", "run"], argv
    mounts, i = [], 2
    while argv[i] not in ("-w",):
        if argv[i] == "-v":
            src, dst, *opt = argv[i + 1].split(":")
            mounts.append([src, dst, opt == ["ro"]])
            i += 2
        else:
            i += 1
    cwd, command = argv[i + 1], argv[i + 3:]  # -w <cwd> <image> <command...>
    assert command[:2] == ["sh", "-c"], command
    return {"mounts": mounts, "cwd": cwd, "argv": command, "interactive": "-it" in argv}


def run_in_jail(tmp: Path, dry_run_line: str, port: int, *, strace: Path | None = None,
                pty: list[tuple[str, str]] | None = None, linger: float = 0,
                timeout: float = 120) -> dict:
    """Run a `--dry-run` line's `sh -c` script with exactly its mounts, chrooted in a private
    mount + network namespace (tests/real/jail_run.py), the model served at 169.254.1.1.
    With `pty` ([regex, keys] steps), pi runs in a terminal: each regex awaited, then its keys
    sent; `ui` says whether every step matched. Then `linger` seconds more (pi's start-up
    network work runs in the background), then Ctrl-C, Ctrl-C, Ctrl-D.

    Returns {rc, stdout, stderr, ui, requests: [the model's logged requests]}.
    """
    import json
    import sys

    env = pi_env()
    need(None if os.geteuid() == 0 and shutil.which("unshare") and shutil.which("ip")
         else "the jail replay needs root, unshare and ip")
    if strace:
        need(None if shutil.which("strace") else "strace is not installed")
    spec = jail_spec(dry_run_line)
    for src, dst, _ in spec["mounts"]:  # what a real launch creates before netcage runs
        if not dst.startswith("/anon-pi-seed/"):
            Path(src).mkdir(parents=True, exist_ok=True)
            if spec["cwd"].startswith(dst + "/"):
                (Path(src) / spec["cwd"][len(dst) + 1:]).mkdir(exist_ok=True)
    run = tmp / f"jail-{len(list(tmp.glob('jail-*')))}"
    (run / "root").mkdir(parents=True)
    spec.update(root=str(run / "root"), port=port, model_log=str(run / "model.jsonl"),
                out=str(run / "out.json"), strace=str(strace) if strace else None, pty=pty,
                linger=linger, timeout=timeout,
                env={"HOME": "/root", "PATH": env["PATH"],
                     "TERM": "xterm-256color" if pty else "dumb"})
    (run / "spec.json").write_text(json.dumps(spec))
    res = subprocess.run(["unshare", "-m", "-n", "--", sys.executable, str(JAIL_RUN),
                          str(run / "spec.json")], capture_output=True, text=True,
                         timeout=timeout + 60, check=False)
    assert res.returncode == 0, res.stderr
    out = json.loads((run / "out.json").read_text())
    log = run / "model.jsonl"
    out["requests"] = [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []
    return out


PODMAN_LOG_SHIM = '''#!/usr/bin/env python3
"""podman, logged: one JSON argv per call to {log}, then the real podman."""
import json, os, sys
with open({log!r}, "a", encoding="utf-8") as fh:
    fh.write(json.dumps(sys.argv[1:]) + "\\n")
os.execv({real!r}, ["podman", *sys.argv[1:]])
'''


@pytest.fixture
def podman_log(cli):
    """Put a logging stand-in for podman first on the cli harness PATH (it execs the real one):
    netcage's own podman calls become readable. Yields a function returning the calls."""
    need(None if shutil.which("podman") else "podman is not on PATH")
    log = cli.tmp / "podman-argv.log"  # not FAKE_PODMAN_LOG's file: that one holds text lines
    shim = cli.bindir / "podman"
    if shim.is_symlink() or shim.exists():  # the harness links its fake here: never write through
        shim.unlink()
    shim.write_text(PODMAN_LOG_SHIM.format(log=str(log), real=REAL_PODMAN), encoding="utf-8")
    shim.chmod(0o755)

    def calls() -> list[list[str]]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    return calls


def sidecar_run(calls: list[list[str]]) -> dict:
    """From netcage's logged `podman run -d --name netcage-run-<id>-sidecar ...` (the call podman
    4.3.1 fails): the run id and the env netcage baked in (what `netcage start` compares)."""
    run = next(c for c in calls if "run" in c and "-d" in c and any(
        a.endswith("-sidecar") for a in c))
    name = run[run.index("--name") + 1]
    env = [run[i + 1] for i, a in enumerate(run) if a == "-e"]
    return {"run_id": name.removeprefix("netcage-run-").removesuffix("-sidecar"), "env": env}


def stopped_box_pair(run_id: str, env: list[str], labels: dict[str, str]) -> str:
    """A kept netcage pair as `netcage run` would have left it (podman 4.3.1 cannot make the
    real one): a sidecar with the baked env and a tool sharing its network, both netcage-managed,
    the tool carrying `labels`. Returns the tool's id. Remove it with `netcage rm`."""
    base = ["--label", "netcage.managed=true", "--label", f"netcage.run-id={run_id}"]
    sidecar = f"netcage-run-{run_id}-sidecar"
    podman("create", "--name", sidecar, *base, "--label", "netcage.role=sidecar",
           *[x for e in env for x in ("-e", e)], BASE_IMAGE, "sleep", "600")
    extra = [x for k, v in labels.items() for x in ("--label", f"{k}={v}")]
    res = podman("create", "--name", f"netcage-run-{run_id}-tool", "--network",
                 f"container:{sidecar}", *base, "--label", "netcage.role=tool", *extra,
                 BASE_IMAGE, "sleep", "600")
    return res.stdout.strip()


def remove_pairs(run_ids: list[str]) -> None:
    """Clean up the pairs of these run ids only (the test store is shared with other runs)."""
    for role in ("tool", "sidecar"):
        names = [f"netcage-run-{r}-{role}" for r in run_ids]
        if names:
            podman("rm", "-f", "-i", *names, check=False)


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


@contextmanager
def jail_pair(argv: list[str], *command: str):
    """Start what `netcage run <argv>` would leave running (podman 4.3.1 cannot start the
    real sidecar): the tool gets exactly the launch argv's labels, -v and -w, runs `command` in
    the busybox image; removed afterwards, however the test ends."""
    run_id = uuid.uuid4().hex[:12]
    pair = Pair(run_id, f"netcage-run-{run_id}-tool", f"netcage-run-{run_id}-sidecar", "")
    workdir = argv[argv.index("-w") + 1] if "-w" in argv else "/"
    labels = [x for k, v in labels_of(argv).items() for x in ("--label", f"{k}={v}")]
    mounts = [argv[i + 1] for i, a in enumerate(argv) if a == "-v"]
    for spec in mounts:  # what a launch creates on the host before netcage runs
        src, dst = spec.split(":")[:2]
        inside = Path(workdir).relative_to(dst) if Path(workdir).is_relative_to(dst) else None
        target = Path(src) / inside if inside else Path(src)
        if not target.exists():
            target.mkdir(parents=True)
    try:
        podman("run", "-d", "--name", pair.sidecar, *_netcage_labels(run_id, "sidecar"),
               BASE_IMAGE, *IDLE)
        tool_id = podman("run", "-d", "--name", pair.tool, "--network",
                         f"container:{pair.sidecar}", *_netcage_labels(run_id, "tool"), *labels,
                         *(x for m in mounts for x in ("-v", m)), "-w", workdir,
                         BASE_IMAGE, *(command or IDLE)).stdout.strip()
        yield Pair(run_id, pair.tool, pair.sidecar, tool_id)
    finally:
        # the sidecar with its dependent tool, as `netcage rm` does
        podman("rm", "-f", "--depend", "-t", "0", pair.sidecar, check=False)


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


def wait_until(probe, seconds: float = 10, step: float = 0.1):
    """probe()'s first truthy answer within `seconds`, else its last answer."""
    end = time.monotonic() + seconds
    while True:
        got = probe()
        if got or time.monotonic() > end:
            return got
        time.sleep(step)


@dataclass(frozen=True)
class PtyResult:
    """What a launch on a terminal left: exit status and everything it printed (one stream,
    so `stderr` is the same text: assert_accepted reads either)."""

    returncode: int
    stderr: str


def run_in_pty(cli, *args: str, timeout: float = 60) -> PtyResult:
    """bin/anon-pi on a pseudo-terminal (interactive pi, --shell), run to its end."""
    child = pexpect.spawn(str(BIN), list(args), env=cli.env(), cwd=str(cli.tmp),
                          encoding="utf-8", timeout=timeout, dimensions=(40, 160))
    child.expect(pexpect.EOF)
    child.close()
    return PtyResult(child.exitstatus if child.exitstatus is not None else 128,
                     child.before.replace("\r\n", "\n"))
