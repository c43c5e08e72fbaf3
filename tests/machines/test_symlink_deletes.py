"""Nothing escaped (quality.md, ruling 15): a destructive verb that meets a symlink pointing
out of the workspace removes the link, never what it points at."""

from pathlib import Path

import pytest
from conftest import tree_digest

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
