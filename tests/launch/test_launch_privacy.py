"""Privacy at launch: the isolated proxy netcage gets (a SOCKS username per machine), and the
neutral TMPDIR it runs with when the user's own temp folder shows the login name."""

import os
import shlex

import pytest
from launch_support import RELAY

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.isolation import (
    isolated_proxy,
    isolation_user,
    looks_like_tor,
    masked_proxy,
    resolve_isolation,
)


def dry(cli, *args, **env) -> list[str]:
    res = cli.run("--dry-run", *args, **env)
    assert res.returncode == 0, res.stderr
    return shlex.split(res.stdout)


def proxy_of(argv: list[str]) -> str:
    assert argv.count("--proxy") == 1
    return argv[argv.index("--proxy") + 1]


def upstream_of(cli, *args, **env) -> str:
    """The proxy the launch's relay would carry the web through (the dry run's note names
    it, password masked): the isolation username goes there, never into netcage's argv."""
    res = cli.run("--dry-run", *args, **env)
    assert res.returncode == 0, res.stderr
    assert proxy_of(shlex.split(res.stdout)) == RELAY
    assert "anonpi-" not in res.stdout
    return res.stderr.rstrip("\n").rsplit(" through ", 1)[1]


def test_machine_level_gives_each_machine_its_own_username(cli):
    cli.configure()
    cli.write_json(cli.ws / "config.json", {"proxy": "socks5h://127.0.0.1:9050",
                                            "llm": "192.168.1.50:8080", "isolation": "machine"})
    cli.write_json(cli.ws / "machines" / "work" / "machine.json", {"image": "img:1"})
    assert upstream_of(cli, "recon") == "socks5h://anonpi-default:***@127.0.0.1:9050"
    assert upstream_of(cli, "-m", "work", "recon") == "socks5h://anonpi-work:***@127.0.0.1:9050"


def test_project_level_and_the_env_override(cli):
    cli.configure(proxy="socks5h://127.0.0.1:9050")  # --dry-run: nothing is dialled
    assert upstream_of(cli, "recon") == "socks5h://127.0.0.1:9050"  # default: none
    assert upstream_of(cli, "recon", ANON_PI_ISOLATION="project") == (
        "socks5h://anonpi-default-recon:***@127.0.0.1:9050")
    assert upstream_of(cli, ".", ANON_PI_ISOLATION="project") == (  # the projects root
        "socks5h://anonpi-default:***@127.0.0.1:9050")


def test_a_url_with_its_own_credentials_is_left_as_is(cli):
    cli.configure(proxy="socks5h://me:pw@127.0.0.1:9050")
    assert upstream_of(cli, "recon", ANON_PI_ISOLATION="machine") == (
        "socks5h://me:***@127.0.0.1:9050")


def test_the_credentials_stay_out_of_label_and_seeds(cli):
    cli.configure()
    argv = dry(cli, "recon", ANON_PI_ISOLATION="machine")
    label = argv[argv.index("--label") + 1]
    import base64

    assert b"anonpi-" not in base64.b64decode(label.split("=", 1)[1] + "==")
    assert not any("anonpi-default" in a for a in argv)  # the relay sends it upstream


def test_a_bad_level_is_one_line_and_nothing_runs(cli):
    cli.configure()
    res = cli.run("recon", "-p", "hi", ANON_PI_ISOLATION="circuit")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: ANON_PI_ISOLATION is 'circuit'; it must be machine, "
                                 "project or none.\n  hint: ")
    assert cli.run_calls() == []


def test_resolution_and_naming_rules():
    assert resolve_isolation({}, None) == "none"
    assert resolve_isolation({}, {"isolation": " Machine "}) == "machine"
    assert resolve_isolation({"ANON_PI_ISOLATION": "none"}, {"isolation": "project"}) == "none"
    with pytest.raises(AnonPiError, match="config.json `isolation` is 'yes'"):
        resolve_isolation({}, {"isolation": "yes"})
    long_user = isolation_user("project", "m", "p" * 80)
    assert long_user.startswith("anonpi-") and len(long_user) == 31
    assert long_user == isolation_user("project", "m", "p" * 80)  # stable
    assert isolation_user("machine", "ünï", None) != isolation_user("machine", "uni", None)
    assert (isolated_proxy("socks5h://127.0.0.2:1/", "machine", "m", None)
            == "socks5h://anonpi-m:x@127.0.0.2:1/")
    assert masked_proxy("socks5h://anonpi-m:x@h:1") == "socks5h://anonpi-m:***@h:1"
    assert masked_proxy("socks5h://h:1") == "socks5h://h:1"
    assert looks_like_tor("socks5h://127.0.0.1:9150") and not looks_like_tor("socks5h://h:1080")
    assert looks_like_tor("socks5h://h:1080", "tor (pid 812)")
    assert not looks_like_tor("socks5h://h:1080", "torsocks-free ssh")


def _wrap_netcage(cli):
    """A netcage in front of the fake that records the TMPDIR it was started with."""
    seen = cli.tmp / "tmpdir-seen"
    wrapper = cli.bindir / "netcage"
    target = os.readlink(wrapper)
    wrapper.unlink()
    wrapper.write_text(f'#!/bin/sh\nprintf "%s" "${{TMPDIR-unset}}" > {seen}\n'
                       f'exec {target} "$@"\n')
    wrapper.chmod(0o755)
    return seen


def test_tmpdir_under_home_is_replaced_by_a_private_neutral_one(cli):
    cli.configure()
    seen = _wrap_netcage(cli)
    home_tmp = cli.home / "tmp"
    home_tmp.mkdir()
    res = cli.run("recon", "-p", "hi", TMPDIR=home_tmp)
    assert res.returncode == 0, res.stderr
    neutral = f"/tmp/anon-pi-tmp-{os.getuid()}"
    assert seen.read_text() == neutral
    info = os.lstat(neutral)
    assert info.st_mode & 0o777 == 0o700 and info.st_uid == os.getuid()
    assert neutral not in cli.run("--dry-run", "recon", TMPDIR=home_tmp).stdout


def test_a_neutral_tmpdir_is_left_alone(cli):
    cli.configure()
    seen = _wrap_netcage(cli)
    assert cli.run("recon", "-p", "hi", TMPDIR="/var/tmp").returncode == 0
    assert seen.read_text() == "/var/tmp"


def test_a_tmpdir_naming_the_login_name_is_replaced(cli, tmp_path):
    """The login name comes from the launch's own environment ($LOGNAME first), as
    getpass.getuser() would find it."""
    cli.configure()
    seen = _wrap_netcage(cli)
    named = tmp_path / "scratch-of-alice"
    named.mkdir()
    assert cli.run("recon", "-p", "hi", TMPDIR=named, LOGNAME="alice").returncode == 0
    assert seen.read_text() == f"/tmp/anon-pi-tmp-{os.getuid()}"
    assert cli.run("recon", "-p", "hi", TMPDIR=named, LOGNAME="bob").returncode == 0
    assert seen.read_text() == str(named)


def test_the_login_name_is_looked_up_as_getpass_does(monkeypatch):
    import getpass
    import pwd

    from anonpi_helpers.edges.jail_paths import login_name

    assert login_name({"LOGNAME": "a", "USER": "b"}) == "a"
    assert login_name({"LOGNAME": "", "USER": "b", "LNAME": "c"}) == "b"
    assert login_name({"USERNAME": "d"}) == "d"
    assert login_name({}) == pwd.getpwuid(os.getuid()).pw_name
    for env in ({"LOGNAME": "a", "USER": "b"}, {"LNAME": "c"}, {}):
        for var in ("LOGNAME", "USER", "LNAME", "USERNAME"):
            monkeypatch.delenv(var, raising=False)
        for var, value in env.items():
            monkeypatch.setenv(var, value)
        assert login_name(os.environ) == getpass.getuser()
