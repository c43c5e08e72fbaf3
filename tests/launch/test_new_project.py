"""A new project folder is made on purpose: on a terminal the launch asks first (Enter is yes),
piped it creates the folder and says so on stderr; an existing project is never announced."""

import pexpect
import pytest
from data_verbs_support import finish, spawn
from launch_support import relay_note
from tree_digest import tree_digest


def test_piped_a_new_project_is_announced(cli):
    cli.configure()
    res = cli.run("newp", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines() == [
        f'anon-pi: new project "newp" at {cli.ws}/projects/newp',
        ('anon-pi: machine "default" commits as anon <anon@localhost> (written into its '
         "~/.gitconfig; change it there, or `gitIdentity` in machine.json)"),
        "anon-pi: entering the netcage jail…"]
    assert (cli.ws / "projects" / "newp").is_dir()


def test_an_existing_project_is_not_announced(cli):
    cli.configure()
    (cli.ws / "projects" / "recon").mkdir(parents=True)
    res = cli.run("recon", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert "new project" not in res.stderr


def test_a_dry_run_says_it_would_create_the_project_and_creates_nothing(cli):
    cli.configure()
    before = tree_digest(cli.ws)
    res = cli.run("--dry-run", "newp", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines(keepends=True) == [
        f'anon-pi: would create project "newp" at {cli.ws}/projects/newp\n',
        relay_note(cli.proxy)]
    assert res.stdout.startswith("netcage run ")
    assert tree_digest(cli.ws) == before
    (cli.ws / "projects" / "recon").mkdir(parents=True)
    assert cli.run("--dry-run", "recon").stderr == relay_note(cli.proxy)


def test_under_mount_the_new_folder_is_in_the_mount(cli):
    cli.configure()
    (cli.tmp / "src").mkdir()
    res = cli.run("--mount", str(cli.tmp / "src"), "newp", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert f'anon-pi: new project "newp" at {cli.tmp}/src/newp' in res.stderr.splitlines()


@pytest.mark.parametrize("reply", ["", "y", "YES "])
def test_on_a_terminal_the_launch_asks_first_and_enter_is_yes(cli, reply):
    cli.configure()
    p = spawn(cli, "newp")
    p.expect_exact(f'Create project "newp" in {cli.ws}/projects? [Y/n] ')
    assert not (cli.ws / "projects" / "newp").exists()  # asked before anything is made
    p.sendline(reply)
    p.expect_exact(f'anon-pi: new project "newp" at {cli.ws}/projects/newp')
    assert finish(p) == 0
    assert (cli.ws / "projects" / "newp").is_dir()
    [run] = cli.run_calls()
    assert run[run.index("-w") + 1] == "/projects/newp"


@pytest.mark.parametrize("reply", ["n", "no", "nope", None])
def test_anything_but_yes_creates_and_launches_nothing(cli, reply):
    cli.configure()
    before = tree_digest(cli.ws)
    p = spawn(cli, "newp")
    p.expect_exact("[Y/n] ")
    if reply is None:
        p.sendeof()
    else:
        p.sendline(reply)
    p.expect_exact('anon-pi: project "newp" not created; nothing launched.')
    assert finish(p) == 1
    assert tree_digest(cli.ws) == before and cli.run_calls() == []


def test_ctrl_c_at_the_question_cancels(cli):
    cli.configure()
    p = spawn(cli, "newp")
    p.expect_exact("[Y/n] ")
    p.sendintr()
    p.expect_exact("anon-pi: cancelled; nothing launched")
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 130 and not (cli.ws / "projects" / "newp").exists()
