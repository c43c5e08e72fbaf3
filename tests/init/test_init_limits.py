"""Each chosen model's context window and output limit, from what llama.cpp,
vLLM, Ollama and LM Studio say (fake servers on 127.0.0.1 shaped like each), into models.json."""

import json

import pytest
from init_support import LLAMA_CPP, LM_STUDIO, OLLAMA, VLLM, Lab, ShapedServer

from anonpi_helpers.init.limits_step import probe
from anonpi_helpers.init.model_limits import (
    Limits,
    from_ollama_show,
    from_props,
    output_for,
    parse_edit,
    with_limits,
)
from anonpi_helpers.init.model_step import server_listing

SHAPES = {
    "llama.cpp": (LLAMA_CPP, {"qwen2.5-coder-7b-q4_k_m.gguf": (8192, 2048, True)}),
    "vLLM": (VLLM, {"Qwen/Qwen3-8B": (32768, 8192, False)}),
    "Ollama": (OLLAMA, {"qwen3:8b": (40960, 10240, True), "llama3.2:3b": (4096, 1024, False)}),
    "LM Studio": (LM_STUDIO, {"qwen2.5-7b-instruct": (32768, 8192, False)}),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_probe_reads_each_server_family(shape):
    routes, want = SHAPES[shape]
    server = ShapedServer(routes)
    try:
        doc = server_listing("127.0.0.1", server.port, "/v1")
        found = probe("127.0.0.1", server.port, list(want), doc)
    finally:
        server.close()
    got = {}
    for model_id, lim in found.items():
        entry = with_limits({"id": model_id}, lim)
        got[model_id] = (entry.get("contextWindow"), entry.get("maxTokens"),
                         entry.get("reasoning", False))
    assert got == want
    assert {path for _, path, _ in server.requests} <= {
        "/v1/models", "/props", "/api/v0/models", "/api/show"}


def test_pure_rules():
    assert from_props({"default_generation_settings": {"n_ctx": True}}) == Limits()
    assert from_ollama_show({"model_info": {"x.context_length": -1}}) == Limits()
    assert output_for(Limits(context=200_000)) == 16_384
    assert output_for(Limits(context=1_000)) == 256
    assert output_for(Limits(context=8192, output=50_000)) == 8192
    assert with_limits({"id": "a", "name": "a"}, Limits()) == {"id": "a", "name": "a"}
    assert parse_edit("", 2) == "" and parse_edit("2 4096", 2) == (1, 4096, None)
    assert parse_edit("1, 8192, 2048", 1) == (0, 8192, 2048)
    for bad in ("3 4096", "1 0", "1 4096 5000", "x", "1", "1 2 3 4"):
        assert parse_edit(bad, 2) is None, bad


@pytest.fixture
def shaped(cli):
    labs = []

    def start(routes):
        lab = Lab(cli)
        lab.server = ShapedServer(routes)
        lab.llm = f"127.0.0.1:{lab.server.port}"
        labs.append(lab)
        return lab

    yield start
    for lab in labs:
        lab.close()
        lab.server.close()


def written_models(cli) -> dict:
    doc = json.loads((cli.ws / "models.json").read_text())
    return {m["id"]: m for m in doc["providers"]["local"]["models"]}


def test_init_writes_what_ollama_reports_and_takes_an_edit(cli, shaped):
    lab = shaped(OLLAMA)
    steps = lab.happy_steps()
    steps[6:6] = [("change one", "2 16384 4096"), ("change one", "")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert "[1] llama3.2:3b: context 4,096, output 1,024 (Ollama /api/show)" in out
    assert "[2] qwen3:8b: context 40,960, output 10,240, reasoning (Ollama /api/show)" in out
    models = written_models(cli)
    assert models["llama3.2:3b"]["contextWindow"] == 4096
    assert models["llama3.2:3b"]["maxTokens"] == 1024
    assert "reasoning" not in models["llama3.2:3b"]
    qwen = models["qwen3:8b"]
    assert (qwen["contextWindow"], qwen["maxTokens"], qwen["reasoning"]) == (16384, 4096, True)
    assert [p for m, p, _ in lab.server.requests if m == "POST"] == ["/api/show"] * 2


def test_nothing_found_says_so_and_leaves_pi_defaults(cli, shaped):
    lab = shaped({("GET", "/v1/models"): {"data": [{"id": "a"}, {"id": "b"}]}})
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert "reported no context limits; pi's defaults apply (128,000-token" in out
    assert all("contextWindow" not in m for m in written_models(cli).values())


def test_single_llama_cpp_model_gets_its_slot_context(cli, shaped):
    lab = shaped(LLAMA_CPP)
    steps = [s for s in lab.happy_steps() if not s[0].startswith("Default")]
    steps.insert(5, ("change one", ""))
    code, out = lab.run(steps)
    assert code == 0, out
    [model] = written_models(cli).values()
    assert (model["contextWindow"], model["maxTokens"], model["reasoning"]) == (8192, 2048, True)
