"""The move to a neutral workspace survives a SIGKILL at every step, on one filesystem
(atomic exchanges) and across two (verified copy), and nothing ever follows a link."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness_paths import ROOT
from tree_digest import tree_digest

from anonpi_helpers.edges import workspace_move as wm
from anonpi_helpers.edges.real_io import real_context

SAME_FS_STEPS = ["start", "linked", "exchanged", "final-link", "swapped"]
COPY_STEPS = ["start", "copied", "verified", "placed", "final-link", "swapped"]
# a process of its own, as the real program is: the hook SIGKILLs the process it runs in
MOVE = ("import sys; from pathlib import Path; from anonpi_helpers.edges import workspace_move "
        "as wm; from anonpi_helpers.edges.real_io import real_context; "
        "print(wm.move_workspace(real_context(), Path(sys.argv[1]), Path(sys.argv[2])))")


def make_workspace(root: Path) -> Path:
    ws = root / "home" / "zzlogin-test" / ".anon-pi"
    agent = ws / "machines" / "default" / "home" / ".pi" / "agent"
    (agent / "sessions").mkdir(parents=True)
    (agent / "sessions" / "s.jsonl").write_text('{"type":"session"}\n')
    (agent / "settings.json").write_text("{}")
    (ws / "config.json").write_text('{"proxy": "socks5h://127.0.0.1:9050"}')
    (ws / "projects" / "recon").mkdir(parents=True)
    (ws / "projects" / "recon" / "main.py").write_bytes(os.urandom(3000))
    os.chmod(ws / "projects" / "recon" / "main.py", 0o750)
    outside = root / "outside-secret"
    outside.write_text("never copied")
    (ws / "machines" / "default" / "home" / "escape").symlink_to(outside)  # jail-made link
    return ws


def resolved_view(ws: Path) -> dict[str, str]:
    """What a launch reads through the workspace path, links on the way resolved."""
    out = {}
    for top in sorted(set(os.listdir(ws)) - {wm.MARKER}):  # the marker is finish()'s to drop
        path = Path(os.path.realpath(ws / top))
        out[top] = "dir" if path.is_dir() else "file"
        for rel, digest in tree_digest(path).items():
            out[f"{top}/{rel}"] = digest
    return out


def run_move(ws: Path, target: Path, kill_at: str | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(wm.KILL_HOOK, None)
    if kill_at:
        env[wm.KILL_HOOK] = kill_at
    return subprocess.run([sys.executable, "-c", MOVE, str(ws), str(target)], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def neutral(parent: Path) -> Path:
    target = parent / "srv-anon-pi"
    target.mkdir(mode=0o700)
    return target


def targets(tmp_path):
    yield "renamed", SAME_FS_STEPS, tmp_path
    shm = Path("/dev/shm")
    if shm.is_dir() and os.stat(shm).st_dev != os.stat(tmp_path).st_dev:
        yield "copied", COPY_STEPS, shm


@pytest.mark.parametrize("mode", ["renamed", "copied"])
def test_a_kill_at_every_step_loses_nothing_and_a_rerun_finishes(tmp_path, mode):
    found = {m: (steps, parent) for m, steps, parent in targets(tmp_path)}
    if mode not in found:
        pytest.skip("no second filesystem (/dev/shm) to copy across")
    steps, parent = found[mode]
    import tempfile

    for step in steps:
        with tempfile.TemporaryDirectory(dir=parent) as spot:
            base = tmp_path / step
            ws = make_workspace(base)
            before = resolved_view(ws)
            target = neutral(Path(spot))
            res = run_move(ws, target, kill_at=step)
            assert res.returncode == -9, (step, res.stderr)
            assert resolved_view(ws) == before, step  # the old path still shows everything
            assert wm.target_problem(target, ws, "zzlogin-test", str(ws.parent)) is None or \
                os.path.islink(ws), step
            if not os.path.islink(ws):
                res = run_move(ws, target)
                assert res.returncode == 0, (step, res.stderr)
                assert res.stdout.strip() == mode
            else:
                wm.finish(ws, target)
            assert os.path.islink(ws) and os.readlink(ws) == str(target), step
            assert resolved_view(ws) == before, step
            assert sorted(os.listdir(target)) == ["config.json", "machines", "projects"], step
            assert not os.path.lexists(wm.leftover(ws)), step
            assert (base / "outside-secret").read_text() == "never copied"
            assert os.readlink(target / "machines/default/home/escape") == str(
                base / "outside-secret")


def test_target_checks(tmp_path):
    ws = make_workspace(tmp_path)
    home = str(ws.parent)
    missing = tmp_path / "srv"
    assert "does not exist yet" in wm.target_problem(missing, ws, "zzlogin-test", home)
    missing.mkdir(mode=0o777)
    os.chmod(missing, 0o777)
    assert "writable by others" in wm.target_problem(missing, ws, "zzlogin-test", home)
    os.chmod(missing, 0o700)
    (missing / "x").write_text("")
    assert wm.target_problem(missing, ws, "zzlogin-test", home) == f"{missing} is not empty"
    named = tmp_path / "zzlogin-test-data"
    named.mkdir(mode=0o700)
    assert "shows your login name" in wm.target_problem(named, ws, "zzlogin-test", home)
    link = tmp_path / "via-link"
    link.symlink_to(named)
    assert "not a folder" in wm.target_problem(link, ws, "zzlogin-test", home)
    inside = ws / "sub"
    inside.mkdir(mode=0o700)
    assert "overlaps" in wm.target_problem(inside, ws, "zz-other", "/nonexistent")


@pytest.fixture
def across(tmp_path):
    """An empty neutral target on a second filesystem, so the move copies and verifies."""
    import tempfile

    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second filesystem (/dev/shm) to copy across")
    with tempfile.TemporaryDirectory(dir=shm) as spot:
        yield neutral(Path(spot))


def test_a_copy_leaves_out_fifos_and_setuid_bits_and_keeps_everything_else(tmp_path, across):
    ws = make_workspace(tmp_path)
    home = ws / "machines" / "default" / "home"
    os.mkfifo(home / "pipe")  # a jail-made FIFO: never opened, never copied
    (home / "tool").write_text("#!/bin/sh\n")
    os.chmod(home / "tool", 0o4755)  # the walker carries no setuid bit out of a jail home
    before = {k: v for k, v in resolved_view(ws).items() if k != "machines/default/home/pipe"}
    assert wm.move_workspace(real_context(), ws, across) == "copied"
    assert not os.path.lexists(across / "machines/default/home/pipe")
    assert os.stat(across / "machines/default/home/tool").st_mode & 0o7777 == 0o755
    assert {k: v.replace(" 4755 ", " 0755 ") for k, v in before.items()} == resolved_view(ws)
    assert os.readlink(across / "machines/default/home/escape") == str(tmp_path / "outside-secret")


def test_a_write_during_the_copy_is_caught_and_nothing_moves(tmp_path, across, monkeypatch):
    """Verified file by file: a jail writing to the workspace mid-copy stops the move."""
    ws = make_workspace(tmp_path)
    copy = wm.copy_fd_tree

    def jail_writes_meanwhile(*args, **kwargs):
        copy(*args, **kwargs)
        with open(ws / "projects" / "recon" / "main.py", "ab") as fh:
            fh.write(b"late")

    monkeypatch.setattr(wm, "copy_fd_tree", jail_writes_meanwhile)
    before = resolved_view(ws)
    with pytest.raises(wm.AnonPiError, match="differs from the original .* nothing was moved"):
        wm.move_workspace(real_context(), ws, across)
    assert not os.path.islink(ws) and resolved_view(ws).keys() == before.keys()
    assert os.listdir(across) == [wm.MARKER]  # the staging copy is gone; a rerun starts over
