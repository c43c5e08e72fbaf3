"""doctor against the real podman of this machine: what it says about podman's version,
rootless mode, pasta and /dev/net/tun is what the host really offers. On the tests' machines
(podman 4.3.1, run as root, no pasta) that is a FAIL naming each, exit 1. netcage is the
stand-in (doctor only asks its version); the store is the tests' own."""

import json
import os
import re
import shutil
import stat

from real_support import REAL_PODMAN, STORE, need, podman_missing
from real_tools_on_path import _shim_podman, podman_log

HELPERS = ("/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman",
           "/usr/lib/podman")


def _podman_version() -> tuple[int, ...]:
    import subprocess

    out = subprocess.run([REAL_PODMAN, "--version"], capture_output=True, text=True,
                         check=True, timeout=30).stdout
    return tuple(int(x) for x in re.search(r"(\d+)\.(\d+)\.(\d+)", out).groups())


def _pasta() -> bool:
    return bool(shutil.which("pasta")) or any(
        os.access(os.path.join(d, "pasta"), os.X_OK) for d in HELPERS)


def _tun_usable() -> bool:
    try:
        st = os.stat("/dev/net/tun")
    except OSError:
        return False
    if os.geteuid() == 0:
        return stat.S_IMODE(st.st_mode) & 0o006 == 0o006
    return os.access("/dev/net/tun", os.R_OK | os.W_OK)


def test_doctor_names_what_this_host_lacks_for_a_real_jail(cli):
    need(None if REAL_PODMAN else "podman is not on PATH")
    _shim_podman(cli)
    cli.vars["NETCAGE_GRAPHROOT"] = str(STORE)
    res = cli.run("doctor", "--json", ANON_PI_PROXY="socks5h://127.0.0.1:1",
                  ANON_PI_LLM="127.0.0.1:2")
    assert res.stderr == ""
    rows = {c["name"]: c for c in json.loads(res.stdout)["checks"]}
    expected = {
        "podman": ("FAIL", "netcage needs podman 5") if _podman_version() < (5,)
        else ("ok", "version"),
        "rootless": ("FAIL", "pasta networking is only supported for rootless mode")
        if os.geteuid() == 0 else ("ok", "rootless"),
        "pasta": ("ok", "pasta") if _pasta() else ("FAIL", "not found on PATH"),
        "/dev/net/tun": ("ok", "") if _tun_usable()
        else ("FAIL", "/dev/net/tun: Permission denied"),
    }
    for name, (status, words) in expected.items():
        assert rows[name]["status"] == status, rows[name]
        assert words in rows[name]["detail"], rows[name]
    assert res.returncode == 1  # the llm and proxy here are unreachable, whatever the host
    human = cli.run("doctor", ANON_PI_PROXY="socks5h://127.0.0.1:1", ANON_PI_LLM="127.0.0.1:2")
    assert human.returncode == 1
    for name, (status, _) in expected.items():
        assert any(ln.startswith(f"{status:<4} {name}: ") for ln in human.stdout.splitlines())
    print(human.stdout)  # shown with -s: what this machine lacks


def test_doctor_finds_a_machines_image_as_podman_and_a_launch_do(cli, podman_log):
    """A short name the pin check takes (podman resolves `busybox` to localhost/test/busybox)
    is in the store for doctor too; a ref podman does not find is not."""
    need(podman_missing())
    cli.vars["NETCAGE_GRAPHROOT"] = str(STORE)
    cli.configure(proxy="socks5h://127.0.0.1:1", llm="127.0.0.1:2", image="busybox")
    cli.write_json(cli.ws / "machines" / "gone" / "machine.json", {"image": "test/busybox:v9"})
    rows = {c["name"]: c for c in json.loads(cli.run("doctor", "--json").stdout)["checks"]}
    assert (rows["image (default)"]["status"], rows["image (default)"]["detail"]) == (
        "ok", "busybox is in netcage's image store")
    assert (rows["image (gone)"]["status"], rows["image (gone)"]["detail"]) == (
        "warn", "test/busybox:v9 is not in netcage's image store")
    assert ["--root", str(STORE), "image", "exists", "--", "busybox"] in podman_log()
