"""`anon-pi doctor` as a whole, in-process: the all-ok report of a healthy setup, the netcage
row that decides the rest, help and stray arguments, and what the user's own command shows
(its exit status, empty stderr, --json for a script). netcage and podman faked with
pytest-subprocess, the host (user, /dev/net/tun, subordinate ids) by files of the test's own,
proxy and llm served by real sockets on 127.0.0.1 (the other rows: test_doctor_host.py,
test_doctor_images.py, test_doctor_proxy_llm_web.py, test_doctor_workspace_and_mounts.py)."""

import json
import os
from pathlib import Path

import pytest
from doctor_support import (
    ALPINE,
    SIDECAR,
    TOOLBOX,
    Responder,
    doc_fixture,  # noqa: F401  the `doc` fixture
    line,
    run,
)
from harness_paths import NETCAGE
from in_process import program
from tree_digest import tree_digest


def test_healthy_setup_is_all_ok(doc, capsys):
    before = tree_digest(doc.ws)
    code, lines = run(capsys)
    assert code == 0, lines
    assert lines == [
        f"ok   netcage: {NETCAGE}, version 0.12.1 (direct hole --allow)",
        (f"ok   netcage config: none at {doc.host['config']} (anon-pi passes --proxy and the "
         "hole flag)"),
        f"ok   podman: {doc.tools}/podman, version 5.4.2",
        "ok   rootless: podman runs rootless as uid 1000",
        f"ok   pasta: {doc.tools}/pasta",
        "ok   /dev/net/tun: you can open it",
        "ok   subordinate ids: zed-the-tester has 65536 uids and 65536 gids for rootless podman",
        f"ok   proxy: socks5h://127.0.0.1:{doc.proxy.port}",
        "ok   proxy greeting: SOCKS5 answered (method 00)",
        (f"ok   proxy (effective): socks5h://127.0.0.1:{doc.proxy.port} (isolation none: "
         "every machine shares the proxy's circuits)"),
        ("ok   web: web through the proxy (each launch's relay carries and logs it: "
         "`anon-pi egress`)"),
        f"ok   llm: 127.0.0.1:{doc.llm.port} (the one direct hole)",
        f"ok   llm reachable: 127.0.0.1:{doc.llm.port} accepts TCP connections",
        ("ok   netcage images: netcage's tun2socks sidecar and alpine (its probes) are in its "
         "store"),
        "ok   image (default): anon-pi/toolbox:latest is in netcage's image store",
        f"ok   workspace: {doc.ws} is writable; its JSON files read fine",
        "ok   mounts: the projects root and machine home keep the workspace out of the jail",
        f"ok   jail sees /root: {os.path.realpath(doc.ws)}/machines/default/home",
        f"ok   jail sees /projects: {os.path.realpath(doc.ws)}/projects",
        "ok   netcage temp: /tmp (its mounted /etc files live here)",
        ("ok   jail sees git identity: anon <anon@localhost> (anon-pi's default; written into "
         f"{doc.ws}/machines/default/home/.gitconfig at the next launch)"),
        "ok   jail sees TZ: UTC (anon-pi's default; `timezone` in machine.json changes it)",
        ("ok   jail sees locale: LANG=C.UTF-8 (anon-pi's default; `locale` in machine.json "
         "changes it)"),
    ]
    assert doc.proxy.received == [b"\x05\x01\x00"]
    assert sorted(doc.asked) == sorted([SIDECAR, ALPINE, TOOLBOX])  # one lookup per image
    assert tree_digest(doc.ws) == before


def test_netcage_missing_fails_and_skips_the_image_query(doc, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(doc.tools))
    code, lines = run(capsys)
    assert code == 1
    assert lines[:2] == ["FAIL netcage: not found on PATH",
                         ("  fix: install netcage 0.11 or newer (0.12 or newer for a model on the "
                          "host's loopback; Linux only), `netcage-dns` beside it, both on PATH, "
                          "as README.md#install-netcage says (https://github.com/wighawag/netcage)"
                          )]
    assert not [ln for ln in lines if "image" in ln]
    assert doc.asked == []


@pytest.mark.parametrize("doc, status, detail", [
    ({"version": "netcage 0.9.4\n"}, "FAIL",
     "is version 0.9.4, older than 0.11, the oldest anon-pi works with"),
    ({"version": "netcage 0.10.2\n"}, "FAIL",
     "is version 0.10.2, older than 0.11, the oldest anon-pi works with"),
    ({"version": "netcage v0.11.3 (x)\n"}, "ok", "version 0.11.3 (direct hole --allow-direct)"),
    ({"version": "netcage dev\n"}, "ok", "(taken as the newest: direct hole --allow)"),
], indirect=["doc"])
def test_netcage_version_decides_the_hole(doc, capsys, status, detail):
    _, lines = run(capsys)
    got = line(lines, "netcage")
    assert got.startswith(status) and got.endswith(detail), got


def test_help_and_stray_arguments(capsys):
    assert program(["doctor", "--help"]) == 0
    assert "\nUsage: anon-pi doctor [--here] [--json]\n" in capsys.readouterr().out
    assert program(["doctor", "now"]) == 2
    assert capsys.readouterr().err == ("anon-pi: doctor takes no arguments, got extra: now\n"
                                       "  hint: see `anon-pi doctor --help`\n")


def test_real_binary_and_inv_task(cli):
    """The user's command: exit status reflects the FAILs; stderr stays empty."""
    res = cli.run("doctor", ANON_PI_PROXY="socks5h://127.0.0.1:1", ANON_PI_LLM="127.0.0.1:2")
    assert res.returncode == 1
    assert res.stderr == ""
    assert res.stdout.splitlines()[0].startswith("ok   netcage: ")
    assert Path(cli.log).exists()


def test_doctor_asks_netcage_afresh_whatever_a_launch_remembered(cli):
    """doctor checks the binary as it is now (the cache, which a script netcage such as
    this stand-in never gets, is tested on a real binary in tests/edges/test_cache_trust.py)."""
    proxy, model = Responder(b"\x05\x00"), Responder(None)  # what doctor dials: loopback only
    cli.configure(proxy=f"socks5h://127.0.0.1:{proxy.port}", llm=f"127.0.0.1:{model.port}")
    assert cli.run("--dry-run", "recon", "-p", "x").returncode == 0
    assert cli.run("--dry-run", "recon", "-p", "x").returncode == 0
    assert cli.calls() == [["--version"], ["--version"]]  # a script: asked every time
    res = cli.run("doctor", FAKE_NETCAGE_VERSION="netcage 0.11.1")
    proxy.close()
    model.close()
    assert cli.calls().count(["--version"]) == 3
    assert "0.11.1" in res.stdout.splitlines()[0]


def test_a_lone_surrogate_in_config_json_is_shown_not_a_crash(cli):
    """JSON's `"\\ud800"` decodes to a lone surrogate, which no terminal encoding can write."""
    cli.ws.mkdir()
    for key in ("proxy", "llm", "defaultMachine", "projects"):
        (cli.ws / "config.json").write_text(f'{{"{key}": "a\\ud800b"}}')
        for args in (("doctor",), ("doctor", "--json")):
            res = cli.run(*args)
            assert res.returncode == 1 and res.stderr == "", (key, res.stderr)
            assert "a\\ud800b" in res.stdout.replace("\\\\", "\\"), (key, res.stdout)


def test_json_gives_a_script_the_values_as_they_are_and_a_terminal_no_control(cli):
    """doctor --json escapes as JSON does: a folder name holding ESC (the machine home can
    lead anywhere the jail's user made a folder) reads back as that name, and no raw control
    byte reaches the output (a row escaped by shown() read `\\x1b`, a name that is no file)."""
    cli.configure()
    target = cli.tmp / "e\x1b[2Jvil"
    target.mkdir()
    (cli.ws / "machines" / "default" / "home").symlink_to(target)
    res = cli.run("doctor", "--json")
    assert "\x1b" not in res.stdout and "\\u001b[2J" in res.stdout
    details = [c["detail"] for c in json.loads(res.stdout)["checks"]]
    assert any(str(target) in d for d in details), details
