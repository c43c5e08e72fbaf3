"""Durable boxes on the real components. Against each named real netcage generation:
`container create` is accepted (it stops where podman 4.3.1 cannot start the sidecar) and
`container enter` is accepted by `netcage start` past its config check, up to the sidecar.
On real podman, through the stand-in always and each named generation too: a box pair
labelled as netcage leaves it is listed, refused while running, snapshotted and removed
(`netcage rm` takes the whole pair)."""

import json
import uuid

import pexpect
import pytest
from containers_support import box_token, record_boxes
from harness_paths import BIN
from real_podman_pairs import containers_labelled, make_pair, remove_pairs, sidecar_run
from real_support import assert_accepted, podman, socks_proxy
from real_tools_on_path import newest_netcage, podman_log, podman_netcage, real_netcage

from anonpi_helpers.core.identity import Identity, encode


@pytest.fixture
def made():
    """Run ids of the pairs a test builds; removed afterwards (and only those)."""
    run_ids: list[str] = []
    yield run_ids
    remove_pairs(run_ids)


def in_pty(cli, *args) -> tuple[str, int]:
    p = pexpect.spawn(str(BIN), list(args), env=cli.env(), cwd=str(cli.tmp), encoding="utf-8",
                      dimensions=(40, 160), timeout=90)
    p.expect(pexpect.EOF)
    p.close()
    return p.before, p.exitstatus


class Done:
    """What a pty run printed and how it ended, in the shape assert_accepted reads."""

    def __init__(self, out: str, code: int):
        self.stderr, self.returncode = out, code


KEY = ("default", "", "/projects/recon")  # machine, mount, workdir of the box "dev"


def _box_labels(cli, token: str) -> dict[str, str]:
    """The labels of box "dev": its identity key, its name and the token of its record."""
    key = encode(Identity(KEY[0], f"{cli.ws}/projects", *KEY[1:]))
    return {"anon-pi.key": key, "anon-pi.container": "dev", "anon-pi.container-token": token}


def _created_box(cli, socks_proxy, podman_log, made) -> tuple[str, dict]:
    """`container create dev recon` through real netcage, then the stopped pair it would
    leave (podman 4.3.1 cannot start the sidecar), with the env netcage baked in."""
    cli.configure(proxy=socks_proxy)
    out, code = in_pty(cli, "container", "create", "dev", "recon")
    assert_accepted(Done(out, code))
    assert 'creating box "dev"' in out
    assert socks_proxy.hits >= 1
    baked = sidecar_run(podman_log())
    made.append(baked["run_id"])
    token = json.loads((cli.ws / "boxes" / "dev.json").read_text())["token"]  # create's record
    pair = make_pair(baked["run_id"], _box_labels(cli, token), running=False, env=baked["env"])
    return pair.tool_id, baked


def _made_box(cli, made, *, running: bool):
    """The pair a created box is, made with podman directly (labels as netcage leaves them),
    and the record `container create` writes."""
    record_boxes(cli.ws, "dev")
    made.append(uuid.uuid4().hex[:12])
    return make_pair(made[-1], _box_labels(cli, box_token("dev")), running=running)


def test_create_is_accepted_by_every_generation(cli, real_netcage, socks_proxy, podman_log):
    cli.configure(proxy=socks_proxy)
    out, code = in_pty(cli, "container", "create", "dev", "recon")
    assert_accepted(Done(out, code))
    assert (cli.ws / "projects" / "recon").is_dir()
    run = sidecar_run(podman_log())
    hole = "--allow-direct" if real_netcage == "0.11.1" else "--allow"
    assert any(e.startswith("TUN_EXCLUDED_ROUTES=") and "192.168.1.50/32" in e
               for e in run["env"]), (hole, run)


def test_list_and_rm_a_stopped_box(cli, podman_netcage, made):
    cli.configure()
    pair = _made_box(cli, made, running=False)
    res = cli.run("container", "list")
    assert res.returncode == 0, res.stderr
    assert res.stdout == "dev\tdefault\t/projects/recon\ttest/busybox:latest\tstopped\n"
    res = cli.run("container", "rm", "dev")
    assert res.returncode == 0, res.stderr
    assert containers_labelled(f"netcage.run-id={pair.run_id}") == []  # the whole pair
    res = cli.run("container", "list")
    assert res.stdout == "" and res.stderr.startswith("anon-pi: no boxes yet")
    assert ["rm", pair.tool_id] in cli.calls()


def test_enter_a_created_box_is_accepted(cli, real_netcage, socks_proxy, podman_log, made):
    _, baked = _created_box(cli, socks_proxy, podman_log, made)
    out, code = in_pty(cli, "container", "enter", "dev")
    assert code != 2, out  # netcage accepted the start argv ...
    assert "different proxy/allowlist" not in out  # ... and the jail settings it compared
    assert "sidecar" in out and 'entering box "dev"' in out, out
    # the start failed after reviving the sidecar (podman 4.3.1); anon-pi stopped it again
    sidecar = f"netcage-run-{baked['run_id']}-sidecar"
    assert podman("inspect", "--format", "{{.State.Running}}", sidecar).stdout.strip() == "false"
    assert cli.run("container", "list").stdout.endswith("\tstopped\n")


def test_enter_with_a_changed_llm_is_explained(cli, newest_netcage, socks_proxy, podman_log,
                                               made):
    _created_box(cli, socks_proxy, podman_log, made)
    cli.configure(proxy=socks_proxy, llm="192.168.1.51:8080")
    out, code = in_pty(cli, "container", "enter", "dev")
    assert code == 1, out
    assert "jailed with a different proxy/allowlist" in out  # netcage's own refusal
    assert 'box "dev" was created with another proxy or llm than the current configuration' in out


def test_a_running_box_is_listed_refused_and_removed_with_yes(cli, podman_netcage, made):
    cli.configure()
    pair = _made_box(cli, made, running=True)
    ref = pair.tool_id
    res = cli.run("container", "list", "--json")
    assert res.returncode == 0, res.stderr
    [row] = json.loads(res.stdout)
    assert (row["name"], row["state"], row["id"]) == ("dev", "running", ref)
    out, code = in_pty(cli, "container", "enter", "dev")
    assert code == 1 and 'box "dev" is already running' in out
    # a running box is a running launch too; --update-machine re-pins its own machine
    res = cli.run("image", "snapshot", "boxsnap", "--update-machine", "default")
    try:
        assert res.returncode == 0, res.stderr
        assert res.stdout == ""  # podman's image id stays off it; anon-pi's lines are notes
        assert res.stderr.splitlines()[-2:] == [
            (f"anon-pi: snapshotted {pair.tool} into image "
             'anon-pi/boxsnap:latest (from machine "default").'),
            ('anon-pi: re-pinned machine "default" image localhost/anon-pi/pi:latest -> '
             "anon-pi/boxsnap:latest.")]
        assert "WARNING" not in res.stderr
        machine = json.loads((cli.ws / "machines" / "default" / "machine.json").read_text())
        assert machine == {"image": "anon-pi/boxsnap:latest"}
        assert podman("image", "exists", "anon-pi/boxsnap:latest", check=False).returncode == 0
    finally:
        podman("rmi", "-f", "anon-pi/boxsnap:latest", check=False)
    res = cli.run("container", "rm", "dev")
    assert res.returncode == 1 and "--yes" in res.stderr
    res = cli.run("container", "rm", "dev", "--yes")
    assert res.returncode == 0, res.stderr
    assert containers_labelled(f"netcage.run-id={pair.run_id}") == []


@pytest.mark.parametrize("args", [("-p", "hi"), ("--model", "qwen3", "-p", "hi"),
                                  ("recon", "-p", "hi", "--mode", "text-stream")])
def test_leading_pi_flags_and_text_stream_are_accepted(cli, real_netcage, socks_proxy, args):
    """Both reach real netcage: a leading pi flag launches at the projects root, and
    text-stream reads netcage's stdout live; the exit status stays netcage's (1 at the
    sidecar), and nothing is left behind (those launches are --rm)."""
    cli.configure(proxy=socks_proxy)
    res = cli.run(*args)
    assert_accepted(res)
    assert res.returncode == 1 and res.stdout == ""
    key = encode(Identity("default", f"{cli.ws}/projects", "",
                          "/projects/recon" if args[0] == "recon" else "/projects"))
    assert containers_labelled(f"anon-pi.key={key}") == []
