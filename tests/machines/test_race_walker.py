"""Race tests: a jail swapping a folder and a link mid-walk gets no host
file copied into a jail-visible home and nothing outside the workspace deleted.

Each test runs ANON_PI_RACE_ROUNDS (default 1000) copies or deletes against a separate
process that rename-exchanges a real folder and a link to an outside folder non-stop.
"""

import os
import shutil
from pathlib import Path

import pytest
from in_process import context, program
from race_support import ROUNDS, Swapper, files_in
from tree_digest import tree_digest

SECRET = b"-----BEGIN OPENSSH PRIVATE KEY----- host key\n"


@pytest.fixture
def ws(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANON_PI_HOME", str(tmp_path / "ws"))
    monkeypatch.delenv("ANON_PI_PROJECTS", raising=False)
    return tmp_path / "ws"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A host folder outside the workspace, shaped like what the jail wants to reach."""
    out = tmp_path / "outside"
    (out / "agent/sessions/--projects-p--").mkdir(parents=True)
    (out / "id_rsa").write_bytes(SECRET)
    (out / "agent/id_rsa").write_bytes(SECRET)
    (out / "agent/sessions/--projects-p--/victim.jsonl").write_bytes(SECRET)
    return out


def test_carry_over_never_copies_through_a_swapped_link(ws, outside):
    from anonpi_helpers.edges.carry_over import carry_over
    from anonpi_helpers.edges.workspace import Workspace

    home = ws / "machines/src/home"
    (home / "z/sub").mkdir(parents=True)
    (home / "z/inner.txt").write_text("inner\n")
    (home / "z/sub/deep.txt").write_text("deep\n")
    (home / "zz").symlink_to(outside)
    (home / ".pi").mkdir()
    (home / ".pi/agent").mkdir()
    (home / ".pi/agent/settings.json").write_text("{}\n")
    (home / ".pi-link").symlink_to(outside)
    before = tree_digest(outside)
    swapper = Swapper((home / "z", home / "zz"), (home / ".pi", home / ".pi-link"))
    workspace = Workspace(ws)
    escapes = 0
    try:
        for i in range(ROUNDS):
            dest = ws / "machines/d/home"
            dest.mkdir(parents=True)
            carry_over(context({"HOME": str(ws.parent / "home")}, ws.parent), workspace, "src",
                       "d")
            escapes += SECRET in files_in(dest).values()
            shutil.rmtree(ws / "machines/d")
    finally:
        swapper.stop()
    assert escapes == 0
    assert tree_digest(outside) == before


def _session_tree(home: Path) -> None:
    group = home / ".pi/agent/sessions/--projects-p--"
    group.mkdir(parents=True, exist_ok=True)
    (group / "mine.jsonl").write_text("{}\n")
    (group / "sub").mkdir(exist_ok=True)
    (group / "sub/x.jsonl").write_text("{}\n")


def test_delete_project_never_deletes_through_a_swapped_parent(ws, outside, capsys):
    home = ws / "machines/m/home"
    _session_tree(home)
    (home / ".pi-link").symlink_to(outside)
    swapper = Swapper((home / ".pi", home / ".pi-link"))
    escaped = []
    try:
        for i in range(ROUNDS):
            swapper.pause()
            _session_tree(home)
            swapper.resume()
            program(["--delete-project", "p", "--yes"])
            if not (outside / "agent/sessions/--projects-p--/victim.jsonl").exists():
                escaped.append(i)
                (outside / "agent/sessions/--projects-p--").mkdir(parents=True, exist_ok=True)
                (outside / "agent/sessions/--projects-p--/victim.jsonl").write_bytes(SECRET)
    finally:
        swapper.stop()
    capsys.readouterr()
    assert escaped == []


def _home_with_links(home: Path, outside: Path) -> None:
    _session_tree(home)
    for name, target in ((".pi-link", outside), ("zz", outside / "agent")):
        if not os.path.lexists(home / name):
            (home / name).symlink_to(target)
    (home / "z").mkdir(exist_ok=True)


def test_machine_rm_and_delete_home_never_delete_outside(ws, outside, capsys):
    before = tree_digest(outside)
    home = ws / "machines/m/home"
    _home_with_links(home, outside)
    swapper = Swapper((home / ".pi", home / ".pi-link"), (home / "z", home / "zz"))
    lost = []
    try:
        for i in range(max(ROUNDS // 4, 2)):  # whole-tree deletes; the 1,000 are above
            swapper.pause()
            if os.path.lexists(ws / "machines/m"):
                shutil.rmtree(ws / "machines/m")
            _home_with_links(home, outside)
            swapper.resume()
            program(["--delete-home", "m", "--yes"] if i % 2 else ["machine", "rm", "m", "--yes"])
            if tree_digest(outside) != before:
                lost.append(i)
                break
    finally:
        swapper.stop()
    capsys.readouterr()
    assert lost == []


def test_init_never_writes_through_a_swapped_agent_folder(ws, outside, capsys):
    """init rewrites seeded homes' models.json: a `.pi` swapped for a link between the check
    and the write must not put a file outside (this failed on the code before the fix)."""
    from anonpi_helpers.edges.workspace import Workspace
    from anonpi_helpers.init.model_step import ModelChoice
    from anonpi_helpers.init.write import Answers, _write_models

    home = ws / "machines/m/home"
    (home / ".pi/agent").mkdir(parents=True)
    (home / ".pi/agent/.anon-pi-seed").write_text("1\n")
    (outside / "agent/.anon-pi-seed").write_text("1\n")
    (home / ".pi-link").symlink_to(outside)
    before = tree_digest(outside)
    choice = ModelChoice(endpoint="192.168.1.50:8080", base_url="http://192.168.1.50:8080/v1",
                         entries=[{"id": "qwen"}], default="qwen")
    answers = Answers(config={}, machine="m", proxy="socks5h://127.0.0.1:9050", model=choice,
                      image=None, projects=None, machine_cfg=None)
    swapper = Swapper((home / ".pi", home / ".pi-link"))
    try:
        for _ in range(max(ROUNDS // 5, 2)):
            _write_models(context(), Workspace(ws), answers)
            if tree_digest(outside) != before:
                break
    finally:
        swapper.stop()
    capsys.readouterr()
    assert tree_digest(outside) == before
