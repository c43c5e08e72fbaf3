"""Pure: port tokens, --bind, listener parsing, forwardable ports, hints, the verbs' grammar."""

import pytest
from containers_support import listeners_json

from anonpi_helpers.containers.grammar import ForwardArgs, parse_forward_args, wants_help
from anonpi_helpers.containers.ports_parse import (
    Listener,
    check_bind,
    forwardable,
    listener_lines,
    open_hint,
    parse_listeners,
    port_number,
    port_token,
)
from anonpi_helpers.core.errors import AnonPiError


@pytest.mark.parametrize("token,want", [
    ("3001", "3001"), ("3001:3001", "3001"), ("08080", "8080"), ("08080:3001", "8080:3001"),
    ("9000:1", "9000:1"), ("1", "1"), ("65535", "65535"), ("8080:03001", "8080:3001")])
def test_port_token_normalised(token, want):
    assert port_token(token) == want


@pytest.mark.parametrize("token,words", [
    ("0", "1 to 65535"), ("65536", "1 to 65535"), ("70000", "1 to 65535"),
    ("abc", "1 to 65535"), ("1:2:3", "too many colons"), ("", "1 to 65535"),
    (":3001", "1 to 65535"), ("3001:", "1 to 65535"), ("-1", "1 to 65535"),
    ("3e3", "1 to 65535"), ("٣٠٠١", "1 to 65535")])
def test_port_token_refused(token, words):
    with pytest.raises(AnonPiError) as exc:
        port_token(token)
    assert words in exc.value.message
    assert f'"{token}"' in exc.value.message
    assert "<host>:<jail>" in exc.value.hint


def test_prompt_port_errors_do_not_say_port_flag():
    with pytest.raises(AnonPiError) as exc:
        port_number("abc", "jail port")
    assert exc.value.message.startswith('invalid jail port "abc"')
    assert "--port" not in exc.value.message


def test_bind_checked_locally():
    assert check_bind("127.0.0.1") == "127.0.0.1"
    assert check_bind("0.0.0.0") == "0.0.0.0"
    for bad in ("localhost", "192.168.1.2", "", "::"):
        with pytest.raises(AnonPiError, match="127.0.0.1 or 0.0.0.0"):
            check_bind(bad)


def test_listener_parsing_drops_malformed():
    text = ('[{"address": "0.0.0.0", "port": 3001, "loopbackOnly": false},'
            ' {"address": "127.0.0.1", "port": "80", "loopbackOnly": true},'
            ' {"address": 5, "port": 80, "loopbackOnly": true},'
            ' {"address": "::", "port": 80, "loopbackOnly": "no"},'
            ' {"address": "::", "port": true, "loopbackOnly": false},'
            ' {"address": "::", "port": 0, "loopbackOnly": false},'
            ' 7, null, {"address": ":::5173", "port": 5173, "loopbackOnly": false}]')
    assert parse_listeners(text) == [Listener("0.0.0.0", 3001, False),
                                     Listener(":::5173", 5173, False)]
    for junk in ("", "nope", "{}", "null"):
        assert parse_listeners(junk) is None


def test_forwardable_drops_netcage_dns_dedups_sorts():
    ls = parse_listeners(listeners_json(
        ("127.0.0.1", 53, True), ("0.0.0.0", 5173, False), ("::", 5173, False),
        ("0.0.0.0", 3001, False), ("0.0.0.0", 53, False)))
    assert forwardable(ls) == [53, 3001, 5173]
    assert forwardable([Listener("127.0.0.1", 53, True)]) == []


def test_open_hint():
    assert open_hint([]) == "open: (none detected)"
    assert open_hint([Listener("127.0.0.1", 53, True)]) == "open: (none detected)"
    assert open_hint([Listener("0.0.0.0", 5173, False), Listener("::", 3001, False)]) == \
        "open: 3001, 5173"
    assert open_hint([Listener("127.0.0.1", 5173, True), Listener("0.0.0.0", 3001, False)]) \
        == "open: 3001, 5173 (loopback only)"
    assert open_hint(None).startswith("open: (unknown")


def test_listener_lines():
    ls = [Listener("127.0.0.1", 53, True), Listener("::", 3001, False),
          Listener("127.0.0.1", 5173, True), Listener("::1", 8080, True)]
    assert listener_lines("box_1", ls) == [
        "box_1: in-jail TCP listeners",
        "  127.0.0.1:53\tloopback  (netcage DNS)",
        "  [::]:3001\tall-interfaces",
        "  127.0.0.1:5173\tloopback",
        "  [::1]:8080\tloopback",
    ]
    assert "no in-jail TCP listeners" in listener_lines("box_1", [])[0]


def test_forward_grammar():
    assert parse_forward_args([], "forward") == ForwardArgs()
    assert parse_forward_args(["alpha", "-p", "3001:3001", "--bind", "0.0.0.0", "-m", "box"],
                              "forward") == ForwardArgs("alpha", "box", "3001", "0.0.0.0")
    assert parse_forward_args(["--port", "08080:3001", "."], "forward") == \
        ForwardArgs(".", None, "8080:3001", None)
    assert parse_forward_args(["3001"], "ports") == ForwardArgs(project="3001")
    assert parse_forward_args(["-m", "a", "--machine", "b"], "ports").machine == "b"


@pytest.mark.parametrize("argv,words", [
    (["--port=3001"], "unknown option: --port=3001"),
    (["a", "b"], "unexpected argument: b (forward takes at most one project)"),
    (["--port"], "--port needs a value"),
    (["--port", "-m"], 'invalid --port "-m"'),
    (["-m"], "-m needs a value"),
    (["-m", "../x"], "invalid machine name"),
    (["pi"], "invalid project name"),
    (["-x"], "unknown option: -x"),
    (["--bind", "1.2.3.4"], "invalid --bind"),
    (["-p", "1:2:3"], "too many colons"),
])
def test_forward_grammar_errors(argv, words):
    with pytest.raises(AnonPiError) as exc:
        parse_forward_args(argv, "forward")
    assert words in exc.value.message
    assert exc.value.code == 1


def test_ports_takes_no_port_flags():
    for argv in (["--port", "1"], ["--bind", "0.0.0.0"]):
        with pytest.raises(AnonPiError, match="unknown option"):
            parse_forward_args(argv, "ports")


def test_help_anywhere():
    assert wants_help(["a", "-p", "1", "-h"]) and wants_help(["--help"])
    assert not wants_help(["a"])
