"""doctor's rows for the workspace (writable, its JSON files readable, never created by a
check) and what the jail's mounts show of the host: /root, /projects and netcage's temp folder,
each a warning with its fix when it shows the login name or home path. In-process
(doctor_support's `doc` fixture)."""

import os

import pytest
from doctor_support import (
    doc_fixture,  # noqa: F401  the `doc` fixture
    line,
    run,
)
from harness_paths import NETCAGE
from tree_digest import tree_digest


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
