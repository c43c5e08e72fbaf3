"""`anon-pi init` without a terminal: help, argument refusal, the no-TTY refusal, first run."""

import pytest
from tree_digest import tree_digest

from anonpi_helpers.init.provider_labels import names_provider


@pytest.mark.parametrize("args", [["init", "--help"], ["init", "-h"], ["init", "bogus", "--help"]])
def test_help_needs_no_tty_and_names_no_provider(cli, args):
    res = cli.run(*args)
    assert res.returncode == 0 and res.stderr == ""
    for words in ("onboarding", "SOCKS5", "netcage verify", "[configured]", "[server]",
                  "/v1/models", "/projects", "config.json", "first launch",
                  "--force-allow-local-llm-api-key"):
        assert words in res.stdout
    assert not names_provider(res.stdout)
    assert not cli.ws.exists()


def test_extra_arguments_are_refused(cli):
    res = cli.run("init", "bogus", "--force-allow-local-llm-api-key", "x")
    assert res.returncode == 2
    assert res.stderr.splitlines()[0] == "anon-pi: init takes no arguments, got extra: bogus"
    assert "anon-pi init --help" in res.stderr
    res = cli.run("init", "--force")
    assert res.returncode == 2 and res.stderr.startswith("anon-pi: unknown option for init")


@pytest.mark.parametrize("args", [
    ["init"], ["init", "--force-allow-local-llm-api-key", "--force-allow-local-llm-api-key"]])
def test_no_tty_refuses_and_writes_nothing(cli, args):
    res = cli.run(*args)
    assert res.returncode == 1
    assert "init is interactive and needs a terminal" in res.stderr
    assert str(cli.ws / "config.json") in res.stderr and "ANON_PI_PROXY" in res.stderr
    assert "Traceback" not in res.stderr
    assert not cli.ws.exists() and cli.calls() == []


def test_first_launch_without_tty_fails_closed_without_welcome(cli):
    res = cli.run("recon", "-p", "x")
    assert res.returncode == 1
    assert "no proxy configured" in res.stderr and "Welcome" not in res.stdout
    assert tree_digest(cli.ws) == {}
