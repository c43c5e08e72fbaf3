"""Under CI the suite runs in a network namespace that has only `lo` (.ci/run makes it after
the install steps), so a test that dials anything but loopback fails at once with ENETUNREACH
instead of sending traffic off the machine. This proves that namespace is in force."""

import errno
import socket

import pytest
from network_support import NOWHERE, under_ci

# rootful podman bridges its containers inside whichever namespace it runs in: once the
# real-podman tests ran, their bridge and its veth ends live in this namespace too
PODMAN_MADE = ("cni-podman", "podman", "veth")


@pytest.mark.skipif(not under_ci(), reason="outside CI the suite shares the machine's network "
                                           "(.ci/run makes the lo-only namespace)")
def test_ci_runs_the_suite_with_loopback_only():
    names = [name for _, name in socket.if_nameindex()]
    assert "lo" in names
    assert [n for n in names if n != "lo" and not n.startswith(PODMAN_MADE)] == [], names
    for host, port in NOWHERE:  # a UDP connect() only picks a route: it sends nothing
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as probe, pytest.raises(OSError) as no:
            probe.connect((host, port))
        assert no.value.errno == errno.ENETUNREACH, (host, no.value)
    with socket.create_server(("127.0.0.1", 0)) as server, \
            socket.create_connection(server.getsockname(), timeout=5):  # loopback is up
        server.accept()[0].close()
