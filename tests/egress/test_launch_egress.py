"""A launch's egress, end to end: netcage gets anon-pi's relay as its proxy, and what the jail
asks through it is carried to the upstream (with the isolation username), refused by the web
policy, and logged under the workspace. netcage here is a script that does what a jail's
sidecar and DNS helper do: SOCKS5 CONNECTs through the proxy it was given, DNS-over-TCP to a
resolver's port 53."""

import json
import os
import shlex
import signal
import socket
import threading
import time

import pytest
from egress_support import FakeUpstream, own_tcp_sockets, scripted
from in_process import context
from loopback_listener import recv_exact

from anonpi_helpers.core import socks5
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.io_context import IO
from anonpi_helpers.core.socks5 import parse_upstream
from anonpi_helpers.core.web_policy import NONE, Web
from anonpi_helpers.edges import netcage_child
from anonpi_helpers.edges.egress_session import EgressSession, check_upstream


@pytest.fixture
def upstream():
    up = FakeUpstream(answers={"github.com": "140.82.121.4", "files.pypi.org": "151.101.0.223"})
    yield up
    up.close()


def logs(cli, machine="default") -> list[list[dict]]:
    folder = cli.ws / "egress" / machine
    return [[json.loads(line) for line in path.read_text().splitlines()]
            for path in sorted(folder.glob("*.jsonl"))]


def test_the_jail_reaches_the_web_only_through_the_relay_and_the_upstream(cli, upstream):
    cli.configure(proxy=upstream.url)
    seen_at = scripted(cli)
    res = cli.run("recon", "-p", "x", ANON_PI_ISOLATION="machine", JAIL_SEEN=seen_at,
                  JAIL_NAMES="github.com", JAIL_CONNECT="140.82.121.4:443")
    assert res.returncode == 0, res.stderr
    seen = json.loads(seen_at.read_text())
    proxy = seen["argv"][seen["argv"].index("--proxy") + 1]
    assert proxy == f"socks5h://127.0.0.1:{seen['port']}" and seen["port"] != upstream.port
    assert "anonpi-" not in " ".join(seen["argv"])
    assert upstream.users == ["anonpi-default", "anonpi-default"]  # in the handshake only
    assert upstream.targets == ["9.9.9.9:53", "140.82.121.4:443"]
    assert seen["dns"] == {"github.com": [0, ["140.82.121.4"]]}
    [records] = logs(cli)
    assert [r["event"] for r in records] == ["start", "dns", "connect", "connect", "end"]
    assert records[0]["web"] == "web through the proxy" and records[-1]["code"] == 0
    assert records[1]["name"] == "github.com"
    https = next(r for r in records if r.get("port") == 443)
    assert https["allowed"] and https["up"] == 18 and https["down"] == 18
    with pytest.raises(ConnectionRefusedError):  # the relay ended with the launch
        socket.create_connection(("127.0.0.1", seen["port"]), timeout=10)


def test_no_web_launches_without_any_proxy_and_refuses_everything(cli):
    cli.configure(proxy=None)
    cli.write_json(cli.ws / "machines" / "default" / "machine.json",
                   {"image": "localhost/anon-pi/pi:latest", "web": "none"})
    seen_at = scripted(cli)
    res = cli.run("recon", "-p", "x", JAIL_SEEN=seen_at, JAIL_NAMES="github.com",
                  JAIL_CONNECT="github.com:443 140.82.121.4:443")
    assert res.returncode == 0, res.stderr
    seen = json.loads(seen_at.read_text())
    assert seen["dns"] == {"github.com": [5, []]}  # REFUSED, by the relay
    assert seen["connect"] == {"github.com:443": 2, "140.82.121.4:443": 2}
    [records] = logs(cli)
    assert records[0]["web"] == "no web" and records[0]["upstream"] is None
    assert [(r["event"], r["allowed"]) for r in records[1:-1]] == [
        ("dns", False), ("connect", False), ("connect", False)]


def test_an_allow_list_for_one_launch(cli, upstream):
    cli.configure(proxy=upstream.url)
    seen_at = scripted(cli)
    res = cli.run("--web", "*.pypi.org", "recon", "-p", "x", JAIL_SEEN=seen_at,
                  JAIL_NAMES="github.com files.pypi.org",
                  JAIL_CONNECT="151.101.0.223:443 140.82.121.4:443")
    assert res.returncode == 0, res.stderr
    seen = json.loads(seen_at.read_text())
    assert seen["dns"] == {"github.com": [5, []], "files.pypi.org": [0, ["151.101.0.223"]]}
    assert seen["connect"] == {"151.101.0.223:443": 0, "140.82.121.4:443": 2}
    assert upstream.asked == ["files.pypi.org"]
    assert upstream.targets == ["9.9.9.9:53", "151.101.0.223:443"]


def test_a_proxy_that_does_not_answer_launches_nothing(cli):
    dead = socket.create_server(("127.0.0.1", 0))
    url = f"socks5h://127.0.0.1:{dead.getsockname()[1]}"
    dead.close()
    cli.configure(proxy=url)
    res = cli.run("recon", "-p", "x")
    assert res.returncode == 1 and res.stderr.startswith("anon-pi: nothing listens at the proxy")
    assert cli.run_calls() == [] and not (cli.ws / "egress").exists()
    assert not (cli.ws / "projects" / "recon").exists()
    with pytest.raises(AnonPiError) as err:  # the relay's own check, for a proxy elsewhere too
        check_upstream(parse_upstream(url), url)
    assert err.value.message == (f"the proxy {url} does not answer (connection refused); "
                                 "nothing launched.")
    assert err.value.hint == "start it (e.g. Tor), or launch with --web none for no web at all"


def test_a_proxy_name_that_cannot_be_looked_up_refuses_the_launch():
    """An ASCII name goes to the resolver as bytes (no IDNA codec on the launch path): an
    empty or over-long label is the usual refusal, never a UnicodeError."""
    for url in ("socks5h://tor..local:9050", f"socks5h://{'a' * 64}.local:9050"):
        with pytest.raises(AnonPiError) as err:
            check_upstream(parse_upstream(url), url)
        assert err.value.message.startswith(f"the proxy {url} does not answer (")


def test_a_dry_run_shows_the_relay_and_says_where_the_web_goes(cli):
    cli.configure()
    res = cli.run("--dry-run", "--web", "none", "recon", "-p", "x")
    assert res.returncode == 0, res.stderr
    argv = shlex.split(res.stdout)
    assert argv[argv.index("--proxy") + 1] == "socks5h://127.0.0.1:<relay-port>"
    assert res.stderr.splitlines()[-1].startswith("anon-pi: no web: ")
    res = cli.run("--dry-run", "--web", "github.com", "recon", "-p", "x")
    assert res.stderr.splitlines()[-1] == (
        "anon-pi: netcage's proxy is anon-pi's relay on 127.0.0.1 (its port is picked at "
        f"launch); it carries web only to github.com through {cli.proxy}")


def test_a_bad_web_flag_is_one_line_and_nothing_happens(cli):
    cli.configure()
    res = cli.run("--web", "every,thing!", "recon", "-p", "x")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: --web holds 'thing!', which is not a host name")
    assert cli.run_calls() == [] and not (cli.ws / "egress").exists()


def test_the_launch_ends_when_its_relay_fails(tmp_path):
    """Should the relay's listener fail, netcage is stopped: no jail outlives its relay."""
    started = tmp_path / "started"
    (tmp_path / "netcage").write_text(
        f"#!/bin/sh\ntouch {started}\nexec sleep 600\n")
    (tmp_path / "netcage").chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    with (open(os.devnull) as nothing, open(tmp_path / "out", "w") as out,
          open(tmp_path / "err", "w") as err):
        io = IO(stdin=nothing, stdout=out, stderr=err, env=env, cwd=str(tmp_path), tty=False,
                now=time.time)
        code = _run_beside_failing_relay(io, tmp_path, started)
    assert code == 128 + 15  # SIGTERM


def _run_beside_failing_relay(io, tmp_path, started) -> int:
    with EgressSession(io, tmp_path / "ws", "default", "recon", Web(NONE), None, None) as egress:
        def fail_when_started():
            while not started.exists():
                threading.Event().wait(0.01)
            egress.listener.shutdown(socket.SHUT_RDWR)  # the relay's own listener

        threading.Thread(target=fail_when_started, daemon=True).start()
        return netcage_child.run_beside(io, ["run", "--proxy", egress.url])


def _relay_threads(before: set) -> list:
    """Threads started since `before` that are neither the test's fake upstream's nor
    plumbum's one timeout watcher (started on its first timed call, shared by every run of
    the process, never per run)."""
    return [t for t in threading.enumerate() if t not in before
            and t.name != "PlumbumTimeoutThread" and not isinstance(
                getattr(getattr(t, "_target", None), "__self__", None), FakeUpstream)]


@pytest.mark.parametrize("rc", [0, 3])
def test_an_in_process_launch_leaves_no_thread_socket_or_handler(cli, upstream, rc):
    """The relay is threads and sockets of anon-pi's own process: when the launch returns
    (netcage ended well or not), none of them is left, and the signal handlers the wait
    installed are the ones it found."""
    cli.configure(proxy=upstream.url)
    seen_at = scripted(cli)
    if rc:  # netcage fails after its connections: the relay closes on that path too
        script = cli.bindir / "netcage"
        script.write_text(script.read_text() + f"sys.exit({rc})\n")
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    before = set(threading.enumerate())
    res = cli.run("recon", "-p", "x", JAIL_SEEN=seen_at, JAIL_NAMES="github.com",
                  JAIL_CONNECT="140.82.121.4:443")
    assert res.returncode == rc, res.stderr
    port = json.loads(seen_at.read_text())["port"]
    assert _relay_threads(before) == []
    assert [s for s in own_tcp_sockets() if port in s or s[1] == upstream.port] == []
    assert handlers == {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}


def test_what_netcage_dials_before_the_relay_starts_waits_for_it(tmp_path):
    """A launch opens the relay's listener (and its log) before netcage and starts the relay's
    threads beside it: a connection made in between waits unanswered, then is decided and
    logged like any."""
    with EgressSession(context(), tmp_path / "ws", "default", "recon", Web(NONE), None, None,
                       start=False) as egress:
        port = int(egress.url.rsplit(":", 1)[1])
        early = socket.create_connection(("127.0.0.1", port), timeout=10)
        early.sendall(b"\x05\x01\x00")
        early.settimeout(0.3)
        with pytest.raises(TimeoutError):  # nothing is served before the relay starts
            early.recv(2)
        egress.start()
        early.settimeout(10)
        assert recv_exact(early, 2) == b"\x05\x00"
        early.sendall(socks5.connect_request(b"\x01" + socket.inet_aton("1.2.3.4"), 443))
        assert recv_exact(early, 10)[1] == socks5.NOT_ALLOWED
        early.close()
    [log] = (tmp_path / "ws" / "egress" / "default").glob("*.jsonl")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["event"], r.get("allowed")) for r in records] == [
        ("start", None), ("connect", False), ("end", None)]


def test_netcage_is_stopped_when_the_relay_cannot_start_beside_it(tmp_path):
    """Should what runs once netcage is spawned fail, netcage gets SIGTERM and is waited for
    before the error goes on: no jail runs without its relay."""
    ready, termed = tmp_path / "ready", tmp_path / "termed"
    (tmp_path / "netcage").write_text(
        f"#!/bin/sh\ntrap 'touch {termed}; exit 143' TERM\ntouch {ready}\n"
        "while :; do sleep 0.05; done\n")
    (tmp_path / "netcage").chmod(0o755)

    def relay_fails():
        while not ready.exists():
            threading.Event().wait(0.01)
        raise OSError(24, "Too many open files")

    with pytest.raises(OSError, match="Too many open files"):
        netcage_child.run_beside(context({"PATH": f"{tmp_path}:/usr/bin:/bin"}), ["run"],
                           started=relay_fails)
    assert termed.exists() and not netcage_child._running
