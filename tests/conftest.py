"""Shared test harness: a temporary workspace, the stand-in netcage, and the real bin/anon-pi."""

import hashlib
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import plumbum  # noqa: F401  imported before pytest-subprocess patches Popen (it runs `uname -p`)
import pytest
from hypothesis import HealthCheck, settings
from loopback_listener import Listener

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "bin" / "anon-pi"
FAKES = Path(__file__).resolve().parent / "fakes"
FIXTURES = ROOT / "tests" / "fixtures" / "podman-4.3.1"
BOX_LIST = ["ps", "-a", "--format", "json"]

sys.path.insert(0, str(ROOT))
REPORT = pytest.StashKey[list]()


def report_line(config, text: str) -> None:
    """A line of figures printed at the end of the pytest run (e.g. the netcage contract's
    "N/M recorded calls agree"), where a reader of the run's output finds it."""
    config.stash.setdefault(REPORT, []).append(text)


# The property tests' example counts, one place for the whole run: HYPOTHESIS_PROFILE=ci (set by
# .ci/run) runs many more. Registered and loaded here, before any test module is imported, so a
# property test's settings never depend on which other files were collected.
settings.register_profile("ci", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)


def _runner_ignores(_signum, _frame) -> None:
    """The runner's SIGINT handler when it was started with SIGINT ignored: still ignored."""


def pytest_configure(config):
    """Every child a test starts (pexpect's, subprocess's, a shell's) begins with SIGINT at its
    default, whatever the runner inherited: the Ctrl-C tests send SIGINT to anon-pi and the
    stand-in netcage and expect them to react.

    A shell without job control (`pytest &` in a script, many CI runners) starts its
    background jobs with SIGINT ignored, and an ignored signal stays ignored across exec, so
    every child would inherit it and the Ctrl-C tests would hang to their timeouts. A signal
    that is *handled* is reset to its default at exec instead: the runner gets a handler that
    does nothing, so it goes on ignoring Ctrl-C itself while its children start clean. A
    blocked SIGINT is inherited too; the runner unblocks it (its handler is then Python's own,
    which pytest reports as an interrupted run)."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, _runner_ignores)
        report_line(config, "the runner was started with SIGINT ignored: it still ignores it, "
                    "and the tests' children start with SIGINT at its default")
    if signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
        report_line(config, "the runner was started with SIGINT blocked: unblocked, so the "
                    "tests' children start with it deliverable")


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(REPORT, None):
        terminalreporter.section("figures")
        for line in config.stash[REPORT]:
            terminalreporter.write_line(line)


# configure()'s default proxy: the harness's own listener (cli.proxy). netcage dials its proxy
# (a plain TCP connect) before every run/start/verify and refuses to go on when nothing answers.
LISTENING = object()


class Env:
    """A temporary HOME + ANON_PI_HOME with the stand-in netcage first on PATH.

    `cli.proxy` is `socks5h://127.0.0.1:<port>` of a loopback listener the harness runs for the
    test (the stand-in really dials the proxy, as netcage does); `configure()` uses it unless
    told otherwise."""

    def __init__(self, tmp: Path):
        self._listener = None
        self._fixed: list[Listener] = []
        self.tmp = tmp
        self.home = tmp / "home"
        self.ws = tmp / "ws"
        self.canned = tmp / "canned"
        self.log = tmp / "netcage.log"
        self.bindir = tmp / "bin"
        # netcage's store: a folder of the test's own, so whether it exists never depends on
        # the host (a store folder that is missing holds nothing, and podman is not asked)
        self.store = tmp / "netcage-store"
        for d in (self.home, self.canned, self.bindir, self.store):
            d.mkdir(parents=True, exist_ok=True)
        for tool in ("netcage", "podman"):  # fakes first on PATH: real podman is never hit
            (self.bindir / tool).symlink_to(FAKES / tool)
        self.vars = {
            "HOME": str(self.home),
            "ANON_PI_HOME": str(self.ws),
            "PATH": f"{self.bindir}:/usr/bin:/bin",
            "FAKE_NETCAGE_LOG": str(self.log),
            "FAKE_NETCAGE_DIR": str(self.canned),
            "FAKE_PODMAN_LOG": str(tmp / "podman.log"),
            "NETCAGE_GRAPHROOT": str(self.store),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "NO_COLOR": "1",  # pty tests read plain words; colour tests pass NO_COLOR=""
        }

    @property
    def proxy(self) -> str:
        """socks5h:// URL of the loopback listener this test's launches can reach."""
        if self._listener is None:
            self._listener = Listener()
        return f"socks5h://127.0.0.1:{self._listener.port}"

    def listen_on(self, port: int) -> None:
        """Make 127.0.0.1:<port> accept connections for this test. netcage's detect-proxy only
        reports 9050, 9150 and 1080, and anon-pi reads 9050/9150 as Tor, so a test about them
        needs that very port dialable; something of the host's already listening there does
        as well (CI runs the suite in a network namespace where these ports are free)."""
        try:
            self._fixed.append(Listener(port))
        except OSError:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()

    def close(self) -> None:
        for listener in [self._listener, *self._fixed]:
            if listener is not None:
                listener.close()

    def configure(self, proxy=LISTENING, llm="192.168.1.50:8080",
                  image="localhost/anon-pi/pi:latest", machine="default") -> None:
        """A configured workspace: config.json plus a machine pinned to an image. The proxy is
        the harness's listener (`cli.proxy`) unless given; None configures none."""
        proxy = self.proxy if proxy is LISTENING else proxy
        cfg = {k: v for k, v in (("proxy", proxy), ("llm", llm)) if v}
        self.write_json(self.ws / "config.json", cfg)
        if image:
            self.write_json(self.ws / "machines" / machine / "machine.json", {"image": image})

    def write_json(self, path: Path, obj) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj, indent="\t") + "\n", encoding="utf-8")

    def can(self, stem: str, out: str = "", rc: int = 0, err: str = "") -> None:
        """Make the fake netcage answer `stem` (e.g. "ps", "ports-<id>") with this."""
        (self.canned / f"{stem}.out").write_text(out, encoding="utf-8")
        (self.canned / f"{stem}.rc").write_text(str(rc), encoding="utf-8")
        if err:
            (self.canned / f"{stem}.err").write_text(err, encoding="utf-8")

    def no_netcage(self) -> None:
        (self.bindir / "netcage").unlink()

    def elf_netcage(self) -> Path:
        """An ELF executable named `netcage` in place of the stand-in script, which it execs:
        what an installed netcage looks like, the only kind the version cache vouches for."""
        import shutil

        if not shutil.which("gcc"):
            pytest.skip("gcc is not installed")
        source = self.tmp / "netcage.c"
        source.write_text('#include <unistd.h>\nint main(int argc, char **argv) '
                          f'{{ execv("{FAKES / "netcage"}", argv); return 127; }}\n')
        (self.bindir / "netcage").unlink()
        subprocess.run(["gcc", "-O0", "-o", str(self.bindir / "netcage"), str(source)],
                       check=True, capture_output=True, timeout=120)
        return self.bindir / "netcage"

    def podman_calls(self) -> list[str]:
        """Every call the fake podman got: its argv joined by spaces."""
        log = self.tmp / "podman.log"
        return log.read_text().splitlines() if log.exists() else []

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def run_calls(self) -> list[list[str]]:
        """Every call but the version probe and the box listing (the menu asks it each time).
        A launch's proxy is its own egress relay on a port picked for it: it reads
        `socks5h://127.0.0.1:<relay-port>` here, so two launches of one command compare
        equal (tests/egress reads the real port)."""
        return [relay_port_hidden(c, self.proxy) for c in self.calls()
                if c[:1] != ["--version"] and c != BOX_LIST]

    def env(self, **extra) -> dict:
        out = dict(self.vars)
        out.update({k: str(v) for k, v in extra.items()})
        return out

    def run(self, *args, input=None, cwd=None, **extra) -> subprocess.CompletedProcess:
        """anon-pi's program in this process (tests/in_process.py), no terminal on stdin:
        what `run_process` would answer, without starting an interpreter."""
        from in_process import run_in_process

        return run_in_process(list(args), self.env(**extra), str(cwd or self.tmp),
                              input if input is not None else "")

    def run_process(self, *args, input=None, cwd=None, **extra) -> subprocess.CompletedProcess:
        """The real bin/anon-pi as its own process, no terminal on stdin: for what only a
        process shows (its exit after the output is flushed, signals, the locale's
        encoding, the launcher)."""
        return subprocess.run(
            [str(BIN), *args], check=False, env=self.env(**extra), cwd=cwd or self.tmp,
            input=input if input is not None else "", capture_output=True, text=True,
            timeout=60)


RELAY_PROXY = re.compile(r"socks5h://127\.0\.0\.1:\d+")


def relay_port_hidden(call: list[str], harness_proxy: str) -> list[str]:
    """A `run` that is no durable box, whose proxy is a loopback port other than the
    harness's own listener: that proxy is the launch's relay."""
    if call[:1] != ["run"] or "--proxy" not in call or any(
            a.startswith("anon-pi.container=") for a in call):
        return call
    at = call.index("--proxy") + 1
    if at < len(call) and call[at] != harness_proxy and RELAY_PROXY.fullmatch(call[at]):
        return [*call[:at], "socks5h://127.0.0.1:<relay-port>", *call[at + 1:]]
    return call


@pytest.fixture
def cli(tmp_path):
    env = Env(tmp_path)
    yield env
    env.close()


def _entry_digest(path: Path) -> str:
    """What a byte-identical check must see of one entry: its type, permission bits, size,
    content hash (files) or target (links); FIFOs, sockets and devices as what they are."""
    st = os.lstat(path)
    mode = f"{stat.S_IMODE(st.st_mode):04o}"
    if stat.S_ISLNK(st.st_mode):
        return f"link {os.readlink(path)}"
    if stat.S_ISREG(st.st_mode):
        return f"file {mode} {st.st_size} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    if stat.S_ISDIR(st.st_mode):
        return f"dir {mode}"
    kind = ("fifo" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
            else "chardev" if stat.S_ISCHR(st.st_mode) else "blockdev"
            if stat.S_ISBLK(st.st_mode) else "other")
    return f"{kind} {mode} {st.st_rdev}"


def tree_digest(root: Path) -> dict[str, str]:
    """Every entry under root (links not followed) with _entry_digest: for byte-identical
    checks. A root that is itself a link is recorded as that link (key ".")."""
    if not os.path.lexists(root):
        return {}
    if os.path.islink(root):
        return {".": _entry_digest(root)}
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            out[str(p.relative_to(root))] = _entry_digest(p)
    return out


def parsed(*argv: str):
    """A verb's command line as cli.py reads it (core/command_line.py), without running it."""
    from anonpi_helpers.core.command_line import parse, split_verb, verb_command

    verb, tokens = split_verb(list(argv))
    cmd, rest = verb_command(verb, tokens)
    return parse(cmd, rest)


NETCAGE = str(FAKES / "netcage")
PODMAN = str(FAKES / "podman")


@pytest.fixture
def served_proxies():
    """Listeners at the loopback proxies in-process launches name (launch_support.PROXY, the
    property tests' :1080): a launch refuses a loopback proxy nobody listens at."""
    served = []
    for port in (9050, 1080):
        try:
            served.append(Listener(port))
        except OSError:  # something of the host's (or another test's) listens there already
            pass
    yield
    for listener in served:
        listener.close()


@pytest.fixture
def nc(fp, monkeypatch, tmp_path, served_proxies):
    """In-process verb tests: netcage resolves to tests/fakes/netcage and pytest-subprocess
    (`fp`) answers every call. Register calls as `fp.register([NETCAGE, "ps", ...], stdout=...)`;
    an unregistered call fails the test. Also points ANON_PI_HOME/HOME at temp folders."""
    monkeypatch.setenv("PATH", f"{FAKES}:/usr/bin:/bin")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANON_PI_HOME", str(tmp_path / "ws"))
    for var in ("ANON_PI_PROXY", "ANON_PI_LLM", "ANON_PI_IMAGE", "ANON_PI_PROJECTS",
                "XDG_CACHE_HOME", "NETCAGE_GRAPHROOT"):
        monkeypatch.delenv(var, raising=False)
    yield fp  # netcage's version is remembered per run (io.memo): nothing to forget here


class HandedOver(BaseException):
    """Raised in place of `os.execve` in-process: the launch became netcage with `argv`."""

    def __init__(self, path: str, argv: list[str], env: dict):
        super().__init__(path, argv)
        self.path, self.argv, self.env = path, list(argv), dict(env)


@pytest.fixture(autouse=True)
def _never_exec_the_test_run(monkeypatch):
    """An in-process launch without `handed` must not replace pytest itself with netcage
    (forked children, e.g. pexpect's, still exec for real)."""
    real, runner = os.execve, os.getpid()

    def execve(path, argv, env):
        if os.getpid() == runner:
            raise AssertionError(f"in-process exec of {path}: use the `handed` fixture")
        return real(path, argv, env)

    monkeypatch.setattr(os, "execve", execve)


@pytest.fixture
def handed(monkeypatch, served_proxies):
    """In-process launches stop where the process would start netcage; its argv is
    `HandedOver.argv`, its environment `.env` (a subprocess test checks the real exec:
    status and signals)."""

    def execve(path, argv, env, **_spawn):  # posix_spawn's file_actions: the run's stdio
        raise HandedOver(path, argv, env)

    from anonpi_helpers.edges import egress_session

    monkeypatch.setattr(os, "execve", execve)
    monkeypatch.setattr(os, "posix_spawn", execve)  # the launch runs netcage beside itself
    # what these tests read is the argv: the check that the proxy answers is the egress
    # tests' (tests/egress), and no proxy listens for an in-process launch
    monkeypatch.setattr(egress_session, "check_upstream", lambda *_: None)
    return HandedOver
