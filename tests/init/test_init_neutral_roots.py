"""The neutral-folder move never puts the workspace where the jail writes: a target that is,
holds or lies inside a projects root or a machine home is refused when typed, and checked
again on the folder itself when init moves it (after the projects root was chosen)."""

import json
import os
from pathlib import Path

import pytest
from in_process import context
from init_support import TEST_LOGIN, Lab, drive
from tree_digest import tree_digest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.edges import workspace_move as wm


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


def named_home(cli, lab, config=None):
    """HOME=/…/home/zzlogin-test, the workspace at ~/.anon-pi (offered the move)."""
    home = cli.tmp / "home" / TEST_LOGIN
    ws = home / ".anon-pi"
    (ws / "machines" / "default" / "home").mkdir(parents=True)
    if config is not None:
        (ws / "config.json").write_text(json.dumps(config))
    return home, {**lab.env, "HOME": str(home), "ANON_PI_HOME": ""}


def folder(path: Path) -> Path:
    path.mkdir(parents=True, mode=0o700)
    return path


def test_a_target_inside_the_projects_root_is_refused_when_typed(cli, lab):
    code_root = folder(cli.tmp / "code")
    target = folder(code_root / "neutral")
    home, env = named_home(cli, lab, {"projects": str(code_root)})
    steps = lab.happy_steps()[:-1] + [
        ("Move the workspace to a neutral folder? [Y/n]", ""),
        ("Enter when /srv/anon-pi exists", str(target)),
        (f"{target} lies inside the projects root {code_root}", "s"),
        ("Projects root", "")]
    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert "is ready; the workspace moves there" not in out
    assert not os.path.islink(home / ".anon-pi") and os.listdir(target) == []


def test_a_target_inside_a_linked_machine_home_is_refused_when_typed(cli, lab):
    elsewhere = folder(cli.tmp / "homes" / "default")
    target = folder(elsewhere / "neutral")
    home, env = named_home(cli, lab)
    machine_home = home / ".anon-pi" / "machines" / "default" / "home"
    machine_home.rmdir()
    machine_home.symlink_to(elsewhere)
    steps = lab.happy_steps()[:-1] + [
        ("Move the workspace to a neutral folder? [Y/n]", ""),
        ("Enter when /srv/anon-pi exists", str(target)),
        (f"{target} lies inside the machine home {elsewhere}", "s"),
        ("Projects root", "")]
    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert os.listdir(target) == []


def test_a_projects_root_chosen_after_the_offer_stops_the_move(cli, lab):
    """The answer that makes the target jail-writable comes after the target was accepted:
    the move itself refuses, and nothing at all is written."""
    srv = folder(cli.tmp / "srv")
    target = folder(srv / "anon-pi")
    home, env = named_home(cli, lab)
    before = tree_digest(home / ".anon-pi")
    steps = lab.happy_steps()[:-1] + [
        ("Move the workspace to a neutral folder? [Y/n]", ""),
        ("Enter when /srv/anon-pi exists", str(target)),
        ("Projects root", str(srv))]
    code, out = drive(cli, steps, **env)
    assert code == 1, out
    assert (f"refusing to move the workspace into {target}: {target} lies inside the projects "
            f"root {srv}") in out
    assert tree_digest(home / ".anon-pi") == before and os.listdir(target) == []


def test_the_default_projects_folder_inside_the_target_is_allowed(tmp_path):
    target = folder(tmp_path / "srv")
    roots = [("the projects root", str(target / "projects")),
             ("the projects root", str(target / "projects" / "deeper"))]
    fd = wm.held_target(target, roots)
    os.close(fd)


def test_the_move_rechecks_the_folder_itself_not_the_path_typed(tmp_path):
    """The typed path passed its checks, then became a link into the projects root: the
    move opens the folder without following links and refuses; nothing moves."""
    ws = folder(tmp_path / "home" / "u" / ".anon-pi")
    (ws / "config.json").write_text("{}")
    code_root = folder(tmp_path / "code")
    inside = folder(code_root / "neutral")
    target = folder(tmp_path / "srv")
    roots = [("the projects root", str(code_root))]
    assert wm.target_problem(target, ws, "u", str(tmp_path / "home" / "u"), roots) is None
    target.rmdir()
    target.symlink_to(inside)
    before = tree_digest(tmp_path)
    with pytest.raises(AnonPiError, match="cannot be opened as a folder"):
        wm.move_workspace(context(), ws, target, roots)
    assert tree_digest(tmp_path) == before


def test_a_target_typed_through_a_link_in_the_projects_root_is_moved_to_by_its_own_path(
        cli, lab):
    """/code/lnk/neutral, where `lnk` (in the projects root, so the jail's to rewrite) leads
    to /srv: the workspace link names /srv/neutral itself, so when the jail later points
    `lnk` at a folder of its own, the workspace (and its config.json) stays where it was."""
    code_root = folder(cli.tmp / "code")
    srv = folder(cli.tmp / "srv")
    target = folder(srv / "neutral")
    (code_root / "lnk").symlink_to(srv)
    home, env = named_home(cli, lab, {"projects": str(code_root)})
    steps = lab.happy_steps()[:-1] + [
        ("Move the workspace to a neutral folder? [Y/n]", ""),
        ("Enter when /srv/anon-pi exists", str(code_root / "lnk" / "neutral")),
        ("Projects root", "")]
    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert os.readlink(home / ".anon-pi") == str(target)
    planted = folder(folder(code_root / "jails") / "neutral")
    (planted / "config.json").write_text('{"proxy": "socks5h://jail.example:1080"}')
    (code_root / "lnk").unlink()
    (code_root / "lnk").symlink_to(code_root / "jails")
    assert json.loads((home / ".anon-pi" / "config.json").read_text())["proxy"] != (
        "socks5h://jail.example:1080")


def test_the_move_refuses_a_path_that_came_to_lead_through_a_link(tmp_path):
    """Checked by its own path, then a folder on that path became a link to the same kind of
    folder: the move refuses (the workspace link would name a path the link redirects)."""
    ws = folder(tmp_path / "home" / "u" / ".anon-pi")
    (ws / "config.json").write_text("{}")
    folder(folder(tmp_path / "real") / "neutral")
    (tmp_path / "via").symlink_to(tmp_path / "real")
    before = tree_digest(tmp_path)
    with pytest.raises(AnonPiError, match="its path leads through a link"):
        wm.move_workspace(context(), ws, tmp_path / "via" / "neutral", [])
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize("relation, target, root", [
    ("is", "/srv/code", "/srv/code"),
    ("lies inside", "/srv/code/x", "/srv/code"),
    ("holds", "/srv", "/srv/code"),
    ("holds", "/srv", "/srv/projects-not-its-own"),
])
def test_every_relation_to_a_mount_root_is_refused(relation, target, root):
    from anonpi_helpers.core.mount_safety import move_target_problem

    why = move_target_problem(target, [("the projects root", root)])
    assert why == f"{target} {relation} the projects root {root}, which the jail mounts read-write"
    assert move_target_problem("/srv/a", [("the projects root", "/srv/ab")]) is None
