"""Weaknesses suspected in a review of what the jail, a web page or a model server can make
the host do: another local user's process on the proxy's loopback port, and the cloud
metadata address as the model. (The verify/build output and config values echoed in
errors are rows of tests/quality/hostile_printing_paths.py.)"""

import os
import subprocess
import sys

import pytest

from anonpi_helpers.core.addresses import normalise_llm
from anonpi_helpers.core.errors import AnonPiError

LISTENER = """
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(60)
"""


@pytest.fixture
def strangers_port():
    """A port on 127.0.0.1 held by another user (uid 65534, `nobody`), as a user on a shared
    host could while Tor is down."""
    if os.getuid() != 0:
        pytest.skip("needs root to listen as another user")
    proc = subprocess.Popen([sys.executable, "-c", LISTENER], user=65534, group=65534,
                            stdout=subprocess.PIPE, text=True)
    try:
        port = proc.stdout.readline().strip()
        assert port.isdigit(), "the stranger's listener never said its port"
        yield int(port)
    finally:
        proc.kill()
        proc.wait()


def test_a_proxy_port_held_by_another_user_is_refused_before_netcage(cli, strangers_port):
    cli.configure(proxy=f"socks5h://127.0.0.1:{strangers_port}")
    res = cli.run("--dry-run", "p", "-p", "x")
    assert res.returncode == 1
    assert res.stderr.startswith(f"anon-pi: the proxy 127.0.0.1:{strangers_port} is served by "
                                 "another user's process (uid 65534)")
    assert cli.calls() == []
    doctor = cli.run("doctor")
    assert f"FAIL proxy owner: the proxy 127.0.0.1:{strangers_port} is served by" in doctor.stdout


def test_a_proxy_of_ones_own_or_roots_is_trusted(cli):
    import socket

    with socket.socket() as own:
        own.bind(("127.0.0.1", 0))
        own.listen(1)
        cli.configure(proxy=f"socks5h://127.0.0.1:{own.getsockname()[1]}")
        res = cli.run("--dry-run", "p", "-p", "x")
    assert res.returncode == 0, res.stderr


def test_the_kernels_two_answers_agree_on_a_listener():
    """The netlink query (what a launch asks) and /proc/net/tcp (its fallback) both see a
    socket this test listens on, with this process's uid."""
    import socket

    from anonpi_helpers.core.listeners import table_sockets
    from anonpi_helpers.edges import proxy_owner

    with socket.socket() as own:
        own.bind(("127.0.0.1", 0))
        own.listen(1)
        mine = (b"\x7f\x00\x00\x01", own.getsockname()[1], os.getuid())
        asked = proxy_owner._asked()
        tables = [s for t in proxy_owner.TABLES for s in table_sockets(proxy_owner._read(t))]
    assert asked is not None and mine in asked and mine in tables


def test_the_socket_tables_are_read_as_the_kernel_writes_them():
    from anonpi_helpers.core.listeners import listener_uids, stranger, table_sockets, uid_min

    head = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
    tcp = head + "".join(f"   {i}: {addr}:235A 00000000:0000 {st} 0:0 00:0 0 {uid} 0 1\n"
                         for i, (addr, st, uid) in enumerate([
                             ("0100007F", "0A", 1001),   # 127.0.0.1:9050, listening
                             ("00000000", "0A", 107),    # 0.0.0.0:9050 (a system account)
                             ("0100007F", "01", 1002),   # connected, not listening
                             ("0501A8C0", "0A", 1003)]))  # 192.168.1.5:9050: not loopback
    tcp6 = head + "   0: 0000000000000000FFFF00000100007F:235A 0:0 0A 0:0 00:0 0 1004 0 1\n"
    assert listener_uids(table_sockets(tcp) + table_sockets(tcp6), 9050) == {1001, 107, 1004}
    assert stranger({0, 107, 1000}, 1000, 1000) is None
    assert stranger({0, 1001}, 1000, 1000) == 1001
    assert stranger({65534}, 1000, 1000) == 65534
    assert uid_min("# comment\nUID_MIN\t\t\t 500\n") == 500
    assert uid_min("UID_MIN \u00b2\n") == 1000


@pytest.mark.parametrize("llm", ["169.254.169.254:80", "169.254.170.2:80",
                                 "169.254.169.123:8080"])
def test_the_cloud_metadata_address_is_no_model(cli, llm):
    with pytest.raises(AnonPiError, match="cloud provider's metadata address"):
        normalise_llm(llm, loopback_ok=True)
    cli.configure(llm=llm)
    res = cli.run("--dry-run", "p", "-p", "x")
    assert res.returncode == 1 and "metadata address" in res.stderr
    assert cli.calls() == []


def test_other_link_local_models_still_work():
    assert normalise_llm("169.254.12.7:8080", loopback_ok=True) == "169.254.12.7:8080"


def test_init_refuses_a_proxy_port_held_by_another_user(cli, strangers_port):
    """Typed at init's proxy step, the stranger's port is refused before anything goes
    through it (netcage's images pulled through the bridge, netcage verify); init asks again."""
    from init_support import Lab, drive

    lab = Lab(cli)
    try:
        squatted = f"127.0.0.1:{strangers_port}"
        steps = [("Choose a number", squatted), ("Choose a number", "1"), *lab.happy_steps()[1:]]
        code, out = drive(cli, steps, **lab.env)
    finally:
        lab.close()
    assert code == 0, out
    assert (f"anon-pi: the proxy {squatted} is served by another user's process (uid 65534)"
            in out)
    assert not [c for c in cli.calls() if any(squatted in arg for arg in c)]
    assert squatted not in (cli.ws / "config.json").read_text()
