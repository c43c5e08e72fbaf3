"""Pure rules of `anon-pi init` about the models: server listings, which provider's models
are read, the merged list, the models.json and settings seed bytes, and the pick and default
answers. The proxy side: test_init_pure_proxy.py."""

import pytest

from anonpi_helpers.core import jsonfmt
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
