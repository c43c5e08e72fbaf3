"""The isolation username names the machine and project: it goes to a proxy on this host's
loopback only. A proxy elsewhere (a SOCKS provider, a gateway) gets the URL as configured,
and init and doctor say why isolation is off there."""

import shlex

import pytest
from launch_support import RELAY

from anonpi_helpers.core import addresses, isolation
from anonpi_helpers.core.isolation import isolated_proxy
from anonpi_helpers.doctor.jail_view import proxy_row
from anonpi_helpers.edges.real_io import real_context
from anonpi_helpers.init import isolation_step

REMOTE = "socks5h://socks.provider.example:1080"


def test_a_remote_proxy_never_gets_machine_or_project_names():
    assert isolated_proxy(REMOTE, "project", "alice", "taxes") == REMOTE
    assert isolated_proxy("socks5h://10.0.0.5:9050", "machine", "alice", None) == (
        "socks5h://10.0.0.5:9050")
    for local in ("socks5h://127.0.0.1:9050", "socks5h://localhost:9050",
                  "socks5h://[::1]:9050", "socks5h://127.1.2.3:9150"):
        assert isolated_proxy(local, "machine", "alice", None).startswith(
            "socks5h://anonpi-alice:x@"), local


@pytest.mark.parametrize("proxy, loopback", [
    ("socks5h://127.0.0.1:9050", True), ("socks5h://LOCALHOST:9050", True),
    ("socks5h://[::1]:1080", True), ("socks5h://u:p@127.0.0.1:1080/", True),
    ("socks5h://10.0.0.5:9050", False), ("socks5h://0.0.0.0:9050", False),
    ("socks5h://127.0.0.1.example:9050", False), (REMOTE, False)])
def test_what_counts_as_loopback(proxy, loopback):
    assert addresses.on_loopback(proxy) is loopback


def test_the_launch_hands_a_remote_proxy_over_as_configured(cli):
    cli.configure(proxy=REMOTE)
    res = cli.run("--dry-run", "taxes", "-p", "x", ANON_PI_ISOLATION="project")
    assert res.returncode == 0, res.stderr
    argv = shlex.split(res.stdout)
    assert argv[argv.index("--proxy") + 1] == RELAY
    assert res.stderr.endswith(f" through {REMOTE}\n")  # the relay's upstream, as configured
    assert "anonpi-" not in res.stdout + res.stderr


def test_doctor_says_why_isolation_is_off():
    row = proxy_row(REMOTE, "machine", "alice")
    assert row.status == "warn"
    assert row.detail == (f"{REMOTE} (isolation machine is off: the proxy is not on this "
                          "host's loopback, and the SOCKS username that isolates would show its "
                          "operator your machine and project names in clear text)")
    assert proxy_row(REMOTE, "none", "alice").status == "ok"
    assert isolation.isolation_off("socks5h://me:pw@10.0.0.5:9050", "machine") is None


def test_init_does_not_offer_isolation_for_a_tor_elsewhere(monkeypatch, capsys):
    def never(_io, text, *_more, **_how):
        raise AssertionError(f"asked: {text}")

    monkeypatch.setattr(isolation_step, "ask", never)
    assert isolation_step.step(real_context(), "socks5h://10.0.0.5:9050", None,
                               "machine") == "machine"
    out = capsys.readouterr().out
    assert "Your proxy looks like Tor, but stream isolation machine is off" in out
    assert "machine and project names in clear text" in out
