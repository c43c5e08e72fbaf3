"""The launch verb in-process, every netcage call faked with pytest-subprocess."""

from conftest import NETCAGE

from anonpi_helpers.cli import main


def test_launch_asks_version_once_then_runs(nc, tmp_path, monkeypatch):
    monkeypatch.setenv("ANON_PI_PROXY", "socks5h://127.0.0.1:9050")
    monkeypatch.setenv("ANON_PI_LLM", "http://user:pw@192.168.1.50:8080/v1")
    monkeypatch.setenv("ANON_PI_IMAGE", "img:1")
    nc.register([NETCAGE, "--version"], stdout="netcage 0.11.0\n")
    nc.register([NETCAGE, "run", nc.any()], returncode=7)
    assert main(["alpha", "--print", "hi"]) == 7
    run = next(c for c in nc.calls if "run" in c)
    assert list(run[1:8]) == ["run", "--label", run[3], "--rm", "--proxy",
                             "socks5h://127.0.0.1:9050", "--allow-direct"]
    assert run[8] == "192.168.1.50:8080"
    assert nc.call_count([NETCAGE, "--version"]) == 1
