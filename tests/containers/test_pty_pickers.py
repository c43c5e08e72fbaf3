"""The container pickers in a real pty: rows of every machine's jails, the choice, and a
cancel that exits 130."""

import pytest
from containers_support import forwarding, listeners_json, ps_entry, ps_json
from menu_support import active_label, finish, last_frame, spawn

ROW_A = "default / alpha [jail_a] open: 3001"
ROW_B = "box / beta [jail_b] open: 5173, 8080"


def _two_running(cli):
    cli.configure()
    cli.can("ps", ps_json(ps_entry("aaa111", "default", "/projects/alpha", "jail_a"),
                          ps_entry("sidecar", labels={"netcage.managed": "true"}),
                          ps_entry("bbb222", "box", "/projects/beta", "jail_b")))
    cli.can("ports-aaa111", listeners_json(("0.0.0.0", 3001, False),
                                           ("127.0.0.1", 53, True)))
    cli.can("ports-bbb222", listeners_json(("0.0.0.0", 8080, False), ("::", 5173, False),
                                           ("0.0.0.0", 5173, False)))


def _open(cli, *args, header):
    p = spawn(cli, *args, cols=160)  # the whole header on one line
    p.expect_exact(f"anon-pi: pick a container to {header} (\u2191/\u2193 or j/k move, type to "
                   "filter (/ first to type j/k/q), Enter select, q/Esc quit)")
    return p


def test_forward_picker_rows_and_second_choice(cli):
    _two_running(cli)
    cli.can("forward", forwarding("bbb222", "3001"))
    p = _open(cli, "forward", "-p", "3001", header="forward")
    p.expect_exact(ROW_B)
    p.send("j\r")
    out, code = finish(p)
    assert code == 0, out
    assert active_label(out) == ROW_B
    assert out.index(ROW_A) < out.rindex(ROW_B)
    assert [c for c in cli.calls() if c[0] == "forward"] == [["forward", "bbb222", "3001"]]
    assert "forwarding http://127.0.0.1:3001 -> box / beta, jail port 3001 (Ctrl-C" in out


def test_ports_picker_lists_the_chosen_container(cli):
    _two_running(cli)
    p = _open(cli, "ports", header="list ports of")
    p.expect_exact(ROW_B)
    p.send("k\r")  # wraps to the last row
    out, code = finish(p)
    assert code == 0, out
    assert "box / beta: in-jail TCP listeners" in out and "5173" in out


def test_snapshot_picker_rows_have_no_port_hints(cli):
    _two_running(cli)
    p = _open(cli, "image", "snapshot", "snap1", header="snapshot")
    p.expect_exact("box / beta [jail_b]")
    p.send("j\r")
    out, code = finish(p)
    assert "open:" not in out
    commits = [c for c in cli.calls() if c[0] == "commit"]
    assert code == 0, out
    assert commits and commits[0][-2:] == ["bbb222", "anon-pi/snap1:latest"]


@pytest.mark.parametrize("key, code, said", [
    ("q", 130, "anon-pi: cancelled; nothing forwarded"),
    ("\x1b", 130, "anon-pi: cancelled; nothing forwarded"),
    ("\x03", 130, "anon-pi: cancelled; nothing forwarded")])
def test_picker_leave_or_cancel_forwards_nothing_and_fails(cli, key, code, said):
    """A picker is a step of a verb asked for: leaving it (q, Esc) cancels that verb as
    Ctrl-C does; only the bare menu, which asked for nothing yet, leaves with 0."""
    _two_running(cli)
    cli.can("forward", forwarding("bbb222", "3001"))
    p = _open(cli, "forward", "-p", "3001", header="forward")
    p.expect_exact(ROW_B)
    p.send(key)
    out, status = finish(p)
    assert status == code
    assert out.rstrip().endswith(said)
    assert not [c for c in cli.calls() if c[0] == "forward"]


def test_rows_draw_before_the_port_hints_and_the_hints_fill_in(cli):
    _two_running(cli)
    p = spawn(cli, "ports", FAKE_NETCAGE_SLOW="ports=2")
    p.expect_exact("box / beta [jail_b]\r")  # the first screen: rows without hints
    assert "open:" not in p.before
    p.expect_exact(ROW_B)  # then the same rows with them
    p.send("j\r")
    out, code = finish(p)
    assert code == 0 and "box / beta: in-jail TCP listeners" in out


def test_typing_filters_the_picker_rows_and_a_jail_made_name_stays_escaped(cli):
    """The same keys as the menu; a row matches on what it shows, escapes included, and the
    escape sequence in a project name never reaches the terminal, filtered or not."""
    cli.configure()
    cli.can("ps", ps_json(ps_entry("aaa111", "default", "/projects/alpha", "jail_a"),
                          ps_entry("ccc333", "default", "/projects/ev\x1b]52;c;aGk=\x07il",
                                   "jail_c")))
    p = _open(cli, "image", "snapshot", "snap1", header="snapshot")
    p.expect_exact("default / ev\\x1b]52;c;aGk=\\x07il [jail_c]")
    p.send("52")
    p.expect_exact("filter: 52")
    seen = p.before + p.after
    p.send("\r")
    out, code = finish(p)
    seen += out
    assert code == 0, out
    assert active_label(out) == "default / ev\\x1b]52;c;aGk=\\x07il [jail_c]"
    assert "\x1b]52" not in seen and "\x07" not in seen
    assert last_frame(seen)[-1] == "> default / ev\\x1b]52;c;aGk=\\x07il [jail_c]"
    assert not any("alpha" in line for line in last_frame(seen))
    commits = [c for c in cli.calls() if c[0] == "commit"]
    assert commits and commits[0][-2:] == ["ccc333", "anon-pi/snap1:latest"]
