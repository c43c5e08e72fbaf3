"""`anon-pi doctor` in-process: netcage and podman faked with pytest-subprocess, the host
(user, /dev/net/tun, subordinate ids) by files of the test's own, proxy and llm served by
real sockets on 127.0.0.1."""

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
    free_port,
    line,
    run,
)
from harness_paths import FAKES, NETCAGE, PODMAN
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


def test_old_netcage_refuses_a_loopback_llm(nc, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(FAKES))
    monkeypatch.setenv("ANON_PI_PROXY", "socks5h://127.0.0.1:1")
    monkeypatch.setenv("ANON_PI_LLM", "127.0.0.1:8080")
    nc.register([NETCAGE, "--version"], stdout="netcage 0.11.0\n")
    nc.register([PODMAN, "--version"], stdout="podman version 5.4.2\n")
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(tmp_path / "no-store"))  # holds nothing
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "llm") == ("FAIL llm: llm 127.0.0.1:8080 is on loopback, which needs "
                                  "netcage 0.12 or newer.")
    assert not [ln for ln in lines if "llm reachable" in ln]


@pytest.mark.parametrize("proxy, detail", [
    (None, "FAIL proxy: no proxy configured; refusing to launch (fail-closed)."),
    ("socks5://127.0.0.1:9050", ("FAIL proxy: proxy socks5://127.0.0.1:9050 is not a socks5h"
                                 ":// URL; plain socks5, http or a bare host:port would "
                                 "resolve DNS outside the proxy.")),
])
def test_proxy_unset_or_not_socks5h(doc, capsys, monkeypatch, proxy, detail):
    if proxy:
        monkeypatch.setenv("ANON_PI_PROXY", proxy)
    else:
        monkeypatch.delenv("ANON_PI_PROXY")
    code, lines = run(capsys)
    assert code == 1
    i = lines.index(detail)
    assert lines[i + 1].startswith("  fix: set ANON_PI_PROXY or run `anon-pi init`")
    assert not [ln for ln in lines if "greeting" in ln]


@pytest.mark.parametrize("reply, close, reason", [
    (b"\x05\xff", False, "SOCKS5 but no acceptable auth method"),
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", False, "not SOCKS5"),
    (b"\x05", False, "short reply"),
    (None, False, "no reply"),
    (None, True, "no reply"),
])
def test_proxy_greeting_answered_badly(doc, capsys, monkeypatch, reply, close, reason):
    bad = Responder(reply, close_at_once=close)
    monkeypatch.setenv("ANON_PI_PROXY", f"socks5h://127.0.0.1:{bad.port}")
    try:
        code, lines = run(capsys)
    finally:
        bad.close()
    assert code == 1
    got = line(lines, "proxy greeting")
    assert got == (f"FAIL proxy greeting: socks5h://127.0.0.1:{bad.port} answered the SOCKS5 "
                   f"greeting badly: {reason}")


def test_proxy_not_listening(doc, capsys, monkeypatch):
    port = free_port()
    monkeypatch.setenv("ANON_PI_PROXY", f"socks5h://127.0.0.1:{port}")
    code, lines = run(capsys)
    assert code == 1
    got = line(lines, "proxy greeting")
    assert got.startswith(f"FAIL proxy greeting: cannot connect to socks5h://127.0.0.1:{port}:")
    assert lines[lines.index(got) + 1].startswith("  fix: start the proxy")


@pytest.mark.parametrize("llm, words", [
    (None, "no local model (llm) configured"),
    ("8.8.8.8:8080", "is not a private (RFC1918) or link-local address"),
    ("192.168.1.5", "needs an explicit numeric port"),
    ("192.168.1.5:53", "uses a DNS port (53)"),
])
def test_llm_refused(doc, capsys, monkeypatch, llm, words):
    if llm:
        monkeypatch.setenv("ANON_PI_LLM", llm)
    else:
        monkeypatch.delenv("ANON_PI_LLM")
    code, lines = run(capsys)
    assert code == 1
    got = line(lines, "llm")
    assert got.startswith("FAIL llm: ") and words in got
    assert lines[lines.index(got) + 1].startswith("  fix: ")


def test_llm_unreachable(doc, capsys, monkeypatch):
    port = free_port()
    monkeypatch.setenv("ANON_PI_LLM", f"127.0.0.1:{port}")
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "llm reachable").startswith(
        f"FAIL llm reachable: no TCP connection to 127.0.0.1:{port}: ")


def test_corrupt_json_files_are_named(doc, capsys):
    (doc.ws / "config.json").write_text("[1, 2]")
    (doc.ws / "machines" / "default" / "models.json").write_text("{broken")
    before = tree_digest(doc.ws)
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "workspace") == (
        f"FAIL workspace: not valid JSON: {doc.ws}/config.json, "
        f"{doc.ws}/machines/default/models.json")
    assert tree_digest(doc.ws) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_workspace(doc, capsys):
    doc.ws.chmod(0o555)
    try:
        code, lines = run(capsys)
    finally:
        doc.ws.chmod(0o755)
    assert code == 1
    assert line(lines, "workspace").startswith(f"FAIL workspace: {doc.ws} is not writable")


def test_missing_workspace_is_writable_and_not_created(doc, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ANON_PI_HOME", str(tmp_path / "fresh"))
    monkeypatch.setenv("ANON_PI_IMAGE", "anon-pi/toolbox:latest")
    code, lines = run(capsys)
    assert code == 0, lines
    assert line(lines, "workspace").startswith("ok   workspace:")
    assert not (tmp_path / "fresh").exists()


def test_workspace_under_home_warns_but_passes(doc, capsys, monkeypatch, tmp_path):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ANON_PI_HOME", str(home / ".anon-pi"))
    monkeypatch.setenv("ANON_PI_PROJECTS", "/srv/neutral-projects")
    monkeypatch.setenv("ANON_PI_IMAGE", "anon-pi/toolbox:latest")
    code, lines = run(capsys)
    assert code == 0
    got = line(lines, "jail sees /root")
    assert got == (f"warn jail sees /root: {home}/.anon-pi/machines/default/home shows your "
                   "login name or home path (/proc/self/mountinfo)")
    assert lines[lines.index(got) + 1] == (
        "  fix: run `anon-pi init` and accept the neutral layout: once `sudo install -d -o "
        "zed-the-tester -m 700 /srv/anon-pi`, then init moves the workspace there and leaves "
        "~/.anon-pi as a link")
    assert line(lines, "jail sees /projects") == "ok   jail sees /projects: /srv/neutral-projects"


def test_jail_view_resolves_links_as_the_kernel_does(doc, capsys, monkeypatch, tmp_path):
    """A neutral-looking link INTO the home still shows the home; the moved layout does not."""
    home = tmp_path / "home"
    (home / ".anon-pi").mkdir(parents=True)
    (tmp_path / "neutral").symlink_to(home / ".anon-pi")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ANON_PI_HOME", str(tmp_path / "neutral"))
    monkeypatch.setenv("ANON_PI_IMAGE", "anon-pi/toolbox:latest")
    _, lines = run(capsys)
    assert line(lines, "jail sees /root").startswith(f"warn jail sees /root: {home}/.anon-pi/")
    (tmp_path / "neutral").unlink()
    (home / ".anon-pi").rename(tmp_path / "neutral")
    (home / ".anon-pi").symlink_to(tmp_path / "neutral")
    monkeypatch.setenv("ANON_PI_HOME", str(home / ".anon-pi"))
    doc.register([NETCAGE, "--version"], stdout="netcage 0.12.1\n")  # doctor asks afresh
    doc.register([str(doc.tools / "podman"), "--version"], stdout="podman version 5.4.2\n")
    _, lines = run(capsys)
    assert line(lines, "jail sees /root") == (
        f"ok   jail sees /root: {os.path.realpath(tmp_path)}/neutral/machines/default/home")


def test_tmpdir_in_home_is_replaced_for_netcage(doc, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "home" / "tmp"))
    _, lines = run(capsys)
    assert line(lines, "netcage temp") == (
        f"ok   netcage temp: {tmp_path}/home/tmp shows your login name or home path; launches "
        f"give netcage TMPDIR=/tmp/anon-pi-tmp-{os.getuid()} (mode 700) instead")


def test_login_name_in_projects_root_warns(doc, capsys, monkeypatch):
    monkeypatch.setenv("ANON_PI_PROJECTS", "/data/zed-the-tester/code")
    code, lines = run(capsys)
    assert code == 0
    assert line(lines, "jail sees /projects").startswith(
        "warn jail sees /projects: /data/zed-the-tester/code shows your login name")


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


def test_no_web_needs_no_proxy_and_says_so(doc, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("ANON_PI_PROXY")
    (tmp_path / "ws" / "machines" / "default" / "machine.json").write_text(
        json.dumps({"image": TOOLBOX, "web": "none"}))
    code, lines = run(capsys)
    assert code == 0
    assert line(lines, "proxy") == "ok   proxy: none, and none needed: no web (web: none)"
    assert line(lines, "web") == (
        "ok   web: no web: each launch's relay refuses everything the jail asks for")
    assert not [ln for ln in lines if "greeting" in ln]


@pytest.mark.parametrize("web, row", [
    (["github.com", "*.pypi.org"], ("ok   web: web only to github.com, *.pypi.org (each "
                                    "launch's relay carries and logs it: `anon-pi egress`)")),
    ("everything", ("FAIL web: config.json `web` is 'everything'; it must be \"proxy\", "
                    "\"none\" or a list of names."))])
def test_the_web_policy_row(doc, capsys, tmp_path, web, row):
    (tmp_path / "ws" / "config.json").write_text(json.dumps({"web": web}))
    code, lines = run(capsys)
    assert line(lines, "web") == row
    assert code == (1 if row.startswith("FAIL") else 0)
