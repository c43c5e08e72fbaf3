"""`anon-pi-inv`: the Invoke tasks as their own command, from any folder, beside a user's own
Invoke project (which keeps its `inv` and its tasks.py)."""

import shutil
import subprocess

import pytest
from harness_paths import BIN, ROOT
from locale_support import legacy_locale
from test_parity_tasks import _fresh, _observe, running_recon
from tree_digest import tree_digest

INV_BIN = ROOT / "bin" / "anon-pi-inv"
USER_TASKS = "from invoke import task\n\n\n@task\ndef mine(c):\n    print('mine')\n"


def _run(argv, cwd, **env):
    return subprocess.run([str(a) for a in argv], cwd=cwd, check=False, capture_output=True,
                          text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env})


def test_a_users_own_invoke_project_keeps_its_tasks(tmp_path):
    (tmp_path / "tasks.py").write_text(USER_TASKS)
    ours = _run([INV_BIN, "--list"], tmp_path, HOME=str(tmp_path))
    theirs = _run([ROOT / ".venv/bin/inv", "--list"], tmp_path, HOME=str(tmp_path))
    assert ours.returncode == 0 and theirs.returncode == 0, ours.stderr + theirs.stderr
    assert "mine" not in ours.stdout and "  machine.set-image " in ours.stdout
    assert "mine" in theirs.stdout and "snapshot" not in theirs.stdout
    assert _run([INV_BIN, "--version"], tmp_path).stdout == "anon-pi-inv 0.17.0\n"


def test_snapshot_from_another_folder_is_the_typed_command(cli):
    """`anon-pi-inv snapshot --name X`, as the README writes it, run outside the checkout."""
    (cli.tmp / "tasks.py").write_text(USER_TASKS)
    _fresh(cli, running_recon)
    via_inv = _observe(cli, [INV_BIN, "snapshot", "--name", "toolbox"])
    _fresh(cli, running_recon)
    via_cli = _observe(cli, [BIN, "image", "snapshot", "toolbox"])
    assert via_inv == via_cli
    assert via_inv["code"] == 0, via_inv["err"]
    [commit] = [call for call in via_inv["netcage"] if call[:1] == ["commit"]]
    assert commit[-1] == "anon-pi/toolbox:latest"


def test_unknown_task_is_invokes_one_line(tmp_path):
    res = _run([INV_BIN, "machine.creat"], tmp_path)
    assert res.returncode == 1 and res.stderr == "No idea what 'machine.creat' is!\n"


def test_shim_without_an_environment_names_make_install(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "bin").mkdir(parents=True)
    shutil.copy(INV_BIN, checkout / "bin" / "anon-pi-inv")
    (tmp_path / "anon-pi-inv").symlink_to(checkout / "bin" / "anon-pi-inv")
    res = _run([tmp_path / "anon-pi-inv", "--list"], "/")
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr == (f"anon-pi-inv: the environment is not installed in {checkout}.\n"
                          f"  hint: run `make install` in {checkout}\n")


def test_completions_task_prints_and_writes_nothing(tmp_path):
    """`anon-pi-inv completions` is `anon-pi completions`: it prints one script, never rewrites
    the checkout's files (`make completions` does that, on a path of its own)."""
    before = tree_digest(ROOT / "anonpi_helpers" / "completions")
    res = _run([INV_BIN, "completions", "--shell", "zsh"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout == (ROOT / "completions" / "_anon-pi").read_text(encoding="utf-8")
    res = _run([INV_BIN, "completions"], tmp_path)
    assert res.returncode != 0 and res.stdout == "" and "shell" in res.stderr
    assert tree_digest(ROOT / "anonpi_helpers" / "completions") == before


@pytest.mark.parametrize("dry", ["--dry", "-R"])
@pytest.mark.parametrize("task, argv", [
    ("machine-rm", ["--name", "default", "--yes"]),
    ("delete-project", ["--project", "recon", "--yes"]),
    ("launch", ["--project", "recon", "--", "-p", "hi"]),
])
def test_invokes_own_dry_flag_is_refused_not_ignored(cli, task, argv, dry):
    """Invoke's `--dry`/`-R` (echo the shell commands a task would run) means nothing to
    anon-pi's tasks, which run none: `machine-rm --name default --yes --dry` removed the
    machine."""
    _fresh(cli, running_recon)
    before = tree_digest(cli.ws)
    res = _observe(cli, [INV_BIN, task, *argv[:2], dry, *argv[2:]])
    assert res["code"] == 2 and res["out"] == "", res["err"]
    assert res["err"].startswith("anon-pi: --dry (-R) is Invoke's own flag")
    assert "--dry-run" in res["err"]
    assert tree_digest(cli.ws) == before and [c for c in cli.calls() if c[0] == "run"] == []



@pytest.mark.parametrize("task, argv", [
    ("launch", ["--project=--delete-home"]),
    ("launch", ["--project=--delete-home", "--dry-run"]),
    ("container-create", ["--name", "dev", "--project=--delete-home"]),
])
def test_a_tasks_argument_is_never_read_as_a_flag(cli, task, argv):
    """`anon-pi-inv launch --project=--delete-home` ran `anon-pi --delete-home` (Invoke passes
    a value that is no flag of the task's): the argument stood where anon-pi reads a verb."""
    _fresh(cli, running_recon)
    before = tree_digest(cli.ws)
    res = _observe(cli, [INV_BIN, task, *argv])
    assert res["code"] == 2 and res["out"] == "", res["err"]
    assert res["err"].splitlines()[0] == (
        "anon-pi: --project needs a project name, . or a folder's path, got the option "
        "--delete-home.")
    assert tree_digest(cli.ws) == before and cli.calls() == []


def test_under_a_latin1_locale_it_lists_a_machine_named_beyond_ascii(cli, tmp_path):
    """As `anon-pi machine list` does (tests/quality/test_locale_names.py): read as UTF-8,
    written in the terminal's own encoding."""
    cli.configure()
    cli.configure(machine="caf\u00e9")
    latin1 = legacy_locale(tmp_path / "locales", "test.latin1")
    res = subprocess.run([str(INV_BIN), "machine.list"], cwd=cli.tmp, check=False,
                         capture_output=True, timeout=60, env=cli.env(**latin1))
    assert (res.returncode, res.stderr) == (0, b"")
    assert res.stdout.splitlines() == [b"caf\xe9\tanon-pi/pi:latest",
                                       b"default\tanon-pi/pi:latest"]
