"""The exact `netcage run` argv and the seed-if-fresh script, executed with sh."""

import json
import subprocess

import pytest
from tree_digest import tree_digest

from anonpi_helpers.core.run_plan import RunPlan, container_cwd, run_argv
from anonpi_helpers.core.seed_script import container_command, seed_script

PLAN = RunPlan(key="KEY", proxy="socks5h://127.0.0.1:9050", hole_flag="--allow",
               llm="192.168.1.5:8080", interactive=False, home="/ws/machines/m/home",
               projects_root="/ws/projects", mount_parent=None, models_seed=None,
               settings_seed=None, cwd="/projects/p", image="img:1", mode="pi",
               pi_args=("-p", "x"))
HEAD = ["netcage", "run", "--label", "anon-pi.key=KEY", "--rm", "--proxy",
        "socks5h://127.0.0.1:9050", "--allow", "192.168.1.5:8080"]


def test_headless_argv():
    assert run_argv(PLAN) == HEAD + [
        "-v", "/ws/machines/m/home:/root", "-v", "/ws/projects:/projects", "-w", "/projects/p",
        "img:1", "sh", "-c", seed_script() + '; exec pi "$@"', "pi", "-p", "x"]


def test_full_argv_with_every_option():
    plan = PLAN._replace(interactive=True, hole_flag="--allow-direct", projects_root="/src",
                   mount_parent="/src", models_seed="/ws/machines/m/models.json",
                   settings_seed="/ws/settings-seed.json", cwd="/work/p", pi_args=())
    argv = run_argv(plan)
    head = HEAD[:7] + ["--allow-direct", "192.168.1.5:8080"]
    assert argv == head + [
        "-it", "-v", "/ws/machines/m/home:/root", "-v", "/src:/projects", "-v", "/src:/work",
        "-v", "/ws/machines/m/models.json:/anon-pi-seed/models.json:ro",
        "-v", "/ws/settings-seed.json:/anon-pi-seed/settings.json:ro",
        "-w", "/work/p", "img:1", "sh", "-c", seed_script() + "; exec pi"]


def test_shell_and_pi_commands():
    s = seed_script()
    assert container_command("shell", ()) == ["sh", "-c", s + "; exec bash"]
    assert container_command("pi", ()) == ["sh", "-c", s + "; exec pi"]
    assert container_command("pi", ("a b", "$x")) == ["sh", "-c", s + '; exec pi "$@"', "pi",
                                                      "a b", "$x"]


def test_container_cwd():
    assert container_cwd("p", False) == "/projects/p"
    assert container_cwd(".", False) == "/projects"
    assert container_cwd(None, True) == "/work"
    assert container_cwd("p", True) == "/work/p"


# --- the script itself, run by sh against temp folders ------------------------------------

def _layout(tmp_path):
    agent, stage, seed = tmp_path / "root/.pi/agent", tmp_path / "stage", tmp_path / "seed"
    return agent, stage, seed


def _run(tmp_path, tail="true", *args):
    agent, stage, seed = _layout(tmp_path)
    script = seed_script(str(agent), str(stage), str(seed)) + "; " + tail
    return subprocess.run(["sh", "-c", script, "pi", *args], capture_output=True, text=True,
                          check=False, env={"PATH": "/usr/bin:/bin"}, timeout=30)


def test_fresh_home_is_seeded(tmp_path):
    agent, stage, seed = _layout(tmp_path)
    (stage / "extensions").mkdir(parents=True)
    (stage / "extensions" / "x.js").write_text("ext\n")
    (stage / "settings.json").write_text(json.dumps(
        {"theme": "dark", "defaultModel": "old", "enabledModels": ["old"], "z": 1}))
    seed.mkdir()
    (seed / "models.json").write_text('{"providers": {}}\n')
    (seed / "settings.json").write_text(json.dumps(
        {"defaultProvider": "local", "defaultModel": "qwen", "enabledModels": ["qwen"],
         "theme": "light"}))
    res = _run(tmp_path, 'printf "%s|" "$@"', "a b", "-p")
    assert res.returncode == 0, res.stderr
    assert res.stdout == "a b|-p|"  # pi's args reach "$@" verbatim
    assert (agent / "extensions" / "x.js").read_text() == "ext\n"
    assert (agent / "models.json").read_text() == '{"providers": {}}\n'
    settings = json.loads((agent / "settings.json").read_text())
    assert settings == {"theme": "dark", "defaultModel": "qwen", "enabledModels": ["qwen"],
                        "z": 1, "defaultProvider": "local", "enableInstallTelemetry": False}
    assert (agent / ".anon-pi-seed").read_bytes() == b"1\n"


def test_settings_created_when_missing_and_absent_keys_removed(tmp_path):
    agent, stage, seed = _layout(tmp_path)
    stage.mkdir()
    (stage / "settings.json").write_text('{"enabledModels": ["stale"], "keep": true}')
    seed.mkdir()
    (seed / "settings.json").write_text('{"defaultProvider": "p", "defaultModel": "m"}')
    assert _run(tmp_path).returncode == 0
    assert json.loads((agent / "settings.json").read_text()) == {
        "keep": True, "defaultProvider": "p", "defaultModel": "m",
        "enableInstallTelemetry": False}


def test_missing_sources_tolerated(tmp_path):
    agent, _, _ = _layout(tmp_path)
    res = _run(tmp_path, "echo ran")
    assert res.returncode == 0 and res.stdout == "ran\n"
    assert sorted(p.name for p in agent.iterdir()) == [".anon-pi-seed", "settings.json"]
    assert json.loads((agent / "settings.json").read_text()) == {"enableInstallTelemetry": False}
    assert (agent / ".anon-pi-seed").read_bytes() == b"1\n"


def test_broken_seed_settings_keep_the_selection(tmp_path):
    agent, _, seed = _layout(tmp_path)
    agent.mkdir(parents=True)
    seed.mkdir()
    (seed / "settings.json").write_text("not json")
    (agent / "settings.json").write_text('{"a": 1, "defaultModel": "m"}\n')
    assert _run(tmp_path, "echo ran").stdout == "ran\n"
    assert json.loads((agent / "settings.json").read_text()) == {
        "a": 1, "defaultModel": "m", "enableInstallTelemetry": False}
    assert (agent / ".anon-pi-seed").exists()


@pytest.mark.parametrize("users", [True, False])
def test_the_users_telemetry_choice_is_kept(tmp_path, users):
    agent, stage, _ = _layout(tmp_path)
    stage.mkdir()
    (stage / "settings.json").write_text(json.dumps({"enableInstallTelemetry": users}))
    assert _run(tmp_path).returncode == 0
    assert json.loads((agent / "settings.json").read_text()) == {"enableInstallTelemetry": users}


def test_silent_env_reaches_pi_and_bash(tmp_path):
    res = _run(tmp_path, 'echo "$PI_OFFLINE/$PI_TELEMETRY"')
    assert res.stdout == "1/0\n"
    for mode in ("pi", "shell"):
        assert container_command(mode, ())[2].startswith(seed_script())
        assert "export PI_OFFLINE=1 PI_TELEMETRY=0; exec " in container_command(mode, ())[2]


def test_pi_network_opt_out_sets_nothing(tmp_path):
    """config.json "piNetwork": true: no env switches, no telemetry key; selection as ever."""
    agent, stage, seed = _layout(tmp_path)
    seed.mkdir()
    (seed / "settings.json").write_text('{"defaultModel": "m"}')
    script = seed_script(str(agent), str(stage), str(seed), silent=False) + (
        '; echo "${PI_OFFLINE-unset}/${PI_TELEMETRY-unset}"')
    res = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=False,
                         env={"PATH": "/usr/bin:/bin"}, timeout=30)
    assert res.stdout == "unset/unset\n", res.stderr
    assert json.loads((agent / "settings.json").read_text()) == {"defaultModel": "m"}
    plan = PLAN._replace(pi_network=True)
    assert run_argv(plan)[-4] == seed_script(silent=False) + '; exec pi "$@"'
    assert "PI_OFFLINE" not in run_argv(plan)[-4] and "PI_OFFLINE" in run_argv(PLAN)[-4]


def test_seeded_home_left_byte_identical(tmp_path):
    agent, stage, seed = _layout(tmp_path)
    agent.mkdir(parents=True)
    (agent / ".anon-pi-seed").write_text("1\n")
    (agent / "settings.json").write_text('{"defaultModel": "mine"}')
    (agent / "models.json").write_text("{}")
    stage.mkdir()
    (stage / "new.txt").write_text("x")
    seed.mkdir()
    (seed / "models.json").write_text('{"other": 1}')
    (seed / "settings.json").write_text('{"defaultModel": "seed"}')
    before = tree_digest(tmp_path / "root")
    res = _run(tmp_path, "echo ran")
    assert res.returncode == 0 and res.stdout == "ran\n"
    assert tree_digest(tmp_path / "root") == before


def test_script_is_posix_sh():
    """dash (the /bin/sh here) parses it; `sh -n` catches bash-isms that dash rejects."""
    res = subprocess.run(["sh", "-n", "-c", seed_script()], capture_output=True,
                         check=False, timeout=10)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("value, silent", [(True, False), (False, True), ("yes", True)])
def test_pi_network_from_config_json(cli, value, silent):
    """Only a JSON `true` opts out; any other value is ignored (a config value of the wrong
    type counts as absent)."""
    cli.configure()
    cfg = json.loads((cli.ws / "config.json").read_text())
    cli.write_json(cli.ws / "config.json", {**cfg, "piNetwork": value})
    res = cli.run("--dry-run", "recon", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert ("export PI_OFFLINE=1 PI_TELEMETRY=0; exec pi" in res.stdout) is silent
