"""Issue 16 against the REAL components: `container create` reaches every real netcage
generation and is accepted (it stops where podman 4.3.1 cannot start the sidecar);
`container enter` is accepted by real `netcage start` past its config check, up to the sidecar;
list and rm work on real podman containers labelled as a box (real `netcage rm <id>`)."""

import json

import pexpect
import pytest
from conftest import BIN
from real_support import (
    SIDECAR,
    assert_accepted,
    containers_labelled,
    make_pair,
    newest_netcage,
    podman,
    podman_log,
    real_netcage,
    remove_pairs,
    sidecar_run,
    socks_proxy,
)

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


def _created_box(cli, socks_proxy, podman_log, made) -> tuple[str, dict]:
    cli.configure(proxy=socks_proxy)
    out, code = in_pty(cli, "container", "create", "dev", "recon")
    assert_accepted(Done(out, code))
    assert 'creating box "dev"' in out
    assert socks_proxy.hits >= 1
    baked = sidecar_run(podman_log())
    made.append(baked["run_id"])
    key = encode(Identity("default", f"{cli.ws}/projects", "", "/projects/recon"))
    token = json.loads((cli.ws / "boxes" / "dev.json").read_text())["token"]  # create's record
    pair = make_pair(baked["run_id"], {"anon-pi.key": key, "anon-pi.container": "dev",
                                       "anon-pi.container-token": token},
                     running=False, env=baked["env"])
    return pair.tool_id, baked


def test_create_is_accepted_by_every_generation(cli, real_netcage, socks_proxy, podman_log):
    cli.configure(proxy=socks_proxy)
    out, code = in_pty(cli, "container", "create", "dev", "recon")
    assert_accepted(Done(out, code))
    assert (cli.ws / "projects" / "recon").is_dir()
    run = sidecar_run(podman_log())
    hole = "--allow-direct" if real_netcage == "0.11.1" else "--allow"
    assert any(e.startswith("TUN_EXCLUDED_ROUTES=") and "192.168.1.50/32" in e
               for e in run["env"]), (hole, run)


def test_list_enter_and_rm_a_real_box(cli, real_netcage, socks_proxy, podman_log, made):
    ref, baked = _created_box(cli, socks_proxy, podman_log, made)

    res = cli.run("container", "list")
    assert res.returncode == 0, res.stderr
    assert res.stdout == "dev\tdefault\t/projects/recon\tlocalhost/test/busybox:latest\tstopped\n"

    out, code = in_pty(cli, "container", "enter", "dev")
    assert code != 2, out  # netcage accepted the start argv ...
    assert "different proxy/allowlist" not in out  # ... and the jail settings it compared
    assert "sidecar" in out and 'entering box "dev"' in out, out
    # the start failed after reviving the sidecar (podman 4.3.1); anon-pi stopped it again
    sidecar = f"netcage-run-{baked['run_id']}-sidecar"
    assert podman("inspect", "--format", "{{.State.Running}}", sidecar).stdout.strip() == "false"
    assert cli.run("container", "list").stdout.endswith("\tstopped\n")

    res = cli.run("container", "rm", "dev")
    assert res.returncode == 0, res.stderr
    assert containers_labelled(f"netcage.run-id={baked['run_id']}") == []  # the whole pair
    assert cli.run("container", "list").stdout.startswith("anon-pi: no boxes yet")
    assert podman("container", "exists", ref, check=False).returncode == 1


def test_enter_with_a_changed_llm_is_explained(cli, newest_netcage, socks_proxy, podman_log,
                                               made):
    _created_box(cli, socks_proxy, podman_log, made)
    cli.configure(proxy=socks_proxy, llm="192.168.1.51:8080")
    out, code = in_pty(cli, "container", "enter", "dev")
    assert code == 1, out
    assert "jailed with a different proxy/allowlist" in out  # netcage's own refusal
    assert 'box "dev" was created with another proxy or llm than the current configuration' in out


def test_a_running_box_is_listed_refused_and_removed_with_yes(cli, newest_netcage, socks_proxy,
                                                             podman_log, made):
    ref, baked = _created_box(cli, socks_proxy, podman_log, made)
    podman("start", f"netcage-run-{baked['run_id']}-sidecar")
    podman("start", ref)
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
        assert res.stdout.splitlines() == [  # podman's image id stays off anon-pi's stdout
            (f"anon-pi: snapshotted netcage-run-{baked['run_id']}-tool into image "
             'anon-pi/boxsnap:latest (from machine "default").'),
            ('anon-pi: re-pinned machine "default" image localhost/anon-pi/pi:latest -> '
             "anon-pi/boxsnap:latest.")]
        assert "re-pinned machine \"default\"" in res.stdout and "WARNING" not in res.stderr
        machine = json.loads((cli.ws / "machines" / "default" / "machine.json").read_text())
        assert machine == {"image": "anon-pi/boxsnap:latest"}
        assert podman("image", "exists", "anon-pi/boxsnap:latest", check=False).returncode == 0
    finally:
        podman("rmi", "-f", "anon-pi/boxsnap:latest", check=False)
    res = cli.run("container", "rm", "dev")
    assert res.returncode == 1 and "--yes" in res.stderr
    res = cli.run("container", "rm", "dev", "--yes")
    assert res.returncode == 0, res.stderr
    assert containers_labelled(f"netcage.run-id={baked['run_id']}") == []


@pytest.mark.parametrize("args", [("-p", "hi"), ("--model", "qwen3", "-p", "hi"),
                                  ("recon", "-p", "hi", "--mode", "text-stream")])
def test_leading_pi_flags_and_text_stream_are_accepted(cli, real_netcage, socks_proxy, args):
    """§3 and §4 reach real netcage: a leading pi flag launches at the projects root, and
    text-stream reads netcage's stdout live; the exit status stays netcage's (1 at the
    sidecar), and nothing is left behind (those launches are --rm)."""
    cli.configure(proxy=socks_proxy)
    res = cli.run(*args)
    assert_accepted(res)
    assert res.returncode == 1 and res.stdout == ""
    key = encode(Identity("default", f"{cli.ws}/projects", "",
                          "/projects/recon" if args[0] == "recon" else "/projects"))
    assert containers_labelled(f"anon-pi.key={key}") == []
