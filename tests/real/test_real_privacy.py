"""Privacy on the real components.

- Real netcage (each named generation) accepts the isolated proxy URL
  `socks5h://anonpi-<m>:x@…`.
- Real podman (always): a container started with exactly the launch argv's mounts shows the login
  name and home path in its /proc/self/mountinfo before init's neutral-layout move, and 0
  times after it.
"""

import os
import shlex

from init_support import TEST_LOGIN, Lab, drive
from real_support import BASE_IMAGE, assert_accepted, need, podman, podman_missing, socks_proxy
from real_tools_on_path import real_netcage


def test_real_netcage_accepts_the_isolated_proxy(cli, real_netcage, socks_proxy):
    cli.configure(proxy=socks_proxy)
    dry = cli.run("--dry-run", "recon", "-p", "hi", ANON_PI_ISOLATION="project")
    argv = shlex.split(dry.stdout)
    assert argv[argv.index("--proxy") + 1] == socks_proxy.replace(
        "socks5h://", "socks5h://anonpi-default-recon:x@")
    res = cli.run("recon", "-p", "hi", ANON_PI_ISOLATION="project")
    assert_accepted(res)
    assert socks_proxy.hits >= 1


def mounts(argv: list[str]) -> list[str]:
    """The launch's `-v` values, exactly as netcage hands them to podman."""
    return [argv[i + 1] for i, tok in enumerate(argv) if tok == "-v"]


def jail_mountinfo(cli, env) -> str:
    res = cli.run("--dry-run", "recon", "-p", "hi", **env)
    assert res.returncode == 0, res.stderr
    volumes = mounts(shlex.split(res.stdout))
    assert len(volumes) >= 3  # home, projects root, a seed
    for spec in volumes:  # what the launch itself creates before netcage runs
        source = spec.split(":", 1)[0]
        if not os.path.exists(source):
            os.makedirs(source)
    args = [a for spec in volumes for a in ("-v", spec)]
    return podman("run", "--rm", "--network=none", *args, BASE_IMAGE,
                  "cat", "/proc/self/mountinfo").stdout


def test_mountinfo_shows_no_login_name_after_the_move(cli):
    need(podman_missing())
    lab = Lab(cli)
    try:
        home = cli.tmp / "home" / TEST_LOGIN
        home.mkdir(parents=True)
        env = {**lab.env, "HOME": str(home), "ANON_PI_HOME": ""}
        code, out = drive(cli, lab.happy_steps()[:-1] + [
            ("Move the workspace to a neutral folder? [Y/n]", "n"), ("Projects root", "")],
            **env)
        assert code == 0, out
        before = jail_mountinfo(cli, env)
        assert before.count(TEST_LOGIN) >= 3 and str(home) in before

        target = cli.tmp / "srv" / "anon-pi"
        target.mkdir(parents=True, mode=0o700)
        code, out = drive(cli, lab.happy_steps()[:-1] + [
            ("Move the workspace to a neutral folder? [Y/n]", ""),
            ("Enter when /srv/anon-pi exists", str(target)), ("Projects root", "")], **env)
        assert code == 0, out
        assert os.readlink(home / ".anon-pi") == str(target)
        after = jail_mountinfo(cli, env)
        assert after.count(TEST_LOGIN) == 0 and str(home) not in after
        assert after.count(str(target)) >= 3
    finally:
        lab.close()
