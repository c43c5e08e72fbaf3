"""Pure rules of `anon-pi init`: addresses, SOCKS replies, exit IP, model listings and seeds."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anonpi_helpers.core import jsonfmt
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
from anonpi_helpers.init.models_listing import (
    api_key_looks_real,
    base_url_address,
    configured_models,
    listing_ids,
    matching_provider,
    provider_path,
)
from anonpi_helpers.init.models_seed import (
    merge,
    models_doc,
    parse_default,
    parse_pick,
    settings_seed_doc,
    with_selection,
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


@pytest.mark.parametrize("doc, ids", [
    ([" a ", {"id": "b"}, {"id": 3}, "", None], ["a", "b"]),
    ({"data": [{"id": "x"}]}, ["x"]),
    ({"data": None, "models": ["m"]}, ["m"]),
    ({"data": [], "models": ["m"]}, []),
    ("garbage", []),
    (None, []),
    ({"object": "list"}, []),
])
def test_listing_shapes(doc, ids):
    assert listing_ids(doc) == ids


@pytest.mark.parametrize("key, real", [
    (None, False), ("", False), ("  Ollama ", False), ("NONE", False),
    ("sk-no-key-required", False), ("dummy", False), ("sk-abc123", True), (" secret ", True),
])
def test_api_key_rule(key, real):
    assert api_key_looks_real(key) is real


def test_provider_scoping_never_reads_another_provider():
    doc = {"providers": {
        "paid": {"baseUrl": "https://api.example.com/v1", "apiKey": "sk-real",
                 "models": [{"id": "paid-model"}]},
        "broken": "not an object",
        "first": {"baseUrl": "http://localhost:8080/v1", "models": ["a", {"id": " b ", "x": 1}, 5]},
        "second": {"baseUrl": "http://127.0.0.1:8080", "models": ["never"]},
    }}
    provider = matching_provider(doc, "127.0.0.1:8080")
    assert configured_models(provider) == [
        {"id": "a", "name": "a", "cost": {"input": 0, "output": 0, "cacheRead": 0,
                                          "cacheWrite": 0}},
        {"id": "b"}]  # undocumented keys ("x") never reach the seed
    assert matching_provider(doc, "10.0.0.9:80") is None
    assert matching_provider({"providers": []}, "127.0.0.1:8080") is None


def test_base_url_address_normalises_ports_and_localhost():
    assert base_url_address("http://h:80/v1") == base_url_address("http://h/v1")
    assert base_url_address("http://LOCALHOST:11434/api/v1/")[0] == "127.0.0.1:11434"
    assert provider_path({"baseUrl": "http://10.0.0.2:1/api/v1"}) == "/api/v1"
    assert provider_path(None) == "/v1"


def test_merge_precedence_and_locale_free_sort():
    """`(name.lower(), name)`, so `B` sorts before `b` on a tie, whatever the locale."""
    rows = merge([{"id": "qwen3-coder", "ctx": 1}, {"id": "qwen3-coder", "ctx": 2}],
                 ["Hermes-3-70B", "default", "qwen3-coder", "b", "B"])
    assert [(e["id"], s) for e, s in rows] == [
        ("B", "server"), ("b", "server"), ("default", "server"), ("Hermes-3-70B", "server"),
        ("qwen3-coder", "configured")]
    assert rows[-1][0] == {"id": "qwen3-coder", "ctx": 2}


def test_models_json_golden_bytes():
    entries = [{"id": "z"}, {"id": "a", "name": "é"}]
    text = jsonfmt.dumps(models_doc("openai-completions", "none", "http://169.254.1.1:8080/v1",
                                    entries))
    assert text == (
        '{\n\t"providers": {\n\t\t"local": {\n\t\t\t"api": "openai-completions",\n'
        '\t\t\t"apiKey": "none",\n\t\t\t"baseUrl": "http://169.254.1.1:8080/v1",\n'
        '\t\t\t"models": [\n\t\t\t\t{\n\t\t\t\t\t"id": "a",\n\t\t\t\t\t"name": "é"\n\t\t\t\t},\n'
        '\t\t\t\t{\n\t\t\t\t\t"id": "z"\n\t\t\t\t}\n\t\t\t]\n\t\t}\n\t}\n}\n')


def test_settings_seed_golden_bytes():
    text = jsonfmt.dumps(settings_seed_doc("b", ["b", "A", "b"]))
    assert text == ('{\n\t"defaultProvider": "local",\n\t"defaultModel": "b",\n'
                    '\t"enabledModels": [\n\t\t"local/A",\n\t\t"local/b"\n\t]\n}\n')


def test_settings_merge_keeps_other_keys_and_positions():
    seed = settings_seed_doc("m", ["m"])
    old = {"theme": "dark", "defaultModel": "old", "x": 1}
    new = with_selection(old, seed)
    assert list(new) == ["theme", "defaultModel", "x", "defaultProvider", "enabledModels"]
    assert new["defaultModel"] == "m"
    assert with_selection(new, None) == {"theme": "dark", "x": 1}


@pytest.mark.parametrize("answer, configured, picks", [
    ("4, 2 4,,", [], [3, 1]),
    ("", [2], [2]),
    ("", [], [0, 1, 2, 3]),
    ("C", [], None),
    ("c", [0, 2], [0, 2]),
    ("A", [0], [0, 1, 2, 3]),
    (" S ", [0], "skip"),
    ("5", [], None),
    ("0", [], None),
    ("x", [], None),
    (",,", [], None),
])
def test_pick_grammar(answer, configured, picks):
    assert parse_pick(answer, 4, configured) == picks


def test_default_grammar():
    assert parse_default("", 3) == 0
    assert parse_default(" ", 3, 2) == 2
    assert parse_default("3", 3) == 2
    assert parse_default("4", 3) is None
    assert parse_default("x", 3) is None


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

