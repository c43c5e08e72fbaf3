"""Pure: port tokens, --bind, listener parsing, forwardable ports, hints, the verbs' grammar."""

import pytest
from command_line_support import parsed
from containers_support import listeners_json

from anonpi_helpers.containers.ports_parse import (
    Listener,
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


def test_bind_takes_the_two_addresses_netcage_binds():
    for good in ("127.0.0.1", "0.0.0.0"):
        assert parsed("forward", "--bind", good).bind == good
    for bad in ("localhost", "192.168.1.2", "::"):
        with pytest.raises(AnonPiError, match="--bind takes 127.0.0.1 | 0.0.0.0") as exc:
            parsed("forward", "--bind", bad)
        assert exc.value.code == 2


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


def _fields(line, *names):
    return tuple(getattr(line, n) for n in names)


def test_forward_grammar():
    fields = ("project", "machine", "port", "bind")
    assert _fields(parsed("forward"), *fields) == (None, None, None, None)
    assert _fields(parsed("forward", "alpha", "-p", "3001:3001", "--bind", "0.0.0.0", "-m",
                          "box"), *fields) == ("alpha", "box", "3001:3001", "0.0.0.0")
    assert _fields(parsed("forward", "--port=08080:3001", "."), *fields) == (
        ".", None, "08080:3001", None)
    assert parsed("ports", "3001").project == "3001"
    assert parsed("ports", "-m", "a", "--machine", "b").machine == "b"
    assert parsed("ports", "--machine=b", "--json").json


@pytest.mark.parametrize("argv,words,code", [
    (["a", "b"], "forward takes [<project>|.], got extra: b", 2),
    (["--port"], "--port needs a value", 2),
    (["--port", "-m"], "--port needs a value, got the option -m", 2),
    (["-m"], "-m needs a machine name", 2),
    (["-m", "../x"], "invalid machine name", 1),
    (["pi"], "invalid project name", 1),
    (["-x"], "unknown option for forward: -x", 2),
    (["--bind", "1.2.3.4"], "--bind takes", 2),
])
def test_forward_grammar_errors(argv, words, code):
    with pytest.raises(AnonPiError) as exc:
        parsed("forward", *argv)
    assert words in exc.value.message
    assert exc.value.code == code


def test_ports_takes_no_port_flags():
    for argv in (["--port", "1"], ["--bind", "0.0.0.0"]):
        with pytest.raises(AnonPiError, match="unknown option for ports"):
            parsed("ports", *argv)
