"""Pure rules of `anon-pi init` about the proxy: addresses, SOCKS replies, the proxy the user
types or picks, exit IP, detect-proxy's findings (never naming a provider), yes/no answers and
paths that show the login name. The model side: test_init_pure_models.py."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anonpi_helpers.core.addresses import host_port_key
from anonpi_helpers.core.host_identity import names_user
from anonpi_helpers.core.socks_reply import DEFAULT_PROBE, PORT_HINTS, judge_reply, probe_targets
from anonpi_helpers.init.exit_ip import parse_exit_ip
from anonpi_helpers.init.grammar import (
    parse_choice,
    parse_confirm,
    proxy_url,
    socks5_offer,
    socks5_refusal,
)
from anonpi_helpers.init.provider_labels import (
    FORBIDDEN_PROVIDER_LABELS,
    TOR_NOTE,
    WIREPROXY_NOTE,
    names_provider,
    process_note,
)
from anonpi_helpers.init.proxy_findings import (
    CLOSING,
    Finding,
    finding_line,
    from_detect_proxy,
    render,
)

REAL_VERIFY = (
    "proxy: socks5h://127.0.0.1:9050 (source: flag)\n"
    "[PASS] forced-egress-exit-ip-differs-from-host: jail exit IP 185.220.101.7 differs "
    "from host 203.0.113.5 (forced egress active)\n"
    "[PASS] dns-resolves-over-tcp-glibc: ...\n"
)


@pytest.mark.parametrize("raw, key", [
    ("SOCKS5://User:pw@LocalHost:1080/path", "localhost:1080"),
    ("socks5h://127.0.0.1:9050", "127.0.0.1:9050"),
    (" 10.0.0.2:8080 ", "10.0.0.2:8080"),
    ("http://h/v1", "h"),
    ("host", "host"),
])
def test_host_port_key(raw, key):
    assert host_port_key(raw) == key


@pytest.mark.parametrize("reply, verdict", [
    (b"", (False, "no reply")),
    (b"\x05", (False, "short reply")),
    (b"HTTP/1.1 400 Bad Request\r\n", (False, "not SOCKS5")),
    (b"\x05\xff", (False, "SOCKS5 but no acceptable auth method")),
    (b"\x05\x00", (True, "method 00")),
    (b"\x05\x02\x99\x99", (True, "method 02")),
])
def test_socks_reply_table(reply, verdict):
    assert judge_reply(reply) == verdict


def test_probe_targets_default_and_override():
    assert probe_targets(None) == list(DEFAULT_PROBE)
    assert [p for _, p in DEFAULT_PROBE] == [9050, 9150, 1080]
    assert probe_targets("127.0.0.1:19050, 127.0.0.1:19150,junk") == [
        ("127.0.0.1", 19050), ("127.0.0.1", 19150)]


def test_exit_ip_from_real_verify_output_is_not_the_proxy_host():
    assert parse_exit_ip(REAL_VERIFY, "127.0.0.1") == "185.220.101.7"


@pytest.mark.parametrize("text, expected", [
    ("proxy: socks5h://127.0.0.1:9050\nno ip here", None),
    ("jail exit IP 999.1.1.1 differs; 8.8.8.8", None),
    ("jail exit IP 12:34:56 differs", None),
    ("jail exit IP 1.2.3.4.5 differs", None),
    ("jail exit IP 2001:db8::7 differs from host 2001:db8::1", "2001:db8::7"),
    ("exit IP: 9.9.9.9", "9.9.9.9"),
    ("jail exit IP 127.0.0.1 differs", None),  # the proxy's own host is never the exit
])
def test_exit_ip_edge_cases(text, expected):
    assert parse_exit_ip(text, "127.0.0.1") == expected


@pytest.mark.parametrize("typed, url", [
    ("127.0.0.1:9050", "socks5h://127.0.0.1:9050"),
    ("SOCKS5H://LocalHost:1080/x", "socks5h://localhost:1080"),
    ("socks5://127.0.0.1:9050", None), ("SOCKS5://u:p@LocalHost:1080/x", None),
    ("socks5h://user:pw@10.0.0.1:1080", "socks5h://user:pw@10.0.0.1:1080"),
    ("1", None), ("host", None), ("host:abc", None), ("host:0", None), ("http://h:1", None),
    (":9050", None),
])
def test_proxy_entry_is_validated(typed, url):
    assert proxy_url(typed) == url


def test_choice_grammar():
    confirmed = ["127.0.0.1:9050", "127.0.0.1:9150"]
    assert parse_choice("2", confirmed, None) == "socks5h://127.0.0.1:9150"
    assert parse_choice("3", confirmed, None) is None
    assert parse_choice("", confirmed, "socks5h://127.0.0.1:9050") == "socks5h://127.0.0.1:9050"
    assert parse_choice("", confirmed, "socks5://127.0.0.1:9050") is None
    assert parse_choice("", confirmed, None) is None
    assert parse_choice("1", [], None) is None


@pytest.mark.parametrize("typed, offer", [
    ("socks5://127.0.0.1:9050", "socks5h://127.0.0.1:9050"),
    (" SOCKS5://u:p@LocalHost:1080/x ", "socks5h://u:p@localhost:1080"),
    ("socks5h://127.0.0.1:9050", None), ("127.0.0.1:9050", None), ("socks5://host", None),
    ("http://127.0.0.1:8080", None)])
def test_socks5_is_refused_with_the_socks5h_form_offered(typed, offer):
    """No silent upgrade: proxy_url refuses socks5://, socks5_offer names what to use."""
    assert socks5_offer(typed) == offer
    if offer:
        assert proxy_url(typed) is None
        refusal = socks5_refusal(typed, offer)
        assert refusal.startswith(f"anon-pi: {typed.strip()} is socks5://")
        assert refusal.endswith(f"  hint: press Enter to use {offer} instead, or enter another "
                                "proxy")


@pytest.mark.parametrize("answer, meaning", [
    ("", True), ("Y", True), (" yes ", True), ("n", False), ("NO", False), ("nope", None),
    ("yep", None)])
def test_confirm_accepts_only_yes_enter_or_no(answer, meaning):
    assert parse_confirm(answer) is meaning


def test_detect_proxy_mapping():
    doc = {"schemaVersion": 1, "exitIP": "185.220.101.7", "candidates": [
        {"port": 9050, "open": True, "socks5": True, "processHint": " tor "},
        {"port": 9150, "open": True, "socks5": False},
        {"port": 4444, "open": False, "processHint": "other"},
        {"port": "x"}, {"port": True}]}
    findings, note, exit_ip = from_detect_proxy(doc)
    assert findings == [Finding("127.0.0.1", 9050, True, True, ""),
                        Finding("127.0.0.1", 9150, True, False, "not SOCKS5"),
                        Finding("127.0.0.1", 4444, False, False, "")]
    assert (note, exit_ip) == ("tor", "185.220.101.7")
    assert from_detect_proxy({**doc, "schemaVersion": 2}) == ([], None, None)
    assert render(findings, note).splitlines()[:4] == [
        "127.0.0.1:9050: open, SOCKS5 handshake OK [Tor default (system tor)]",
        "127.0.0.1:9150: open, but NOT SOCKS5 (not SOCKS5) [Tor Browser default]",
        "127.0.0.1:4444: closed (no TCP connection)",
        "Note: tor"]


def test_process_note_priority_is_explicit():
    assert process_note(["/usr/bin/wireproxy", "bash", "/usr/sbin/tor"]) == TOR_NOTE
    assert process_note(["WireProxy"]) == WIREPROXY_NOTE
    assert process_note(["torsocks", "bash"]) is None


def test_own_texts_name_no_provider():
    for text in (TOR_NOTE, WIREPROXY_NOTE, CLOSING, *PORT_HINTS.values()):
        assert not names_provider(text)


_hint = st.one_of(st.text(max_size=30), st.sampled_from(FORBIDDEN_PROVIDER_LABELS).map(
    lambda s: f"maybe {s.upper()} exit"))


@given(st.lists(st.fixed_dictionaries({
    "port": st.integers(1, 65535), "open": st.booleans(), "socks5": st.booleans(),
    "processHint": _hint}), max_size=6))
def test_never_name_a_provider(candidates):
    findings, note, _ = from_detect_proxy({"schemaVersion": 1, "candidates": candidates})
    shown = render(findings, note) + "".join(finding_line(f) for f in findings)
    assert not names_provider(shown)


def test_names_user():
    assert names_user("/home/alice/.anon-pi", "alice", "/home/alice")
    assert names_user("/data/alice-stuff/ws", "alice", "/home/alice")
    assert not names_user("/srv/anon-pi", "alice", "/home/alice")
