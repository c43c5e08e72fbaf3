"""The smallest real-components check: a plain headless launch line reaches the REAL netcage
of each generation and is accepted (it stops only where podman 4.3.1 cannot start the
sidecar). The full matrix of launch shapes lives in tests/real/test_real_launch_lines.py."""

from real_support import assert_accepted, socks_proxy
from real_tools_on_path import real_netcage


def test_a_headless_project_launch_is_accepted(cli, real_netcage, socks_proxy):
    cli.configure(proxy=socks_proxy)
    res = cli.run("recon", "-p", "hi")
    assert_accepted(res)
    assert socks_proxy.hits >= 1  # anon-pi checked the proxy before its relay and netcage
    assert (cli.ws / "projects" / "recon").is_dir()
