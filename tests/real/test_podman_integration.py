"""A launch that really runs, on REAL podman: the one thing the real netcage cannot show on
podman 4.3.1 (its sidecar never starts). The real bin/anon-pi runs with
tests/integration/netcage as `netcage` (podman with the jail's network left out), so podman
gets the very labels, mounts, -e, -w and image anon-pi builds and the seed-if-fresh script runs
in busybox. Snapshot, list and carry-over from a container like this one are in
tests/real/test_real_images.py.
"""

import json
import uuid

from real_support import BASE_IMAGE, STAND_IN, need, podman, podman_missing, wait_until

from anonpi_helpers.core.identity import Identity, encode


def test_a_launch_runs_the_seed_script_in_a_real_container(cli):
    need(podman_missing())
    (cli.bindir / "netcage").unlink()
    (cli.bindir / "netcage").symlink_to(STAND_IN)
    (cli.bindir / "podman").unlink()  # the stand-in runs the real podman
    del cli.vars["NETCAGE_GRAPHROOT"]  # in podman's default store, where its busybox is
    log = cli.tmp / "netcage-calls.log"
    src = f"src-{uuid.uuid4().hex[:10]}"
    cli.configure(image=BASE_IMAGE, machine=src)
    src_home = cli.ws / "machines" / src / "home"

    launched = cli.run("-m", src, "alpha", "-p", "hello", NETCAGE_STANDIN_LOG=log)
    key = encode(Identity(src, str(cli.ws / "projects"), "", "/projects/alpha"))
    ids = podman("ps", "-a", "-q", "--no-trunc", "--filter", f"label=anon-pi.key={key}",
                 store=False).stdout.split()
    try:
        assert launched.returncode == 0, launched.stderr
        [run] = [json.loads(line) for line in log.read_text().splitlines()
                 if json.loads(line)[:1] == ["run"]]
        assert run[:3] == ["run", "--label", f"anon-pi.key={key}"]
        [cid] = ids
        box = json.loads(podman("inspect", cid, store=False).stdout)[0]
        assert box["State"]["Status"] == "running"
        assert box["Config"]["Labels"] == {"anon-pi.key": key, "netcage.managed": "true"}
        assert box["Config"]["WorkingDir"] == "/projects/alpha"
        assert box["ImageName"] == BASE_IMAGE
        mounts = {m["Destination"]: m["Source"] for m in box["Mounts"]}
        assert mounts["/root"] == str(src_home)
        assert mounts["/projects"] == str(cli.ws / "projects")
        env = dict(e.split("=", 1) for e in box["Config"]["Env"])
        assert (env["TZ"], env["LANG"]) == ("UTC", "C.UTF-8")  # the image's own are replaced
        # the jail's git sees the identity written before it started, not the user's
        assert (src_home / ".gitconfig").read_text() == (
            "[user]\n\tname = anon\n\temail = anon@localhost\n")
        seed = src_home / ".pi" / "agent" / ".anon-pi-seed"
        assert wait_until(lambda: seed.exists() and seed.read_text()) == "1\n"
    finally:
        for cid in ids:
            podman("rm", "-f", "-t", "0", cid, store=False, check=False)
