"""The bare-launch menu in a real pty: rows, picks == typed commands, cancels, refusals."""

import pexpect
import pytest
from harness_paths import BIN
from menu_support import (
    CURSOR_SHOWN,
    active_label,
    finish,
    held,
    layout,
    let_go,
    menu,
    spawn,
    typed,
)
from tree_digest import tree_digest
from waiting import bytes_read, until

ROWS = ["_under  (no conversations yet)", "alpha  (used on: box, default)",
        "beta  (used on: box; not yet on this machine)", "Gamma  (no conversations yet)",
        ". (here: a scratch pi at the root)", "+ new project\u2026",
        "shell (a jailed bash on this machine)"]


def _w(calls):
    [argv] = calls
    return argv[argv.index("-w") + 1]


def test_rows_and_annotations_for_a_messy_workspace(cli):
    layout(cli)
    label, out, code = menu(cli, keys="\r")
    first = out.split('anon-pi: machine "default"', 2)[1]
    positions = [first.index(row) for row in ROWS]
    assert positions == sorted(positions)
    for noise in (".hidden", "notes.txt", "pi  ("):
        assert noise not in out
    assert label == ROWS[0] and code == 0
    assert _w(cli.run_calls()) == "/projects/_under"


@pytest.mark.parametrize("keys, expected", [
    ("j", ROWS[1]), ("jj", ROWS[2]), ("\x1b[B", ROWS[1]), ("\x1bOB", ROWS[1]),
    ("k", ROWS[6]), ("\x1b[A", ROWS[6]), ("\x1bOA", ROWS[6]), ("kj", ROWS[0]),
    ("j" * 7, ROWS[0]), ("jjjk", ROWS[2]),
    ("\x04" + " " + "\x1b[C\x1b[D" + "\x1b[5~" + "\x1b[H", ROWS[0]),
])
def test_moving_wraps_and_ignores_other_keys(cli, keys, expected):
    layout(cli)
    label, _out, code = menu(cli, keys=keys + "\r")
    assert (label, code) == (expected, 0)


def test_arrow_split_across_reads_still_moves(cli):
    layout(cli)
    hold, gate = held(cli, "ps")
    p = spawn(cli, **hold)
    p.expect('machine "default"')
    let_go(cli, p, gate, "ps")  # from now on anon-pi reads nothing but its keys
    for byte in "\x1b[B":
        before = bytes_read(p.pid)
        p.send(byte)
        until(lambda n=before: bytes_read(p.pid) > n, f"anon-pi reading the key byte {byte!r}")
    p.send("\r")
    out, code = finish(p)
    assert (active_label(out), code) == (ROWS[1], 0)
    assert _w(cli.run_calls()) == "/projects/alpha"


@pytest.mark.parametrize("keys, command, cwd", [
    ("j\r", ["alpha"], "/projects/alpha"),
    ("kkk\r", ["."], "/projects"),
    ("k\r", ["--shell"], "/projects"),
])
def test_pick_is_byte_identical_to_the_typed_command(cli, keys, command, cwd):
    layout(cli)
    _label, out, code = menu(cli, keys=keys)
    assert code == 0 and "entering the netcage jail" in out
    picked = cli.run_calls()
    assert _w(picked) == cwd
    assert typed(cli, *command) == picked


@pytest.mark.parametrize("flags", [["-m", "box"], ["-i", "other/img:2"]])
def test_flag_variants_pick_like_typed(cli, flags):
    layout(cli)
    for machine in ("default", "box"):
        (cli.ws / "machines" / machine / "home/.pi/agent/.anon-pi-seed").write_text("1\n")
    label, _out, code = menu(cli, *flags, keys="jj\r")
    assert code == 0
    if flags[0] == "-m":
        assert label == "beta  (used on: box)"
    picked = cli.run_calls()
    assert typed(cli, *flags, "beta") == picked
    assert any(flags[1] in arg for arg in picked[0])


def test_mount_lists_the_mount_parent_with_work_slugs(cli):
    layout(cli)
    parent = cli.tmp / "mnt"
    for name in ("one", "two"):
        (parent / name).mkdir(parents=True)
    (cli.ws / "machines/default/home/.pi/agent/sessions/--work-two--").mkdir()
    label, out, code = menu(cli, "--mount", str(parent), keys="j\r")
    assert "alpha" not in out and "one  (no conversations yet)" in out
    assert (label, code) == ("two  (used on: default)", 0)
    picked = cli.run_calls()
    assert _w(picked) == "/work/two"
    assert typed(cli, "--mount", str(parent), "two") == picked


@pytest.mark.parametrize("key, code, said", [
    ("q", 0, "anon-pi: nothing launched"), ("\x1b", 0, "anon-pi: nothing launched"),
    ("\x03", 130, "anon-pi: cancelled; nothing launched")])
def test_leaving_launches_nothing_and_only_ctrl_c_is_a_failure(cli, key, code, said):
    """q and Esc are how one closes a menu after looking: status 0; Ctrl-C is an interrupt."""
    layout(cli)
    before = tree_digest(cli.ws)
    p = spawn(cli)
    p.expect('machine "default"')
    p.send(key)
    out, status = finish(p)
    assert status == code
    assert out.rstrip().endswith(said) and out.count("nothing launched") == 1
    assert CURSOR_SHOWN in out
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


def test_sigterm_restores_the_terminal(cli):
    layout(cli)
    hold, gate = held(cli, "ps")
    p = spawn(cli, **hold)
    p.expect('machine "default"')  # drawn once the SIGTERM handler is in place
    let_go(cli, p, gate, "ps")  # and the box listing's thread has come and gone
    p.kill(15)
    out, code = finish(p)
    assert CURSOR_SHOWN in out and "terminated; nothing launched" in out
    assert code == 143 and cli.run_calls() == []


def test_no_tty_refuses_before_anything(cli):
    layout(cli)
    before = tree_digest(cli.ws)
    res = cli.run()
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: no TTY; the menu needs an interactive terminal")
    assert "anon-pi <project>" in res.stderr
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


def test_no_config_without_tty_reports_the_proxy_first(cli):
    res = cli.run()
    assert res.returncode == 1 and "no proxy" in res.stderr and "TTY" not in res.stderr


def test_redirected_stdout_keeps_escape_codes_out_of_the_file(cli):
    layout(cli)
    target = cli.tmp / "out.txt"
    p = pexpect.spawn("/bin/sh", ["-c", f'"{BIN}" > "{target}"'], env=cli.env(),
                      encoding="utf-8", dimensions=(40, 120), timeout=10)
    p.expect('machine "default"')
    p.send("j\r")
    out, code = finish(p)
    assert code == 0 and active_label(out) == ROWS[1]
    assert "\x1b" not in target.read_text()


def test_symlinks_dirs_count_but_symlinked_sessions_are_never_walked(cli):
    layout(cli)
    outside = cli.tmp / "outside"
    (outside / "checkout").mkdir(parents=True)
    (outside / "sessions/--projects-linked--").mkdir(parents=True)
    root = cli.ws / "projects"
    (root / "linked").symlink_to(outside / "checkout")
    (root / "dangling").symlink_to(outside / "missing")
    (root / "filelink").symlink_to(root / "notes.txt")
    box = cli.ws / "machines/box/home/.pi/agent/sessions"
    for slug in box.iterdir():
        slug.rmdir()
    box.rmdir()
    box.symlink_to(outside / "sessions")
    label, out, code = menu(cli, keys="jjjj\r")
    assert f"anon-pi: warning: {box} is a symlink; skipped" in out
    assert "beta  (no conversations yet)" in out and "dangling" not in out and "filelink" not in out
    assert (label, code) == ("linked  (no conversations yet)", 0)
    assert _w(cli.run_calls()) == "/projects/linked"
    assert (root / "linked").is_symlink()


def test_menu_needs_netcage_on_path(cli):
    layout(cli)
    cli.no_netcage()
    out, code = finish(spawn(cli))
    assert code == 1 and "`netcage` not found on PATH" in out and "machine \"" not in out


def test_machine_without_a_folder_is_new_for_every_project(cli):
    layout(cli)  # the configured default machine may be new; `-m` only names existing ones
    cli.write_json(cli.ws / "config.json", {"proxy": cli.proxy, "llm": "192.168.1.50:8080",
                                            "defaultMachine": "fresh"})
    label, out, code = menu(cli, keys="j\r", ANON_PI_IMAGE="some/img:1")
    assert 'anon-pi: machine "fresh"' in out
    assert (label, code) == ("alpha  (used on: box, default; not yet on this machine)", 0)
    assert "_under  (no conversations yet)" in out
