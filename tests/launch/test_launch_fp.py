"""The launch verb in-process with every netcage call faked by pytest-subprocess: which calls
happen at all, and the first-run rule (onboarding before the first launch on a terminal)."""

import json
import os
import shutil
import sys
import types

import pytest
from harness_paths import NETCAGE
from in_process import program
from launch_support import IMAGE, LLM, PI_ARGS_CMD, PROXY, head, relay_note

from anonpi_helpers.edges import netcage, real_io, terminal, version_cache


def _configure(tmp_path, llm=LLM, proxy=PROXY):
    import json

    ws = tmp_path / "ws"
    (ws / "machines/default").mkdir(parents=True)
    (ws / "config.json").write_text(json.dumps({"proxy": proxy, "llm": llm}))
    (ws / "machines/default/machine.json").write_text(json.dumps({"image": IMAGE}))
    return ws


def test_version_asked_once_then_full_run_argv(nc, handed, tmp_path):
    ws = _configure(tmp_path)
    nc.register([NETCAGE, "--version"], stdout="netcage 0.12.3\n")
    with pytest.raises(handed) as got:
        program(["recon", "-p", "x"])
    assert nc.call_count([NETCAGE, "--version"]) == 1
    assert [list(c)[1:2] for c in nc.calls] == [["--version"]]  # the run is spawned
    assert got.value.argv == ["netcage"] + head("default", f"{ws}/projects", "",
                                                "/projects/recon") + [
        "-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", IMAGE, *PI_ARGS_CMD, "-p", "x"]


@pytest.fixture
def elf(tmp_path, monkeypatch):
    """An ELF executable named `netcage` first on PATH (the only kind the version cache
    vouches for; the stand-in netcage is a script)."""
    folder = tmp_path / "elf"
    folder.mkdir()
    shutil.copy("/bin/true", folder / "netcage")
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return str(folder / "netcage")


def test_the_version_answer_is_remembered_until_netcage_changes(nc, handed, tmp_path, elf):
    """doctor (a real query) writes it; launches read it while the binary is the same."""
    _configure(tmp_path)
    nc.register([elf, "--version"], stdout="netcage 0.11.0\n", occurrences=2)
    io = real_io.real_context()
    netcage.remember_version(io, netcage.ask_version(io))
    for _ in range(2):  # each a new invocation, with a context (and a memo) of its own
        with pytest.raises(handed) as got:
            program(["recon", "-p", "x"])
        assert "--allow-direct" in got.value.argv
    assert nc.call_count([elf, "--version"]) == 1
    cached = json.loads((tmp_path / "home/.cache/anon-pi/netcage-version.json").read_text())
    assert cached["path"] == elf and cached["version"] == "netcage 0.11.0\n"
    os.utime(elf)  # replaced in place: a new mtime
    with pytest.raises(handed):
        program(["recon", "-p", "x"])
    assert nc.call_count([elf, "--version"]) == 2


def test_the_cache_follows_xdg_cache_home(nc, tmp_path, monkeypatch, elf):
    _configure(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    netcage.remember_version(real_io.real_context(), "netcage 0.12.0\n")
    assert (tmp_path / "xdg/anon-pi/netcage-version.json").is_file()
    assert not (tmp_path / "home/.cache").exists()


@pytest.mark.parametrize("entry", ["garbage{", "[]", '{"path": 1}', None])
def test_a_corrupt_or_stale_cache_means_ask_again(nc, handed, tmp_path, entry, elf):
    _configure(tmp_path)
    cache = tmp_path / "home/.cache/anon-pi/netcage-version.json"
    cache.parent.mkdir(parents=True)
    if entry is None:  # stale: a different size than the netcage on PATH now has
        key = version_cache.binary_key(elf)
        entry = json.dumps({**key, "size": key["size"] + 1, "version": "netcage 0.11.0"})
    cache.write_text(entry)
    nc.register([elf, "--version"], stdout="netcage 0.12.0\n")
    with pytest.raises(handed) as got:
        program(["recon", "-p", "x"])
    assert nc.call_count([elf, "--version"]) == 1 and "--allow" in got.value.argv
    assert cache.read_text() == entry  # a launch only reads it


def test_a_failed_answer_is_not_remembered(nc, tmp_path, capsys):
    _configure(tmp_path)
    nc.register([NETCAGE, "--version"], returncode=2, stderr="boom")
    assert program(["--dry-run", ".", "-p", "x"]) == 0
    assert not (tmp_path / "home/.cache/anon-pi/netcage-version.json").exists()


@pytest.mark.parametrize("llm", ["8.8.8.8:8080", "192.168.1.5", "example.com:80", None])
def test_refused_llm_never_reaches_netcage(nc, tmp_path, llm):
    _configure(tmp_path, llm=llm)
    assert program(["recon", "-p", "x"]) == 1
    assert list(nc.calls) == []


def test_no_proxy_never_reaches_netcage(nc, tmp_path, capsys):
    _configure(tmp_path, proxy=None)
    assert program(["recon", "-p", "x"]) == 1
    assert list(nc.calls) == []
    assert "fail-closed" in capsys.readouterr().err


def test_failed_version_probe_means_newest(nc, tmp_path, capsys):
    _configure(tmp_path, llm="127.0.0.1:11434")
    nc.register([NETCAGE, "--version"], returncode=2, stderr="boom")
    assert program(["--dry-run", ".", "-p", "x"]) == 0
    assert " --allow 127.0.0.1:11434 " in capsys.readouterr().out
    assert nc.call_count([NETCAGE, "--version"]) == 1


def test_dry_run_output_is_one_line(nc, tmp_path, capsys):
    _configure(tmp_path)
    nc.register([NETCAGE, "--version"], stdout="netcage dev\n")
    assert program(["--dry-run", "pi", "--version"]) == 0
    out = capsys.readouterr()
    assert out.out.count("\n") == 1 and out.out.startswith("netcage run ")
    assert " --allow 192.168.1.50:8080 " in out.out and out.err == relay_note(PROXY)


# --- first run: onboarding from a terminal with nothing configured --------------------

@pytest.fixture
def first_run(monkeypatch, tmp_path):
    """A stand-in for init.verb.first_run (another area) that records it was called."""
    calls = []

    def fake(code=0, configure=False):
        def run(_io):
            calls.append(True)
            if configure:
                _configure(tmp_path)
            return code
        monkeypatch.setitem(sys.modules, "anonpi_helpers.init.verb",
                            types.SimpleNamespace(first_run=run))
        return calls

    monkeypatch.setattr(real_io, "_stdin_is_terminal", lambda: True)  # a person at it
    return fake


def test_first_run_failure_stops_the_launch(nc, first_run, tmp_path):
    calls = first_run(code=1)
    assert program(["recon", "-p", "x"]) == 1
    assert calls == [True] and list(nc.calls) == []
    assert not (tmp_path / "ws").exists()


def test_first_run_success_continues_with_fresh_config(nc, handed, first_run, tmp_path,
                                                       monkeypatch):
    calls = first_run(code=0, configure=True)
    asked = []
    monkeypatch.setattr(terminal, "prompt_line", lambda _io, text, nothing=None:
                        asked.append(text) or "")  # asked on a terminal; Enter is yes
    nc.register([NETCAGE, "--version"], stdout="netcage 0.12.0\n")
    with pytest.raises(handed) as got:
        program(["recon", "-p", "x"])
    assert calls == [True] and got.value.argv[:2] == ["netcage", "run"]
    assert asked == [f'Create project "recon" in {tmp_path}/ws/projects? [Y/n] ']


def test_first_run_then_missing_setting_stops_with_hint(nc, first_run, capsys):
    calls = first_run(code=0, configure=False)
    assert program(["recon", "-p", "x"]) == 1
    assert calls == [True] and "no proxy configured" in capsys.readouterr().err


@pytest.mark.parametrize("argv, env, reason", [
    (["--dry-run", "recon", "-p", "x"], {}, "dry-run never runs init"),
    (["recon", "-p", "x"], {"ANON_PI_PROXY": PROXY}, "env proxy"),
    (["--shell", "--bogus"], {}, "parse error first"),
    (["--help"], {}, "help"),
    (["-m", "a/b"], {}, "bad name"),
])
def test_first_run_not_due(nc, first_run, monkeypatch, argv, env, reason):
    calls = first_run(code=0)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    program(argv)
    assert calls == [], reason


def test_first_run_not_due_with_blank_env_proxy_is_due(nc, first_run, monkeypatch):
    calls = first_run(code=5)
    monkeypatch.setenv("ANON_PI_PROXY", "   ")
    monkeypatch.setenv("ANON_PI_LLM", LLM)  # the llm alone does not suppress it
    assert program([]) == 5 and calls == [True]


def test_first_run_not_due_when_config_exists_even_garbage(nc, first_run, tmp_path):
    calls = first_run(code=0)
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws/config.json").write_text("garbage")
    assert program(["recon", "-p", "x"]) == 1 and calls == []


def test_first_run_not_due_without_a_terminal(nc, first_run, monkeypatch):
    calls = first_run(code=0)
    monkeypatch.setattr(real_io, "_stdin_is_terminal", lambda: False)
    assert program(["recon", "-p", "x"]) == 1 and calls == []


def test_ctrl_c_before_the_jail_is_a_cancel(nc, tmp_path, monkeypatch, capsys):
    from anonpi_helpers.edges import netcage

    _configure(tmp_path)

    def interrupted(_io):
        raise KeyboardInterrupt

    monkeypatch.setattr(netcage, "hole_flag", interrupted)
    assert program(["recon", "-p", "x"]) == 130
    assert capsys.readouterr().err == "anon-pi: cancelled; nothing launched\n"
    assert not (tmp_path / "ws/projects").exists()
