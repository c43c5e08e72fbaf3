"""The command line does exactly what it says, or refuses: each line a new user tried, run
through the real bin/anon-pi against the stand-in netcage. Before the command table, each of
these did something else (a launch on the wrong machine, a real launch when the user asked
only to look, a project named `status`, an exit 1 for a typo)."""

import json

import pytest
from containers_support import listeners_json, ps_entry, ps_json
from launch_support import no_traceback
from tree_digest import tree_digest

from anonpi_helpers.core.verbs import NOT_VERBS


@pytest.fixture
def two_machines(cli):
    cli.configure()
    cli.configure(machine="box", image="box/img:2")
    (cli.ws / "machines" / "box" / "home" / ".pi" / "agent").mkdir(parents=True)
    (cli.ws / "machines" / "box" / "home" / ".pi" / "agent" / ".anon-pi-seed").write_text("1\n")
    (cli.tmp / "src").mkdir()
    return cli


def _dry(cli, *argv):
    before = tree_digest(cli.ws)
    res = cli.run(*argv)
    assert res.returncode == 0, res.stderr
    no_traceback(res)
    assert tree_digest(cli.ws) == before  # a dry run creates nothing
    assert cli.run_calls() == []  # and runs nothing
    return res.stdout.split(" ")


def test_machine_with_equals_is_the_machine_launched(two_machines):
    """`--machine=box` was handed to pi, the launch went to machine default."""
    argv = _dry(two_machines, "--dry-run", "--machine=box", "recon", "-p", "hi")
    assert f"{two_machines.ws}/machines/box/home:/root" in argv
    assert argv[-3:] == ["pi", "-p", "hi\n"] and "--machine=box" not in argv


@pytest.mark.parametrize("spelled", [["--image=other/img:3"], ["--mount=src"],
                                     ["-i", "other/img:3"], ["--mount", "src"]])
def test_every_value_flag_takes_equals(two_machines, spelled):
    argv = _dry(two_machines, "-m", "box", *spelled, "--dry-run", "recon", "-p", "hi")
    if "image" in spelled[0] or spelled[0] == "-i":
        assert "other/img:3" in argv
    else:
        assert f"{two_machines.tmp}/src:/work" in argv


def test_machine_create_and_forward_take_equals(cli):
    cli.configure()
    assert cli.run("machine", "create", "box2", "--image=x/y:1").returncode == 0
    assert json.loads((cli.ws / "machines/box2/machine.json").read_text()) == {"image": "x/y:1"}
    cli.can("ps", ps_json(ps_entry("aaa111", "default", "/projects/recon")))
    cli.can("ports-aaa111", listeners_json(("0.0.0.0", 3001, False)))
    res = cli.run("forward", "--port=3001")
    assert res.returncode == 0, res.stderr
    assert ["forward", "aaa111", "3001"] in cli.calls()


@pytest.mark.parametrize("after, check", [
    (["--dry-run", "-p", "hi"], lambda argv, cli: argv[-3:] == ["pi", "-p", "hi\n"]),
    (["--shell", "--dry-run"], lambda argv, cli: " ".join(argv).endswith("; exec bash'\n")),
    (["-m", "box", "--dry-run"], lambda argv, cli: f"{cli.ws}/machines/box/home:/root" in argv),
    (["--mount", "src", "--dry-run"], lambda argv, cli: f"{cli.tmp}/src:/work" in argv),
])
def test_anon_pi_flags_after_the_project_are_anon_pis(two_machines, after, check):
    """`anon-pi recon --dry-run -p hi` really launched, with pi getting `--dry-run -p hi`."""
    argv = _dry(two_machines, "recon", *after)
    assert check(argv, two_machines), argv
    assert "--dry-run" not in argv and "--shell" not in argv


def test_shell_after_the_project_opens_a_shell_not_pi(two_machines):
    res = two_machines.run("recon", "--shell")
    assert (res.returncode, res.stderr.splitlines()[0]) == (1, "anon-pi: no TTY.")
    assert two_machines.run_calls() == []


@pytest.mark.parametrize("word", sorted(NOT_VERBS))
def test_a_command_word_launches_nothing_and_creates_nothing(cli, word):
    """`anon-pi status -p hi` created projects/status and launched pi there."""
    cli.configure()
    before = tree_digest(cli.tmp)
    res = cli.run(word, "-p", "hi")
    assert res.returncode == 2, res.stderr
    assert res.stdout == ""
    first, hint = res.stderr.splitlines()
    assert first == f'anon-pi: no verb "{word}"; did you mean {NOT_VERBS[word]}?'
    assert hint == (f'  hint: to start a project named "{word}" on purpose, create its '
                    f"folder first: `mkdir -p {cli.ws}/projects/{word}`, then "
                    f"`anon-pi {word}`")
    assert tree_digest(cli.tmp) == before and cli.run_calls() == []


@pytest.mark.parametrize("word, meant", [("STATUS", "`anon-pi doctor`"),
                                         ("Ls", NOT_VERBS["ls"]), ("DOCTOR", "`doctor`"),
                                         ("Machine", "`machine`")])
def test_a_command_word_in_capitals_is_the_same_word(cli, word, meant):
    """`anon-pi STATUS -p hi` created projects/STATUS and launched pi there (only the exact
    lower-case word was refused, and `DOCTOR` is six edits from `doctor`)."""
    cli.configure()
    before = tree_digest(cli.tmp)
    res = cli.run(word, "-p", "hi")
    assert res.returncode == 2, res.stderr
    assert res.stderr.splitlines()[0] == f'anon-pi: no verb "{word}"; did you mean {meant}?'
    assert tree_digest(cli.tmp) == before and cli.run_calls() == []


@pytest.mark.parametrize("word, verb", [("status", "`anon-pi doctor`"),
                                        ("ls", "`anon-pi machine list`"),
                                        ("ps", "`anon-pi container list`")])
def test_the_refusal_names_the_verb_that_does_it(cli, word, verb):
    cli.configure()
    assert verb in cli.run(word).stderr.splitlines()[0]


def test_an_existing_folder_of_a_command_words_name_still_launches(cli):
    cli.configure()
    (cli.ws / "projects" / "status").mkdir(parents=True)
    res = cli.run("status", "-p", "hi")
    assert res.returncode == 0, res.stderr
    [run] = cli.run_calls()
    assert run[run.index("-w") + 1] == "/projects/status"


def test_dry_run_before_container_create_is_a_dry_run_of_it(cli):
    """`anon-pi --dry-run container create dev recon` said: invalid project name "container"."""
    cli.configure()
    res = cli.run("--dry-run", "container", "create", "dev", "recon")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("netcage run --label anon-pi.key=")
    assert "--label anon-pi.container=dev" in res.stdout and "/projects/recon" in res.stdout
    assert not (cli.ws / "projects" / "recon").exists()
    assert [c[0] for c in cli.calls()] == ["--version", "ps"]


def test_dry_run_before_delete_project_deletes_nothing(cli):
    """`anon-pi --dry-run --delete-project recon` printed a pi launch carrying the verb."""
    cli.configure()
    (cli.ws / "projects" / "recon").mkdir(parents=True)
    before = tree_digest(cli.ws)
    res = cli.run("--dry-run", "--delete-project", "recon")
    assert res.returncode == 0, res.stderr
    assert res.stdout == (f'would remove {cli.ws}/projects/recon (project "recon"\'s '
                          "folder)\n")
    assert tree_digest(cli.ws) == before and cli.calls() == []


def test_machine_rm_takes_dry_run(cli):
    """`machine rm box --dry-run` said: unknown option."""
    cli.configure(machine="box")
    before = tree_digest(cli.ws)
    res = cli.run("machine", "rm", "box", "--dry-run")
    assert res.returncode == 0, res.stderr
    assert res.stdout == (f'would remove {cli.ws}/machines/box (machine "box": its pin, home '
                          "and conversations)\n")
    assert tree_digest(cli.ws) == before


@pytest.mark.parametrize("argv, code", [
    (["machine", "lst"], 2), (["--dryrun", "recon"], 2), (["forward", "--bogus"], 2),
    (["completions"], 2), (["machine", "rm", "nosuch"], 1), (["doctor"], 1),
])
def test_a_usage_error_is_told_from_a_failure(cli, argv, code):
    """Every error exited 1."""
    cli.configure(proxy=None)
    res = cli.run(*argv)
    assert res.returncode == code, res.stderr
    no_traceback(res)
