"""doctor checks what a real jail needs from the host, each row ok / FAIL / warn with its
fix: podman 5, rootless, pasta, /dev/net/tun, subordinate ids, netcage's own config.json
(the image rows: test_doctor_images.py). In-process: podman's answers come from
pytest-subprocess, the host's files from the test's own stand-ins (doctor_support)."""

import json
import os

import pytest
from doctor_support import (
    doc_fixture,  # noqa: F401  the `doc` fixture
    fix_after,
    line,
    run,
)
from in_process import program

from anonpi_helpers.doctor.host_checks import tun_check


@pytest.mark.parametrize("doc, status, detail", [
    ({"podman": "podman version 4.3.1\n"}, "FAIL",
     ("is version 4.3.1; netcage needs podman 5 or newer (podman 4 has no pasta options: "
      "`unknown bridge network option: -I`)")),
    ({"podman": "podman version 5.0.0-rc1\n"}, "ok", ", version 5.0.0"),
    ({"podman": "podman-remote\n"}, "FAIL", ": cannot read a version in 'podman-remote'"),
], indirect=["doc"])
def test_podman_must_be_version_5(doc, capsys, status, detail):
    code, lines = run(capsys)
    got = line(lines, "podman")
    assert got.startswith(f"{status:<4} podman: {doc.tools}/podman") and got.endswith(detail)
    assert code == (1 if status == "FAIL" else 0)
    if status == "FAIL" and "4.3.1" in got:
        assert fix_after(lines, got) == ("  fix: install podman 5 or newer "
                                         "(README.md#install-netcage)")


@pytest.mark.parametrize("doc", [{"podman": "", "podman_rc": 125,
                                  "podman_err": "Error: cannot re-exec\n"}], indirect=True)
def test_a_podman_that_fails_to_answer_fails(doc, capsys):
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "podman") == (f"FAIL podman: {doc.tools}/podman did not answer: "
                                     "`podman --version` failed (exit 125): Error: cannot re-exec")


def test_root_is_rootful_and_judges_tun_for_a_normal_user(doc, capsys, monkeypatch):
    from anonpi_helpers.edges import host_facts

    monkeypatch.setattr(host_facts, "euid", lambda: 0)
    doc.host["tun"].chmod(0o600)
    code, lines = run(capsys)
    assert code == 1
    got = line(lines, "rootless")
    assert got == ("FAIL rootless: anon-pi runs as root, so podman is rootful, and netcage's "
                   "pasta network is rootless only (`pasta networking is only supported for "
                   "rootless mode`)")
    assert fix_after(lines, got) == ("  fix: run anon-pi as your normal user: netcage needs "
                                     "rootless podman (README.md#troubleshooting)")
    tun = line(lines, "/dev/net/tun")
    assert tun.startswith(f"FAIL /dev/net/tun: mode 0600 (owner uid {os.getuid()}): a normal "
                          "user cannot open it")
    assert fix_after(lines, tun).startswith("  fix: `sudo chmod 0666 /dev/net/tun`")
    ids = line(lines, "subordinate ids")
    assert ids.startswith("warn subordinate ids: not checked as root")
    doc.host["tun"].chmod(0o666)
    _again(doc)
    _, lines = run(capsys)
    assert line(lines, "/dev/net/tun") == "ok   /dev/net/tun: mode 0666: every user can open it"


def test_pasta_missing_fails_and_a_helper_folder_counts(doc, capsys, monkeypatch):
    from anonpi_helpers.edges import host_facts

    (doc.tools / "pasta").unlink()
    code, lines = run(capsys)
    got = line(lines, "pasta")
    assert code == 1 and got == ("FAIL pasta: not found on PATH or in podman's helper folders; "
                                 "netcage's jail network is pasta")
    assert fix_after(lines, got) == ("  fix: install passt, which provides pasta (`sudo apt "
                                     "install passt`, `sudo dnf install passt`)")
    helpers = doc.tools.parent / "libexec-podman"
    helpers.mkdir()
    (helpers / "pasta").write_text("#!/bin/sh\n")
    (helpers / "pasta").chmod(0o755)
    monkeypatch.setattr(host_facts, "PODMAN_HELPERS", ("/nonexistent", str(helpers)))
    _again(doc)
    _, lines = run(capsys)
    assert line(lines, "pasta") == f"ok   pasta: {helpers}/pasta"


def _again(doc, version="netcage 0.12.1\n"):
    """A second doctor run in one test asks netcage and podman afresh (the store's lookups
    answer any number of runs)."""
    from harness_paths import NETCAGE

    doc.register([NETCAGE, "--version"], stdout=version)
    doc.register([str(doc.tools / "podman"), "--version"], stdout="podman version 5.4.2\n")


def test_tun_missing_or_not_openable_fails(doc, capsys):
    doc.host["tun"].unlink()
    code, lines = run(capsys)
    got = line(lines, "/dev/net/tun")
    assert code == 1 and got.startswith("FAIL /dev/net/tun: missing")
    assert fix_after(lines, got) == "  fix: load the tun module: `sudo modprobe tun`"
    doc.host["tun"].mkdir()  # there, but this user cannot open it read-write
    _again(doc)
    code, lines = run(capsys)
    assert code == 1 and line(lines, "/dev/net/tun").startswith(
        "FAIL /dev/net/tun: you cannot open it (Is a directory): the sidecar exits 126")


def test_tun_permission_denied_names_the_sidecar_error():
    row = tun_check(1000, "Permission denied", (0o600, 0))
    assert (row.status, row.detail) == ("FAIL", (
        "you cannot open it (Permission denied): the sidecar exits 126 (`Failed to open() "
        "/dev/net/tun: Permission denied`)"))
    assert row.fix.startswith("`sudo chmod 0666 /dev/net/tun`")


@pytest.mark.parametrize("subuid, subgid, status, detail", [
    ("zed-the-tester:100000:65536\n", "1000:100000:65536\n", "ok",
     "zed-the-tester has 65536 uids and 65536 gids for rootless podman"),
    ("other:100000:65536\n", "zed-the-tester:1:65536\n", "FAIL",
     "no range for zed-the-tester in /etc/subuid: rootless podman cannot map an image's users"),
    ("", "", "FAIL", "no range for zed-the-tester in /etc/subuid and /etc/subgid"),
    ("zed-the-tester:100000:1000\n", "zed-the-tester:100000:65536\n", "warn",
     "zed-the-tester has 1000 uids and 65536 gids; images whose users reach uid 65534"),
    ("zed-the-tester:100000:\u00b2\n# x\n", "zed-the-tester:1:" + "9" * 5000 + "\n", "FAIL",
     "no range for zed-the-tester in /etc/subuid and /etc/subgid"),
])
def test_subordinate_id_ranges(doc, capsys, subuid, subgid, status, detail):
    doc.host["subuid"].write_text(subuid)
    doc.host["subgid"].write_text(subgid)
    code, lines = run(capsys)
    got = line(lines, "subordinate ids")
    assert got.startswith(f"{status:<4} subordinate ids: {detail}"), got
    assert code == (1 if status == "FAIL" else 0)
    if status != "ok":
        assert fix_after(lines, got) == (
            "  fix: `sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 "
            "zed-the-tester`, then `podman system migrate`")


def test_ranges_without_newuidmap_fail(doc, capsys):
    (doc.tools / "newuidmap").unlink()
    code, lines = run(capsys)
    assert code == 1 and line(lines, "subordinate ids").startswith(
        "FAIL subordinate ids: newuidmap/newgidmap are not installed")



@pytest.mark.parametrize("doc, text, status, detail", [
    ({}, '{"proxy": "socks5h://127.0.0.1:9050", "allow": ["10.1.2.3:11434"]}\n', "ok",
     ("(proxy, allow) is what netcage 0.12 or newer reads; anon-pi's --proxy and hole flag "
      "replace its values")),
    ({}, '{"Proxy": "socks5h://127.0.0.1:9050", "ALLOW": null} trailing', "ok", "(Proxy, ALLOW)"),
    ({}, "null", "ok", "holds null (netcage reads it as empty)"),
    ({}, '{"proxy": "socks5h://127.0.0.1:9050", "allowDirect": ["10.1.2.3:11434"]}', "FAIL",
     (": `allowDirect` is the allow-list key of another netcage generation; the installed "
      "netcage 0.12 or newer reads `allow`: every `netcage run` exits 2")),
    ({"version": "netcage 0.11.1\n"}, '{"allow": ["10.1.2.3:11434"]}', "FAIL",
     (": `allow` is the allow-list key of another netcage generation; the installed netcage "
      "0.11 reads `allowDirect`: every `netcage run` exits 2")),
    ({"version": "netcage 0.11.1\n"}, '{"allowDirect": ["10.1.2.3"]}', "ok", "(allowDirect)"),
    ({}, "", "FAIL", " is not valid JSON (it is empty): every `netcage run` exits 2"),
    ({}, '{"proxy": ', "FAIL", " is not valid JSON (Expecting value): every `netcage run`"),
    ({}, '{"proxy": "x", "dns": "1.1.1.1"}', "FAIL", ": unknown key `dns`: every `netcage run`"),
    ({}, "[1]", "FAIL", " is not a JSON object: every `netcage run` exits 2"),
    ({}, '{"allow": "10.1.2.3:1"}', "FAIL", ": `allow` is not a list of strings"),
    ({}, '{"proxy": 9050}', "FAIL", ": `proxy` is not a string"),
    ({}, '\ufeff{"proxy": "x"}', "FAIL", " is not valid JSON (Expecting value)"),
], indirect=["doc"])
def test_netcage_config_read_as_the_installed_generation_reads_it(doc, capsys, text, status,
                                                                  detail):
    path = doc.host["config"]
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    code, lines = run(capsys)
    got = line(lines, "netcage config")
    assert got.startswith(f"{status:<4} netcage config: {path}") and detail in got, got
    if status == "FAIL":
        assert code == 1
        fix = fix_after(lines, got)
        if "another netcage generation" in got:
            old, new = ("allow", "allowDirect") if "0.11" in got else ("allowDirect", "allow")
            assert fix == (f"  fix: rename `{old}` to `{new}` in {path} (each entry an IP:port), "
                           f"or remove the file (`rm {path}`: anon-pi passes the hole flag itself)")
        else:
            assert fix.startswith(f"  fix: remove it (`rm {path}`: anon-pi passes --proxy")


def test_netcage_config_follows_xdg_config_home_and_never_blocks(doc, capsys, monkeypatch,
                                                                  tmp_path):
    xdg = tmp_path / "xdg"
    (xdg / "netcage").mkdir(parents=True)
    os.mkfifo(xdg / "netcage" / "config.json")  # reading it would hang doctor
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "netcage config") == (
        f"FAIL netcage config: {xdg}/netcage/config.json cannot be read (it is not a regular "
        "file): every `netcage run` exits 2")


def test_any_string_in_either_config_file_is_shown_escaped(doc, capsys, monkeypatch):
    """Lone surrogates and escapes in anon-pi's own config.json and in netcage's: doctor
    finishes, prints them escaped, and exits by what it found."""
    hostile = "a\ud800\x1b]0;t\x07b"
    config = {"proxy": f"socks5h://127.0.0.1:1{hostile}", "llm": hostile,
              "defaultMachine": hostile, "projects": f"/x{hostile}", "isolation": hostile}
    for key, value in config.items():
        doc.ws.joinpath("config.json").write_text(json.dumps({key: value}))
        doc.host["config"].parent.mkdir(parents=True, exist_ok=True)
        doc.host["config"].write_text(json.dumps({hostile: hostile, "proxy": hostile}))
        if key in ("proxy", "llm"):  # the environment would win over config.json
            monkeypatch.delenv(f"ANON_PI_{key.upper()}")
        _again(doc)
        for argv in (["doctor"], ["doctor", "--json"]):
            code = program(argv)
            out = capsys.readouterr().out
            assert code == 1, (key, out)
            assert "\x1b" not in out and "\ud800" not in out and "\x07" not in out
            assert "\\ud800" in out, (key, out)
            if argv[-1] == "--json":
                json.loads(out)
            _again(doc)


def test_a_workspace_under_home_gets_its_fix_once(doc, capsys, monkeypatch, tmp_path):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ANON_PI_HOME", str(home / ".anon-pi"))
    monkeypatch.setenv("ANON_PI_IMAGE", "anon-pi/toolbox:latest")
    ws = home / ".anon-pi"
    ws.mkdir(parents=True)
    (ws / "models.json").write_text("{}")
    (ws / "settings-seed.json").write_text("{}")
    code, lines = run(capsys)
    assert code == 0
    jail = lines[lines.index(line(lines, "mounts")) + 1:lines.index(line(lines, "netcage temp"))]
    assert [ln.split(":")[0] for ln in jail] == [
        "warn jail sees /root", "warn jail sees /projects",
        "warn jail sees /anon-pi-seed/models.json", "warn jail sees /anon-pi-seed/settings.json",
        "  fix"]
    assert sum(ln.startswith("  fix: run `anon-pi init` and accept the neutral layout")
               for ln in lines) == 1


def test_json_carries_every_row_and_each_its_fix(doc, capsys, monkeypatch):
    from anonpi_helpers.edges import host_facts

    monkeypatch.setattr(host_facts, "euid", lambda: 0)
    doc.host["tun"].chmod(0o600)
    assert program(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    rows = {c["name"]: c for c in report["checks"]}
    assert report["ok"] is False
    for name in ("netcage config", "podman", "rootless", "pasta", "/dev/net/tun",
                 "subordinate ids", "netcage images"):
        assert name in rows, name
    assert rows["rootless"]["status"] == "FAIL" and "rootless mode" in rows["rootless"]["detail"]
    assert rows["/dev/net/tun"]["fix"].startswith("`sudo chmod 0666 /dev/net/tun`")
    assert rows["subordinate ids"]["status"] == "warn" and rows["subordinate ids"]["fix"]
    assert rows["pasta"] == {"status": "ok", "name": "pasta", "detail": f"{doc.tools}/pasta",
                             "fix": None}
