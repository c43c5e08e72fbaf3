"""image snapshot in-process, every netcage call faked (pytest-subprocess): the exact commit
argv and its label order, the machine it may create, the pickers and refusals."""

import re
from pathlib import Path

import pytest
from containers_support import PS, at_terminal, fixture, ps_entry, ps_json
from harness_paths import NETCAGE
from in_process import program
from tree_digest import tree_digest

from anonpi_helpers.edges import terminal

INSPECT_IMAGE = ["inspect", "aaa111", "--format", "{{.ImageName}}"]


def _ws(tmp_path) -> Path:
    return tmp_path / "ws"


def _commit(nc):
    return [list(c) for c in nc.calls if c[1] == "commit"]


def _setup_one(nc, machine="default", image_name="localhost/anon-pi/pi:latest\n"):
    nc.register([NETCAGE, *PS], stdout=ps_json(ps_entry("aaa111", machine, "/projects/alpha",
                                                         name="alpha_1")))
    nc.register([NETCAGE, *INSPECT_IMAGE], stdout=image_name)


def test_snapshot_exact_commit_argv(nc, capsys):
    _setup_one(nc)
    nc.register([NETCAGE, "commit", nc.any()])
    assert program(["image", "snapshot", "toolbox"]) == 0
    [argv] = _commit(nc)
    assert argv[:7] == [NETCAGE, "commit", "-c", "LABEL anon-pi.source-machine=default",
                        "-c", "LABEL anon-pi.source-image=localhost/anon-pi/pi:latest", "-c"]
    assert re.fullmatch(r"LABEL anon-pi\.snapshot-at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
                        argv[7])
    assert argv[8:] == ["-c", "LABEL anon-pi.key=", "-c", "LABEL anon-pi.container=",
                        "-c", "LABEL anon-pi.container-token=", "-c", "LABEL netcage.role=",
                        "-c", "LABEL netcage.run-id=none", "aaa111", "anon-pi/toolbox:latest"]
    assert len(nc.calls) == 3  # ps, inspect, commit
    out, err = capsys.readouterr()
    assert out == ""  # the snapshot's lines are notes, on stderr
    assert ('anon-pi: snapshotted alpha_1 into image anon-pi/toolbox:latest '
            '(from machine "default").\n') in err
    assert "committing alpha_1 -> image anon-pi/toolbox:latest" in err


@pytest.mark.parametrize("answer,rc", [("<no value>\n", 0), ("", 0), ("x", 125), ("a b\n", 0)])
def test_source_image_falls_back_to_machine_json(nc, tmp_path, answer, rc):
    machine_json = _ws(tmp_path) / "machines" / "box" / "machine.json"
    machine_json.parent.mkdir(parents=True)
    machine_json.write_text('{"image": " my/pi:2 "}\n')
    nc.register([NETCAGE, *PS], stdout=ps_json(ps_entry("aaa111", "box")))
    nc.register([NETCAGE, *INSPECT_IMAGE], stdout=answer, returncode=rc)
    nc.register([NETCAGE, "commit", nc.any()])
    assert program(["image", "snapshot", "tb"]) == 0
    assert "LABEL anon-pi.source-image=my/pi:2" in _commit(nc)[0]


def test_unknown_source_image_and_machine_labels_omitted(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=ps_json(ps_entry("aaa111", "../..")))
    nc.register([NETCAGE, *INSPECT_IMAGE], returncode=125)
    nc.register([NETCAGE, "commit", nc.any()])
    assert program(["image", "snapshot", "tb"]) == 0
    argv = _commit(nc)[0]
    assert next(a for a in argv if a.startswith("LABEL")).startswith("LABEL anon-pi.snapshot-at=")
    assert argv[-4:] == ["-c", "LABEL netcage.run-id=none", "aaa111", "anon-pi/tb:latest"]
    out, err = capsys.readouterr()
    assert out == "" and "anon-pi: snapshotted name_aaa1 into image anon-pi/tb:latest.\n" in err
    assert '""' not in err


def test_commit_failure_passes_status_and_creates_no_machine(nc, tmp_path, capsys):
    _setup_one(nc)
    nc.register([NETCAGE, "commit", nc.any()], returncode=125)
    assert program(["image", "snapshot", "tb", "--create-machine", "copy"]) == 125
    assert "netcage commit failed; image anon-pi/tb:latest NOT written" in capsys.readouterr().err
    assert not (_ws(tmp_path) / "machines" / "copy").exists()


def test_create_machine_clash_checked_before_any_netcage_call(nc, tmp_path, capsys):
    (_ws(tmp_path) / "machines" / "taken").mkdir(parents=True)
    before = tree_digest(_ws(tmp_path))
    assert program(["image", "snapshot", "tb", "--create-machine", "taken"]) == 1
    assert list(nc.calls) == []
    assert 'machine "taken" already exists' in capsys.readouterr().err
    assert tree_digest(_ws(tmp_path)) == before


def test_create_machine_pins_and_carries_home_over(nc, tmp_path, capsys):
    ws = _ws(tmp_path)
    src = ws / "machines" / "default" / "home"
    (src / ".pi" / "agent" / "sessions" / "--projects-alpha--").mkdir(parents=True)
    (src / ".pi" / "agent" / ".anon-pi-seed").write_text("1\n")
    (src / ".bashrc").write_text("hi\n")
    _setup_one(nc)
    nc.register([NETCAGE, "commit", nc.any()])
    assert program(["image", "snapshot", "tb", "--create-machine", "copy"]) == 0
    dest = ws / "machines" / "copy"
    assert (dest / "machine.json").read_text() == '{\n\t"image": "anon-pi/tb:latest"\n}\n'
    assert (dest / "home" / ".bashrc").read_text() == "hi\n"
    assert (dest / "home" / ".pi" / "agent" / ".anon-pi-seed").exists()
    assert not (dest / "home" / ".pi" / "agent" / "sessions").exists()  # no TTY: none copied
    assert (src / ".pi" / "agent" / "sessions" / "--projects-alpha--").is_dir()
    out, err = capsys.readouterr()
    assert 'anon-pi: created machine "copy" pinned to anon-pi/tb:latest.' in err and out == ""
    assert "NOT copied" in err


def test_create_machine_without_source_starts_fresh(nc, tmp_path, capsys):
    nc.register([NETCAGE, *PS], stdout=ps_json(ps_entry("aaa111", "")))
    nc.register([NETCAGE, *INSPECT_IMAGE], stdout="img:1\n")
    nc.register([NETCAGE, "commit", nc.any()])
    assert program(["image", "snapshot", "tb", "--create-machine", "copy"]) == 0
    home = _ws(tmp_path) / "machines" / "copy" / "home"
    assert home.is_dir() and list(home.iterdir()) == []
    assert "fresh home" in capsys.readouterr().err
    assert not any("source-machine" in a for a in _commit(nc)[0])


def test_no_container_names_the_right_verb(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=fixture("ps-none.json"))
    assert program(["image", "snapshot", "tb", "-m", "box"]) == 1
    err = capsys.readouterr().err
    assert 'no running anon-pi container on machine "box".' in err
    assert "anon-pi image snapshot" in err and "machine snapshot" not in err


def test_many_without_terminal_no_commit(nc, capsys):
    nc.register([NETCAGE, *PS], stdout=ps_json(ps_entry("aaa111", "a"), ps_entry("bbb222", "b")))
    assert program(["image", "snapshot", "tb"]) == 1
    assert len(nc.calls) == 1
    assert "2 running anon-pi containers match; a terminal is needed" in capsys.readouterr().err


def test_picker_rows_have_no_port_hints_and_m_filters(nc, monkeypatch):
    seen = []
    at_terminal(monkeypatch)
    monkeypatch.setattr(terminal, "select",
                        lambda _io, h, rows, n, later=None: seen.append((h, rows, n, later)) or 1)
    nc.register([NETCAGE, *PS], stdout=ps_json(
        ps_entry("aaa111", "a", "/projects/x", name="n1"), ps_entry("bbb222", "b", name="n2"),
        ps_entry("ccc333", "b", "/work", name="n3"), ps_entry("ddd444", "b", state="exited")))
    nc.register([NETCAGE, "inspect", "ccc333", "--format", "{{.ImageName}}"], stdout="i:1")
    nc.register([NETCAGE, "commit", nc.any()])
    assert program(["image", "snapshot", "tb", "-m", "b"]) == 0
    [(header, rows, nothing, later)] = seen
    assert later is None  # a snapshot picker asks no ports
    assert header.startswith("anon-pi: pick a container to snapshot ")
    assert rows == ["b / alpha [n2]", "b / . [n3]"] and nothing == "snapshotted"
    assert _commit(nc)[0][-2] == "ccc333"


def test_netcage_missing_no_calls(nc, monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert program(["image", "snapshot", "tb"]) == 1
    assert program(["image", "list"]) == 1
    assert list(nc.calls) == []
    assert "`netcage` not found on PATH" in capsys.readouterr().err
