"""The launch verb in-process, every netcage call faked with pytest-subprocess."""

import pytest
from harness_paths import NETCAGE
from in_process import program
from launch_support import RELAY


def test_launch_asks_version_once_then_starts_netcage(nc, handed, tmp_path, monkeypatch):
    monkeypatch.setenv("ANON_PI_PROXY", "socks5h://127.0.0.1:9050")
    monkeypatch.setenv("ANON_PI_LLM", "http://user:pw@192.168.1.50:8080/v1")
    monkeypatch.setenv("ANON_PI_IMAGE", "img:1")
    nc.register([NETCAGE, "--version"], stdout="netcage 0.11.0\n")
    with pytest.raises(handed) as got:
        program(["alpha", "--print", "hi"])
    assert got.value.path == NETCAGE
    run = got.value.argv
    assert not [c for c in nc.calls if "run" in c]  # spawned directly, not through plumbum
    assert run[:8] == ["netcage", "run", "--label", run[3], "--rm", "--proxy",
                       RELAY, "--allow-direct"]
    assert run[8] == "192.168.1.50:8080"
    assert nc.call_count([NETCAGE, "--version"]) == 1
