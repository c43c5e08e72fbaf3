"""doctor's test kit: the `doc` fixture (a healthy setup, in-process), local stand-ins for
what doctor dials (a tiny SOCKS5 responder, a bare TCP listener) and for the host a rootless
jail runs on."""

import json
import socket

import pytest
from harness_paths import FAKES, NETCAGE
from in_process import program
from loopback_listener import Listener


class Responder(Listener):
    """Accepts connections on 127.0.0.1, records what arrives, answers `reply` (or nothing)
    and holds the line until the client hangs up; `close_at_once` closes each one unread."""

    def __init__(self, reply: bytes | None, *, close_at_once: bool = False):
        self.reply = reply
        self.received: list[bytes] = []
        super().__init__(serve=None if close_at_once else self._answer)

    def _answer(self, conn) -> None:
        conn.settimeout(2)
        self.received.append(conn.recv(16))
        if self.reply is not None:
            conn.sendall(self.reply)
        conn.recv(16)  # hold the line until the client hangs up


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


SIDECAR = ("docker.io/xjasonlyu/tun2socks@sha256:"
           "aa931665f4a3ad9be7bc1ea5117c41471c20a770a62490e38090c839c1fef107")
ALPINE = "docker.io/library/alpine:latest"
TOOLBOX = "anon-pi/toolbox:latest"  # the default machine's image in the `doc` fixture


def ready_host(monkeypatch, tmp_path, tools, login: str, *, euid: int = 1000) -> dict:
    """A host a rootless jail runs on: a normal user, pasta and newuidmap beside podman, an
    openable /dev/net/tun (a temp file stands in), subordinate ranges for `login`, no
    netcage config.json. Returns the stand-in paths for a test to spoil."""
    from anonpi_helpers.edges import host_facts

    for tool in ("pasta", "newuidmap"):
        (tools / tool).write_text("#!/bin/sh\nexit 0\n")
        (tools / tool).chmod(0o755)
    host = tmp_path / "host"
    host.mkdir()
    tun = host / "tun"
    tun.write_text("")
    tun.chmod(0o666)
    ranges = {}
    for name in ("subuid", "subgid"):
        ranges[name] = host / name
        ranges[name].write_text(f"someone:100000:65536\n{login}:165536:65536\n")
    monkeypatch.setattr(host_facts, "euid", lambda: euid)
    monkeypatch.setattr(host_facts, "TUN", str(tun))
    monkeypatch.setattr(host_facts, "SUBUID", str(ranges["subuid"]))
    monkeypatch.setattr(host_facts, "SUBGID", str(ranges["subgid"]))
    monkeypatch.setattr(host_facts, "PODMAN_HELPERS", (str(host / "helpers"),))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return {"tun": tun, **ranges, "config": tmp_path / "home" / ".config" / "netcage" /
            "config.json"}


@pytest.fixture(name="doc")
def doc_fixture(nc, tmp_path, monkeypatch, request):
    """A healthy setup: netcage 0.12, rootless podman 5 with pasta, /dev/net/tun, subordinate
    ids, a SOCKS5 proxy, a reachable llm, the machine's and netcage's images in the store.

    Parametrise it indirectly with {"version": ..., "held": ..., "podman": ...} to change
    what netcage and podman say: "held" the refs `podman image exists` finds (netcage's
    sidecar and alpine and the default machine's image by default; `doc.asked` records what
    was looked up), "rc"/"err" a store that cannot be asked, "podman_rc"/"podman_err" for
    `podman --version`."""
    said = {"version": "netcage 0.12.1\n", "held": (SIDECAR, ALPINE, TOOLBOX),
            "podman": "podman version 5.4.2\n", **getattr(request, "param", {})}
    tools = tmp_path / "tools"
    tools.mkdir()
    podman = tools / "podman"
    podman.write_text("#!/bin/sh\nexit 0\n")
    podman.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{FAKES}")
    monkeypatch.setenv("LOGNAME", "zed-the-tester")
    monkeypatch.setenv("USER", "zed-the-tester")
    nc.host = ready_host(monkeypatch, tmp_path, tools, "zed-the-tester")
    proxy, llm = Responder(b"\x05\x00"), Responder(None)
    monkeypatch.setenv("ANON_PI_PROXY", f"socks5h://127.0.0.1:{proxy.port}")
    monkeypatch.setenv("ANON_PI_LLM", f"127.0.0.1:{llm.port}")
    ws = tmp_path / "ws"
    (ws / "machines" / "default").mkdir(parents=True)
    (ws / "machines" / "default" / "machine.json").write_text(
        json.dumps({"image": TOOLBOX}))
    nc.register([NETCAGE, "--version"], stdout=said["version"])
    nc.register([str(podman), "--version"], stdout=said["podman"],
                returncode=said.get("podman_rc", 0), stderr=said.get("podman_err", ""))
    nc.store = tmp_path / "netcage-store"  # a store of the test's own: it exists
    nc.store.mkdir()
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(nc.store))
    nc.lookup = [str(podman), "--root", str(nc.store), "image", "exists", "--",
                 nc.any(min=1, max=1)]
    nc.asked = []

    def exists(process):
        nc.asked.append(process.args[-1])
        process.returncode = 0 if process.args[-1] in said["held"] else 1

    if "rc" in said:
        nc.register(nc.lookup, returncode=said["rc"], stderr=said.get("err", ""),
                    occurrences=100)
    else:
        nc.register(nc.lookup, callback=exists, occurrences=100)
    nc.proxy, nc.llm, nc.ws, nc.tools = proxy, llm, ws, tools
    yield nc
    proxy.close()
    llm.close()


def run(capsys) -> tuple[int, list[str]]:
    code = program(["doctor"])
    return code, capsys.readouterr().out.splitlines()


def line(lines: list[str], check: str) -> str:
    [found] = [ln for ln in lines if ln[5:].startswith(check + ":")]
    return found


def fix_after(lines: list[str], row: str) -> str:
    """The `  fix:` line printed right after `row`."""
    return lines[lines.index(row) + 1]
