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

Import what you use from the module that holds it: this one (where the real tools are,
the rules for a missing one, podman in the test store, loopback listeners, pty runs),
real_tools_on_path.py (which netcage and podman the cli harness runs: real_netcage,
podman_netcage, podman_log, hide_podman), real_pi_jail.py (the real pi run with a launch
argv's own mounts) and real_podman_pairs.py (netcage-shaped pairs and images in the store).
"""

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
from harness_paths import BIN
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
# Where podman 4.3.1 stops a `netcage run`/`start` whose argv netcage accepted (netcage README).
SIDECAR = "start tun2socks sidecar"
REAL_PODMAN = shutil.which("podman")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
