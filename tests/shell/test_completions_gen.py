"""The completion scripts come from the command table: drift, `anon-pi completions`, and the
separate path that writes them (`make completions`)."""

import shutil
import subprocess

import pytest
from harness_paths import BIN, ROOT
from tool_support import need

from anonpi_helpers.shell.completion_gen import render_all

SCRIPTS = ("anon-pi.bash", "_anon-pi", "anon-pi.fish")


@pytest.mark.parametrize("name", SCRIPTS)
def test_committed_scripts_match_the_table(name):
    """The package's script, and completions/ (what make install copies) reaching the same."""
    fresh = render_all()[name]
    for folder in (ROOT / "completions", ROOT / "anonpi_helpers" / "completions"):
        assert (folder / name).read_text(encoding="utf-8") == fresh, (
            f"{folder / name} is stale: run `make completions`")


def test_make_completions_writes_them_through_its_own_path(tmp_path):
    """`python -m anonpi_helpers.shell.generate completions` (what `make completions` runs)
    rewrites the packaged scripts; a copy of the checkout shows it writes exactly those."""
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "anonpi_helpers", copy / "anonpi_helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in SCRIPTS:
        (copy / "anonpi_helpers" / "completions" / name).write_text("stale\n")
    res = subprocess.run([ROOT / ".venv" / "bin" / "python", "-m",
                          "anonpi_helpers.shell.generate", "completions"], cwd=copy,
                         check=False, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    for name in SCRIPTS:
        assert (copy / "anonpi_helpers" / "completions" / name).read_text() == \
            render_all()[name]


def test_no_python_and_no_anon_pi_runs_on_tab():
    for name, text in render_all().items():
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        assert "python" not in body and "$(anon-pi" not in body, name


@pytest.mark.parametrize("shell,name", [("bash", "anon-pi.bash"), ("zsh", "_anon-pi"),
                                        ("fish", "anon-pi.fish")])
def test_anon_pi_completions_prints_the_script(shell, name):
    res = subprocess.run([BIN, "completions", shell], check=False, capture_output=True,
                         text=True, timeout=30)
    assert res.returncode == 0, res.stderr
    assert res.stdout == (ROOT / "completions" / name).read_text(encoding="utf-8")


def test_completions_help_and_bad_arguments():
    res = subprocess.run([BIN, "completions", "--help"], check=False, capture_output=True,
                         text=True, timeout=30)
    assert res.returncode == 0
    assert "Usage: anon-pi completions bash|zsh|fish" in res.stdout
    for bad, first in (([], "anon-pi: completions needs bash|zsh|fish."),
                       (["tcsh"], 'anon-pi: completions takes bash | zsh | fish, not "tcsh"'),
                       (["bash", "zsh"], "anon-pi: completions takes bash|zsh|fish, got extra")):
        res = subprocess.run([BIN, "completions", *bad], check=False, capture_output=True,
                             text=True, timeout=30)
        assert res.returncode == 2 and res.stdout == ""
        assert res.stderr.startswith(first) and "Traceback" not in res.stderr


def test_eval_in_bash_registers_the_completion():
    res = subprocess.run(["bash", "--norc", "-c",
                          f'eval "$({BIN} completions bash)"; complete -p anon-pi'],
                         check=False, capture_output=True, text=True, timeout=30)
    assert res.stdout.strip() == "complete -F _anon_pi anon-pi"


def test_eval_in_zsh_registers_the_completion():
    need("zsh")
    res = subprocess.run(["zsh", "-f", "-c", ("autoload -Uz compinit; compinit -u -D; "
                          f'eval "$({BIN} completions zsh)"; print -r -- $_comps[anon-pi]')],
                         check=False, capture_output=True, text=True, timeout=30)
    assert (res.stdout.strip(), res.stderr) == ("_anon-pi", "")


def test_piping_into_fish_source_registers_the_completion():
    need("fish")
    res = subprocess.run(["fish", "--no-config", "-c",
                          f"{BIN} completions fish | source; complete -c anon-pi"],
                         check=False, capture_output=True, text=True, timeout=30)
    assert res.stdout.strip() == "complete --no-files anon-pi -a '(__anon_pi_candidates)'"
