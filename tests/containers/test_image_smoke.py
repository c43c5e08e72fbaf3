"""image snapshot / image list and the Invoke tasks through the real entry points, fake
netcage and podman (the table test alone has a terminal)."""

import json
import os
import subprocess
import time

import pexpect
from completions_support import bash_candidates, write_cache
from containers_support import fixture, listeners_json, ps_entry, ps_json
from harness_paths import BIN, ROOT
from tree_digest import tree_digest

TWO = ps_json(ps_entry("aaa111", "default", "/projects/alpha", name="alpha_1"),
              ps_entry("bbb222", "box", "/projects/beta", name="beta_2"))


def test_snapshot_commit_failure_quotes_netcage_s_last_line(cli):
    """A failed call is one line naming it and quoting netcage's last stderr line."""
    cli.configure()
    cli.can("ps", TWO)
    cli.can("inspect-aaa111", "<no value>\n")
    cli.can("commit", rc=125, err="Error: committing container: no space left on device\n")
    res = cli.run("image", "snapshot", "tb", "-m", "default")
    assert res.returncode == 125
    assert ("anon-pi: netcage commit failed: Error: committing container: no space left on "
            "device; image anon-pi/tb:latest NOT written.") in res.stderr.splitlines()


def test_snapshot_commit_failure_no_machine(cli):
    cli.configure()
    cli.can("ps", TWO)
    cli.can("inspect-aaa111", "<no value>\n")
    before = tree_digest(cli.ws)
    res = cli.run("image", "snapshot", "tb", "-m", "default", "--create-machine", "copy",
                  FAKE_NETCAGE_RC="125")
    assert res.returncode == 125
    assert "netcage commit failed; image anon-pi/tb:latest NOT written" in res.stderr
    assert tree_digest(cli.ws) == before
    commit = cli.calls()[-1]
    assert "LABEL anon-pi.source-image=localhost/anon-pi/pi:latest" in commit  # machine.json


def test_snapshot_create_machine_without_terminal(cli):
    cli.configure()
    home = cli.ws / "machines" / "default" / "home"
    (home / ".pi" / "agent" / "sessions" / "--projects-alpha--").mkdir(parents=True)
    (home / "notes.txt").write_text("keep\n")
    cli.can("ps", TWO)
    cli.can("inspect-aaa111", "localhost/anon-pi/pi:latest\n")
    res = cli.run("image", "snapshot", "tb", "-m", "default", "--create-machine", "copy")
    assert res.returncode == 0, res.stderr
    dest = cli.ws / "machines" / "copy"
    assert json.loads((dest / "machine.json").read_text()) == {"image": "anon-pi/tb:latest"}
    assert (dest / "home" / "notes.txt").read_text() == "keep\n"
    assert not (dest / "home" / ".pi" / "agent" / "sessions").exists()
    assert "1 conversation group(s)" in res.stderr and "NOT copied" in res.stderr
    assert res.stdout == ""  # podman's image id stays off anon-pi's stdout; the notes on stderr
    assert [line for line in res.stderr.splitlines() if "snapshotted" in line or "pinned" in line
            ] == [('anon-pi: snapshotted alpha_1 into image anon-pi/tb:latest (from machine '
                   '"default").'), 'anon-pi: created machine "copy" pinned to anon-pi/tb:latest.']


def test_image_list_smoke(cli):
    """Piped: one tab-separated line per snapshot; one podman query of netcage's store, no
    netcage call."""
    cli.can("podman-images", fixture("images-after-snapshot.json"))
    res = cli.run("image", "list")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ("anon-pi/toolbox:latest\tdefault\t"
                          "2026-11-26T00:00:00.000Z\t263e703e1806\n")
    assert cli.podman_calls() == [f"--root {cli.store} images --format json"]
    assert cli.calls() == []


def test_image_list_on_a_terminal_is_a_table_with_a_header(cli):
    cli.can("podman-images", fixture("images-with-dangling.json"))
    child = pexpect.spawn(str(BIN), ["image", "list"], env=cli.env(), encoding="utf-8",
                          timeout=20, dimensions=(24, 120))
    child.expect(pexpect.EOF)
    assert child.before.replace("\r\n", "\n").splitlines() == [
        "IMAGE                   SOURCE MACHINE  SNAPSHOT AT               ID",
        "anon-pi/toolbox:latest  default         2026-11-27T00:00:00.000Z  ae98b0656fa0",
        "<none>                  default         2026-11-26T00:00:00.000Z  263e703e1806"]


def _cached(path):
    """The names of a completion cache file and what its first line says."""
    head, *names = path.read_text().splitlines()
    tag, expiry, *store = head.split(" ", 2)
    assert tag == "#anon-pi-names" and abs(int(expiry) - time.time() - 24 * 3600) < 120
    return names, store


def test_image_list_leaves_the_names_for_completion(cli):
    """A TAB after --image reads this file instead of asking netcage (never a netcage call per
    TAB), until the
    store's image index is newer than it (an image built, committed or removed since)."""
    index = cli.tmp / "store" / "overlay-images" / "images.json"
    index.parent.mkdir(parents=True)
    index.write_text("[]")
    os.utime(index, (time.time() - 60,) * 2)
    cli.can("podman-images", fixture("images-after-snapshot.json"))
    assert cli.run("image", "list", NETCAGE_GRAPHROOT=index.parents[1]).returncode == 0
    cache = cli.home / ".cache" / "anon-pi" / "images"
    assert _cached(cache) == (["anon-pi/toolbox:latest"], [str(index)])
    assert bash_candidates("anon-pi -i ", cli.env(), cli.tmp) == ["anon-pi/toolbox:latest"]
    os.utime(index, (time.time() + 5,) * 2)  # podman rewrote its index after the listing
    assert bash_candidates("anon-pi -i ", cli.env(), cli.tmp) == []
    xdg = cli.tmp / "xdg"
    assert cli.run("image", "list", XDG_CACHE_HOME=xdg).returncode == 0
    assert _cached(xdg / "anon-pi" / "images")[0] == ["anon-pi/toolbox:latest"]
    cli.can("podman-images", "[]")
    assert cli.run("image", "list", NETCAGE_GRAPHROOT=index.parents[1]).returncode == 0
    assert _cached(cache)[0] == []  # what the store holds now, not what it once held


def test_a_snapshot_adds_its_image_to_the_names_that_held(cli):
    cli.configure()
    cli.can("ps", TWO)
    cli.can("inspect-aaa111", "localhost/anon-pi/pi:latest\n")
    cache = write_cache(cli.home / ".cache", "images", ["anon-pi/old:latest"])
    assert cli.run("image", "snapshot", "tb", "-m", "default").returncode == 0
    assert _cached(cache)[0] == ["anon-pi/old:latest", "anon-pi/tb:latest"]
    write_cache(cli.home / ".cache", "images", ["anon-pi/gone:latest"], lasts=-1)
    cli.can("commit", rc=125, err="Error: no space left on device\n")
    assert cli.run("image", "snapshot", "tb2", "-m", "default").returncode == 125
    assert cache.read_text().endswith("\nanon-pi/gone:latest\n")  # a failed commit adds none
    cli.can("commit")
    assert cli.run("image", "snapshot", "tb2", "-m", "default").returncode == 0
    assert _cached(cache)[0] == ["anon-pi/tb2:latest"]  # the stale names are not carried on


def _invoke(cli, *args):
    return subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), *args], cwd=ROOT, check=False,
                          env=cli.env(), capture_output=True, text=True, timeout=60)


def test_invoke_tasks_build_the_same_command_lines(cli):
    cli.configure()
    cli.can("ps", TWO)
    cli.can("ports-bbb222", listeners_json(("0.0.0.0", 5173, False)))
    cli.can("podman-images", fixture("images-after-snapshot.json"))
    assert _invoke(cli, "ports", "--project", "beta").stdout.startswith("box / beta: in-jail")
    assert _invoke(cli, "forward", "--project", "beta", "--port", "5173",
                   "--bind", "0.0.0.0").returncode == 0
    assert _invoke(cli, "images").stdout.startswith("anon-pi/toolbox:latest\tdefault\t")
    assert json.loads(_invoke(cli, "images", "--json").stdout)[0]["tag"] == (
        "anon-pi/toolbox:latest")
    res = _invoke(cli, "snapshot", "tb", "--machine", "box", "--create-machine", "copy")
    assert res.returncode == 0, res.stderr
    bad = _invoke(cli, "forward", "--port", "0")
    assert bad.returncode == 1 and "invalid --port" in bad.stderr
    calls = cli.calls()
    assert ["forward", "--bind", "0.0.0.0", "bbb222", "5173"] in calls
    assert calls[-1][-2:] == ["bbb222", "anon-pi/tb:latest"]
    assert (cli.ws / "machines" / "copy" / "machine.json").exists()
