"""`make install` / `make uninstall` into a temporary PREFIX, and the shells finding what it
installed. The launcher it writes and the shim: test_install_launcher.py; `pip install .`:
test_install_wheel.py."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from harness_paths import BIN, ROOT
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


def test_uninstall_removes_an_old_link_to_the_shim(installed):
    prefix, home, _ = installed
    link = prefix / "bin" / "anon-pi"
    link.unlink()
    link.symlink_to(BIN)  # what `make install` wrote before the launcher
    assert _make("uninstall", prefix, home).returncode == 0
    assert not os.path.lexists(link)


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

