"""forward / ports through the real bin/anon-pi, fake netcage, no terminal."""

import signal
import subprocess

import pytest
from containers_support import PS, fixture, forwarding, listeners_json, ps_entry, ps_json
from harness_paths import BIN
from waiting import appeared

TWO = ps_json(ps_entry("aaa111", "default", "/projects/alpha", name="alpha_1"),
              ps_entry("bbb222", "box", "/projects/beta", name="beta_2"))


def test_zero_containers(cli):
    cli.can("ps", fixture("ps-none.json"))
    res = cli.run("ports")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: no running anon-pi container.")
    assert cli.calls() == [PS]


def test_one_container_ports_and_forward(cli):
    cli.can("ps", TWO)
    cli.can("ports-bbb222", listeners_json(("0.0.0.0", 5173, False), ("127.0.0.1", 53, True)))
    res = cli.run("ports", "beta")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ("box / beta: in-jail TCP listeners\n  0.0.0.0:5173\tall-interfaces\n"
                          "  127.0.0.1:53\tloopback  (netcage DNS)\n")
    cli.can("forward", forwarding("bbb222", "5173"))
    res = cli.run("forward", "beta", "--port", "5173:5173", "--bind", "127.0.0.1")
    assert res.returncode == 0, res.stderr
    assert cli.calls()[-1] == ["forward", "--bind", "127.0.0.1", "bbb222", "5173"]
    assert res.stdout == ("anon-pi: forwarding http://127.0.0.1:5173 -> box / beta, jail port "
                          "5173 (Ctrl-C to stop)\n")
    assert res.stderr == ""


def test_many_without_terminal_and_m_filter(cli):
    cli.can("ps", TWO)
    res = cli.run("forward", "-p", "3001")
    assert res.returncode == 1
    assert "2 running anon-pi containers match; a terminal is needed to pick one" in res.stderr
    assert [c[0] for c in cli.calls()] == ["ps"]
    res = cli.run("forward", "-p", "3001", "-m", "default", FAKE_NETCAGE_RC="4")
    assert res.returncode == 4
    assert cli.calls()[-1] == ["forward", "aaa111", "3001"]


def test_numeric_positional_is_a_project(cli):
    cli.can("ps", ps_json(ps_entry("ccc333", "default", "/projects/3001")))
    res = cli.run("forward", "3001", "-p", "8080")
    assert res.returncode == 0, res.stderr
    assert cli.calls()[-1] == ["forward", "ccc333", "8080"]


def test_bad_port_no_ps_call(cli):
    for bad in ("0", "65536", "1:2:3", "abc"):
        res = cli.run("forward", "-p", bad)
        assert res.returncode == 1 and "invalid --port" in res.stderr
    assert cli.calls() == []


@pytest.mark.parametrize("argv, first, code", [
    (["ports", "--bogus"], "unknown option for ports: --bogus", 2),
    (["forward", "p", "--port", "99999"], 'invalid --port "99999"', 1),
    (["forward", "p", "--port=99999"], 'invalid --port "99999"', 1),
])
def test_bad_argument_wins_over_missing_netcage(cli, argv, first, code):
    """Every verb parses its arguments before it looks for netcage."""
    cli.no_netcage()
    res = cli.run(*argv)
    assert res.returncode == code and res.stderr.startswith(f"anon-pi: {first}"), res.stderr


def test_forward_without_port_and_terminal(cli):
    cli.can("ps", TWO)
    res = cli.run("forward", "alpha")
    assert res.returncode == 1
    assert "no TTY" in res.stderr and "--port 3001" in res.stderr
    assert cli.calls() == [PS]


def test_ctrl_c_reaches_the_forward_and_exits_130(cli):
    cli.can("ps", TWO)
    ready = cli.tmp / "netcage-ready"
    proc = subprocess.Popen([str(BIN), "forward", "alpha", "-p", "3001"],
                            env=cli.env(FAKE_NETCAGE_SLEEP="20", FAKE_NETCAGE_READY=ready),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        appeared(ready, "the forward's netcage (readiness for a Ctrl-C)")
    except AssertionError:
        proc.kill()
        raise AssertionError(f"no forward running: {proc.communicate(timeout=15)}") from None
    assert cli.calls()[-1] == ["forward", "aaa111", "3001"]
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 130
    assert "fake netcage: interrupted" in err
