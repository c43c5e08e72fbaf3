"""After an interactive pi session the user sees the anon-pi command that resumes it: pi's own
`pi --session <uuid>` does not exist on the host. In-process, netcage answered by
pytest-subprocess; the "session" writes its conversation file the way pi does, while netcage
runs."""

import json
import os
import re
import shlex

import pytest
from harness_paths import NETCAGE
from in_process import program
from loopback_listener import Listener

from anonpi_helpers.edges import real_io
from anonpi_helpers.edges.workspace import SEED_MARKER

OLD = "019ae5b1-0c2d-7000-9d4b-8e1f2a3b0c5d"  # same minute as NEW: the start is shared
NEW = "019ae5b1-7c2e-7f3a-9d4b-8e1f2a3b4c5d"
RESUME = "anon-pi: resume this conversation with `anon-pi {flags}--session {form}`\n"


@pytest.fixture
def proxy():
    """A loopback listener as the proxy: the launch checks that it answers."""
    listening = Listener()
    yield f"socks5h://127.0.0.1:{listening.port}"
    listening.close()


@pytest.fixture
def ws(nc, tmp_path, monkeypatch, proxy):
    root = tmp_path / "ws"
    for machine in ("default", "work"):
        (root / "machines" / machine).mkdir(parents=True)
        (root / "machines" / machine / "machine.json").write_text('{"image": "img:1"}\n')
    (root / "config.json").write_text(json.dumps({"proxy": proxy,
                                                  "llm": "192.168.1.50:8080"}))
    (root / "projects" / "recon").mkdir(parents=True)  # a new one is asked about first
    monkeypatch.setattr(real_io, "_stdin_is_terminal", lambda: True)  # a person at it
    # each run asks once (the answer is remembered per run, io.memo); a test runs two at most
    nc.register([NETCAGE, "--version"], stdout="netcage 0.13.0\n", occurrences=2)
    return root


def _conversation(ws, sid, machine="default", folder="--projects-recon--", old=False):
    path = ws / "machines" / machine / "home/.pi/agent/sessions" / folder
    path.mkdir(parents=True, exist_ok=True)
    path = path / f"2026-12-01T09-17-37-123Z_{sid}.jsonl"
    path.write_text(json.dumps({"type": "session", "id": sid, "cwd": "/projects/recon"}) + "\n")
    if old:
        os.utime(path, (1_000_000, 1_000_000))
    return path


def _session(nc, writes=(), rc=0):
    """netcage run, during which the jailed pi writes these conversation files."""
    def pi(_process):
        for write in writes:
            write()

    nc.register([NETCAGE, "run", nc.any()], callback=pi, returncode=rc)


def test_a_new_conversation_is_offered_by_its_shortest_unique_form(nc, ws, capsys):
    _conversation(ws, OLD, old=True)
    _session(nc, [lambda: _conversation(ws, NEW)])
    assert program(["recon"]) == 0
    assert capsys.readouterr().err.endswith(RESUME.format(flags="", form="3b4c5d"))
    assert [c[1] for c in nc.calls] == ["--version", "run"]  # waited on, not exec'd


def test_the_offered_command_opens_that_conversation(nc, ws, capsys):
    _conversation(ws, OLD, old=True)
    _session(nc, [lambda: _conversation(ws, NEW)])
    program(["recon"])
    form = re.search(r"--session (\S+)`", capsys.readouterr().err).group(1)
    assert program(["--dry-run", "--session", form]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"exec pi \"$@\"' pi --session {NEW}")


def test_another_machine_and_netcages_status(nc, ws, capsys):
    _session(nc, [lambda: _conversation(ws, NEW, machine="work")], rc=3)
    assert program(["-m", "work", "recon"]) == 3
    assert capsys.readouterr().err.endswith(RESUME.format(flags="-m work ", form="3b4c5d"))


def test_a_resumed_conversation_left_untouched_is_still_offered(nc, ws, capsys):
    _conversation(ws, NEW, old=True)
    _conversation(ws, OLD, old=True)
    _session(nc)
    assert program(["--session", "3b4c5d"]) == 0
    assert capsys.readouterr().err.endswith(RESUME.format(flags="", form="3b4c5d"))


@pytest.mark.parametrize("written", [
    (),  # pi quit before the first message: it writes no file
    ("--projects-other--", NEW),  # another project's conversation, not this session's
    ("--projects-recon--", "x\x1b]52;c;aGk=\x07"),  # not an id `--session` takes
])
def test_nothing_to_resume_prints_nothing(nc, ws, capsys, written):
    writes = [lambda: _conversation(ws, written[1], folder=written[0])] if written else []
    _session(nc, writes)
    assert program(["recon"]) == 0
    assert "resume" not in capsys.readouterr().err


def test_a_headless_launch_still_becomes_netcage(nc, ws, handed):
    with pytest.raises(handed) as got:
        program(["recon", "-p", "hi"])
    assert got.value.argv[:2] == ["netcage", "run"]


def test_a_mounted_project_is_resumed_with_its_mount(nc, ws, tmp_path, capsys):
    mount = tmp_path / "my src"
    (mount / "recon").mkdir(parents=True)
    _session(nc, [lambda: _conversation(ws, NEW, folder="--work-recon--")])
    assert program(["--mount", str(mount), "recon"]) == 0
    assert capsys.readouterr().err.endswith(
        RESUME.format(flags=f"--mount '{mount}' ", form="3b4c5d"))


def test_every_flag_that_shaped_the_launch_is_carried(nc, ws, tmp_path, capsys):
    """`-i` ran another image than the machine's pin: resuming without it would run the pin."""
    mount = tmp_path / "src"
    (mount / "recon").mkdir(parents=True)
    marker = ws / "machines" / "work" / "home" / SEED_MARKER  # -i runs on a seeded home only
    marker.parent.mkdir(parents=True)
    marker.write_text("")
    _session(nc, [lambda: _conversation(ws, NEW, machine="work", folder="--work-recon--")])
    assert program(["-m", "work", "-i", "localhost/other:2", "--mount", str(mount), "recon"]) == 0
    err = capsys.readouterr().err
    assert err.endswith(RESUME.format(
        flags=f"-m work -i localhost/other:2 --mount {mount} ", form="3b4c5d"))
    offered = shlex.split(re.search(r"with `(anon-pi .*)`$", err).group(1))
    assert program(["--dry-run", *offered[1:]]) == 0
    argv = shlex.split(capsys.readouterr().out.replace("\\\n", " "))
    assert "localhost/other:2" in argv and argv[-1] == NEW


def test_in_a_terminal_the_line_follows_the_session(cli):
    """The real entry point in a pty: the launch waits for netcage, then says how to resume
    (the conversation is dated after the launch, as the one its pi writes would be)."""
    import time

    from menu_support import finish, spawn

    cli.configure()
    (cli.ws / "projects" / "recon").mkdir(parents=True)
    path = _conversation(cli.ws, NEW)
    later = time.time() + 60
    os.utime(path, (later, later))
    out, code = finish(spawn(cli, "recon", FAKE_NETCAGE_RC="5"))
    assert code == 5, out
    assert out.replace("\r\n", "\n").endswith(RESUME.format(flags="", form="3b4c5d"))


def test_a_conversation_stamped_by_the_coarse_file_clock_just_before_the_start_is_offered(ws):
    """The kernel's mtime clock lags the launch's clock by up to a tick: a file written right
    after the start may read as a few milliseconds older; one from before the launch not."""
    from anonpi_helpers.launch.resume import resume_line

    home = ws / "machines" / "default" / "home"
    started = 2_000_000.0
    os.utime(_conversation(ws, OLD), (started - 60, started - 60))
    os.utime(_conversation(ws, NEW), (started - 0.004, started - 0.004))
    assert resume_line(home, "/projects/recon", started, None, []) == RESUME.format(
        flags="", form="3b4c5d")
