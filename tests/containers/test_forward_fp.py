"""forward / ports in-process, every netcage call faked (pytest-subprocess): exact argv and
how many calls are made."""

import pytest
from containers_support import PS, at_terminal, forwarding, listeners_json, ps_entry, ps_json
from harness_paths import NETCAGE
from in_process import program

from anonpi_helpers.edges import terminal

ONE = ps_json(ps_entry("aaa111", "default", "/projects/alpha", name="alpha_1"))
MANY = ps_json(
    ps_entry("aaa111", "default", "/projects/alpha", name="alpha_1"),
    ps_entry("bbb222", "box", "/projects/alpha", name="alpha_2"),
    ps_entry("ccc333", "box", "/projects", name="root_3"),
)


def _ports(nc, ref, *items, rc=0):
    nc.register([NETCAGE, "ports", ref, "--json"], stdout=listeners_json(*items), returncode=rc)


@pytest.fixture
def tty(monkeypatch):
    """A terminal whose picker choice and typed lines the test decides."""
    seen = {"select": [], "prompts": [], "first": []}
    state = {"pick": 0, "answers": [], "wait_for_hints": True}

    def select(io, header, labels, nothing, later=None, search=None):
        """Like the real selector: the rows show at once, hints fill in if the user waits."""
        seen["first"].append(labels)
        shown = later() if later and state["wait_for_hints"] else labels
        seen["select"].append((header, shown, nothing))
        return state["pick"]

    def prompt_line(io, text, nothing=None):
        seen["prompts"].append(text)
        return state["answers"].pop(0) if state["answers"] else None

    at_terminal(monkeypatch)
    monkeypatch.setattr(terminal, "select", select)
    monkeypatch.setattr(terminal, "prompt_line", prompt_line)
    seen["state"] = state
    return seen


def test_forward_explicit_port_exact_argv_three_calls(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=ONE)
    _ports(nc, "aaa111", ("0.0.0.0", 3001, False))
    nc.register([NETCAGE, "forward", "--bind", "0.0.0.0", "aaa111", "8080:3001"],
                stdout=forwarding("aaa111", "8080:3001", bind="0.0.0.0"))
    assert program(["forward", "alpha", "--port", "08080:3001", "--bind", "0.0.0.0"]) == 0
    assert [list(c) for c in nc.calls] == [
        [NETCAGE, *PS], [NETCAGE, "ports", "aaa111", "--json"],
        [NETCAGE, "forward", "--bind", "0.0.0.0", "aaa111", "8080:3001"]]
    out, err = capsys.readouterr()
    assert out == ("anon-pi: forwarding http://0.0.0.0:8080 -> default / alpha, jail port 3001 "
                   "(Ctrl-C to stop)\n")
    assert err == ""


@pytest.mark.parametrize("listeners, warned", [
    ([("127.0.0.1", 3001, True)], True), ([("127.0.0.1", 3001, True), ("::1", 3001, True)], True),
    ([("127.0.0.1", 3001, True), ("0.0.0.0", 3001, False)], False),
    ([("127.0.0.1", 5173, True)], False), (None, False)])
def test_forward_warns_when_the_server_listens_on_loopback_only(nc, capsys, listeners, warned):
    nc.register([NETCAGE, *PS], stdout=ONE)
    _ports(nc, "aaa111", *(listeners or []), rc=0 if listeners is not None else 1)
    nc.register([NETCAGE, "forward", "aaa111", "3001"], stdout=forwarding("aaa111", "3001"))
    assert program(["forward", "-p", "3001"]) == 0
    out, err = capsys.readouterr()
    warning = ("anon-pi: warning: in the jail, port 3001 listens on loopback only; the forward "
               "may not reach it: start the server on 0.0.0.0 (e.g. `--host 0.0.0.0`).\n")
    assert out.startswith("anon-pi: forwarding http://127.0.0.1:3001 -> default / alpha")
    assert err == (warning if warned else "")


def test_forward_status_passes_through(nc):
    nc.register([NETCAGE, *PS], stdout=ONE)
    _ports(nc, "aaa111")
    nc.register([NETCAGE, "forward", "aaa111", "3001"], returncode=7)
    assert program(["forward", "-p", "3001:3001"]) == 7


@pytest.mark.parametrize("argv", [
    ["forward", "-p", "0"], ["forward", "-p", "abc"], ["forward", "--bind", "10.0.0.1", "-p", "1"],
    ["forward", "a", "b"], ["ports", "--port", "1"], ["forward", "-m", "pi"],
    ["ports", "bad/name"]])
def test_bad_arguments_make_no_netcage_call(nc, argv, capsys):
    usage = "--bind" in argv or "b" in argv or "--port" in argv  # the line itself is wrong
    assert program(argv) == (2 if usage else 1)
    assert list(nc.calls) == []
    assert capsys.readouterr().err.startswith("anon-pi: ")


def test_one_ps_call_however_many_containers(nc, capsys):
    many = [ps_entry(f"id{i:04d}", "box", f"/projects/p{i}") for i in range(60)]
    nc.register([NETCAGE, *PS], stdout=ps_json(*many))
    _ports(nc, "id0042", ("0.0.0.0", 3001, False))
    assert program(["ports", "p42", "-m", "box"]) == 0
    assert nc.call_count([NETCAGE, *PS]) == 1
    assert len(nc.calls) == 2
    assert "  0.0.0.0:3001\tall-interfaces" in capsys.readouterr().out


def test_ports_picker_hints_fetched_once_each_chosen_not_asked_again(nc, tty, capsys):
    nc.register([NETCAGE, *PS], stdout=MANY)
    _ports(nc, "aaa111", ("0.0.0.0", 3001, False), ("127.0.0.1", 53, True))
    _ports(nc, "bbb222", ("0.0.0.0", 5173, False), ("::", 3001, False))
    _ports(nc, "ccc333")
    tty["state"]["pick"] = 1
    assert program(["ports"]) == 0
    [(header, labels, nothing)] = tty["select"]
    assert header.startswith("anon-pi: pick a container to list ports of")
    assert labels == ["default / alpha [alpha_1] open: 3001",
                      "box / alpha [alpha_2] open: 3001, 5173",
                      "box / . [root_3] open: (none detected)"]
    assert nothing == "listed"
    assert tty["first"] == [["default / alpha [alpha_1]", "box / alpha [alpha_2]",
                             "box / . [root_3]"]]  # drawn before any hint arrived
    assert nc.call_count([NETCAGE, *PS]) == 1
    assert len(nc.calls) == 4  # ps + one `ports` per row, none for the chosen one again
    assert capsys.readouterr().out == ("box / alpha: in-jail TCP listeners\n"
                                       "  0.0.0.0:5173\tall-interfaces\n"
                                       "  [::]:3001\tall-interfaces\n")


def test_a_pick_before_the_hints_arrive_asks_only_for_the_chosen_row(nc, tty, capsys):
    nc.register([NETCAGE, *PS], stdout=MANY)
    _ports(nc, "bbb222", ("0.0.0.0", 5173, False))
    tty["state"].update(pick=1, wait_for_hints=False)
    assert program(["ports"]) == 0
    assert [list(c)[1] for c in nc.calls] == ["ps", "ports"]
    assert "0.0.0.0:5173" in capsys.readouterr().out


def test_m_filter_and_dot_project(nc, tty, capsys):
    nc.register([NETCAGE, *PS], stdout=MANY)
    _ports(nc, "ccc333", ("127.0.0.1", 53, True))
    assert program(["ports", ".", "-m", "box"]) == 0
    assert tty["select"] == []
    out = capsys.readouterr().out
    assert out == "box / .: in-jail TCP listeners\n  127.0.0.1:53\tloopback  (netcage DNS)\n"


def test_ports_json_is_one_document(nc, capsys):
    import json

    nc.register([NETCAGE, *PS], stdout=MANY)
    _ports(nc, "ccc333", ("127.0.0.1", 53, True), ("::", 3001, False))
    assert program(["ports", ".", "-m", "box", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out) == {"machine": "box", "project": ".", "container": "root_3",
                               "listeners": [
                                   {"address": "127.0.0.1", "port": 53, "loopback_only": True,
                                    "netcage_dns": True},
                                   {"address": "::", "port": 3001, "loopback_only": False,
                                    "netcage_dns": False}]}


def test_many_without_terminal_is_an_error_before_any_ports_call(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=MANY)
    assert program(["forward", "alpha", "-p", "3001"]) == 1
    assert len(nc.calls) == 1
    err = capsys.readouterr().err
    assert 'anon-pi: 2 running anon-pi containers match for project "alpha"; a terminal' in err
    assert "anon-pi forward <project>" in err


def test_no_match_names_scope_and_other_machines(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=MANY)
    assert program(["forward", ".", "-m", "default", "-p", "3001"]) == 1
    err = capsys.readouterr().err
    assert 'no running anon-pi container for project "." on machine "default".' in err
    assert "machine(s) box" in err


def test_failing_ps_is_an_error_not_no_container(nc, capsys):
    nc.register([NETCAGE, *PS], returncode=125, stderr="Error: podman is broken\n")
    assert program(["ports"]) == 1
    err = capsys.readouterr().err
    assert "`netcage ps` failed (exit 125): Error: podman is broken" in err
    assert "no running" not in err


def test_junk_ps_is_an_error(nc, capsys):
    nc.register([NETCAGE, *PS], stdout="<html>")
    assert program(["forward", "-p", "1"]) == 1
    assert capsys.readouterr().err == (
        "anon-pi: `netcage ps` printed something that is not a JSON list; cannot tell which "
        "jails are running.\n  hint: check `netcage ps --format json`\n")


def test_failing_netcage_ports_is_an_error_not_no_listeners(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=ONE)
    nc.register([NETCAGE, "ports", "aaa111", "--json"], returncode=2, stderr="unknown verb\n")
    assert program(["ports"]) == 1
    err = capsys.readouterr().err
    assert "`netcage ports` failed for alpha_1 (exit 2): unknown verb" in err
    assert "0.10.0" in err


def test_forward_prompts_default_when_one_port(nc, tty, capsys):
    nc.register([NETCAGE, *PS], stdout=ONE)
    _ports(nc, "aaa111", ("0.0.0.0", 3001, False), ("::", 3001, False), ("127.0.0.1", 53, True))
    nc.register([NETCAGE, "forward", "aaa111", "3001"])
    tty["state"]["answers"] = ["", ""]
    assert program(["forward"]) == 0
    assert tty["prompts"] == ["  jail port to forward [3001]: ",
                              "  host port (Enter for same as jail, or type a different one): "]
    assert "  in-jail listeners: open: 3001" in capsys.readouterr().err


def test_forward_prompts_host_differs(nc, tty):
    nc.register([NETCAGE, *PS], stdout=ONE)
    _ports(nc, "aaa111", ("0.0.0.0", 3001, False), ("0.0.0.0", 5173, False))
    nc.register([NETCAGE, "forward", "aaa111", "9000:3001"])
    tty["state"]["answers"] = [" 3001 ", "9000"]
    assert program(["forward"]) == 0
    assert tty["prompts"][0] == "  jail port to forward: "


@pytest.mark.parametrize("answers,words,prompts", [
    (["abc"], 'invalid jail port "abc"', 1),  # checked before the host question
    (["9000:3001"], 'invalid jail port "9000:3001"', 1),
    (["70000"], "invalid jail port", 1),
    ([""], "no port given; nothing forwarded", 1),
    ([], "end of input", 1),  # EOF at a value prompt cancels
    (["3001"], "end of input", 2),
    (["3001", "0"], 'invalid host port "0"', 2),
])
def test_forward_prompt_refusals(nc, tty, capsys, answers, words, prompts):
    nc.register([NETCAGE, *PS], stdout=ONE)
    _ports(nc, "aaa111", ("0.0.0.0", 3001, False), ("0.0.0.0", 5173, False))
    tty["state"]["answers"] = answers
    assert program(["forward"]) == 1
    assert len(tty["prompts"]) == prompts
    err = capsys.readouterr().err
    assert words in err and "--port \"" not in err
    assert not any("forward" in c for c in nc.calls)


def test_forward_picker_then_prompt_reuses_the_hint(nc, tty):
    nc.register([NETCAGE, *PS], stdout=MANY)
    _ports(nc, "aaa111", ("0.0.0.0", 3001, False))
    _ports(nc, "bbb222", ("0.0.0.0", 5173, False))
    _ports(nc, "ccc333")
    nc.register([NETCAGE, "forward", "bbb222", "5173"])
    tty["state"]["pick"] = 1
    tty["state"]["answers"] = ["", ""]
    assert program(["forward"]) == 0
    assert tty["select"][0][0].startswith("anon-pi: pick a container to forward ")
    assert tty["select"][0][2] == "forwarded"
    assert nc.call_count([NETCAGE, "ports", "bbb222", "--json"]) == 1
    assert len(nc.calls) == 5


def test_forward_without_port_or_terminal(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=ONE)
    assert program(["forward"]) == 1
    assert "no TTY" in capsys.readouterr().err
    assert len(nc.calls) == 1


def test_picker_cancel_exits_130(nc, monkeypatch, capsys):
    from anonpi_helpers.core.errors import Cancelled

    def cancel(io, header, labels, nothing, later=None, search=None):
        raise Cancelled(nothing)

    at_terminal(monkeypatch)
    monkeypatch.setattr(terminal, "select", cancel)
    nc.register([NETCAGE, *PS], stdout=MANY)
    for ref in ("aaa111", "bbb222", "ccc333"):
        _ports(nc, ref)
    assert program(["forward", "-p", "3001"]) == 130
    assert "anon-pi: cancelled; nothing forwarded" in capsys.readouterr().err
    assert not any("forward" in c for c in nc.calls)


def test_help_does_nothing_else(nc, capsys):
    assert program(["forward", "alpha", "--port", "0", "-h"]) == 0
    assert program(["ports", "--help"]) == 0
    out = capsys.readouterr().out
    assert "anon-pi forward [<project>|.]" in out and "anon-pi ports [<project>|.]" in out
    assert list(nc.calls) == []


def test_ctrl_c_at_a_port_prompt_cancels_with_130(nc, tty, monkeypatch, capsys):
    def interrupted(io, text, nothing=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal, "prompt_line", interrupted)
    nc.register([NETCAGE, *PS], stdout=ONE)
    _ports(nc, "aaa111", ("0.0.0.0", 3001, False))
    assert program(["forward"]) == 130
    assert "anon-pi: cancelled; nothing forwarded" in capsys.readouterr().err
    assert not any("forward" in c for c in nc.calls)
