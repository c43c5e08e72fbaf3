"""The pin check against real podman in the tests' store: podman's own lookup decides, so a
short name resolves as `netcage run` will resolve it and a missing ref is refused."""

import json
import os

from real_support import BASE_IMAGE, STORE, need, podman_missing
from real_tools_on_path import podman_log
from tree_digest import tree_digest


def test_real_store_accepts_what_podman_finds_and_refuses_what_it_does_not(cli, podman_log):
    need(podman_missing())
    cli.vars["NETCAGE_GRAPHROOT"] = str(STORE)
    for ref in (BASE_IMAGE, "test/busybox", "busybox"):  # podman resolves all three
        name = f"m{len(ref)}"
        res = cli.run("machine", "create", name, "--image", ref)
        assert res.returncode == 0, res.stderr
        assert res.stdout == "" and res.stderr.startswith(f'anon-pi: created machine "{name}"')
    before = tree_digest(cli.ws)
    res = cli.run("machine", "create", "gone", "--image", "localhost/test/no-such-image:1")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: image localhost/test/no-such-image:1 is not in "
                                 f"netcage's store ({STORE}); nothing written.")
    assert tree_digest(cli.ws) == before
    assert ["--root", str(STORE), "image", "exists", "--", "busybox"] in podman_log()


def test_a_missing_store_stays_missing_after_doctor_and_a_refused_pin(cli, podman_log):
    """Real podman creates the store any `--root` call names; doctor (read-only) and the pin
    check answer "not in the store" for a missing one without asking it."""
    store = cli.tmp / "netcage-store-not-made"
    cli.vars["NETCAGE_GRAPHROOT"] = str(store)
    cli.configure(proxy="socks5h://127.0.0.1:1", llm="127.0.0.1:2", image="busybox")
    rows = {c["name"]: c for c in json.loads(cli.run("doctor", "--json").stdout)["checks"]}
    assert (rows["image (default)"]["status"], rows["image (default)"]["detail"]) == (
        "FAIL", "busybox is not in netcage's image store")
    res = cli.run("machine", "create", "box", "--image", "busybox")
    assert res.returncode == 1 and "is not in netcage's store" in res.stderr
    assert not os.path.lexists(store)
    assert not [call for call in podman_log() if str(store) in call]
