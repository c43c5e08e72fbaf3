"""A box is a netcage pair (tool + sidecar, same `netcage.run-id`): when its tool exits, anon-pi
stops the sidecar netcage leaves running, and `container list` tells the pair's state.

The listings are real netcage's shape: `netcage ps -a --format json` shows every container of
the store, sidecars included (labels netcage.managed, netcage.role, netcage.run-id)."""

import json
import os

import pytest
from containers_support import BOX_REF as REF
from containers_support import (
    at_terminal,
    box_entry,
    box_token,
    ps_json,
    record_boxes,
    sidecar_entry,
)
from harness_paths import BOX_LIST, NETCAGE
from in_process import program
from launch_support import PROXY
from menu_support import finish, spawn

from anonpi_helpers.edges import box_records

SIDECAR = "5" * 64


def _start(cli) -> list[str]:
    """The `netcage start` of box dev (the proxy is the harness's listener: netcage dials it)."""
    return ["start", "--proxy", cli.proxy, "--allow", "192.168.1.50:8080", "-it", REF]


def _left_up(tool_state="exited", sidecar_state="running"):
    return ps_json(box_entry(REF, "dev", state=tool_state, run_id="7001"),
                   sidecar_entry(SIDECAR, "7001", state=sidecar_state))


def test_list_says_when_the_sidecar_outlived_the_tool(cli):
    cli.configure()
    record_boxes(cli.ws, "dev")
    cli.can("ps", _left_up())
    res = cli.run("container", "list")
    assert res.returncode == 0, res.stderr
    assert res.stdout.split("\t")[-1] == "stopped (sidecar still running)\n"
    [row] = json.loads(cli.run("container", "list", "--json").stdout)
    assert (row["state"], row["sidecar"]) == ("stopped", "running")
    assert [c for c in cli.calls() if c[0] == "ps"] == [BOX_LIST, BOX_LIST]  # one listing each


def test_enter_stops_the_sidecar_once_the_tool_exited(cli):
    cli.configure()
    record_boxes(cli.ws, "dev")
    cli.can("ps", _left_up())
    cli.can("stop", f"{SIDECAR}\n")  # real netcage: podman stop prints the name it was given
    out, code = finish(spawn(cli, "container", "enter", "dev", FAKE_NETCAGE_RC="3"))
    assert code == 3, out  # netcage's status, whatever the clean-up did
    assert cli.run_calls() == [_start(cli), ["stop", SIDECAR]]
    assert SIDECAR not in out  # captured: the one line anon-pi says is its own
    assert ('anon-pi: box "dev" stopped (tool and sidecar); come back with '
            "`anon-pi container enter dev`.") in out


def test_a_failed_stop_is_one_warning_and_keeps_netcages_status(cli):
    cli.configure()
    record_boxes(cli.ws, "dev")
    cli.can("ps", _left_up())
    # real netcage when the sidecar is gone by then (its `podman inspect` guard fails)
    cli.can("stop", "", rc=1, err=f'netcage: stop: "{SIDECAR}" is not a netcage-managed '
            "container (inspect failed): exit status 125\n")
    out, code = finish(spawn(cli, "container", "enter", "dev"))
    assert code == 0
    assert ("anon-pi: warning: could not stop box \"dev\"'s sidecar (`netcage stop` exit 1: "
            f'netcage: stop: "{SIDECAR}" is not a netcage-managed container (inspect failed): '
            "exit status 125).") in " ".join(out.split())


def test_the_menus_enter_box_stops_the_pair_too(cli):
    cli.configure()
    record_boxes(cli.ws, "dev")
    cli.can("ps", _left_up())
    p = spawn(cli)
    p.expect_exact("enter box dev")
    p.send("k\r")
    out, code = finish(p)
    assert code == 0, out
    assert cli.run_calls() == [_start(cli), ["stop", SIDECAR]]


@pytest.mark.parametrize("tool, sidecar, stopped", [
    ("exited", "running", True), ("running", "running", False), ("exited", "exited", False)])
def test_create_records_the_box_and_brings_its_pair_to_rest(nc, monkeypatch, tmp_path, capsys,
                                                            tool, sidecar, stopped):
    """In-process: the listing before the run has no box, the one after shows the pair netcage
    left, labelled with the token this create recorded. Only a sidecar that outlived its tool
    is stopped."""
    ws = tmp_path / "ws"
    (ws / "machines" / "default").mkdir(parents=True)
    (ws / "config.json").write_text(json.dumps({"proxy": PROXY, "llm": "192.168.1.50:8080"}))
    (ws / "machines" / "default" / "machine.json").write_text('{"image": "img:1"}\n')
    (ws / "projects" / "recon").mkdir(parents=True)  # a new one is asked about on a terminal
    at_terminal(monkeypatch)
    monkeypatch.setattr(box_records, "new_token", lambda: box_token("dev"))
    nc.register([NETCAGE, "--version"], stdout="netcage 0.13.0\n")
    nc.register([NETCAGE, *BOX_LIST], stdout="[]\n")
    nc.register([NETCAGE, "run", nc.any()], returncode=0)
    nc.register([NETCAGE, *BOX_LIST], stdout=_left_up(tool, sidecar))
    nc.register([NETCAGE, "stop", SIDECAR])
    assert program(["container", "create", "dev", "recon"]) == 0
    assert [c[1] for c in nc.calls] == ["--version", "ps", "run", "ps", *(["stop"] * stopped)]
    assert json.loads((ws / "boxes" / "dev.json").read_text()) == {"token": box_token("dev")}
    run = list(nc.calls[2])
    assert "--rm" not in run and f"anon-pi.container-token={box_token('dev')}" in run
    assert ('box "dev" stopped (tool and sidecar)' in capsys.readouterr().err) == stopped


def _box_workspace(nc, monkeypatch, tmp_path):
    """A configured workspace, a terminal, netcage 0.13: what `container create` needs."""
    ws = tmp_path / "ws"
    (ws / "machines" / "default").mkdir(parents=True)
    (ws / "projects" / "recon").mkdir(parents=True)  # an existing project: nothing to ask
    (ws / "config.json").write_text(json.dumps({"proxy": PROXY, "llm": "192.168.1.50:8080"}))
    (ws / "machines" / "default" / "machine.json").write_text('{"image": "img:1"}\n')
    at_terminal(monkeypatch)
    nc.register([NETCAGE, "--version"], stdout="netcage 0.13.0\n")
    return ws


def test_a_create_that_made_no_container_leaves_no_record(nc, monkeypatch, tmp_path, capsys):
    """netcage refused (here: its image pull failed) before a container existed: a record
    left behind would name a box that never was."""
    ws = _box_workspace(nc, monkeypatch, tmp_path)
    nc.register([NETCAGE, *BOX_LIST], stdout="[]\n")
    nc.register([NETCAGE, "run", nc.any()], returncode=125,
                callback=lambda _p: records.append(os.listdir(ws / "boxes")))
    nc.register([NETCAGE, *BOX_LIST], stdout="[]\n")
    records = []
    assert program(["container", "create", "dev", "recon"]) == 125
    assert records == [["dev.json"]]  # recorded while netcage ran
    assert os.listdir(ws / "boxes") == []


def test_two_creates_of_one_name_at_once_make_one_box(nc, monkeypatch, tmp_path, capsys):
    """The second create starts while the first one's netcage runs: it sees the first one's
    claim and refuses, so the first one's token stays the one on record (an overwritten token
    would leave the first box unrecognised, running on)."""
    ws = _box_workspace(nc, monkeypatch, tmp_path)
    tokens = iter([box_token("dev"), box_token("web")])
    monkeypatch.setattr(box_records, "new_token", lambda: next(tokens))
    second = []

    def second_create(_process):
        second.append(program(["container", "create", "dev", "recon"]))

    nc.register([NETCAGE, "--version"], stdout="netcage 0.13.0\n")  # each run asks its own
    nc.register([NETCAGE, *BOX_LIST], stdout="[]\n", occurrences=2)
    nc.register([NETCAGE, "run", nc.any()], callback=second_create)
    nc.register([NETCAGE, *BOX_LIST], stdout=ps_json(box_entry(REF, "dev")))
    assert program(["container", "create", "dev", "recon"]) == 0
    assert second == [1]
    assert ('anon-pi: another `anon-pi container create dev` is making box "dev" right now; '
            "nothing created.") in capsys.readouterr().err
    assert [c[1] for c in nc.calls] == ["--version", "ps", "run", "--version", "ps", "ps"]
    assert json.loads((ws / "boxes" / "dev.json").read_text()) == {"token": box_token("dev")}
