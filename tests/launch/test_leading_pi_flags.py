"""A leading pi flag needs no project (`anon-pi -p hi` is `anon-pi pi -p hi`)."""

import pytest
from launch_support import RELAY

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.launch.grammar import LaunchArgs, parse_launch


@pytest.mark.parametrize("argv", [
    ["-p", "hello"], ["--model", "qwen3"], ["--model", "qwen3", "-p", "x"],
    ["--thinking", "high", "recon"], ["-x"], ["--print=hi"],
])
def test_a_leading_pi_flag_is_the_same_as_pi(argv):
    assert parse_launch(argv)._replace(late_word=None) == parse_launch(["pi", *argv])
    assert parse_launch(["pi", *argv]) == LaunchArgs(mode="pi", pi_args=tuple(argv))


@pytest.mark.parametrize("argv, late", [
    (["--model", "qwen3", "recon", "-p", "hi"], "recon"),
    (["--thinking", "high", "-p", "hi", "recon"], "recon"),  # -p took "hi"
    (["--models", "a,b", "recon"], "recon"),
    (["-p", "recon"], None),  # -p's own message
    (["--model", "qwen3", "-p", "hi"], None),
    (["--model", "qwen3", "--", "recon"], None),
    (["--model", "qwen3", "a b"], None),  # no project's name
    (["--verbose", "recon"], None),  # a long flag pi may read a value after
])
def test_the_word_a_leading_pi_flag_leaves_where_a_project_would_stand(argv, late):
    assert parse_launch(argv).late_word == late
    assert parse_launch(["pi", *argv]).late_word is None  # `pi` said the words are pi's


def test_anon_pi_flags_are_anon_pis_wherever_they_stand():
    a = parse_launch(["-m", "box", "--mount", "/src", "-p", "hi", "--dry-run", "-m", "x"])
    assert (a.machine, a.mount, a.dry_run) == ("x", "/src", True)  # a repeated flag: the last
    assert a.pi_args == ("-p", "hi") and a.project is None and a.mode == "pi"


@pytest.mark.parametrize("argv, words", [
    (["--shell", "-p", "hi"], "--shell takes no pi arguments, got -p"),
    (["-p", "hi", "--shell"], "--shell takes no pi arguments, got -p"),
    (["--model", "q", "--shell", "recon"], "--shell takes no pi arguments"),
    (["--fork", "abc"], "--fork needs a project"),
    (["--continue"], "--continue needs a project"),
    (["-c"], "-c needs a project"),
    (["--keep"], "--keep is retired"),
    (["--rm", "-p", "x"], "--rm is retired"),
    (["--session"], "--session needs a session id"),
])
def test_what_a_leading_flag_still_cannot_do(argv, words):
    with pytest.raises(AnonPiError) as exc:
        parse_launch(argv)
    assert words in exc.value.message


@pytest.mark.parametrize("argv, mode", [([], "menu"), (["-h"], "help"), (["--version"], "version"),
                                        (["-m", "b"], "menu")])
def test_anon_pi_keeps_its_own(argv, mode):
    assert parse_launch(argv).mode == mode


def test_session_flags_keep_their_meaning():
    a = parse_launch(["--session", "abc", "-p", "x"])
    assert a.session_id == "abc" and a.pi_args == ("--session", "abc", "-p", "x")


def test_smoke_leading_p_launches_at_the_projects_root(cli):
    cli.configure()
    res = cli.run("-p", "hello")
    assert res.returncode == 0, res.stderr
    [argv] = cli.run_calls()
    assert argv[argv.index("-w") + 1] == "/projects"
    assert argv[-3:] == ["pi", "-p", "hello"] and "-it" not in argv
    again = cli.run("pi", "-p", "hello")
    assert again.returncode == 0
    again_argv = cli.run_calls()[1]
    assert again_argv[5] == RELAY and argv[5] == RELAY  # each launch has its own relay
    assert again_argv[6:] == argv[6:]  # identical but for the key label and relay (same cwd)


def test_smoke_a_project_after_a_leading_pi_flag_is_refused_not_sent_to_pi(cli):
    """`anon-pi --model qwen3 recon -p hi` ran pi at the projects root with "recon" as the
    message, when recon is a project the user meant to work in."""
    cli.configure()
    (cli.ws / "projects" / "recon").mkdir(parents=True)
    res = cli.run("--model", "qwen3", "recon", "-p", "hi")
    assert res.returncode == 2
    first, hint = res.stderr.splitlines()
    assert first.startswith('anon-pi: "recon" is one of your projects, but it comes after '
                            "pi's --model")
    assert "`anon-pi recon --model qwen3 -p hi`" in hint
    assert "`anon-pi pi --model qwen3 recon -p hi`" in hint
    assert cli.run_calls() == []
    assert cli.run("pi", "--model", "qwen3", "recon", "-p", "hi").returncode == 0
    assert cli.run("--model", "qwen3", "other", "-p", "hi").returncode == 0  # no such project
    assert len(cli.run_calls()) == 2


def test_smoke_leading_model_flag_needs_a_terminal(cli):
    cli.configure()
    res = cli.run("--model", "qwen3")
    assert res.returncode == 1 and res.stderr.startswith("anon-pi: no TTY.")
    assert cli.run_calls() == []


def test_smoke_shell_with_a_pi_flag_is_refused_before_netcage(cli):
    cli.configure()
    res = cli.run("--shell", "--model", "q")
    assert res.returncode == 2
    assert res.stderr.splitlines()[0] == "anon-pi: --shell takes no pi arguments, got --model."
    assert cli.calls() == []
