"""init ends ready or says exactly what is left: Enter at every question takes the evidence
(the one SOCKS5 port, the model server found on loopback, the basic image built, the
effective projects root); with nothing to take, init says how to get it. The stand-in
netcage and podman, a SOCKS5 listener and model servers on loopback (init_support)."""

import json

from in_process import context
from init_support import (
    PI_NETWORK,
    VERIFY_QUESTION,
    Lab,
    ModelsServer,
    StubServer,
    closed_port,
    drive,
    lab_fixture,  # noqa: F401  the `lab` fixture
    spawn,
    transcript,
)

from anonpi_helpers.init import model_step
from anonpi_helpers.init.models_listing import USUAL_SERVERS, discovery_targets

PI = "localhost/anon-pi/pi:latest"


def test_every_answer_enter_ends_ready_with_the_image_built_and_the_model_found(cli, lab):
    env = {**lab.env, "ANON_PI_MODEL_PROBE": f"127.0.0.1:{lab.closed},{lab.llm}"}
    steps = [(f"(or Enter for 127.0.0.1:{lab.socks.port})", ""), (VERIFY_QUESTION, ""),
             ("as your proxy? [Y/n]", ""), (PI_NETWORK, ""),
             (f"(or Enter for {lab.llm})", ""), ("Import which?", ""), ("Default [1-2]", ""),
             ("Choose [1-4] (Enter = 1: build the basic pi image)", ""),
             ("Projects root", "")]
    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert f"  [1] {lab.llm}: 2 models listed" in out
    assert out.rstrip().splitlines()[-1].startswith("ready: `anon-pi <project>`")
    builds = [c for c in cli.calls() if c[:2] == ["build", "-t"]]
    assert [b[2] for b in builds] == [PI]
    # Enter declines netcage verify (its one direct request), so nothing proves the exit
    assert f"Not verified: socks5h://127.0.0.1:{lab.socks.port} answered" in out
    assert not [c for c in cli.calls() if c[:1] == ["verify"]]
    cfg = json.loads((cli.ws / "config.json").read_text())
    assert cfg["proxy"] == f"socks5h://127.0.0.1:{lab.socks.port}" and cfg["llm"] == lab.llm
    assert json.loads((cli.ws / "machines/default/machine.json").read_text()) == {"image": PI}
    models = json.loads((cli.ws / "models.json").read_text())["providers"]["local"]["models"]
    assert [m["id"] for m in models] == ["Hermes-3-70B", "qwen3-coder"]
    seed = json.loads((cli.ws / "settings-seed.json").read_text())
    assert seed["defaultModel"] == "Hermes-3-70B"


def test_with_no_proxy_init_names_the_usual_ways_and_enter_looks_again(cli, lab):
    port = closed_port()
    env = {**lab.env, "ANON_PI_SOCKS_PROBE": f"127.0.0.1:{port}"}
    p = spawn(cli, **env)
    p.expect_exact("Choose a number, or enter host:port (or Enter to look again)")
    shown = transcript(p)
    assert "No SOCKS5 proxy answered on this host. The usual ways to start one:" in shown
    assert "`tor`" in shown and "127.0.0.1:9050" in shown
    assert "`ssh -N -D 1080 <host>`" in shown and "wireproxy" in shown
    late = StubServer(b"\x05\x00", port=port)  # the user starts a proxy, then presses Enter
    try:
        p.sendline("")
        p.expect_exact(f"(or Enter for 127.0.0.1:{port})")
        p.sendline("")
        p.expect_exact(VERIFY_QUESTION)
        p.sendeof()
        p.expect_exact("aborted; nothing written")
    finally:
        late.close()
    assert late.received == [b"\x05\x01\x00"]
    assert not cli.ws.exists()


def test_several_candidates_need_a_number(cli, lab):
    other = StubServer(b"\x05\x00")
    try:
        env = {**lab.env, "ANON_PI_SOCKS_PROBE": f"127.0.0.1:{lab.socks.port},"
                                                 f"127.0.0.1:{other.port}"}
        code, out = drive(cli, [("Choose a number, or enter host:port: ", ""),
                                ("pick a listed number", "2"), ("as your proxy? [Y/n]", None)],
                          **env)
    finally:
        other.close()
    assert code == 1
    assert f"Verifying via netcage: netcage verify --proxy socks5h://127.0.0.1:{other.port}" in out


def test_model_servers_found_on_loopback_are_offered_by_number(cli, lab):
    second = ModelsServer(["solo"])
    silent = StubServer(b"SSH-2.0-OpenSSH_9.2\r\n")  # open, but no model server
    env = {**lab.env, "ANON_PI_MODEL_PROBE": ",".join([
        lab.llm, f"127.0.0.1:{silent.port}", f"127.0.0.1:{second.port}",
        f"127.0.0.1:{lab.closed}", "192.168.1.7:8080", "localhost:8080"])}
    try:
        steps = lab.happy_steps(image="4")
        steps[3:6] = [(f", or a number above (or Enter for {lab.llm})", "2"),
                      ("Import which?", "")]
        code, out = drive(cli, steps, **env)
    finally:
        second.close()
        silent.close()
    assert code == 0, out
    assert f"  [1] {lab.llm}: 2 models listed" in out
    assert f"  [2] 127.0.0.1:{second.port}: 1 model listed" in out
    assert "[3]" not in out.split("Local model")[0]
    assert json.loads((cli.ws / "config.json").read_text())["llm"] == f"127.0.0.1:{second.port}"
    assert [r[:25] for r in silent.received] == [b"GET /v1/models HTTP/1.1\r\n"]


def test_discovery_looks_on_loopback_only():
    assert discovery_targets(None) == [("127.0.0.1", p, n) for p, n in USUAL_SERVERS]
    assert dict(USUAL_SERVERS) == {8080: "llama.cpp", 11434: "Ollama", 1234: "LM Studio",
                                   8000: "vLLM"}
    assert discovery_targets("192.168.1.7:8080, localhost:1234,127.0.0.2:8000,10.0.0.1:1") == [
        ("127.0.0.2", 8000, "vLLM")]


def test_a_configured_llm_is_kept_without_looking_around(cli, lab):
    cli.write_json(cli.ws / "config.json", {"llm": lab.llm})
    env = {**lab.env, "ANON_PI_MODEL_PROBE": lab.llm}
    steps = lab.happy_steps(image="4")
    steps[3] = (f"(or Enter to keep {lab.llm})", "")
    code, out = drive(cli, steps, **env)
    assert code == 0, out
    assert "Looking for a model server" not in out


def test_an_old_netcage_does_not_look_on_loopback(cli, lab):
    env = {**lab.env, "ANON_PI_MODEL_PROBE": lab.llm, "FAKE_NETCAGE_VERSION": "netcage 0.11.1"}
    code, out = drive(cli, [("Choose a number", "1"), ("as your proxy? [Y/n]", ""),
                            (PI_NETWORK, ""), ("Local model host:port", None)], **env)
    assert code == 1
    assert "cannot reach the host's loopback: not looking there" in out
    assert lab.models.hits == []


def test_no_models_says_how_to_add_them(cli):
    lab = Lab(cli, listing={"data": []})
    try:
        steps = [s for s in lab.happy_steps(image="4")
                 if s[0] not in ("Import which?", "Default [1-2]")]
        code, out = lab.run(steps)
    finally:
        lab.close()
    assert code == 0, out
    assert f"No models found at {lab.llm}; the `local` provider is seeded with none." in out
    assert "run `anon-pi init` again" in out
    assert f"{cli.ws}/models.json" in out and f"{cli.ws}/settings-seed.json" in out


def test_a_pinned_image_is_kept_by_enter_and_skipping_is_typed(cli, lab):
    cli.configure(proxy=None, llm=None, image="localhost/mine:1")
    steps = lab.happy_steps()
    steps[6] = ("Choose [1-4] (Enter = 4: keep it)", "")
    code, out = lab.run(steps)
    assert code == 0, out
    assert not [c for c in cli.calls() if c[:1] == ["build"]]
    assert json.loads((cli.ws / "machines/default/machine.json").read_text()) == {
        "image": "localhost/mine:1"}


def test_the_effective_projects_root_is_shown_and_kept(cli, lab, tmp_path):
    cli.write_json(cli.ws / "config.json", {"projects": "/srv/old-projects"})
    env_root = tmp_path / "env-projects"
    steps = lab.happy_steps(image="4")
    steps[-1] = (f"Projects root (Enter to keep {env_root})", "")
    code, out = lab.run(steps, ANON_PI_PROJECTS=str(env_root))
    assert code == 0, out
    assert (f"current: {env_root} (from ANON_PI_PROJECTS, which wins over config.json)"
            in out)
    assert json.loads((cli.ws / "config.json").read_text())["projects"] == "/srv/old-projects"
    steps[-1] = ("Projects root (Enter to keep", "/srv/typed")
    code, out = lab.run(steps, ANON_PI_PROJECTS=str(env_root))
    assert code == 0, out
    assert "note: stored in config.json, but ANON_PI_PROJECTS still wins over it." in out
    assert json.loads((cli.ws / "config.json").read_text())["projects"] == "/srv/typed"


def test_the_models_legend_names_only_the_sources_listed():
    """Without a configured model, `[configured] = …` would explain a tag no row carries."""
    io = context(answers="\n")  # Enter: all
    assert model_step.pick(io, [({"id": "qwen"}, "server")]) == [{"id": "qwen"}]
    assert io.stdout.getvalue() == ("  [1] qwen [server]\n"
                                    "  [server]     = listed by the server's /v1/models\n")
    io = context(answers="\n")
    model_step.pick(io, [({"id": "mine"}, "configured"), ({"id": "qwen"}, "server")])
    assert io.stdout.getvalue().splitlines()[2:] == [
        "  [configured] = from your own pi models.json for this address",
        "  [server]     = listed by the server's /v1/models"]
