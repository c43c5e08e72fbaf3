"""`make install` / `make uninstall` into a temporary PREFIX, the shim, and `pip install .`."""

import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import BIN, ROOT
from locale_support import legacy_locale
from network_support import pip_env
from tool_support import BASH_COMPLETION, need


def _make(target: str, prefix: Path, home: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run(["make", "-C", str(ROOT), target, f"PREFIX={prefix}"], env=env,
                          check=False, capture_output=True, text=True, timeout=300)


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture
def installed(tmp_path):
    prefix, home = tmp_path / "prefix", tmp_path / "home"
    home.mkdir()
    res = _make("install", prefix, home)
    assert res.returncode == 0, res.stderr
    yield prefix, home, res.stdout
    _make("uninstall", prefix, home)


def test_install_writes_the_launcher_and_the_completions(installed, tmp_path):
    prefix, home, out = installed
    link = prefix / "bin" / "anon-pi"
    assert not link.is_symlink() and os.access(link, os.X_OK)
    assert link.read_text().splitlines()[:2] == [
        "#!/bin/sh", f"# anon-pi launcher for {ROOT} (written by make install)"]
    inv = prefix / "bin" / "anon-pi-inv"
    assert inv.is_symlink() and os.readlink(inv) == str(ROOT / "bin" / "anon-pi-inv")
    assert (prefix / "share/bash-completion/completions/anon-pi").read_bytes() == (
        ROOT / "completions/anon-pi.bash").read_bytes()
    assert (prefix / "share/zsh/site-functions/_anon-pi").read_bytes() == (
        ROOT / "completions/_anon-pi").read_bytes()
    assert (prefix / "share/fish/vendor_completions.d/anon-pi.fish").read_bytes() == (
        ROOT / "completions/anon-pi.fish").read_bytes()
    from anonpi_helpers.shell.man_page import render

    assert (prefix / "share/man/man1/anon-pi.1").read_text() == render()
    assert f"man page: {prefix}/share/man/man1/anon-pi.1" in out
    assert f"{prefix}/bin is NOT on your PATH" in out
    assert f'export PATH="{prefix}/bin:$PATH"' in out
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    res = subprocess.run([str(link), "--version"], cwd=elsewhere, check=False,
                         capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, timeout=60)
    assert (res.returncode, res.stdout, res.stderr) == (0, "anon-pi 0.17.0\n", "")
    res = subprocess.run([str(inv), "--list"], cwd=elsewhere, check=False, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, timeout=60)
    assert res.returncode == 0 and "  machine.create " in res.stdout, res.stderr


def test_install_names_each_step_before_it_runs(tmp_path):
    """No long silence: a fresh environment is announced step by step (pip is the long one;
    step 1 is announced by bin/make-venv itself, tests/shell/test_make_venv.py)."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "tests", "bench"))
    home = tmp_path / "home"
    home.mkdir()
    res = subprocess.run(["make", "-C", str(checkout), "-n", "install", f"PREFIX={tmp_path}/p"],
                         env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, check=False,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    steps = [i for i, line in enumerate(lines) if "anon-pi: [" in line]
    pip = next(i for i, line in enumerate(lines) if "pip install" in line)
    venv = next(i for i, line in enumerate(lines) if "bin/make-venv" in line)
    assert len(steps) == 2 and venv < steps[0] < pip < steps[1]
    assert "installing the dependencies" in lines[steps[0]]


def test_install_is_rerunnable_and_uninstall_leaves_nothing(installed):
    prefix, home, _ = installed
    again = _make("install", prefix, home)
    assert again.returncode == 0, again.stderr
    res = _make("uninstall", prefix, home)
    assert res.returncode == 0, res.stderr
    assert not prefix.exists() or _tree(prefix) == []


def test_the_installed_man_page_renders_without_a_warning(installed):
    prefix, home, _ = installed
    page = prefix / "share/man/man1/anon-pi.1"
    res = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(page)], check=False,
                         capture_output=True, text=True, timeout=60)
    assert (res.returncode, res.stderr) == (0, "")
    res = subprocess.run(["man", str(page)], check=False, capture_output=True, text=True,
                         timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(home),
                                          "MANWIDTH": "100", "LANG": "C.UTF-8"})
    assert res.returncode == 0 and "anon-pi machine rm <machine> [-y|--yes] [--dry-run]" in \
        res.stdout


def test_uninstall_keeps_what_is_not_ours(installed):
    prefix, home, _ = installed
    link = prefix / "bin" / "anon-pi"
    link.unlink()
    link.symlink_to("/usr/bin/true")
    theirs = prefix / "share/zsh/site-functions/_anon-pi"
    theirs.write_text("#compdef anon-pi\n# someone else's\n")
    (prefix / "bin" / "other-tool").write_text("")
    assert _make("uninstall", prefix, home).returncode == 0
    assert os.readlink(link) == "/usr/bin/true" and theirs.exists()
    assert (prefix / "bin" / "other-tool").exists()
    assert not (prefix / "share/bash-completion").exists()


def test_bash_completion_finds_the_installed_script(installed):
    need("bash-completion")
    prefix, home, _ = installed
    res = subprocess.run(
        ["bash", "--norc", "-c", (f"source {BASH_COMPLETION}; _completion_loader anon-pi; "
                                 "complete -p anon-pi")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(prefix / "share")},
        check=False, capture_output=True, text=True, timeout=30)
    assert res.stdout.strip() == "complete -F _anon_pi anon-pi"


def test_zsh_compinit_finds_the_installed_script(installed):
    need("zsh")
    prefix, home, _ = installed
    res = subprocess.run(
        ["zsh", "-f", "-c", (f"fpath=({prefix}/share/zsh/site-functions $fpath); "
                            "autoload -Uz compinit; compinit -u -D; print -r -- $_comps[anon-pi]")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, check=False, capture_output=True,
        text=True,
        timeout=30)
    assert res.stdout.strip() == "_anon-pi"


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


def test_uninstall_removes_an_old_link_to_the_shim(installed):
    prefix, home, _ = installed
    link = prefix / "bin" / "anon-pi"
    link.unlink()
    link.symlink_to(BIN)  # what `make install` wrote before the launcher
    assert _make("uninstall", prefix, home).returncode == 0
    assert not os.path.lexists(link)


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


def test_pip_install_gives_the_same_command_and_ships_the_completions(tmp_path):
    """The wheel `pip install .` builds: the console script, every module, the shipped
    Dockerfile and the three completion scripts (bash, zsh, fish) as the checkout has them.
    Built from the wheel folder CI prepared when there is one (network_support.pip_env)."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "anonpi_helpers", src / "anonpi_helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", src)
    res = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "pip", "wheel", "-q", "--no-deps",
                          "-w", str(tmp_path / "dist"), str(src)],
                         env={**os.environ, **pip_env()}, check=False, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    [wheel] = (tmp_path / "dist").glob("anon_pi-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        [ep] = [n for n in names if n.endswith("entry_points.txt")]
        assert "anon-pi = anonpi_helpers.cli:entry" in zf.read(ep).decode()
        modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "anonpi_helpers").rglob("*.py")
                   if "__pycache__" not in p.parts}
        assert modules <= set(names), sorted(modules - set(names))
        assert "anonpi_helpers/images/pi/Dockerfile.pi" in names
        shipped = sorted(n.removeprefix("anonpi_helpers/completions/") for n in names
                         if n.startswith("anonpi_helpers/completions/"))
        assert shipped == ["_anon-pi", "anon-pi.bash", "anon-pi.fish"]
        for name in shipped:
            assert zf.read(f"anonpi_helpers/completions/{name}") == (
                ROOT / "completions" / name).read_bytes()


def test_fish_finds_the_installed_script(installed, tmp_path):
    """fish autoloads vendor completions for commands on PATH."""
    need("fish")
    prefix, home, _ = installed
    ws = tmp_path / "ws"
    (ws / "machines" / "box").mkdir(parents=True)
    res = subprocess.run(["fish", "-c", "complete -C 'anon-pi -m '"], check=False,
                         env={"PATH": f"{prefix}/bin:/usr/bin:/bin", "HOME": str(home),
                              "ANON_PI_HOME": str(ws), "XDG_DATA_HOME": str(prefix / "share")},
                         capture_output=True, text=True, timeout=30)
    assert res.stdout.split("\t")[0] == "box"


def test_shim_runs_through_a_symlink_from_any_folder(tmp_path):
    (tmp_path / "anon-pi").symlink_to(BIN)
    res = subprocess.run([str(tmp_path / "anon-pi"), "--version"], cwd="/", check=False,
                         capture_output=True, text=True, timeout=30,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "/nonexistent"})
    assert (res.returncode, res.stdout, res.stderr) == (0, "anon-pi 0.17.0\n", "")
