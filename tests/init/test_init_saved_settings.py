"""What init writes from the answers, in a pseudo-terminal: config.json (llm, projects root,
default machine), the models and their selection, seeded homes updated in place, a machine's own
models override kept."""

import json

import pytest
from init_support import TEST_LOGIN, Lab
from tree_digest import tree_digest


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


def _seed_home(cli, machine: str, settings: dict | None = None) -> None:
    agent = cli.ws / "machines" / machine / "home/.pi/agent"
    (agent / "sessions/--projects-x--").mkdir(parents=True)
    (agent / ".anon-pi-seed").write_text("")
    (agent / "sessions/--projects-x--/s.jsonl").write_text('{"type":"session"}\n')
    (agent / "models.json").write_text("old")
    if settings is not None:
        cli.write_json(agent / "settings.json", settings)


def test_seeded_homes_are_updated_in_place(cli, lab):
    cli.configure(proxy="socks5h://127.0.0.1:9050", llm=None, image="old:1")
    cli.write_json(cli.ws / "config.json", {"proxy": "socks5h://127.0.0.1:9050", "mine": [1]})
    cli.write_json(cli.ws / "machines/default/machine.json",
                   {"image": "old:1", "projects": "/p", "extra": True})
    _seed_home(cli, "default", {"theme": "dark", "defaultModel": "gone"})
    _seed_home(cli, "over")
    (cli.ws / "machines/over/models.json").write_text("{}")
    (cli.ws / "machines/fresh/home").mkdir(parents=True)
    (cli.ws / "machines/notes.txt").write_text("x")
    (cli.ws / "machines/default/settings-seed.json").write_text("{}")
    before = tree_digest(cli.ws)
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    ws = cli.ws
    agent = ws / "machines/default/home/.pi/agent"
    assert (agent / "models.json").read_bytes() == (ws / "models.json").read_bytes()
    settings = json.loads((agent / "settings.json").read_text())
    assert settings == {"theme": "dark", "defaultModel": "qwen3-coder",
                        "defaultProvider": "local",
                        "enabledModels": ["local/Hermes-3-70B", "local/qwen3-coder"]}
    assert (agent / "sessions/--projects-x--/s.jsonl").read_text() == '{"type":"session"}\n'
    after = tree_digest(ws)
    for same in ("machines/over/home/.pi/agent/models.json", "machines/over/models.json",
                 "machines/default/settings-seed.json", "machines/notes.txt"):
        assert after[same] == before[same]
    assert "machines/fresh/home/.pi" not in after
    assert json.loads((ws / "config.json").read_text())["mine"] == [1]
    assert json.loads((ws / "machines/default/machine.json").read_text()) == {
        "image": "localhost/anon-pi/pi:latest", "projects": "/p", "extra": True}
    assert "warning: machine \"default\" has a seeded home" in out
    assert "machines/default/settings-seed.json exists and overrides" in out
    assert "updated 1 seeded home in place (sessions untouched): default" in out


def test_skipping_models_clears_the_selection(cli, lab):
    lab.run(lab.happy_steps())
    _seed_home(cli, "default", {"theme": "dark", "defaultProvider": "local",
                                "defaultModel": "qwen3-coder", "enabledModels": []})
    steps = lab.happy_steps(image="4")
    steps[4:6] = [("Import which?", "S")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert not (cli.ws / "settings-seed.json").exists()
    models = json.loads((cli.ws / "models.json").read_text())
    assert models["providers"]["local"]["models"] == []
    agent = cli.ws / "machines/default/home/.pi/agent"
    assert json.loads((agent / "settings.json").read_text()) == {"theme": "dark"}


def test_default_machine_is_honoured(cli, lab):
    cli.write_json(cli.ws / "config.json", {"defaultMachine": " work "})
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert (cli.ws / "machines/work/machine.json").exists()
    assert not (cli.ws / "machines/default").exists()
    assert json.loads((cli.ws / "config.json").read_text())["defaultMachine"] == "work"


def test_single_model_needs_no_default_question(cli):
    lab = Lab(cli, listing=["only-one"])
    try:
        steps = lab.happy_steps()
        del steps[5]
        code, out = lab.run(steps)
    finally:
        lab.close()
    assert code == 0, out
    seed = json.loads((cli.ws / "settings-seed.json").read_text())
    assert seed["defaultModel"] == "only-one"


def test_llm_is_validated_and_stored_normalised(cli, lab):
    steps = lab.happy_steps()
    steps[3:4] = [("Local model", "8.8.8.8:80"), ("not a private", "192.168.1.9"),
                  ("explicit numeric port", f"http://127.0.0.1:{lab.models.port}/v1")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert json.loads((cli.ws / "config.json").read_text())["llm"] == lab.llm


def test_projects_root_expands_and_builtin_path_resets(cli, lab):
    steps = lab.happy_steps()
    steps[-1] = ("Projects root", "~/café")
    assert lab.run(steps)[0] == 0
    cfg = json.loads((cli.ws / "config.json").read_text(encoding="utf-8"))
    assert cfg["projects"] == str(cli.home / "café")
    # kept literal, not escaped
    assert "café" in (cli.ws / "config.json").read_text(encoding="utf-8")
    steps[-1] = ("Projects root", str(cli.ws / "projects"))
    code, out = lab.run(steps)
    assert code == 0, out
    assert "projects" not in json.loads((cli.ws / "config.json").read_text())


def test_login_name_in_paths_gets_the_host_identity_note(cli, lab):
    steps = lab.happy_steps()
    steps[-1] = ("Projects root", f"/srv/{TEST_LOGIN}/code")
    code, out = lab.run(steps)
    assert code == 0, out
    assert out.count("show your login name or home path") == 1
    assert "/proc/self/mountinfo" in out and f"    /srv/{TEST_LOGIN}/code" in out
    assert "Move the workspace" not in out  # the workspace itself is neutral


def test_own_models_override_is_never_deleted(cli, lab):
    cli.configure(proxy="socks5h://127.0.0.1:9050", llm=None, image="old:1")
    (cli.ws / "machines/default/models.json").write_text('{"providers": {}}')
    code, out = lab.run(lab.happy_steps(image="4"))
    assert code == 0, out
    assert (cli.ws / "machines/default/models.json").read_text() == '{"providers": {}}'
    assert "machines/default/models.json exists and overrides the shared one" in out
    assert 'machine "default" kept (image old:1), home intact' in out
