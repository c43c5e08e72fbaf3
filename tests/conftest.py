"""Shared test harness: pytest's hooks and the fixtures every folder uses (`cli`, a temporary
workspace: workspace_env.py; `nc` and `handed`, in-process verbs and launches)."""

import os
import signal
import sys

import plumbum  # noqa: F401  imported before pytest-subprocess patches Popen (it runs `uname -p`)
import pytest
from harness_paths import FAKES, ROOT
from hypothesis import HealthCheck, settings
from loopback_listener import Listener
from workspace_env import Env

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


@pytest.fixture
def cli(tmp_path):
    env = Env(tmp_path)
    yield env
    env.close()


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
