"""The launch command line and TTY discipline: flags, targets, pi's words, refusals."""

import pytest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.launch.grammar import LaunchArgs, is_headless, needs_tty, parse_launch


def test_project_then_pi_args_in_order():
    a = parse_launch(["recon", "--help", "-p", "hi", "--model", "q", "--version"])
    assert (a.mode, a.project, a.machine) == ("pi", "recon", None)
    assert a.pi_args == ("--help", "-p", "hi", "--model", "q", "--version")


def test_anon_pi_flags_after_the_project_are_anon_pis():
    a = parse_launch(["recon", "-m", "x", "-p", "hi", "--dry-run", "--mount=/src"])
    assert (a.mode, a.project, a.machine, a.dry_run, a.mount) == ("pi", "recon", "x", True,
                                                                  "/src")
    assert a.pi_args == ("-p", "hi")
    assert parse_launch(["recon", "--shell"]) == LaunchArgs(mode="shell", project="recon")


def test_after_the_double_dash_everything_is_pis():
    a = parse_launch(["recon", "-p", "--", "-m", "x", "--dry-run", "--"])
    assert (a.machine, a.dry_run, a.pi_args) == (None, False, ("-p", "-m", "x", "--dry-run",
                                                                "--"))
    assert parse_launch(["--", "-p", "hi"]) == LaunchArgs(mode="pi", pi_args=("-p", "hi"))


@pytest.mark.parametrize("argv, words", [
    (["recon", "--model", "--dry-run"], "--dry-run follows pi's --model"),
    (["recon", "--append-system-prompt", "-m", "x"], "-m follows pi's --append-system-prompt"),
    (["-p", "x", "--thinking", "--machine=b"], "--machine follows pi's --thinking"),
    (["recon", "-n", "-m", "x"], "-m follows pi's -n"),  # pi's session name takes any word
    (["recon", "--name", "--dry-run"], "--dry-run follows pi's --name"),
    (["recon", "--dryrun"], "unknown option: --dryrun; did you mean `--dry-run`?"),
    (["recon", "-mbox"], "-mbox: anon-pi reads -m with its value as the next word."),
    (["-m=box", "recon"], "-m=box: anon-pi reads -m"),
    (["recon", "--delete-project", "x"], "--delete-project is a verb of its own"),
    (["recon", "--rm"], "--rm is retired"),
])
def test_what_would_be_a_guess_is_refused(argv, words):
    with pytest.raises(AnonPiError) as exc:
        parse_launch(argv)
    assert exc.value.message.startswith(words) and exc.value.code == 2


@pytest.mark.parametrize("argv, flag", [
    (["recon", "\u2014dry-run", "-p", "hi"], "--dry-run"),  # autocorrect's em dash for `--`
    (["recon", "-p", "hi", "\u2013dry-run"], "--dry-run"),  # en dash
    (["recon", "\uff0d\uff0ddry-run"], "--dry-run"),  # full-width hyphens
    (["\u2014machine", "box", "recon"], "--machine"),
    (["recon", "\u2010m", "box"], "-m"),  # the Unicode hyphen
    (["recon", "--model", "\u2212\u2212dry-run"], "--dry-run"),  # minus signs, as pi's value
    (["recon", "\u2014verbose"], "--verbose"),  # pi's flag: pi would read it as words
])
def test_a_flag_spelled_with_typographic_dashes_is_refused(argv, flag):
    """Not a flag to the shell: pi would get it as words of the prompt and the launch would go
    ahead, a dry run asked for included."""
    with pytest.raises(AnonPiError) as exc:
        parse_launch(argv)
    assert "typographic dash" in exc.value.message and exc.value.code == 2
    assert f"`{flag}`" in exc.value.hint


def test_words_with_dashes_that_are_no_flag_pass_to_pi():
    for words in (["\u2014 so it goes"], ["a\u2014b"], ["\u2014"]):
        assert parse_launch(["recon", "-p", *words]).pi_args == ("-p", *words)
    assert parse_launch(["recon", "-p", "--", "\u2014dry-run"]).pi_args == ("-p", "\u2014dry-run")


def test_flags_before_project():
    a = parse_launch(["-m", "box", "-i", " img:1 ", "--mount", "~/src", "--dry-run", "sub"])
    assert a == LaunchArgs(mode="pi", machine="box", image="img:1", mount="~/src",
                           dry_run=True, project="sub")
    assert parse_launch(["--machine", "box", "--image", "r", "."]).project == "."


def test_root_token_and_pi():
    assert parse_launch([".", "-p", "x"]) == LaunchArgs(mode="pi", project=".", pi_args=("-p", "x"))
    assert parse_launch(["pi", "--version"]) == LaunchArgs(mode="pi", pi_args=("--version",))
    assert parse_launch(["pi"]) == LaunchArgs(mode="pi")


@pytest.mark.parametrize("flag", ["--model", "--provider", "--thinking", "--tools", "--name",
                                  "--append-system-prompt", "--models"])
def test_pis_value_flags_reach_pi_as_two_words(flag):
    """pi reads only `--model x`: it takes `--model=x` for an unknown flag and ignores it, so
    the prompt went to the default model (or provider) instead of the one typed."""
    a = parse_launch(["recon", f"{flag}=x y", "-p", "hi"])
    assert a.pi_args == (flag, "x y", "-p", "hi")


def test_menu_when_only_flags():
    assert parse_launch([]).mode == "menu"
    assert parse_launch(["-m", "box", "--mount", "/p"]).mode == "menu"


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["-m", "box", "-h"], ["--shell", "--help"]])
def test_help_before_positional(argv):
    assert parse_launch(argv).mode == "help"


def test_version():
    assert parse_launch(["-V"]).mode == "version"
    assert parse_launch(["--version"]).mode == "version"


def test_shell():
    assert parse_launch(["--shell"]) == LaunchArgs(mode="shell")
    assert parse_launch(["--shell", "."]).project == "."
    assert parse_launch(["-m", "b", "--shell", "recon"]) == LaunchArgs(
        mode="shell", machine="b", project="recon")


@pytest.mark.parametrize("flag", ["--session", "--session-id"])
def test_session_flags_pass_everything_on(flag):
    a = parse_launch(["-m", "box", flag, " abc ", "-p", "x"])
    assert a.mode == "pi" and a.project is None and a.session_id == "abc"
    assert a.pi_args == (flag, " abc ", "-p", "x") and a.machine == "box"


@pytest.mark.parametrize("argv", [["--session"], ["--session", ""], ["--session-id", "  "],
                                  ["--session-id", "-p", "x"]])
def test_session_needs_an_id(argv):
    with pytest.raises(AnonPiError, match="needs a session id"):
        parse_launch(argv)


@pytest.mark.parametrize("flag", ["-r", "--resume"])
def test_resume_takes_no_value_and_runs_at_the_root(flag):
    """pi's `-r` opens its own picker; the word after it is pi's, never anon-pi's."""
    assert parse_launch([flag]) == LaunchArgs(mode="pi", project=".", pi_args=(flag,))
    a = parse_launch(["-m", "box", flag, "abc", "-p"])
    assert a == LaunchArgs(mode="pi", machine="box", project=".", pi_args=(flag, "abc", "-p"))
    assert a.session_id is None and needs_tty(a) and not is_headless(a.pi_args)
    assert needs_tty(parse_launch(["recon", flag, "-p", "x"]))


def test_model_queries():
    a = parse_launch(["--list-models", "qwen"])
    assert a == LaunchArgs(mode="pi", pi_args=("--list-models", "qwen"))
    assert is_headless(a.pi_args) and not needs_tty(a)


def test_models_is_pis_model_cycling_not_a_query():
    """pi 1.6.0's `--models a,b` limits Ctrl+P cycling in an interactive pi: it needs a
    terminal, and the word after it is its value."""
    a = parse_launch(["--models", "a,b"])
    assert a.pi_args == ("--models", "a,b") and needs_tty(a)
    with pytest.raises(AnonPiError, match="follows pi's --models"):
        parse_launch(["recon", "--models", "--dry-run"])


@pytest.mark.parametrize("flag", ["--fork", "--continue", "-c"])
def test_needs_project_guard_shows_corrected_command(flag):
    with pytest.raises(AnonPiError) as exc:
        parse_launch([flag, "abc"])
    assert "needs a project" in exc.value.message
    assert f"`anon-pi <project> {flag} abc`" in exc.value.hint
    assert f"`anon-pi . {flag} abc`" in exc.value.hint
    assert parse_launch(["recon", flag, "abc"]).pi_args == (flag, "abc")
    with pytest.raises(AnonPiError) as exc:
        parse_launch(["-m", "box", flag, "a b"])
    assert exc.value.hint == (f"name one, e.g. `anon-pi -m box <project> {flag} 'a b'` or "
                              f"`anon-pi -m box . {flag} 'a b'`")


@pytest.mark.parametrize("flag", ["--keep", "--rm"])
def test_retired_flags(flag):
    with pytest.raises(AnonPiError) as exc:
        parse_launch([flag, "recon"])
    assert "retired" in exc.value.message and "throwaway" in exc.value.message
    assert "anon-pi image snapshot <name>" in exc.value.hint
    assert "anon-pi machine create <m> --image anon-pi/<name>:latest" in exc.value.hint


@pytest.mark.parametrize("argv, words", [
    (["--shell", "recon", "extra"], "at most one project"),
    (["--shell", "--session", "x"], "--shell takes no pi arguments, got --session"),
    (["-m"], "-m needs a machine name"),
    (["--machine"], "--machine needs a machine name"),
    (["-i"], "-i needs an image ref"),
    (["-i", " ", "recon"], "non-blank image ref"),
    (["--mount"], "--mount needs a host folder"),
    (["--mount", "--shell"], "--mount needs a host folder, got the option --shell"),
    (["-m", "--shell", "x"], "-m needs a machine name, got the option --shell"),
    (["-i", "--privileged", "x"], "-i needs an image ref, got the option --privileged"),
    (["--mount", "", "x"], "non-blank host folder"),
    (["-m", "../etc", "x"], 'invalid machine name "../etc"'),
    (["-m", "machine", "x"], 'invalid machine name "machine"'),
    (["--here", "a/b"], '--here and the folder "a/b": give one of them.'),
    (["--mount", "/src", "a/b"], '--mount and the folder "a/b" both choose'),
    (["--here", "recon"], "--here works on the current folder, so it takes no project"),
    (["--here", "."], "--here works on the current folder, so it takes no project"),
    (["--here", "--mount", "/src", "-p", "x"], "--here and --mount both choose"),
    (["--shell", "--here", "-p"], "--shell takes no pi arguments"),
    ([".hidden"], 'invalid project name ".hidden"'),
    (["machine"], 'invalid project name "machine"'),
    (["--shell", "pi"], 'invalid project name "pi"'),
    (["--dry-run"], "--dry-run needs a launch target"),
    (["--dry-run", "-m", "box"], "--dry-run needs a launch target"),
    (["-m", "pi", "x", "-p", "x"], 'invalid machine name "pi"'),
    (["x" * 300, "-p", "x"], "invalid project name"),
    (["a\u00a0b", "-p", "x"], "invalid project name"),
    (["--shell", "--bogus"], "--shell takes no pi arguments"),
    (["--keep", "recon"], "--keep is retired"),
    (["--rm"], "--rm is retired"),
    (["--fork", "abc"], "--fork needs a project"),
    (["-c"], "-c needs a project"),
])
def test_refusals(argv, words):
    """Each refusal of the launch's command line: its words, and exit 2 for a usage mistake
    (1 for a name the rules refuse). test_launch_bad_input.py runs one through the program."""
    with pytest.raises(AnonPiError) as exc:
        parse_launch(argv)
    assert words in exc.value.message
    assert exc.value.code == (1 if "invalid" in words else 2)


@pytest.mark.parametrize("pi_args, headless", [
    ((), False), (("-p", "x"), True), (("--print", "x"), True), (("--print=x",), False),
    (("--list-models",), True), (("--models", "a"), False), (("--version",), True),
    (("-v",), True),
    (("--help",), True), (("-h",), True), (("--export", "f.html"), True),
    (("--model", "q"), False), (("--fork", "abc"), False),
])
def test_headless(pi_args, headless):
    assert is_headless(pi_args) is headless
    assert needs_tty(LaunchArgs(mode="pi", project="p", pi_args=pi_args)) is not headless


def test_shell_and_menu_need_a_terminal():
    assert needs_tty(LaunchArgs(mode="shell"))
    assert needs_tty(LaunchArgs(mode="menu"))
