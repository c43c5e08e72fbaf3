"""The `cli` fixture's workspace: a temporary HOME and ANON_PI_HOME with the stand-in netcage
and podman first on PATH, a loopback listener for its proxy, and anon-pi run in-process or as
the real bin/anon-pi against it."""

import json
import re
import socket
import subprocess
from pathlib import Path

import pytest
from harness_paths import BIN, BOX_LIST, FAKES
from loopback_listener import Listener

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
