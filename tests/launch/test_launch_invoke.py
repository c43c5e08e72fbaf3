"""`inv launch` / `inv shell` give the very argv bin/anon-pi gives (a short parity check)."""

import subprocess

import pytest
from harness_paths import ROOT

INV = ROOT / ".venv" / "bin" / "inv"


def _inv(cli, *args):
    return subprocess.run([str(INV), "-r", str(ROOT), *args], env=cli.env(), cwd=cli.tmp,
                          check=False, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("inv_args, cli_args", [
    (["launch", "--project", "recon", "--dry-run", "--", "-p", "hi there"],
     ["--dry-run", "recon", "-p", "hi there"]),
    (["launch", "--project", ".", "--machine", "box", "--dry-run", "--", "-p", "x"],
     ["-m", "box", "--dry-run", ".", "-p", "x"]),
    (["shell", "--project", "recon", "--mount", "src", "--dry-run"],
     ["--mount", "src", "--dry-run", "--shell", "recon"]),
    (["launch", "--project", "recon", "--continue", "--dry-run"],
     ["--dry-run", "recon", "--continue"]),
    (["launch", "--project", "recon", "--fork", "abc", "--dry-run", "--", "-p", "x"],
     ["--dry-run", "recon", "--fork", "abc", "-p", "x"]),
    (["launch", "--list-models", "--dry-run", "--", "qwen"],
     ["--dry-run", "--list-models", "qwen"]),
])
def test_same_argv_as_bin(cli, inv_args, cli_args):
    cli.configure()
    cli.configure(machine="box", image="box:1")
    (cli.tmp / "src").mkdir()  # --mount needs an existing folder (both run in cli.tmp)
    via_inv = _inv(cli, *inv_args)
    via_bin = cli.run(*cli_args)
    assert via_bin.returncode == 0, via_bin.stderr
    assert via_inv.returncode == 0, via_inv.stderr
    assert via_inv.stdout == via_bin.stdout
    assert via_inv.stdout.startswith("netcage run ")


def test_same_refusal_and_status(cli):
    cli.configure(proxy=None)
    via_inv = _inv(cli, "launch", "--project", "recon", "--", "-p", "x")
    via_bin = cli.run("recon", "-p", "x")
    assert via_inv.returncode == via_bin.returncode == 1
    assert via_inv.stderr == via_bin.stderr
