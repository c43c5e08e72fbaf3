"""init's step 1 and netcage's own images: they are pulled through the proxy as soon as it is
chosen (so neither verify's jail nor the first launch pulls anything directly), netcage
verify runs only when the user agrees to its one direct request, a pull that failed through
the proxy is named before verify would pull it directly, and detect-proxy (whose jail would
pull them too) waits until they are there. pexpect drives init; netcage and podman are the
harness's fakes (tests/real/test_real_setup_proxy.py runs the pulls for real)."""

from init_support import VERIFY_QUESTION, flat, lab_fixture, store_holds  # noqa: F401

from anonpi_helpers.core.setup_traffic import LAUNCH_IMAGES, VERIFY_DNS_IMAGE, VERIFY_IMAGES

ANYWAY = "Run netcage verify anyway? [y/N]"


def _pulls(cli) -> list[str]:
    return [c[1] for c in cli.calls() if c[:1] == ["pull"] and c[1:] != ["--help"]]


def _verified(cli) -> bool:
    return any(c[:1] == ["verify"] for c in cli.calls())


def test_agreeing_to_verify_pulls_its_images_through_the_proxy_first(cli, lab):
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert ("it asks http://api.ipify.org/ for directly: that one request leaves from this "
            "host's own address, not through the proxy.") in flat(out)
    assert _pulls(cli) == list(VERIFY_IMAGES) and _verified(cli)
    assert ("Pulling docker.io/xjasonlyu/tun2socks, docker.io/library/alpine:latest, "
            "docker.io/library/debian into netcage's store through your proxy...") in out
    calls = [c[0] for c in cli.calls() if c[:1] != ["--version"]]
    assert calls.index("pull") < calls.index("verify")  # nothing missing when verify runs


def test_declining_verify_still_pulls_what_a_launch_needs_and_nothing_else(cli, lab):
    steps = lab.happy_steps()
    steps.insert(1, (VERIFY_QUESTION, "n"))
    code, out = lab.run(steps)
    assert code == 0, out
    assert _pulls(cli) == list(LAUNCH_IMAGES) and not _verified(cli)
    assert "Not verified: socks5h://127.0.0.1:" in out


def test_a_pull_that_failed_through_the_proxy_is_named_before_verify_would_pull_it(cli, lab):
    cli.can("pull---help", "usage: podman pull", 0)
    cli.can("pull", "", 125, "Error: initializing source: proxyconnect tcp: EOF\n")
    steps = lab.happy_steps()
    steps.insert(1, (ANYWAY, ""))
    code, out = lab.run(steps)
    assert code == 0, out
    assert "could not pull docker.io/xjasonlyu/tun2socks, docker.io/library/alpine:latest, " \
           "docker.io/library/debian through your proxy" in out
    assert ("netcage verify would pull docker.io/xjasonlyu/tun2socks, "
            "docker.io/library/alpine:latest, docker.io/library/debian from docker.io directly, "
            "over this host's own network, not through the proxy") in flat(out)
    assert not _verified(cli)  # Enter refused: nothing was pulled directly


def test_only_what_is_missing_is_pulled_and_detect_proxy_runs_once_it_is_there(cli, lab):
    store_holds(cli, *LAUNCH_IMAGES)
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert _pulls(cli) == [VERIFY_DNS_IMAGE]
    assert ["detect-proxy", "--json"] in cli.calls()


def test_without_netcage_pull_podman_pulls_into_netcages_store(cli, lab):
    cli.can("pull---help", "", 2)
    store_holds(cli, *LAUNCH_IMAGES)
    code, out = lab.run(lab.happy_steps(), NETCAGE_GRAPHROOT="/srv/nc-store")
    assert code == 0, out
    assert f"--root /srv/nc-store pull {VERIFY_DNS_IMAGE}" in cli.podman_calls()
    assert _pulls(cli) == []
