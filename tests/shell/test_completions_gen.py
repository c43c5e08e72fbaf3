"""The completion scripts come from the task list: declarations, drift, `anon-pi completions`."""

import shutil
import subprocess
from typing import ClassVar

import pytest
from conftest import BIN, ROOT

import tasks
from anonpi_helpers.shell.completion_gen import command_of, render_all

SCRIPTS = ("anon-pi.bash", "_anon-pi", "anon-pi.fish")


@pytest.mark.parametrize("name", SCRIPTS)
def test_committed_scripts_match_the_task_list(name):
    """The package's script, and completions/ (what make install copies) reaching the same."""
    fresh = render_all(tasks.ns)[name]
    for folder in (ROOT / "completions", ROOT / "anonpi_helpers" / "completions"):
        assert (folder / name).read_text(encoding="utf-8") == fresh, (
            f"{folder / name} is stale: run `inv completions`")


@pytest.mark.parametrize("name", sorted(tasks.ns.task_names))
def test_every_task_declares_words_spelling_and_help(name):
    t = tasks.ns[name]
    assert isinstance(t.anon_pi_words, str)
    cmd = command_of(t)  # raises when a parameter lacks its anon-pi spelling or help
    assert cmd.help
    argnames = {a.attr_name or a.name for a in t.get_arguments()}
    assert set(t.anon_pi_help) == argnames == set(t.anon_pi_args)


def test_inv_help_shows_every_flag_with_its_help():
    for name in sorted(tasks.ns.task_names):
        res = subprocess.run([ROOT / ".venv" / "bin" / "inv", "-r", ROOT, "--help", name],
                             check=False, capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        flat = "".join(res.stdout.split())  # Invoke wraps help text, even inside words
        for param, text in tasks.ns[name].anon_pi_help.items():
            assert "--" + param.strip("_").replace("_", "-") in flat, (name, param)
            assert "".join(text.split()) in flat, (name, param)


def test_an_undeclared_parameter_is_refused():
    t = tasks.ns["ports"]

    class Half:
        name, body, anon_pi_help, anon_pi_words = t.name, t.body, t.anon_pi_help, t.anon_pi_words
        anon_pi_args: ClassVar[dict] = {"project": "<project|.>"}

    with pytest.raises(ValueError, match="machine"):
        command_of(Half)


def test_descriptions_are_user_words_not_docstrings():
    for name, text in render_all(tasks.ns).items():
        assert "print a shell completion script" in text, name
        for t in tasks.ns.tasks.values():
            doc = t.body.__doc__.strip().splitlines()[0]
            assert doc not in text, (name, doc)


def test_every_launch_flag_is_completed():
    """Every flag the launch grammar knows (and pi's -c/--fork after a project) is offered."""
    from anonpi_helpers.launch.grammar import LAUNCH_FLAGS

    for name, text in render_all(tasks.ns).items():
        for flag in LAUNCH_FLAGS:
            assert f"'{flag}'" in text, (name, flag)


def test_no_python_and_no_anon_pi_runs_on_tab():
    for name, text in render_all(tasks.ns).items():
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        assert "python" not in body and "$(anon-pi" not in body, name


@pytest.mark.parametrize("shell,name", [("bash", "anon-pi.bash"), ("zsh", "_anon-pi"),
                                        ("fish", "anon-pi.fish")])
def test_anon_pi_completions_prints_the_script(shell, name):
    res = subprocess.run([BIN, "completions", shell], check=False, capture_output=True, text=True, timeout=30)
    assert res.returncode == 0, res.stderr
    assert res.stdout == (ROOT / "completions" / name).read_text(encoding="utf-8")


def test_completions_help_and_bad_arguments():
    res = subprocess.run([BIN, "completions", "--help"], check=False, capture_output=True, text=True,
                         timeout=30)
    assert res.returncode == 0 and res.stdout.startswith("Usage: anon-pi completions bash|zsh|fish")
    for bad in ([], ["tcsh"], ["bash", "zsh"]):
        res = subprocess.run([BIN, "completions", *bad], check=False, capture_output=True, text=True,
                             timeout=30)
        assert res.returncode == 1 and res.stdout == ""
        assert res.stderr.startswith("anon-pi: completions needs one shell: bash, zsh or fish")
        assert "Traceback" not in res.stderr


def test_eval_in_bash_registers_the_completion():
    res = subprocess.run(["bash", "--norc", "-c",
                          f'eval "$({BIN} completions bash)"; complete -p anon-pi'],
                         check=False, capture_output=True, text=True, timeout=30)
    assert res.stdout.strip() == "complete -F _anon_pi anon-pi"


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh not installed")
def test_eval_in_zsh_registers_the_completion():
    res = subprocess.run(["zsh", "-f", "-c", ("autoload -Uz compinit; compinit -u -D; "
                          f'eval "$({BIN} completions zsh)"; print -r -- $_comps[anon-pi]')],
                         check=False, capture_output=True, text=True, timeout=30)
    assert (res.stdout.strip(), res.stderr) == ("_anon-pi", "")


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed")
def test_piping_into_fish_source_registers_the_completion():
    res = subprocess.run(["fish", "--no-config", "-c",
                          f"{BIN} completions fish | source; complete -c anon-pi"],
                         check=False, capture_output=True, text=True, timeout=30)
    assert res.stdout.strip() == "complete --no-files anon-pi -a '(__anon_pi_candidates)'"
