"""Nothing escaped: a destructive verb that meets a symlink pointing
out of the workspace removes the link, never what it points at."""

import shutil
from pathlib import Path

import pytest
from tree_digest import tree_digest

SESSIONS = "machines/default/home/.pi/agent/sessions"


@pytest.fixture
def outside(cli) -> Path:
    """A folder outside the workspace with contents that must survive every verb."""
    out = cli.tmp / "outside"
    (out / "sub").mkdir(parents=True)
    (out / "keep.txt").write_text("precious")
    (out / "sub" / "deep.txt").write_text("deep")
    cli.configure()
    return out


def link(cli, rel: str, target: Path) -> Path:
    path = cli.ws / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def run_ok(cli, *argv):
    res = cli.run(*argv)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return res


@pytest.mark.parametrize("rel, argv", [
    ("projects/p", ["--delete-project", "p", "--yes"]),
    ("machines/default/home", ["--delete-home", "default", "--yes"]),
    ("machines/default/home", ["--delete-home", "--yes"]),
    ("machines/default/home", ["machine", "rm", "default", "--yes"]),
    ("machines/m2", ["machine", "rm", "m2", "--yes"]),
    (f"{SESSIONS}/--projects-p--", ["--delete-project", "p", "--yes"]),
], ids=["project", "home", "default-home", "rm-home", "rm-machine-folder", "session-folder"])
def test_symlink_loses_only_its_link(cli, outside, rel, argv):
    before = tree_digest(outside)
    if rel.startswith(SESSIONS):
        (cli.ws / "projects" / "p").mkdir(parents=True)
    path = link(cli, rel, outside)
    run_ok(cli, *argv)
    assert not path.is_symlink() and not path.exists()
    assert tree_digest(outside) == before


@pytest.mark.parametrize("argv", [
    ["--delete-home", "default", "--yes"],
    ["--delete-project", "p", "--yes"],
    ["machine", "rm", "default", "--yes"],
], ids=["delete-home", "delete-project", "machine-rm"])
def test_links_inside_deleted_trees_are_not_followed(cli, outside, argv):
    before = tree_digest(outside)
    link(cli, "machines/default/home/.pi/escape", outside)
    link(cli, "machines/default/home/deeper/file-link", outside / "keep.txt")
    link(cli, "projects/p/escape", outside)
    link(cli, "projects/p/nested/sub-link", outside / "sub")
    run_ok(cli, *argv)
    assert tree_digest(outside) == before


def test_symlinked_sessions_store_is_skipped(cli, outside):
    """A jail-planted `sessions -> /elsewhere` never makes the host delete there."""
    (outside / "--projects-p--").mkdir()
    (outside / "--projects-p--" / "s.jsonl").write_text("{}\n")
    before = tree_digest(outside)
    (cli.ws / "projects" / "p").mkdir(parents=True)
    link(cli, SESSIONS, outside)
    res = cli.run("--delete-project", "p", "--yes")
    assert "Traceback" not in res.stderr
    assert tree_digest(outside) == before
    assert not (cli.ws / "projects" / "p").exists()


def test_linked_machines_folder_is_planned_as_skipped_not_refused_half_way(cli, outside):
    """All-or-nothing: every target is planned first; a linked `machines/` is skipped with a
    warning (it was: project folder deleted, then exit 1 on the session folder behind it)."""
    shutil.move(cli.ws / "machines", outside / "machines")
    (outside / "machines/default/home/.pi/agent/sessions/--projects-p--").mkdir(parents=True)
    link(cli, "machines", outside / "machines")
    (cli.ws / "projects/p").mkdir(parents=True)
    (cli.ws / "projects/p/f.txt").write_text("x")
    before = tree_digest(outside)
    res = run_ok(cli, "--delete-project", "p", "--yes")
    assert f"warning: {cli.ws / 'machines'} is a symlink; no machine's sessions" in res.stderr
    assert not (cli.ws / "projects/p").exists()
    assert tree_digest(outside) == before


def test_a_refused_target_deletes_nothing(cli, outside):
    """A refusal found while planning (here: the projects root is the workspace) comes before
    any delete."""
    (cli.ws / "machines/default/home/.pi/agent/sessions/--projects-machines--").mkdir(
        parents=True)
    before = tree_digest(cli.ws)
    res = cli.run("--delete-project", "machines", "--yes", ANON_PI_PROJECTS=str(cli.ws))
    assert res.returncode == 1 and "nothing deleted" in res.stderr
    assert tree_digest(cli.ws) == before


def test_machine_rm_behind_a_linked_machines_folder_is_refused_before_asking(cli, outside):
    shutil.move(cli.ws / "machines", outside / "machines")
    link(cli, "machines", outside / "machines")
    before = tree_digest(outside)
    res = cli.run("machine", "rm", "default", "--yes")
    assert res.returncode == 1
    assert res.stderr.startswith('anon-pi: refusing to remove machine "default": ')
    assert "nothing deleted" in res.stderr
    assert tree_digest(outside) == before
