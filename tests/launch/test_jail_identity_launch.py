"""What a launch gives the jail of its identity: `-e TZ=… -e LANG=…` in the netcage argv
(machine.json's values or UTC and C.UTF-8), and a git identity written into a machine home
that has none, never over the user's own. A bad value is refused before anything is made."""

import json
import shlex

from launch_support import IMAGE, PI_ARGS_CMD, head, no_traceback
from tree_digest import tree_digest

SECTION = "[user]\n\tname = anon\n\temail = anon@localhost\n"
NOTE = ('anon-pi: machine "default" commits as anon <anon@localhost> (written into its '
        "~/.gitconfig; change it there, or `gitIdentity` in machine.json)")


def _machine(cli, **keys):
    cli.configure()
    path = cli.ws / "machines" / "default" / "machine.json"
    cli.write_json(path, {"image": IMAGE, **keys})


def _launch(cli, *args):
    res = cli.run(*args, "recon", "-p", "x")
    assert res.returncode == 0, res.stderr
    no_traceback(res)
    [argv] = cli.run_calls()
    return res, argv


def test_a_first_launch_writes_the_identity_and_says_so(cli):
    cli.configure()
    res, argv = _launch(cli)
    home = cli.ws / "machines" / "default" / "home"
    assert (home / ".gitconfig").read_text() == SECTION
    assert NOTE in res.stderr.splitlines()
    assert argv[8:12] == ["-e", "TZ=UTC", "-e", "LANG=C.UTF-8"]
    # the next launch finds it and writes nothing, says nothing
    cli.log.unlink()
    stamp = (home / ".gitconfig").stat().st_mtime_ns
    res, _ = _launch(cli)
    assert "commits as" not in res.stderr
    assert (home / ".gitconfig").stat().st_mtime_ns == stamp


def test_machine_json_chooses_identity_timezone_and_locale(cli):
    _machine(cli, gitIdentity="Pat Doe <pat@example.net>", timezone="Asia/Tokyo",
             locale="ja_JP.UTF-8")
    res, argv = _launch(cli)
    ws = cli.ws
    assert argv == head("default", f"{ws}/projects", "", "/projects/recon",
                        env=("-e", "TZ=Asia/Tokyo", "-e", "LANG=ja_JP.UTF-8")) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", IMAGE, *PI_ARGS_CMD, "-p", "x"]
    assert (ws / "machines/default/home/.gitconfig").read_text() == (
        "[user]\n\tname = Pat Doe\n\temail = pat@example.net\n")
    assert 'machine "default" commits as Pat Doe <pat@example.net>' in res.stderr


def test_dry_run_shows_the_env_and_writes_nothing(cli):
    _machine(cli, timezone="America/New_York")
    before = tree_digest(cli.ws)
    res = cli.run("--dry-run", "recon", "-p", "x")
    assert res.returncode == 0, res.stderr
    argv = shlex.split(res.stdout)
    assert argv[9:13] == ["-e", "TZ=America/New_York", "-e", "LANG=C.UTF-8"]
    assert tree_digest(cli.ws) == before


def test_a_users_own_gitconfig_is_left_alone(cli):
    cli.configure()
    home = cli.ws / "machines" / "default" / "home"
    home.mkdir(parents=True)
    own = b"[user]\n\tname = My Pen Name\n\temail = pen@example.org\n"
    (home / ".gitconfig").write_bytes(own)
    res, _ = _launch(cli)
    assert (home / ".gitconfig").read_bytes() == own
    assert "commits as" not in res.stderr


def test_a_gitconfig_without_identity_gets_the_section_after_its_lines(cli):
    cli.configure()
    home = cli.ws / "machines" / "default" / "home"
    home.mkdir(parents=True)
    (home / ".gitconfig").write_text("[core]\n\teditor = nano\n")
    res, _ = _launch(cli)
    assert (home / ".gitconfig").read_text() == "[core]\n\teditor = nano\n" + SECTION
    assert NOTE in res.stderr.splitlines()


def test_a_kept_box_gets_the_same_env(cli):
    cli.configure()
    res = cli.run("container", "create", "dev", "--shell", "--dry-run")
    assert res.returncode == 0, res.stderr
    argv = shlex.split(res.stdout)
    i = argv.index("-e")
    assert argv[i:i + 4] == ["-e", "TZ=UTC", "-e", "LANG=C.UTF-8"]


def test_a_bad_value_is_refused_before_anything_is_made(cli):
    _machine(cli, locale="en_US.UTF-8 ; x")
    before = tree_digest(cli.ws)
    res = cli.run("recon", "-p", "x")
    assert res.returncode == 1
    no_traceback(res)
    assert res.stderr.splitlines() == [
        ('anon-pi: machine.json of machine "default": locale "en_US.UTF-8 ; x" is not a valid '
         "value."),
        '  hint: fix or remove it in machines/default/machine.json, e.g. "locale": "C.UTF-8"']
    assert cli.run_calls() == []
    assert tree_digest(cli.ws) == before


def test_keys_keep_their_place_when_machine_json_is_rewritten(cli):
    _machine(cli, locale="C.UTF-8", timezone="UTC", gitIdentity="a <b@c>")
    res = cli.run("machine", "set-image", "default", "other:1", "--force")
    assert res.returncode == 0, res.stderr
    got = json.loads((cli.ws / "machines/default/machine.json").read_text())
    assert got == {"image": "other:1", "gitIdentity": "a <b@c>", "timezone": "UTC",
                   "locale": "C.UTF-8"}
    assert list(got) == ["image", "gitIdentity", "timezone", "locale"]
