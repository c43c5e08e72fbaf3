"""Working on a folder you already have: `anon-pi --here` (the current folder) or `anon-pi
./repo` (a folder's path) mounts exactly that folder at /work/<its name>, pi starts there,
and nothing else of the host but the machine home goes in. Through the real bin/anon-pi
with the fake netcage, and in-process for the resume line."""

import json
import os
import re
import shlex

import pytest
from harness_paths import NETCAGE
from in_process import program
from launch_support import IMAGE, PI_ARGS_CMD, SCRIPT, head, label, no_traceback, relay_note
from tree_digest import tree_digest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.edges import real_io
from anonpi_helpers.edges.here_folder import here_folder, still_there

SID = "019ae5b1-7c2e-7f3a-9d4b-8e1f2a3b4c5d"
# a login name no test path holds (the test folders live under /tmp/pytest-of-<login>)
USER = {"LOGNAME": "pat", "USER": "pat"}


def _repo(cli, name="repo"):
    folder = cli.tmp / "code" / name
    folder.mkdir(parents=True)
    (folder / ".git").mkdir()
    (cli.tmp / "code" / "sibling").mkdir(exist_ok=True)
    return folder


def _argv(cli, folder, tail, interactive=False):
    name = folder.name
    return head("default", "", str(folder), f"/work/{name}") + (
        ["-it"] if interactive else []) + [
        "-v", f"{cli.ws}/machines/default/home:/root", "-v", f"{folder}:/work/{name}",
        "-w", f"/work/{name}", IMAGE, *tail]


def _dry(cli, *argv, cwd):
    res = cli.run("--dry-run", *argv, cwd=cwd, **USER)
    assert res.returncode == 0, res.stderr
    no_traceback(res)
    return shlex.split(res.stdout), res.stderr


def test_here_mounts_exactly_the_current_folder(cli):
    cli.configure()
    folder = _repo(cli)
    before = tree_digest(cli.tmp / "code")
    argv, err = _dry(cli, "--here", "-p", "hi", cwd=folder)
    assert argv == ["netcage", *_argv(cli, folder, [*PI_ARGS_CMD, "-p", "hi"])]
    assert not any(":/projects" in a for a in argv)  # neither the projects root ...
    assert not any(a.startswith(f"{folder.parent}:") for a in argv)  # ... nor the parent
    assert err == (f"anon-pi: the jail sees {folder} at /work/repo, only that folder (no "
                   "conversations yet)\n" + relay_note(cli.proxy))
    assert tree_digest(cli.tmp / "code") == before and not (cli.ws / "projects").exists()


@pytest.mark.parametrize("typed", ["./repo", "repo/", "{folder}", "../repo"])
def test_a_folders_path_is_the_same_launch(cli, typed):
    cli.configure()
    folder = _repo(cli)
    cwd = folder.parent if not typed.startswith("..") else cli.tmp / "code" / "sibling"
    argv, _ = _dry(cli, typed.format(folder=folder), "-p", "hi", cwd=cwd)
    assert argv == ["netcage", *_argv(cli, folder, [*PI_ARGS_CMD, "-p", "hi"])]


def test_flags_shell_and_an_interactive_pi(cli):
    cli.configure()
    folder = _repo(cli)
    argv, _ = _dry(cli, "--shell", "--here", cwd=folder)
    assert argv == ["netcage", *_argv(cli, folder, ["sh", "-c", SCRIPT + "; exec bash"], True)]
    argv, _ = _dry(cli, "--here", "-c", cwd=folder)  # pi's --continue: this folder's last one
    assert argv == ["netcage", *_argv(cli, folder, [*PI_ARGS_CMD, "-c"], True)]


def test_a_real_launch_creates_only_the_home_and_runs_there(cli):
    cli.configure()
    folder = _repo(cli)
    res = cli.run("--here", "-p", "hi", cwd=folder, **USER)
    assert res.returncode == 0, res.stderr
    assert cli.run_calls() == [_argv(cli, folder, [*PI_ARGS_CMD, "-p", "hi"])]
    assert "the jail sees" in res.stderr  # the first launch on this folder says so
    [log] = (cli.ws / "egress" / "default").glob("*.jsonl")  # its web went through the relay
    assert f'"upstream":"{cli.proxy}"' in log.read_text()
    assert not (cli.ws / "projects").exists() and not (folder / "repo").exists()


def test_the_note_names_the_login_name_and_the_neutral_remedy(cli):
    cli.configure()
    folder = cli.tmp / "alice-work" / "repo"
    folder.mkdir(parents=True)
    res = cli.run("--dry-run", "--here", "-p", "x", cwd=folder, LOGNAME="alice", USER="alice")
    assert res.returncode == 0
    assert res.stderr.splitlines()[1:-1] == [
        (f"anon-pi: warning: {folder} shows your login name or home path, and the jail can "
        "read it (/proc/self/mountinfo)"),
        ("  fix: work on a clone or copy under a neutral folder, e.g. /srv/anon-pi/work/repo "
        "(made once with `sudo install -d -o alice -m 700 /srv/anon-pi`)")]


def test_the_first_launch_only_says_it_once_there_are_conversations(cli):
    cli.configure()
    folder = _repo(cli)
    group = cli.ws / "machines/default/home/.pi/agent/sessions/--work-repo--"
    group.mkdir(parents=True)
    res = cli.run("--here", "-p", "hi", cwd=folder)
    assert res.returncode == 0 and "the jail sees" not in res.stderr
    _, err = _dry(cli, "--here", "-p", "hi", cwd=folder)  # a dry run always says it
    assert "only that folder (used on: default)" in err


@pytest.mark.parametrize("where, words", [
    ("/", "anon-pi: / is the root of the file system; refusing to mount it."),
    ("{home}", "anon-pi: {home} is your home folder; refusing to mount it."),
    ("{tmp}", "anon-pi: {tmp} holds your home folder; refusing to mount it."),
    ("{ws}/machines", ("anon-pi: {ws}/machines is inside the workspace {ws}; mounted "
                      "read-write, the jail could rewrite anon-pi's own config; refusing")),
    ("{ws}/projects/recon", "anon-pi: {ws}/projects/recon is inside anon-pi's projects root"),
    ("{tmp}/a:b", "anon-pi: the folder {tmp}/a:b contains ':' or ','"),
    ("{tmp}/.hidden", 'anon-pi: invalid project name ".hidden"'),
])
def test_unsafe_folders_are_refused_in_one_line(cli, where, words):
    cli.configure()
    fmt = {"home": cli.home, "tmp": cli.tmp, "ws": cli.ws}
    path = where.format(**fmt)
    os.makedirs(path, exist_ok=True)
    before = tree_digest(cli.tmp)
    for argv in (["--here", "-p", "x"], ["--dry-run", "--here", "-p", "x"]):
        res = cli.run(*argv, cwd=path)
        assert res.returncode == 1 and res.stdout == ""
        assert res.stderr.startswith(words.format(**fmt)), res.stderr
        assert len(res.stderr.splitlines()) == 2 and "  hint: " in res.stderr
    assert tree_digest(cli.tmp) == before and cli.run_calls() == []


def test_a_file_or_a_missing_folder_is_refused(cli):
    cli.configure()
    (cli.tmp / "notes.txt").write_text("x")
    res = cli.run("./notes.txt", "-p", "x")
    assert (res.returncode, res.stderr.splitlines()[0]) == (
        1, f"anon-pi: {cli.tmp}/notes.txt is not a folder.")
    res = cli.run("./gone", "-p", "x")
    assert res.stderr.startswith(f"anon-pi: {cli.tmp}/gone does not exist;")
    assert cli.calls() == []


def test_a_link_swapped_in_after_the_check_is_refused(tmp_path, monkeypatch):
    """The real path is checked, then walked again link by link right before netcage gets
    it: a folder replaced by a link to the home folder meanwhile is refused, not mounted."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANON_PI_HOME", str(tmp_path / "ws"))
    (tmp_path / "home").mkdir()
    folder = tmp_path / "code" / "repo"
    folder.mkdir(parents=True)
    found = here_folder(real_io.real_context(), str(folder))
    still_there(found)  # unchanged: fine
    os.rename(folder, tmp_path / "code" / "old")
    os.symlink(tmp_path / "home", folder)
    with pytest.raises(AnonPiError, match="changed since it was checked"):
        still_there(found)
    os.unlink(folder)
    (tmp_path / "code" / "old").rename(folder)
    still_there(found)
    parent_link = tmp_path / "code2"
    os.rename(tmp_path / "code", parent_link)
    os.symlink(parent_link, tmp_path / "code")  # a link on the way, same folder behind it
    with pytest.raises(AnonPiError, match="changed since it was checked"):
        still_there(found)


def test_a_conversation_of_the_folder_is_opened_by_its_full_id(cli):
    cli.configure()
    folder = _repo(cli)
    group = cli.ws / "machines/default/home/.pi/agent/sessions/--work-repo--"
    group.mkdir(parents=True)
    (group / f"2026-12-01T09-17-37-123Z_{SID}.jsonl").write_text(
        json.dumps({"type": "session", "id": SID, "cwd": "/work/repo"}) + "\n")
    tail = [*PI_ARGS_CMD, "--session", SID, "-p", "go on"]
    for argv, cwd in ((["--here", "--session", "3b4c5d", "-p", "go on"], folder),
                      ([str(folder), "--session", "019ae5b1-7c", "-p", "go on"], cli.tmp)):
        got, _ = _dry(cli, *argv, cwd=cwd)
        assert got == ["netcage", *_argv(cli, folder, tail)]


def test_the_resume_line_names_the_folder(nc, tmp_path, monkeypatch, capsys):
    ws = tmp_path / "ws"
    (ws / "machines/default").mkdir(parents=True)
    (ws / "machines/default/machine.json").write_text('{"image": "img:1"}\n')
    (ws / "config.json").write_text(json.dumps({"proxy": "socks5h://127.0.0.1:9050",
                                                "llm": "192.168.1.50:8080"}))
    folder = tmp_path / "my code" / "repo"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setattr(real_io, "_stdin_is_terminal", lambda: True)  # a person at it
    # each of the two runs asks once (the answer is remembered per run, io.memo)
    nc.register([NETCAGE, "--version"], stdout="netcage 0.13.0\n", occurrences=2)

    def pi(_process):
        group = ws / "machines/default/home/.pi/agent/sessions/--work-repo--"
        group.mkdir(parents=True)
        (group / f"2026-12-01T09-17-37-123Z_{SID}.jsonl").write_text("{}\n")

    nc.register([NETCAGE, "run", nc.any()], callback=pi)
    assert program(["--here"]) == 0
    err = capsys.readouterr().err
    assert err.endswith(f"anon-pi: resume this conversation with `anon-pi '{folder}' "
                        "--session 3b4c5d`\n")
    offered = shlex.split(re.search(r"with `(anon-pi .*)`$", err).group(1))
    monkeypatch.chdir(tmp_path)  # from anywhere
    assert program(["--dry-run", *offered[1:]]) == 0
    out = capsys.readouterr().out
    assert "-w /work/repo" in out and out.rstrip().endswith(f"pi --session {SID}")


def test_a_durable_box_on_the_folder(cli):
    cli.configure()
    folder = _repo(cli)
    for argv, cwd in ((["container", "create", "dev", "--here", "--dry-run"], folder),
                      (["container", "create", "dev", "./repo", "--dry-run"], folder.parent)):
        res = cli.run(*argv, cwd=cwd)
        assert res.returncode == 0, res.stderr
        got = shlex.split(res.stdout)
        assert got[:3] == ["netcage", "run", "--label"]
        assert got[3] == label("default", "", str(folder), "/work/repo")
        assert got[got.index("-v") + 2:got.index("-w") + 2] == [
            "-v", f"{folder}:/work/repo", "-w", "/work/repo"]
        assert not any(":/projects" in a for a in got)
        assert "the jail sees" in res.stderr
    res = cli.run("container", "create", "dev", "recon", "--here", "--dry-run", cwd=folder)
    assert res.returncode == 2 and "not both" in res.stderr


def test_doctor_says_what_the_jail_sees_here(cli):
    cli.configure()
    folder = _repo(cli)
    res = cli.run("doctor", "--here", cwd=folder, **USER)
    assert f"ok   jail sees /work/repo: {folder} (only this folder, with --here)" in res.stdout
    res = cli.run("doctor", "--here", cwd=cli.home, **USER)
    assert f"FAIL jail sees /work/<this folder>: {cli.home} is your home folder" in res.stdout
    assert res.returncode == 1
    assert "/work/" not in cli.run("doctor", cwd=folder, **USER).stdout  # only when asked


def test_a_word_after_pis_flag_is_pis_message_on_a_folder(cli):
    """`anon-pi --here --model qwen3 recon` does not start at the projects root, so a project
    named recon is no other reading of it: pi gets the word (at the projects root the same
    line is refused as a guess)."""
    cli.configure()
    (cli.ws / "projects" / "recon").mkdir(parents=True)
    folder = _repo(cli)
    argv, _ = _dry(cli, "--here", "--model", "qwen3", "recon", cwd=folder)
    assert argv == ["netcage", *_argv(cli, folder, [*PI_ARGS_CMD, "--model", "qwen3", "recon"],
                                      True)]
    assert cli.run("--dry-run", "--model", "qwen3", "recon", cwd=folder).returncode == 2
