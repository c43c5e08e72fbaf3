"""The real bin/anon-pi with a fake netcage: what the jail gets, byte for byte."""

import base64

from launch_support import RELAY
from tree_digest import tree_digest


def _key(argv):
    label = argv[argv.index("--label") + 1]
    assert label.startswith("anon-pi.key=")
    return base64.b64decode(label.split("=", 1)[1]).decode()


def test_headless_project_launch_argv(cli):
    cli.configure()
    res = cli.run("recon", "-p", "x")
    assert res.returncode == 0, res.stderr
    [argv] = cli.run_calls()
    ws = cli.ws
    assert argv[:8] == ["run", "--label", argv[2], "--rm", "--proxy", RELAY,
                        "--allow", "192.168.1.50:8080"]
    assert argv[8:12] == ["-e", "TZ=UTC", "-e", "LANG=C.UTF-8"]
    assert argv[12:18] == ["-v", f"{ws}/machines/default/home:/root",
                           "-v", f"{ws}/projects:/projects", "-w", "/projects/recon"]
    assert argv[18] == "localhost/anon-pi/pi:latest"
    assert argv[19:21] == ["sh", "-c"] and argv[22:] == ["pi", "-p", "x"]
    assert _key(argv) == (f"machine=default\nprojectsRoot={ws}/projects\nmountParent=\n"
                          "cwd=/projects/recon")
    assert (ws / "projects" / "recon").is_dir()
    assert (ws / "machines" / "default" / "home").is_dir()
    assert "entering the netcage jail" in res.stderr


def test_old_netcage_gets_allow_direct(cli):
    cli.configure()
    res = cli.run("recon", "-p", "x", FAKE_NETCAGE_VERSION="netcage v0.11.3 (abc)")
    assert res.returncode == 0, res.stderr
    [argv] = cli.run_calls()
    assert argv[6:8] == ["--allow-direct", "192.168.1.50:8080"]


def test_netcage_exit_status_propagates(cli):
    cli.configure()
    res = cli.run("recon", "-p", "x", FAKE_NETCAGE_RC="3")
    assert res.returncode == 3


def test_no_proxy_refuses_and_creates_nothing(cli):
    cli.configure(proxy=None)
    before = tree_digest(cli.ws)
    res = cli.run("recon", "-p", "x")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: no proxy configured")
    assert "Traceback" not in res.stderr
    assert cli.run_calls() == []
    assert tree_digest(cli.ws) == before


def test_dry_run_without_netcage_prints_one_line(cli):
    cli.configure()
    cli.no_netcage()
    before = tree_digest(cli.ws)
    res = cli.run("--dry-run", "recon", "-p", "hi")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("netcage run --label anon-pi.key=")
    assert " --allow 192.168.1.50:8080 " in lines[0]
    assert tree_digest(cli.ws) == before


def test_interactive_without_tty_is_refused(cli):
    cli.configure()
    res = cli.run("recon")
    assert res.returncode == 1
    assert res.stderr.splitlines()[0] == "anon-pi: no TTY."
    assert not (cli.ws / "projects").exists()
