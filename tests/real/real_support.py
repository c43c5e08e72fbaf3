"""What every real-components suite shares: where the real podman, pi and (optionally) netcage
are, and the rules for when one is missing.

- Real podman (in a store of the tests' own, `NETCAGE_GRAPHROOT`, so a user's own netcage store
  is never touched) and real pi from npm are mandatory under CI (`CI` or `ANON_PI_REAL=1` set):
  `.ci/run` installs them through tests/integration/setup-real.sh, and a missing one fails
  the test. On a plain clone they skip with one line naming what is missing.
- Real netcage is never required, not even under CI: its code and builds cannot ship with
  this project. Name the binaries with `ANON_PI_NETCAGE_BINS=<folder>`, the folder holding
  one sub-folder per generation, each with that generation's `netcage` and `netcage-dns`:
  `<folder>/0.11.1/`, `<folder>/0.12.0/`, `<folder>/0.13.0/`. Unset, every test that needs the
  real netcage skips with one line; a generation missing from the folder skips alone; a
  named folder that does not exist fails.
- The tests where netcage only passes calls through to podman (snapshots, image listings,
  boxes, image builds) run on the stand-in netcage in its real-podman mode (tests/fakes/netcage
  with FAKE_NETCAGE_REAL_PODMAN=1: the podman calls the recorded real netcage makes) always,
  and on each named real generation as well (the `podman_netcage` fixture), so real podman
  stays covered under CI. A launch that really runs (test_podman_integration.py) uses
  tests/integration/netcage, whose `run` leaves the jail's network out.
- The test store is `/var/tmp/anon-pi-test-store-<uid>`, shared by every run on the machine;
  `ANON_PI_TEST_STORE=<folder>` gives a run its own (setup-real.sh fills whichever is named).

Import the fixtures you use: `from real_support import real_netcage, socks_proxy, ...`.
"""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
from conftest import BIN, FAKES
from loopback_listener import Listener
from network_support import flag

GENERATIONS = ("0.11.1", "0.12.0", "0.13.0")
BINS = "ANON_PI_NETCAGE_BINS"
STAND_IN = Path(__file__).resolve().parent.parent / "integration" / "netcage"  # a running launch
# the stand-in netcage over real podman: FAKE_NETCAGE_REAL_PODMAN=1 (tests/fakes/netcage_standin)
REAL_PODMAN_MODE = {"FAKE_NETCAGE_REAL_PODMAN": "1"}
SETUP = "tests/integration/setup-real.sh"
BASE_IMAGE = "localhost/test/busybox:latest"
STORE = Path(os.environ.get("ANON_PI_TEST_STORE", f"/var/tmp/anon-pi-test-store-{os.getuid()}"))
PI_PREFIX = Path(os.environ.get("ANON_PI_REAL_PREFIX", "/opt/anon-pi-real"))
# Where podman 4.3.1 stops a `netcage run`/`start` whose argv netcage accepted (netcage README).
SIDECAR = "start tun2socks sidecar"
REAL_PODMAN = shutil.which("podman")
# What the cli harness puts first on PATH for a real tool: append the call to each log, then
# exec the real one. The harness's logs keep the fakes' formats (netcage: one JSON argv a line,
# `cli.calls()`; podman: the argv joined by spaces, `cli.podman_calls()`); podman's calls go
# to a JSON log too (`podman_log`), where netcage's own calls keep their argument boundaries.
SHIM = """#!{python}
import json, os, sys
argv = sys.argv[1:]
for log, as_json in {logs!r}:
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write((json.dumps(argv) if as_json else " ".join(argv)) + "\\n")
if os.environ.get("REAL_SHIM_PATH"):
    os.environ["PATH"] = os.environ["REAL_SHIM_PATH"]
os.execv({target!r}, [{target!r}, *argv])
"""
# Just enough for bin/anon-pi without podman on PATH (the `netcage images` fallback).
BASICS = ("bash", "readlink", "dirname", "uname", "env")


def required() -> bool:
    """Under CI (and with ANON_PI_REAL=1) a missing podman or pi is a failure, not a skip."""
    return flag("CI") or flag("ANON_PI_REAL")


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
    """`$ANON_PI_NETCAGE_BINS/<generation>`, holding that generation's netcage and netcage-dns.
    Skips with one line, under CI too, when no folder is named or it lacks this generation."""
    named = os.environ.get(BINS, "")
    if not named:
        pytest.skip(f"real netcage not named ({BINS}=<folder> holding <generation>/netcage "
                    "and <generation>/netcage-dns)")
    if not Path(named).is_dir():
        pytest.fail(f"{BINS}={named} is not a folder", pytrace=False)
    folder = Path(named) / generation
    for tool in ("netcage", "netcage-dns"):
        if not (folder / tool).is_file():
            pytest.skip(f"real netcage {generation}: {folder / tool} is missing")
    return folder


def podman_missing() -> str | None:
    if not shutil.which("podman"):
        return "podman is not on PATH"
    if podman("image", "exists", BASE_IMAGE, check=False).returncode != 0:
        return f"the test store {STORE} has no {BASE_IMAGE}"
    return None


def _shim(path: Path, target: str, logs: list[tuple[str, bool]]) -> None:
    """SHIM at `path` for `target`, logging to each (file, as JSON) of `logs`. The harness
    linked its fake here: unlink first, never write through the link into tests/fakes/."""
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_text(SHIM.format(python=sys.executable, logs=logs, target=target),
                    encoding="utf-8")
    path.chmod(0o755)


def _argv_log(cli) -> Path:
    """podman_log's file: not FAKE_PODMAN_LOG's, whose text lines lose argument boundaries."""
    return cli.tmp / "podman-argv.log"


def _shim_podman(cli) -> None:
    """The real podman, logged both ways: the harness's text log and podman_log's JSON one."""
    _shim(cli.bindir / "podman", REAL_PODMAN,
          [(cli.vars.get("FAKE_PODMAN_LOG", ""), False), (str(_argv_log(cli)), True)])


def use_netcage(cli, which: str) -> None:
    """Make the cli harness run `which` netcage, a real generation or "stand-in" (the harness's
    own tests/fakes/netcage in its real-podman mode), and the real podman, in the test store;
    both are logged like the fakes' calls (`cli.calls()`, `cli.podman_calls()`)."""
    folder = None if which == "stand-in" else netcage_dir(which)
    need(podman_missing())
    if folder is None:  # the stand-in logs its calls itself: a shim only for hide_podman's PATH
        cli.vars.update(REAL_PODMAN_MODE)
        _shim(cli.bindir / "netcage", str(FAKES / "netcage"), [])
    else:
        _shim(cli.bindir / "netcage", str(folder / "netcage"),
              [(cli.vars.get("FAKE_NETCAGE_LOG", ""), True)])
        link = cli.bindir / "netcage-dns"
        if not link.exists():
            link.symlink_to(folder / "netcage-dns")
    _shim_podman(cli)
    cli.vars["NETCAGE_GRAPHROOT"] = str(STORE)


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
    """The cli harness on the newest real generation only."""
    use_netcage(cli, GENERATIONS[-1])
    return GENERATIONS[-1]


@pytest.fixture(params=("stand-in", *GENERATIONS))
def podman_netcage(request, cli):
    """For tests where netcage only passes calls through to podman: the stand-in netcage over
    real podman always (mandatory under CI), and each real generation where one is named."""
    use_netcage(cli, request.param)
    return request.param


@pytest.fixture
def socks_proxy():
    """A loopback listener that netcage's proxy dial reaches (it only connects); yields its
    `socks5h://127.0.0.1:<port>` URL. Counts connections in `.hits`."""
    class Proxy(str):
        hits = 0

    def count(_conn) -> None:
        Proxy.hits += 1

    listener = Listener(serve=count)
    yield Proxy(f"socks5h://127.0.0.1:{listener.port}")
    listener.close()


@pytest.fixture
def llm_listener():
    """A loopback `127.0.0.1:<port>` where a model would be: what doctor's reach probe dials
    in these tests instead of a LAN address."""
    from doctor_support import Responder

    model = Responder(None)
    yield f"127.0.0.1:{model.port}"
    model.close()


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


# --- the real pi, run with a launch argv's own mounts ----------------------------------

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


@pytest.fixture
def podman_log(cli):
    """The real podman first on the cli harness PATH (its shim logs each call as a JSON argv
    too): netcage's own podman calls become readable. Yields a function returning the calls."""
    need(None if REAL_PODMAN else "podman is not on PATH")
    log = _argv_log(cli)
    _shim_podman(cli)  # the one use_netcage put in, again: the order of fixtures does not matter

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
