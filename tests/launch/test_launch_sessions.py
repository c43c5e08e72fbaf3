"""`--session`/`--session-id <id>` as pi 1.6.0 reads them: the id or its start
across the machine's conversations, exactly one or an error, pi gets the full id; no symlink
followed, the header's cwd trusted only when anon-pi could have launched it; `-r` takes no
value."""

import json
import os
import shlex
import subprocess

import pytest
from harness_paths import BIN
from launch_support import IMAGE, PI_ARGS_CMD, RELAY, head
from tree_digest import tree_digest

from anonpi_helpers.launch.session_files import (
    SessionFile,
    first_line,
    matching,
    parse_name,
    session_files,
)
from anonpi_helpers.launch.session_header import header_cwd


def _session(home, slug, name, cwd="/projects/alpha", raw=None):
    d = home / ".pi/agent/sessions" / slug
    d.mkdir(parents=True, exist_ok=True)
    f = d / name
    f.write_text(raw if raw is not None else
                 json.dumps({"type": "session", "id": "x", "cwd": cwd}) + "\n{}\n")
    return f


@pytest.mark.parametrize("cwd, mounted, out", [
    ("/projects", False, "/projects"), ("/projects/alpha", False, "/projects/alpha"),
    ("/projects/Ünï", False, "/projects/Ünï"), ("/work/alpha", True, "/work/alpha"),
    ("/work", True, "/work"), ("/projects/alpha", True, "/projects/alpha"),
    ("/work/alpha", False, None), ("/projects/../etc", False, None),
    ("/projects/a/b", False, None), ("/projects/.x", False, None), ("/root", False, None),
    ("/etc", False, None), ("/projects/", False, None), ("/projects/pi", False, None),
])
def test_header_cwd(cwd, mounted, out):
    assert header_cwd(json.dumps({"type": "session", "cwd": cwd}), mounted) == out


@pytest.mark.parametrize("line", ["", "garbage", "[]", "null", '{"cwd": 5}', '{"type":1}',
                                  "[" * 100000])
def test_header_garbage(line):
    assert header_cwd(line, False) is None


ID = "019ae5b1-7c2d-7000-8000-00000000abcd"


def _stamped(home, slug, sid, stamp="2026-12-01T09-17-37-123Z", cwd="/projects/alpha"):
    return _session(home, slug, f"{stamp}_{sid}.jsonl", cwd=cwd)


def test_matches_the_start_of_the_id_only(tmp_path):
    """pi's rule: exact id, else ids STARTING with the argument; never the middle of a name."""
    home = tmp_path / "home"
    f = _stamped(home, "--projects-a--", ID)
    _session(home, "--projects-a--", "notes.jsonl")  # no `_`: not a pi session name
    files = session_files(home)
    assert files == [SessionFile(f, ID, "2026-12-01T09-17-37-123Z")]
    assert matching(files, "019ae5b1") == files
    assert matching(files, ID) == files
    for miss in ("7c2d", "abcd", "2026", "09-17", "x"):
        assert matching(files, miss) == [], miss
    assert session_files(tmp_path / "nohome") == []


def test_exact_id_wins_over_longer_ones(tmp_path):
    home = tmp_path / "home"
    short = _stamped(home, "--projects-a--", "abc")
    _stamped(home, "--projects-b--", "abcdef")
    assert [s.path for s in matching(session_files(home), "abc")] == [short]
    assert len(matching(session_files(home), "ab")) == 2


@pytest.mark.parametrize("name, parts", [
    ("2026-12-01T09-17-37-123Z_abc.jsonl", ("2026-12-01T09-17-37-123Z", "abc")),
    ("t_a_b.jsonl", ("t", "a_b")), ("_abc.jsonl", None), ("t_.jsonl", None),
    ("t_abc.json", None), ("abc.jsonl", None)])
def test_parse_name(name, parts):
    assert parse_name(name) == parts


def test_symlinks_never_followed(tmp_path):
    home, outside = tmp_path / "home", tmp_path / "outside"
    real = _session(outside, "--projects-x--", "t_abc.jsonl")
    (home / ".pi/agent/sessions/--projects-a--").mkdir(parents=True)
    os.symlink(real, home / ".pi/agent/sessions/--projects-a--/t_abc.jsonl")
    os.symlink(real.parent, home / ".pi/agent/sessions/--projects-b--")
    assert session_files(home) == []
    for link in (".pi", ".pi/agent", ".pi/agent/sessions"):
        h = tmp_path / f"h{link.count('/')}"
        target = outside.joinpath(*[".pi", "agent", "sessions"][: link.count("/") + 1])
        (h / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, h / link)
        assert session_files(h) == [], link


def test_fifo_is_skipped(tmp_path):
    home = tmp_path / "home"
    d = home / ".pi/agent/sessions/--projects-a--"
    d.mkdir(parents=True)
    os.mkfifo(d / "t_abc.jsonl")
    assert session_files(home) == []


def test_first_line(tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_bytes(b'{"cwd": "/projects/caf\xc3\xa9"}\nrest\n')
    assert first_line(f) == '{"cwd": "/projects/café"}\n'
    assert first_line(tmp_path / "missing") is None
    os.symlink(f, tmp_path / "link.jsonl")
    assert first_line(tmp_path / "link.jsonl") is None


# --- through the real bin/anon-pi -----------------------------------------------------

def _home(cli):
    return cli.ws / "machines/default/home"


def _argv_for(cli, cwd):
    ws = cli.ws
    return head("default", f"{ws}/projects", "", cwd, proxy=RELAY) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", cwd, IMAGE, *PI_ARGS_CMD]


@pytest.mark.parametrize("flag, short, prompt", [
    ("--session", "019ae5b1", "go on"), ("--session-id", "019a", "x")])
def test_session_runs_in_its_recorded_cwd_with_the_full_id(cli, flag, short, prompt):
    cli.configure()
    _stamped(_home(cli), "--projects-alpha--", ID)
    res = cli.run(flag, short, "-p", prompt)
    assert res.returncode == 0, res.stderr
    assert cli.run_calls() == [_argv_for(cli, "/projects/alpha") + [flag, ID, "-p", prompt]]
    assert (cli.ws / "projects/alpha").is_dir()


def test_session_miss_is_an_error_and_creates_nothing(cli):
    cli.configure()
    _stamped(_home(cli), "--projects-alpha--", ID)
    before = tree_digest(cli.ws)
    for flag, sid in (("--session", "nothere"), ("--session-id", "7c2d"), ("--session", "abcd")):
        res = cli.run(flag, sid, "-p", "x")
        assert res.returncode == 1
        assert res.stderr.splitlines()[0] == (
            f'anon-pi: no conversation "{sid}" on machine "default"')
        assert "Traceback" not in res.stderr
    assert cli.run_calls() == []
    assert tree_digest(cli.ws) == before


def test_session_miss_names_the_machine(cli):
    cli.configure(machine="box")
    res = cli.run("-m", "box", "--session", "abc", "-p", "x")
    assert res.stderr.splitlines()[0] == 'anon-pi: no conversation "abc" on machine "box"'
    assert sorted(p.name for p in (cli.ws / "machines" / "box").iterdir()) == ["machine.json"]


def test_several_matches_are_listed(cli):
    cli.configure()
    home = _home(cli)
    for n in range(12):
        _stamped(home, f"--projects-p{n}--", f"abc{n:02d}",
                 stamp=f"2026-11-{n + 1:02d}T08-05-00-000Z", cwd=f"/projects/p{n}")
    res = cli.run("--session", "abc", "-p", "x")
    assert res.returncode == 1
    lines = res.stderr.splitlines()
    assert lines[0] == 'anon-pi: 12 conversations on machine "default" match "abc":'
    assert lines[1] == "  abc11  p11  2026-11-12 08:05"  # newest first
    assert lines[10] == "  abc02  p2  2026-11-03 08:05"
    assert lines[11] == "  … and 2 more"
    assert lines[12].startswith("  hint: give one of the ids above")
    assert cli.run_calls() == []


def test_the_ambiguity_list_shows_jail_made_names_escaped(cli):
    """The jail writes the session store: a file name can carry OSC 52 (writes the host
    clipboard), a screen clear, C1 controls or a bidi override; the list shows each escaped."""
    cli.configure()
    home = _home(cli)
    _stamped(home, "--projects-alpha--", "abc\x1b]52;c;aGk=\x07x")
    _stamped(home, "--projects-alpha--", "abc\u202edef", stamp="2026-12-0\x1b[2J1T09-17-37-123Z")
    _stamped(home, "--projects-alpha--", "abc\x9b31m")
    res = subprocess.run([str(BIN), "--session", "abc", "-p", "x"], env=cli.env(),
                         capture_output=True, check=False, timeout=60)
    assert res.returncode == 1
    err = res.stderr.decode("utf-8")
    for raw in ("\x1b", "\u202e", "\x9b", "\x07"):
        assert raw not in err, repr(raw)
    assert "  abc\\x1b]52;c;aGk=\\x07x  alpha" in err and "  abc\\u202edef  alpha" in err
    assert "2026-12-0\\x1b[2J1" in err and "  abc\\x9b31m  alpha" in err


def test_session_bad_header_cwd_uses_the_root(cli):
    cli.configure()
    _stamped(_home(cli), "--etc--", "abc", cwd="/etc")
    res = cli.run("--session", "abc", "-p", "x")
    assert res.returncode == 0, res.stderr
    assert cli.run_calls() == [_argv_for(cli, "/projects") + ["--session", "abc", "-p", "x"]]
    assert not (cli.ws / "projects" / "etc").exists()


def test_session_symlinked_store_warns_and_finds_nothing(cli):
    cli.configure()
    outside = cli.tmp / "outside"
    _stamped(outside, "--projects-alpha--", "abc")
    agent = _home(cli) / ".pi/agent"
    agent.mkdir(parents=True)
    os.symlink(outside / ".pi/agent/sessions", agent / "sessions")
    res = cli.run("--session", "abc", "-p", "x")
    assert res.returncode == 1
    assert f"anon-pi: warning: {agent / 'sessions'} is a symlink" in res.stderr
    assert 'anon-pi: no conversation "abc" on machine "default"' in res.stderr
    assert cli.run_calls() == []


@pytest.mark.parametrize("sid", ["", "-p"])
def test_session_empty_id_refused(cli, sid):
    cli.configure()
    res = cli.run("--session", sid, "-p", "x")
    assert res.returncode == 2
    assert res.stderr.splitlines()[0] == "anon-pi: --session needs a session id."
    assert cli.calls() == []


@pytest.mark.parametrize("sid", ["../x", "/root/.pi/a.jsonl", "a b", "*"])
def test_session_path_or_odd_value_refused(cli, sid):
    cli.configure()
    res = cli.run("--session-id", sid)
    assert res.returncode == 1
    assert res.stderr.splitlines()[0].startswith("anon-pi: --session-id takes a conversation id")
    assert cli.calls() == []


def test_session_under_mount_keeps_work_cwd(cli):
    cli.configure()
    src = cli.tmp / "src"
    src.mkdir()
    _stamped(_home(cli), "--work-sub--", "abc", cwd="/work/sub")
    res = cli.run("--dry-run", "--mount", str(src), "--session", "abc", "-p", "x")
    assert res.returncode == 0, res.stderr
    assert " -w /work/sub " in res.stdout


# --- -r / --resume: pi's own picker, no value -----------------------------------------

def test_resume_opens_pis_picker_at_the_root_interactively(cli):
    cli.configure()
    res = cli.run("--dry-run", "-r")
    assert res.returncode == 0, res.stderr
    argv = shlex.split(res.stdout)
    assert argv[argv.index("-w") + 1] == "/projects"
    assert "-it" in argv and argv[-2:] == ["pi", "-r"]


@pytest.mark.parametrize("flag", ["-r", "--resume"])
def test_resume_never_takes_the_next_word(cli, flag):
    """`anon-pi -r recon` is pi's `-r recon` (pi's picker, then `recon` as pi's own input)."""
    cli.configure()
    res = cli.run("--dry-run", flag, "recon", "-p")
    assert res.returncode == 0, res.stderr
    argv = shlex.split(res.stdout)
    assert argv[argv.index("-w") + 1] == "/projects"
    assert argv[-4:] == ["pi", flag, "recon", "-p"]
    assert "-it" in argv  # the picker needs a terminal even with -p
    assert not (cli.ws / "projects" / "recon").exists()


def test_resume_in_a_project_and_without_a_tty(cli):
    cli.configure()
    res = cli.run("--dry-run", "recon", "-r")
    argv = shlex.split(res.stdout)
    assert argv[argv.index("-w") + 1] == "/projects/recon" and "-it" in argv
    res = cli.run("-r")
    assert res.returncode == 1 and res.stderr.startswith("anon-pi: no TTY.")
    assert cli.run_calls() == []
