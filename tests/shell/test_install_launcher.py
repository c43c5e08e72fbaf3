"""The launcher `make install` writes (bin/write-launcher): lean from any interpreter
path, a deleted environment named with how to recover, `make uninstall` around it; and
the shim bin/anon-pi run through a symlink."""

import importlib.machinery
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from harness_paths import BIN, ROOT
from locale_support import legacy_locale
from test_install_make import _tree


def _load_writer():
    spec = importlib.util.spec_from_loader("write_launcher", importlib.machinery.SourceFileLoader(
        "write_launcher", str(ROOT / "bin" / "write-launcher")))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("odd", ["py", "with space", "it's", "x" * 50 + "/" + "y" * 50 + "/z" * 20])
def test_the_launcher_starts_lean_from_any_interpreter_path(tmp_path, odd):
    """No `site`, no environment, exactly the checkout + the venv's site-packages on sys.path,
    whatever the venv's path (spaces, quotes, longer than a `#!` line may be); UTF-8 mode
    even under a Latin-1 locale, so a UTF-8 file name reads as the name it is."""
    folder = tmp_path / odd
    folder.mkdir(parents=True)
    (folder / "python").symlink_to(ROOT / ".venv/bin/python")
    site = str(next((ROOT / ".venv/lib").glob("python3*/site-packages")))
    launcher = tmp_path / "anon-pi"
    launcher.write_text(_load_writer().launcher_text(str(folder / "python"), str(ROOT), site))
    launcher.chmod(0o755)
    probe = ("import sys; print(sys.flags.isolated, sys.flags.no_site, sys.flags.utf8_mode, "
             "sys.path[:2])")
    res = subprocess.run([str(folder / "python"), "-IS", str(launcher), "--version"],
                         cwd=tmp_path, check=False, capture_output=True, text=True, timeout=60)
    assert (res.returncode, res.stdout, res.stderr) == (0, "anon-pi 0.17.0\n", "")
    res = subprocess.run([str(launcher), "--version"], cwd=tmp_path, check=False,
                         capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "/nonexistent"})
    assert (res.returncode, res.stdout, res.stderr) == (0, "anon-pi 0.17.0\n", "")
    launcher.write_text(launcher.read_text().replace(
        "from anonpi_helpers.cli import entry\nentry()\n", f"{probe}\n"))
    latin1 = legacy_locale(tmp_path / "locales", "test.latin1")
    res = subprocess.run([str(launcher)], cwd=tmp_path, check=True, capture_output=True,
                         text=True, timeout=60, env={"PATH": "/usr/bin:/bin", **latin1})
    assert res.stdout == f"1 1 1 {[str(ROOT), site]}\n"


def _throwaway_install(tmp_path) -> tuple[Path, Path]:
    """A copy of the checkout with its own (dependency-free) venv, installed into a PREFIX by
    that venv's python, as `make install` runs bin/write-launcher."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "anonpi_helpers", checkout / "anonpi_helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (checkout / "bin").mkdir()
    for name in ("Makefile", "bin/write-launcher", "bin/uninstall-notes"):
        shutil.copy(ROOT / name, checkout / name)
    subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "venv", "--without-pip",
                    str(checkout / ".venv")], check=True, timeout=120)
    prefix = tmp_path / "prefix"
    (prefix / "bin").mkdir(parents=True)
    subprocess.run([str(checkout / ".venv/bin/python"), str(checkout / "bin/write-launcher"),
                    str(prefix / "bin" / "anon-pi")], check=True, timeout=60)
    return checkout, prefix


def _typed(prefix: Path, line: str) -> subprocess.CompletedProcess:
    """The command as a user types it in bash, found on PATH."""
    return subprocess.run(["bash", "--norc", "--noprofile", "-c", line], check=False,
                          capture_output=True, text=True, timeout=60, cwd="/",
                          env={"PATH": f"{prefix}/bin:/usr/bin:/bin", "HOME": str(prefix)})


def test_the_launcher_names_a_deleted_venv_and_how_to_recover(tmp_path):
    checkout, prefix = _throwaway_install(tmp_path)
    res = _typed(prefix, "anon-pi --version")
    assert (res.returncode, res.stdout, res.stderr) == (0, "anon-pi 0.17.0\n", "")
    shutil.rmtree(checkout / ".venv")
    res = _typed(prefix, "anon-pi --version")
    assert (res.returncode, res.stdout) == (1, "")
    assert res.stderr == (
        "anon-pi: the Python environment this command runs is gone "
        f"({checkout}/.venv/bin/python is missing).\n"
        f"  hint: run `make install` in {checkout}\n")
    shutil.move(checkout, tmp_path / "moved")
    res = _typed(prefix, "anon-pi")
    assert res.returncode == 1 and res.stderr.splitlines()[1] == (
        f"  hint: the checkout {checkout} is gone too: clone anon-pi again and run "
        "`make install` in it")


def test_uninstall_recognises_the_launcher(tmp_path):
    checkout, prefix = _throwaway_install(tmp_path)
    shutil.rmtree(checkout / ".venv")  # uninstall needs no venv
    res = subprocess.run(["make", "-C", str(checkout), "uninstall", f"PREFIX={prefix}"],
                         check=False, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert res.returncode == 0, res.stderr
    assert _tree(prefix) == []  # the launcher went, and the folder it left empty


def test_uninstall_lists_what_it_leaves_and_each_command_removes_it(tmp_path):
    """The venv, the workspace and the caches are named (only when there) with a command that
    removes exactly them; boxes and images with the commands that list and remove them."""
    checkout, prefix = _throwaway_install(tmp_path)
    home, ws, store = tmp_path / "home", tmp_path / "my work's space", tmp_path / "store"
    for folder in (ws / "machines/default/home", home / ".cache/anon-pi"):
        folder.mkdir(parents=True)
    (home / "keep.txt").write_text("mine\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "ANON_PI_HOME": str(ws),
           "NETCAGE_GRAPHROOT": str(store)}
    res = subprocess.run(["make", "-s", "-C", str(checkout), "uninstall", f"PREFIX={prefix}"],
                         check=False, capture_output=True, text=True, timeout=60, env=env)
    assert res.returncode == 0, res.stderr
    quoted_ws = "'" + str(ws).replace("'", "'\\''") + "'"
    assert res.stdout == f"""\
anon-pi: removed the launcher, anon-pi-inv, the completion scripts and the man page from {prefix}
anon-pi: left in place (each line says how to remove it; remove the boxes and images
  first, while {checkout}/bin/anon-pi and netcage still run):
  boxes (kept containers): {checkout}/bin/anon-pi container list, then
    {checkout}/bin/anon-pi container rm <name> --yes
  images anon-pi built or snapshotted (localhost/anon-pi/..., in netcage's store
    {store}): netcage images, then
    podman --root {store} rmi <image>
  the workspace (machines, their homes with pi's config and conversations,
    config.json, the default projects root): rm -rf {quoted_ws}
  caches (names a TAB offers, netcage's version): rm -rf {home}/.cache/anon-pi
  the checkout's Python environment: rm -rf {checkout}/.venv
  the checkout itself: rm -rf {checkout}
"""
    for command in re.findall(r": (rm -rf .*)$", res.stdout, re.MULTILINE)[:3]:
        subprocess.run(["sh", "-c", command], check=True, timeout=60)
    assert not ws.exists() and not (home / ".cache/anon-pi").exists()
    assert not (checkout / ".venv").exists() and (home / "keep.txt").exists()
    again = subprocess.run(["make", "-s", "-C", str(checkout), "uninstall", f"PREFIX={prefix}"],
                           check=False, capture_output=True, text=True, timeout=60, env=env)
    assert "workspace" not in again.stdout and "caches" not in again.stdout
    assert ".venv" not in again.stdout and "boxes (kept containers)" in again.stdout


def test_shim_through_a_symlink_without_an_environment_names_make_install(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "bin").mkdir(parents=True)
    shutil.copy(BIN, checkout / "bin" / "anon-pi")
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "anon-pi").symlink_to(checkout / "bin" / "anon-pi")
    res = subprocess.run([str(tmp_path / "links" / "anon-pi"), "--version"], cwd="/",
                         check=False, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
                         timeout=30)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.startswith(f"anon-pi: the environment is not installed in {checkout}.")
    assert f"run `make install` in {checkout}" in res.stderr


def test_shim_runs_through_a_symlink_from_any_folder(tmp_path):
    (tmp_path / "anon-pi").symlink_to(BIN)
    res = subprocess.run([str(tmp_path / "anon-pi"), "--version"], cwd="/", check=False,
                         capture_output=True, text=True, timeout=30,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "/nonexistent"})
    assert (res.returncode, res.stdout, res.stderr) == (0, "anon-pi 0.17.0\n", "")
