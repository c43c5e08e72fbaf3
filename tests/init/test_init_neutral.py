"""The neutral layout through init: a workspace that shows the login name is offered the
neutral layout; init moves it, leaves ~/.anon-pi as a link, points the projects root there."""

import json
import os

import pytest
from init_support import TEST_LOGIN, Lab, drive


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


def named_home(cli, lab):
    """HOME=/…/home/zzlogin-test with the workspace at its default ~/.anon-pi."""
    home = cli.tmp / "home" / TEST_LOGIN
    (home / ".anon-pi" / "machines" / "default" / "home").mkdir(parents=True)
    (home / ".anon-pi" / "machines" / "default" / "home" / "notes.txt").write_text("keep me")
    return home, {**lab.env, "HOME": str(home), "ANON_PI_HOME": ""}


def neutral_folder(cli):
    target = cli.tmp / "srv" / "anon-pi"
    target.mkdir(parents=True, mode=0o700)
    return target


def test_accepting_the_offer_moves_the_workspace_and_the_projects_root(cli, lab):
    home, env = named_home(cli, lab)
    target = neutral_folder(cli)
    steps = lab.happy_steps()[:-1] + [
        ("Move the workspace to a neutral folder? [Y/n]", ""),
        ("Enter when /srv/anon-pi exists", str(target)),
        (f"Projects root (Enter to use {target}/projects)", "")]

    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert out.count("show your login name or home path") == 1
    note, question = out.index("/proc/self/mountinfo"), out.index("Projects root (Enter")
    assert note < question
    assert f"sudo install -d -o {TEST_LOGIN} -m 700 /srv/anon-pi" in out
    ws = home / ".anon-pi"
    assert os.path.islink(ws) and os.readlink(ws) == str(target)
    assert (target / "machines/default/home/notes.txt").read_text() == "keep me"
    cfg = json.loads((target / "config.json").read_text())
    assert cfg["projects"] == str(target / "projects")
    assert "workspace moved (renamed in place)" in out
    assert f"The jail now sees {target}/machines/default/home at /root" in out
    assert not os.path.lexists(home / ".anon-pi.moved")


def test_a_missing_folder_is_asked_again_and_skip_keeps_everything(cli, lab):
    home, env = named_home(cli, lab)
    steps = lab.happy_steps()[:-1] + [
        ("Move the workspace to a neutral folder? [Y/n]", "y"),
        ("Enter when /srv/anon-pi exists", str(cli.tmp / "nowhere")),
        ("does not exist yet", "s"),
        ("Projects root", "")]

    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert os.path.isdir(home / ".anon-pi") and not os.path.islink(home / ".anon-pi")
    assert "projects" not in json.loads((home / ".anon-pi" / "config.json").read_text())


def test_declining_keeps_the_workspace_in_place(cli, lab):
    home, env = named_home(cli, lab)
    steps = lab.happy_steps()[:-1] + [("Move the workspace to a neutral folder? [Y/n]", "n"),
                                      ("Projects root", "")]

    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert not os.path.islink(home / ".anon-pi")
    assert (home / ".anon-pi" / "config.json").is_file()


def test_a_first_init_creates_the_workspace_in_the_neutral_folder(cli, lab):
    home = cli.tmp / "home" / TEST_LOGIN
    home.mkdir(parents=True)
    target = neutral_folder(cli)
    steps = lab.happy_steps()[:-1] + [
        ("Move the workspace to a neutral folder? [Y/n]", "yes"),
        ("Enter when /srv/anon-pi exists", str(target)), ("Projects root", "")]
    code, out = drive(cli, steps, **{**lab.env, "HOME": str(home), "ANON_PI_HOME": ""})
    assert code == 0, out
    assert "workspace created: " in out
    assert os.readlink(home / ".anon-pi") == str(target)
    assert sorted(os.listdir(target)) == ["config.json", "machines", "models.json",
                                          "settings-seed.json"]
