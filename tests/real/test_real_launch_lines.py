"""Every launch-line shape anon-pi produces, fed to the REAL netcage of each generation and
accepted: past its argument and proxy checks (the test's own loopback SOCKS listener counts
the dial), stopped only where podman 4.3.1 cannot start the sidecar. What netcage received is
logged by the harness's shim, so each test also checks the exact shape reached netcage."""

import json

import pytest
from launch_support import RELAY
from real_support import BASE_IMAGE, assert_accepted, run_in_pty, socks_proxy
from real_tools_on_path import real_netcage


def _run(cli):
    """The one `netcage run` argv anon-pi made (the shim logs every netcage call)."""
    [run] = [c for c in cli.calls() if c[:1] == ["run"]]
    return run


def _hole(generation: str) -> str:
    return "--allow-direct" if generation.startswith("0.11.") else "--allow"


def _accepted(cli, proxy, res) -> list[str]:
    assert_accepted(res)
    assert proxy.hits >= 1  # anon-pi checked the proxy before its relay and netcage started
    return _run(cli)


def _value(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv) if a == flag]


@pytest.fixture
def ready(cli, real_netcage, socks_proxy):
    """A configured workspace on the busybox image; yields the generation."""
    cli.configure(proxy=socks_proxy, image=BASE_IMAGE)
    return real_netcage


@pytest.mark.parametrize("args,workdir,tail", [
    (("recon", "-p", "hi"), "/projects/recon", ["pi", "-p", "hi"]),
    ((".", "-p", "hi"), "/projects", ["pi", "-p", "hi"]),
    (("pi", "--version"), "/projects", ["pi", "--version"]),
    (("--list-models",), "/projects", ["pi", "--list-models"]),
    (("recon", "--model", "local/x", "-p", "a b"), "/projects/recon",
     ["pi", "--model", "local/x", "-p", "a b"]),
])
def test_headless_shapes(cli, ready, socks_proxy, args, workdir, tail):
    run = _accepted(cli, socks_proxy, cli.run(*args))
    assert _value(run, "-w") == [workdir] and run[-len(tail):] == tail
    assert _value(run, _hole(ready)) == ["192.168.1.50:8080"]
    assert "-it" not in run


@pytest.mark.parametrize("args,last", [(("recon",), "pi"), (("--shell", "recon"), "bash"),
                                       (("--shell", "."), "bash")])
def test_interactive_shapes_on_a_terminal(cli, ready, socks_proxy, args, last):
    res = run_in_pty(cli, *args)
    run = _accepted(cli, socks_proxy, res)
    assert "-it" in run and run[-1].endswith(f"exec {last}" if last == "bash" else "pi")


def test_mount_another_folder(cli, ready, socks_proxy):
    outside = cli.tmp / "src"
    (outside / "alpha").mkdir(parents=True)
    run = _accepted(cli, socks_proxy, cli.run("--mount", str(outside), "alpha", "-p", "hi"))
    assert f"{outside}:/work" in _value(run, "-v") and _value(run, "-w") == ["/work/alpha"]


def test_another_machine(cli, ready, socks_proxy):
    cli.write_json(cli.ws / "machines" / "box" / "machine.json", {"image": BASE_IMAGE})
    run = _accepted(cli, socks_proxy, cli.run("-m", "box", "recon", "-p", "hi"))
    assert f"{cli.ws}/machines/box/home:/root" in _value(run, "-v")


def test_a_one_off_image_on_a_seeded_home_and_refused_on_a_fresh_one(cli, ready, socks_proxy):
    refused = cli.run("-i", "localhost/test/other:1", "recon", "-p", "hi")
    assert refused.returncode == 1 and "already-seeded home" in refused.stderr
    assert cli.run_calls() == []  # refused before netcage (a `--version` at most)
    agent = cli.ws / "machines" / "default" / "home" / ".pi" / "agent"
    agent.mkdir(parents=True)
    (agent / ".anon-pi-seed").write_text("1\n")
    run = _accepted(cli, socks_proxy, cli.run("-i", BASE_IMAGE, "recon", "-p", "hi"))
    assert BASE_IMAGE in run


@pytest.mark.parametrize("where", ["global", "machine"])
def test_seed_mounts(cli, ready, socks_proxy, where):
    folder = cli.ws if where == "global" else cli.ws / "machines" / "default"
    cli.write_json(folder / "models.json", {"providers": {}})
    cli.write_json(folder / "settings-seed.json", {"defaultModel": "x"})
    run = _accepted(cli, socks_proxy, cli.run("recon", "-p", "hi"))
    mounts = _value(run, "-v")
    assert f"{folder}/models.json:/anon-pi-seed/models.json:ro" in mounts
    assert f"{folder}/settings-seed.json:/anon-pi-seed/settings.json:ro" in mounts


def test_session_resumed_in_its_own_project(cli, ready, socks_proxy):
    sid = "0193f2a4-7c1e-7000-8000-00000000beef"
    folder = cli.ws / "machines/default/home/.pi/agent/sessions/--projects-alpha--"
    folder.mkdir(parents=True)
    (folder / f"2026-11-30T10-00-00-000Z_{sid}.jsonl").write_text(
        json.dumps({"type": "session", "version": 3, "id": sid, "cwd": "/projects/alpha",
                    "timestamp": "2026-11-30T10:00:00.000Z"}) + "\n")
    (cli.ws / "projects" / "alpha").mkdir(parents=True)
    run = _accepted(cli, socks_proxy, run_in_pty(cli, "--session", sid))
    assert _value(run, "-w") == ["/projects/alpha"] and sid in run


def test_proxy_with_userinfo(cli, ready, socks_proxy):
    port = socks_proxy.rsplit(":", 1)[1]
    cli.configure(proxy=f"socks5h://u:p%40ss@127.0.0.1:{port}", image=BASE_IMAGE)
    run = _accepted(cli, socks_proxy, cli.run("recon", "-p", "hi"))
    assert _value(run, "--proxy") == [RELAY]  # the credentials go upstream from the relay


def test_loopback_llm_accepted_on_0_12_and_refused_before_netcage_on_0_11(
        cli, ready, socks_proxy):
    cli.configure(proxy=socks_proxy, llm="127.0.0.1:18080", image=BASE_IMAGE)
    res = cli.run("recon", "-p", "hi")
    if ready.startswith("0.11."):
        assert res.returncode == 1 and res.stderr.startswith("anon-pi: ")
        assert "127.0.0.1" in res.stderr and "0.12" in res.stderr, res.stderr
        assert cli.run_calls() == []
    else:
        run = _accepted(cli, socks_proxy, res)
        assert _value(run, "--allow") == ["127.0.0.1:18080"]
