"""The pin check against real podman in the tests' store: podman's own lookup decides, so a
short name resolves as `netcage run` will resolve it and a missing ref is refused."""

from conftest import tree_digest
from real_support import BASE_IMAGE, STORE, need, podman_log, podman_missing


def test_real_store_accepts_what_podman_finds_and_refuses_what_it_does_not(cli, podman_log):
    need(podman_missing())
    cli.vars["NETCAGE_GRAPHROOT"] = str(STORE)
    for ref in (BASE_IMAGE, "test/busybox", "busybox"):  # podman resolves all three
        name = f"m{len(ref)}"
        res = cli.run("machine", "create", name, "--image", ref)
        assert res.returncode == 0, res.stderr
        assert res.stderr == ""
    before = tree_digest(cli.ws)
    res = cli.run("machine", "create", "gone", "--image", "localhost/test/no-such-image:1")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: image localhost/test/no-such-image:1 is not in "
                                 f"netcage's store ({STORE}); nothing written.")
    assert tree_digest(cli.ws) == before
    assert ["--root", str(STORE), "image", "exists", "--", "busybox"] in podman_log()
