"""The real bin/anon-pi with the fake netcage: the FULL `netcage run` argv of each launch."""

import json
import shlex
import signal
import subprocess

from harness_paths import BIN
from launch_support import (
    IMAGE,
    LLM,
    PI_ARGS_CMD,
    RELAY,
    SCRIPT,
    head,
    no_traceback,
    relay_note,
)
from tree_digest import tree_digest


def _one_run(cli, res):
    assert res.returncode == 0, res.stderr
    no_traceback(res)
    [argv] = cli.run_calls()
    return argv


def test_project_headless(cli):
    cli.configure()
    ws = cli.ws
    argv = _one_run(cli, cli.run("recon", "-p", "x"))
    assert argv == head("default", f"{ws}/projects", "", "/projects/recon", proxy=RELAY) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", IMAGE, *PI_ARGS_CMD, "-p", "x"]
    assert (ws / "projects" / "recon").is_dir() and (ws / "machines/default/home").is_dir()
    assert cli.calls()[0] == ["--version"] and len(cli.calls()) == 2
    assert json.loads((ws / "machines/default/machine.json").read_text()) == {"image": IMAGE}


def test_root_token(cli):
    cli.configure()
    ws = cli.ws
    argv = _one_run(cli, cli.run(".", "-p", "x"))
    assert argv == head("default", f"{ws}/projects", "", "/projects", proxy=RELAY) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects", IMAGE, *PI_ARGS_CMD, "-p", "x"]
    assert sorted(p.name for p in (ws / "projects").iterdir()) == []


def test_other_machine(cli):
    cli.configure(machine="box", image="box:img")
    ws = cli.ws
    argv = _one_run(cli, cli.run("-m", "box", "recon", "-p", "x"))
    assert argv == head("box", f"{ws}/projects", "", "/projects/recon", proxy=RELAY) + [
        "-v", f"{ws}/machines/box/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", "box:img", *PI_ARGS_CMD, "-p", "x"]
    assert not (ws / "machines" / "default").exists()


def test_mount(cli):
    cli.configure()
    src = cli.tmp / "src"
    src.mkdir()
    argv = _one_run(cli, cli.run("--mount", str(src), "sub", "-p", "x"))
    assert argv == head("default", str(src), str(src), "/work/sub", proxy=RELAY) + [
        "-v", f"{cli.ws}/machines/default/home:/root", "-v", f"{src}:/projects",
        "-v", f"{src}:/work", "-w", "/work/sub", IMAGE, *PI_ARGS_CMD, "-p", "x"]
    assert (src / "sub").is_dir()
    assert not (cli.ws / "projects").exists()


def test_mount_relative_to_cwd(cli):
    cli.configure()
    (cli.tmp / "here" / "code").mkdir(parents=True)
    res = cli.run("--mount", "code", ".", "-p", "x", cwd=cli.tmp / "here")
    assert res.stderr.splitlines()[0] == f"anon-pi: --mount code is {cli.tmp}/here/code"
    argv = _one_run(cli, res)
    assert argv[argv.index("-w") - 1] == f"{cli.tmp}/here/code:/work"


def test_image_override_on_seeded_home(cli):
    cli.configure()
    agent = cli.ws / "machines/default/home/.pi/agent"
    agent.mkdir(parents=True)
    (agent / ".anon-pi-seed").write_text("1\n")
    before = (cli.ws / "machines/default/machine.json").read_bytes()
    argv = _one_run(cli, cli.run("-i", "other:2", "recon", "-p", "x"))
    assert argv == head("default", f"{cli.ws}/projects", "", "/projects/recon", proxy=RELAY) + [
        "-v", f"{cli.ws}/machines/default/home:/root", "-v", f"{cli.ws}/projects:/projects",
        "-w", "/projects/recon", "other:2", *PI_ARGS_CMD, "-p", "x"]
    assert (cli.ws / "machines/default/machine.json").read_bytes() == before


def test_image_override_on_fresh_home_refused(cli):
    cli.configure()
    before = tree_digest(cli.ws)
    res = cli.run("-i", "other:2", "recon", "-p", "x")
    assert res.returncode == 1
    lines = res.stderr.splitlines()
    assert lines[0].startswith("anon-pi: -i only runs an image on an already-seeded home")
    assert "`anon-pi machine set-image default other:2`" in lines[1]
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


def test_image_override_on_unknown_machine_suggests_create(cli):
    cli.configure()
    before = tree_digest(cli.ws)
    res = cli.run("-m", "newbox", "-i", "other:2", "recon", "-p", "x")
    assert res.returncode == 1
    assert "`anon-pi machine create newbox --image other:2`" in res.stderr
    assert tree_digest(cli.ws) == before


def test_seeds_global_and_per_machine(cli):
    cli.configure()
    ws = cli.ws
    (ws / "models.json").write_text("{}\n")
    (ws / "settings-seed.json").write_text("{}\n")
    argv = _one_run(cli, cli.run("recon", "-p", "x"))
    assert argv == head("default", f"{ws}/projects", "", "/projects/recon", proxy=RELAY) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-v", f"{ws}/models.json:/anon-pi-seed/models.json:ro",
        "-v", f"{ws}/settings-seed.json:/anon-pi-seed/settings.json:ro",
        "-w", "/projects/recon", IMAGE, *PI_ARGS_CMD, "-p", "x"]
    (ws / "machines/default/models.json").write_text("{}\n")
    (ws / "machines/default/settings-seed.json").write_text("{}\n")
    cli.log.unlink()
    argv = _one_run(cli, cli.run("recon", "-p", "x"))
    assert argv[argv.index("-w") - 4:argv.index("-w")] == [
        "-v", f"{ws}/machines/default/models.json:/anon-pi-seed/models.json:ro",
        "-v", f"{ws}/machines/default/settings-seed.json:/anon-pi-seed/settings.json:ro"]


def test_netcage_011_gets_allow_direct(cli):
    cli.configure()
    argv = _one_run(cli, cli.run("recon", "-p", "x", FAKE_NETCAGE_VERSION="netcage v0.11.3 (ab)"))
    assert argv[:12] == head("default", f"{cli.ws}/projects", "", "/projects/recon",
                             hole="--allow-direct", proxy=RELAY)


def test_loopback_llm_on_012(cli):
    cli.configure(llm="http://127.0.0.1:11434/v1")
    argv = _one_run(cli, cli.run("recon", "-p", "x"))
    assert argv[6:8] == ["--allow", "127.0.0.1:11434"]


def test_loopback_llm_refused_on_011(cli):
    cli.configure(llm="127.0.0.1:11434")
    before = tree_digest(cli.ws)
    res = cli.run("recon", "-p", "x", FAKE_NETCAGE_VERSION="netcage 0.11.0")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: llm 127.0.0.1:11434 is on loopback, which needs "
                                 "netcage 0.12 or newer.")
    assert cli.calls() == [["--version"]]
    assert tree_digest(cli.ws) == before


def test_dry_run_without_netcage(cli):
    cli.configure()
    cli.no_netcage()
    before = tree_digest(cli.tmp)
    res = cli.run("--dry-run", "recon", "-p", "hi there")
    assert res.returncode == 0, res.stderr
    ws = cli.ws
    expected = ["netcage"] + head("default", f"{ws}/projects", "", "/projects/recon",
                                  proxy=RELAY) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", IMAGE, *PI_ARGS_CMD, "-p", "hi there"]
    assert res.stdout == shlex.join(expected) + "\n"
    assert res.stderr == (f'anon-pi: would create project "recon" at {ws}/projects/recon\n'
                          + relay_note(cli.proxy))
    assert tree_digest(cli.tmp) == before


def test_dry_run_shell_gets_it_without_a_terminal(cli):
    cli.configure()
    res = cli.run("--dry-run", "--shell", "recon", FAKE_NETCAGE_VERSION="netcage 0.10.0")
    assert res.returncode == 0, res.stderr
    ws = cli.ws
    assert shlex.split(res.stdout) == ["netcage"] + head(
        "default", f"{ws}/projects", "", "/projects/recon", hole="--allow-direct",
        proxy=RELAY) + [
        "-it", "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", IMAGE, "sh", "-c", SCRIPT + "; exec bash"]
    assert cli.run_calls() == [] and not (ws / "projects").exists()


def test_netcage_status_passes_through(cli):
    cli.configure()
    assert cli.run("recon", "-p", "x", FAKE_NETCAGE_RC="3").returncode == 3


def test_signal_death_is_netcages_own_128_plus_n(cli):
    """A netcage killed by a signal: the launch (which waits for it beside its egress relay)
    exits 128+N, which the user's shell reports as it reported netcage's own death."""
    cli.configure()
    fake = cli.bindir / "netcage"
    fake.unlink()
    fake.write_text('#!/bin/sh\n[ "$1" = --version ] && { echo netcage 0.12.0; exit 0; }\n'
                    "kill -TERM $$\n")
    fake.chmod(0o755)
    assert cli.run("recon", "-p", "x").returncode == 128 + signal.SIGTERM
    shell = subprocess.run(["sh", "-c", f'"{BIN}" recon -p x; echo "status=$?"'],
                           env=cli.env(), capture_output=True, text=True, timeout=60,
                           check=False)
    assert shell.stdout.splitlines() == [f"status={128 + signal.SIGTERM}"]


def test_model_queries_and_pi_need_no_terminal(cli):
    cli.configure()
    ws = cli.ws
    for args, cwd in ((["--list-models", "q"], "/projects"), (["pi", "--version"], "/projects")):
        cli.log.unlink(missing_ok=True)
        argv = _one_run(cli, cli.run(*args))
        assert argv == head("default", f"{ws}/projects", "", cwd, proxy=RELAY) + [
            "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
            "-w", cwd, IMAGE, *PI_ARGS_CMD, *(args if args[0] != "pi" else args[1:])]


def test_env_settings_win_over_config(cli):
    cli.configure(proxy="socks5h://10.9.9.9:1", llm="10.9.9.9:2")
    argv = _one_run(cli, cli.run("recon", "-p", "x", ANON_PI_PROXY=f" {cli.proxy} ",
                                 ANON_PI_LLM=f"http://{LLM}/v1"))
    assert argv[5:8] == [RELAY, "--allow", LLM]
    [log] = (cli.ws / "egress" / "default").glob("*.jsonl")
    assert f'"upstream":"{cli.proxy}"' in log.read_text()  # the relay's upstream: the env's


def test_image_from_env_when_machine_has_none(cli):
    cli.configure(image=None)
    argv = _one_run(cli, cli.run("recon", "-p", "x", ANON_PI_IMAGE="env:img"))
    assert argv[argv.index("-w") + 2] == "env:img"


def test_help_and_version(cli):
    res = cli.run("--help")
    assert res.returncode == 0 and res.stdout.startswith("anon-pi - run the pi coding agent")
    res = cli.run("-V")
    assert res.returncode == 0 and res.stdout.startswith("anon-pi ")
    assert len(res.stdout.splitlines()) == 1
    assert cli.calls() == []


def test_default_machine_without_a_folder_is_created_by_its_first_launch(cli):
    cli.configure(image=None)
    argv = _one_run(cli, cli.run("recon", "-p", "x", ANON_PI_IMAGE="env:img"))
    ws = cli.ws
    assert argv == head("default", f"{ws}/projects", "", "/projects/recon", proxy=RELAY) + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", "env:img", *PI_ARGS_CMD, "-p", "x"]
    assert (ws / "machines/default/home").is_dir()
    assert not (ws / "machines/default/machine.json").exists()  # a launch never writes it


def test_two_launches_at_once_both_start(cli):
    cli.configure()
    procs = [subprocess.Popen([str(BIN), "recon", "-p", "x"], env=cli.env(FAKE_NETCAGE_SLEEP="1"),
                              cwd=cli.tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert len(cli.run_calls()) == 2
