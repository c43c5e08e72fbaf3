"""Provenance-aware `machine create` without a TTY: the home is copied, conversations are not,
and no label can make anon-pi read a host path outside the named machine's home."""

import json
import os
import socket

import pytest
from data_verbs_support import AGENT, SESSIONS, make_machine
from harness_paths import NETCAGE, PODMAN
from in_process import program
from tree_digest import tree_digest

LABELS = "{{json .Config.Labels}}"


def _in_store(nc, monkeypatch, tmp_path, occurrences=1) -> None:
    """`machine create` first asks netcage's store (one of the test's own) for the image."""
    store = tmp_path / "netcage-store"
    store.mkdir(exist_ok=True)
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(store))
    nc.register([PODMAN, "--root", str(store), "image", "exists", "--", "snap:1"],
                occurrences=occurrences)


def _labels(cli, source, rc=0):
    cli.can("inspect", json.dumps({"anon-pi.source-machine": source,
                                   "anon-pi.snapshot-at": "2026-07-05T09:05:07.000Z"}), rc=rc)


def _create(cli, name="new", ref="localhost/anon-pi/snap:latest"):
    res = cli.run("machine", "create", name, "--image", ref)
    assert "Traceback" not in res.stderr
    return res


def test_home_copied_minus_conversations_without_tty(cli):
    src = make_machine(cli.ws, "recon", slugs=("--projects-a--", "--projects-b--"))
    (src / "home/.pi/agent/extensions").mkdir()
    (src / "home/.pi/agent/extensions/x.js").write_text("x")
    _labels(cli, "recon")
    src_before = tree_digest(src)
    res = _create(cli)
    assert res.returncode == 0, res.stderr
    new = cli.ws / "machines/new"
    assert (new / AGENT / ".anon-pi-seed").read_text() == "1\n"
    assert (new / AGENT / "extensions/x.js").read_text() == "x"
    assert (new / "home/.bashrc").exists()
    assert not (new / SESSIONS).exists()
    assert res.stderr.count("NOT copied") == 1
    assert '2 conversation group(s) on "recon" were NOT copied (no TTY to choose)' in res.stderr
    assert 'snapshotted from machine "recon"' in res.stderr
    assert "minus conversations" in res.stderr
    assert json.loads((new / "machine.json").read_text()) == {
        "image": "localhost/anon-pi/snap:latest"}
    assert tree_digest(src) == src_before
    assert "already seeded" in res.stderr
    assert cli.calls() == [["inspect", "localhost/anon-pi/snap:latest", "--format", LABELS]]


def test_label_traversal_copies_nothing(cli):
    """`../..` resolves machines/../../home to the test $HOME: must never be read."""
    secret = cli.ws.parent / "home" / ".ssh" / "id_rsa"
    secret.parent.mkdir(parents=True)
    secret.write_text("PRIVATE")
    _labels(cli, "../..")
    res = _create(cli)
    assert res.returncode == 0
    assert os.listdir(cli.ws / "machines/new/home") == []
    assert "not a valid machine name" in res.stderr and "nothing carried over" in res.stderr


@pytest.mark.parametrize("label", ["a/b", "pi", "", "   ", ".hidden", "x" * 300])
def test_invalid_labels_copy_nothing(cli, label):
    make_machine(cli.ws, "a")
    make_machine(cli.ws, "pi")
    _labels(cli, label)
    res = _create(cli)
    assert res.returncode == 0
    assert os.listdir(cli.ws / "machines/new/home") == []


def test_label_naming_the_new_machine_itself(cli):
    """machine rm recon; machine create recon --image <snapshot of recon>: no crash."""
    _labels(cli, "recon")
    res = _create(cli, name="recon")
    assert res.returncode == 0
    assert "the new machine itself" in res.stderr
    assert os.listdir(cli.ws / "machines/recon/home") == []


def test_source_home_gone(cli):
    make_machine(cli.ws, "recon")
    import shutil
    shutil.rmtree(cli.ws / "machines/recon/home")
    _labels(cli, "recon")
    res = _create(cli)
    assert res.returncode == 0
    assert "has no home any more" in res.stderr


@pytest.mark.parametrize("out, rc", [("null", 0), ("<no value>", 0), ("garbage{", 0), ('["x"]', 0),
                                     ("", 0), ('{"anon-pi.source-machine": "recon"}', 1)])
def test_unusable_inspect_output_is_a_plain_create(cli, out, rc):
    make_machine(cli.ws, "recon", slugs=("--projects-a--",))
    cli.can("inspect", out, rc=rc)
    res = _create(cli)
    assert res.returncode == 0
    assert os.listdir(cli.ws / "machines/new/home") == []
    assert [line for line in res.stderr.splitlines()  # the create's own note, nothing else
            if not line.startswith(('anon-pi: created machine "new"', "  its home"))] == []


def test_special_files_and_symlinks_are_never_followed(cli):
    src = make_machine(cli.ws, "recon")
    home = src / "home"
    os.mkfifo(home / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(home / "sock"))
    outside = cli.tmp / "outside"
    outside.mkdir()
    (outside / "secret").write_text("HOST")
    (home / "abs-link").symlink_to(outside / "secret")
    (home / "rel-link").symlink_to(".bashrc")
    (home / "dir-link").symlink_to(outside)
    _labels(cli, "recon")
    try:
        res = _create(cli)
    finally:
        sock.close()
    assert res.returncode == 0, res.stderr
    new = cli.ws / "machines/new/home"
    assert not os.path.lexists(new / "fifo") and not os.path.lexists(new / "sock")
    assert "skipped 2 special file(s)" in res.stderr
    assert os.readlink(new / "abs-link") == str(outside / "secret")
    assert os.readlink(new / "rel-link") == ".bashrc"
    assert os.readlink(new / "dir-link") == str(outside)
    assert (new / ".bashrc").read_text() == "# rc\n"


def test_symlinked_source_home_is_not_walked(cli):
    outside = cli.tmp / "outside"
    (outside / ".ssh").mkdir(parents=True)
    (outside / ".ssh/id_rsa").write_text("PRIVATE")
    (cli.ws / "machines/recon").mkdir(parents=True)
    (cli.ws / "machines/recon/home").symlink_to(outside)
    _labels(cli, "recon")
    res = _create(cli)
    assert res.returncode == 0
    assert os.listdir(cli.ws / "machines/new/home") == []
    assert "is a symlink" in res.stderr


def test_symlinked_sessions_folder_is_not_listed(cli):
    src = make_machine(cli.ws, "recon")
    outside = cli.tmp / "outside"
    (outside / ".ssh").mkdir(parents=True)
    (src / SESSIONS).symlink_to(outside)
    _labels(cli, "recon")
    res = _create(cli)
    assert res.returncode == 0
    new = cli.ws / "machines/new"
    assert (new / AGENT / ".anon-pi-seed").exists()
    assert not os.path.lexists(new / SESSIONS)
    assert "is a symlink" in res.stderr and "NOT copied" not in res.stderr


def test_failed_copy_rolls_the_machine_back(nc, tmp_path, monkeypatch, capsys):
    ws = tmp_path / "ws"
    make_machine(ws, "recon", slugs=("--projects-a--",))
    _in_store(nc, monkeypatch, tmp_path, occurrences=2)
    nc.register([NETCAGE, "inspect", "snap:1", "--format", LABELS],
                stdout=json.dumps({"anon-pi.source-machine": "recon"}))

    def full_disk(*_a, **_k):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("os.copy_file_range", full_disk)
        before = tree_digest(ws)
        assert program(["machine", "create", "new", "--image", "snap:1"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert tree_digest(ws) == before
    nc.register([NETCAGE, "inspect", "snap:1", "--format", LABELS], stdout="{}")
    assert program(["machine", "create", "new", "--image", "snap:1"]) == 0  # a re-run works


def test_failed_create_in_a_fresh_workspace_leaves_nothing(nc, tmp_path, monkeypatch, capsys):
    _in_store(nc, monkeypatch, tmp_path)
    nc.register([NETCAGE, "inspect", "snap:1", "--format", LABELS], stdout="{}")
    monkeypatch.setattr("anonpi_helpers.edges.workspace.Workspace.write_machine",
                        lambda *a: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    assert program(["machine", "create", "new", "--image", "snap:1"]) == 1
    assert "Permission denied" in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()
