"""What a launch refuses in one line before netcage or podman would (in their own words, or
not at all): a loopback proxy nobody listens at, which any user could take before netcage
connects; a netcage store that is not the user's own (one in /var/tmp that another user made
first would hand this user's launches their images, and podman's refusal of a store it
cannot write is a wall of storage errors), which doctor also names in a row."""

import os
import socket

import pytest

from anonpi_helpers.core.image_store import store_problem


def test_the_store_problems_in_words():
    assert store_problem("/s", 1000, "me", 1000, True) is None
    assert store_problem("/s", None, "", 1000, True, "/") is None  # podman makes it
    assert store_problem("/s", 0, "root (uid 0)", 1000, True) == (
        "netcage's store /s belongs to root (uid 0), not to you: its images are not yours "
        "to run, and podman refuses a store it cannot write")
    assert store_problem("/s", 1000, "me", 1000, False) == (
        "netcage's store /s is not writable by you")
    assert store_problem("/a/s", None, "", 1000, False, "/a") == (
        "netcage's store /a/s does not exist and cannot be created: /a is not writable by you")


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_store_of_another_user_is_refused_by_the_launch_and_named_by_doctor(cli):
    cli.configure()
    os.chown(cli.store, 65534, 65534)
    res = cli.run("recon", "-p", "hi")
    assert res.returncode == 1
    first, hint = res.stderr.splitlines()
    assert first.startswith(f"anon-pi: netcage's store {cli.store} belongs to ")
    assert "(uid 65534), not to you" in first
    assert hint.startswith("  hint: set NETCAGE_GRAPHROOT to a folder of your own")
    assert cli.run_calls() == []
    rows = cli.run("doctor").stdout.splitlines()
    assert any(r.startswith(f"FAIL netcage store: netcage's store {cli.store} belongs to ")
               for r in rows), rows
    os.chown(cli.store, os.geteuid(), os.getegid())
    assert cli.run("recon", "-p", "hi").returncode == 0


def test_a_loopback_proxy_nobody_listens_at_is_refused_before_netcage(cli):
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cli.configure(proxy=f"socks5h://127.0.0.1:{port}")
    res = cli.run("recon", "-p", "hi")
    assert res.returncode == 1
    assert res.stderr.splitlines()[0] == (
        f"anon-pi: nothing listens at the proxy 127.0.0.1:{port}: start it before the launch "
        "(another user's process could take that free port); refusing (fail-closed)")
    assert cli.run_calls() == [] and not (cli.ws / "projects" / "recon").exists()
    assert cli.run("--dry-run", "recon", "-p", "hi").returncode == 0  # a look, not a launch
