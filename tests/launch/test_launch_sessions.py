"""`--session <id>` (ruling 10): first match in sorted path order, no symlink followed,
the header's cwd trusted only when it is a cwd anon-pi could have launched."""

import json
import os

import pytest
from launch_support import IMAGE, PI_ARGS_CMD, head

from anonpi_helpers.launch.session_files import find_session, first_line
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


def test_first_match_in_sorted_path_order(tmp_path):
    home = tmp_path / "home"
    _session(home, "--projects-b--", "2024_abc.jsonl")
    first = _session(home, "--projects-a--", "2025_abc.jsonl")
    _session(home, "--projects-a--", "2026_abc.jsonl")
    _session(home, "--projects-a--", "2000_abc.txt")
    assert find_session(home, "abc") == first
    assert find_session(home, "zzz") is None
    assert find_session(home, "") is None
    assert find_session(tmp_path / "nohome", "abc") is None


def test_symlinks_never_followed(tmp_path):
    home, outside = tmp_path / "home", tmp_path / "outside"
    real = _session(outside, "--projects-x--", "abc.jsonl")
    (home / ".pi/agent/sessions/--projects-a--").mkdir(parents=True)
    os.symlink(real, home / ".pi/agent/sessions/--projects-a--/abc.jsonl")
    os.symlink(real.parent, home / ".pi/agent/sessions/--projects-b--")
    assert find_session(home, "abc") is None
    for link in (".pi", ".pi/agent", ".pi/agent/sessions"):
        h = tmp_path / f"h{link.count('/')}"
        target = outside.joinpath(*[".pi", "agent", "sessions"][: link.count("/") + 1])
        (h / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, h / link)
        assert find_session(h, "abc") is None, link


def test_fifo_is_skipped(tmp_path):
    home = tmp_path / "home"
    d = home / ".pi/agent/sessions/--projects-a--"
    d.mkdir(parents=True)
    os.mkfifo(d / "abc.jsonl")
    assert find_session(home, "abc") is None


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
    return head("default", f"{ws}/projects", "", cwd) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", cwd, IMAGE, *PI_ARGS_CMD]


def test_session_runs_in_its_recorded_cwd(cli):
    cli.configure()
    _session(_home(cli), "--projects-alpha--", "2025-01-01_abc123.jsonl")
    res = cli.run("--session", "abc123", "-p", "go on")
    assert res.returncode == 0, res.stderr
    assert cli.run_calls() == [_argv_for(cli, "/projects/alpha")
                               + ["--session", "abc123", "-p", "go on"]]
    assert (cli.ws / "projects/alpha").is_dir()


def test_session_miss_uses_the_root(cli):
    cli.configure()
    res = cli.run("-r", "nothere", "-p", "x")
    assert res.returncode == 0, res.stderr
    assert cli.run_calls() == [_argv_for(cli, "/projects") + ["-r", "nothere", "-p", "x"]]


def test_session_bad_header_cwd_uses_the_root(cli):
    cli.configure()
    _session(_home(cli), "--etc--", "abc.jsonl", cwd="/etc")
    res = cli.run("--session", "abc", "-p", "x")
    assert res.returncode == 0, res.stderr
    assert cli.run_calls() == [_argv_for(cli, "/projects") + ["--session", "abc", "-p", "x"]]
    assert not (cli.ws / "projects" / "etc").exists()


def test_session_symlinked_store_warns_and_uses_the_root(cli):
    cli.configure()
    outside = cli.tmp / "outside"
    _session(outside, "--projects-alpha--", "abc.jsonl")
    agent = _home(cli) / ".pi/agent"
    agent.mkdir(parents=True)
    os.symlink(outside / ".pi/agent/sessions", agent / "sessions")
    res = cli.run("--session", "abc", "-p", "x")
    assert res.returncode == 0, res.stderr
    assert f"anon-pi: warning: {agent / 'sessions'} is a symlink" in res.stderr
    assert cli.run_calls() == [_argv_for(cli, "/projects") + ["--session", "abc", "-p", "x"]]


def test_session_empty_id_refused(cli):
    cli.configure()
    res = cli.run("--session", "", "-p", "x")
    assert res.returncode == 1
    assert res.stderr.splitlines()[0] == "anon-pi: --session needs a session id."
    assert cli.calls() == []


def test_session_under_mount_keeps_work_cwd(cli):
    cli.configure()
    src = cli.tmp / "src"
    _session(_home(cli), "--work-sub--", "abc.jsonl", cwd="/work/sub")
    res = cli.run("--dry-run", "--mount", str(src), "--session", "abc", "-p", "x")
    assert res.returncode == 0, res.stderr
    assert " -w /work/sub " in res.stdout
