"""`ports` and `forward` for real, per generation: a netcage-shaped pair in the test store
whose tool runs busybox httpd (dual-stack :3001, loopback-only 127.0.0.1:5173); anon-pi
reads the listeners through the real `netcage ports --json` and forwards through the real
`netcage forward` (socat on the host); an HTTP request goes through the forward."""

import os
import shutil
import signal
import subprocess
import urllib.request
import uuid

from harness_paths import BIN
from real_podman_pairs import jail_pair, launch_argv
from real_support import BASE_IMAGE, free_port, need, socks_proxy, wait_until
from real_tools_on_path import real_netcage

SERVE = ("sh", "-c", ("mkdir -p /tmp/www && echo hello-from-the-jail > /tmp/www/index.html && "
                     "httpd -p 127.0.0.1:5173 -h /tmp/www && exec httpd -f -p 3001 -h /tmp/www"))


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.read().decode()
    except OSError:
        return None


def test_ports_and_a_real_request_through_forward(cli, real_netcage, socks_proxy):
    need(None if shutil.which("socat") else "socat is not on PATH (netcage forward needs it)")
    machine = f"web-{uuid.uuid4().hex[:8]}"
    cli.configure(proxy=socks_proxy, image=BASE_IMAGE, machine=machine)
    argv = launch_argv(cli, "-m", machine, "site", "-p", "hi")
    with jail_pair(argv, *SERVE) as pair:
        # ports: anon-pi's lines from the real `netcage ports --json`
        def listed():
            res = cli.run("ports", "-m", machine)
            return res if "3001" in res.stdout else None

        res = wait_until(listed)
        assert res and res.returncode == 0, res and res.stderr
        assert res.stdout.splitlines() == [
            f"{machine} / site: in-jail TCP listeners",  # rows name machine and project
            "  [::]:3001\tall-interfaces",  # netcage sorts by port
            "  127.0.0.1:5173\tloopback"]
        assert ["ports", pair.tool_id, "--json"] in cli.calls()

        # forward: a real HTTP request through socat and podman exec into the pair
        port = free_port()
        fwd = subprocess.Popen([str(BIN), "forward", "site", "-m", machine, "--port",
                                f"{port}:3001"], env=cli.env(), cwd=cli.tmp,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
        try:
            body = wait_until(lambda: _get(f"http://127.0.0.1:{port}/"), seconds=20)
            assert body == "hello-from-the-jail\n"
        finally:
            os.killpg(fwd.pid, signal.SIGINT)
            out, err = fwd.communicate(timeout=20)
        # one line, anon-pi's, naming the project; real netcage's (by container id) not shown
        said = [ln for ln in (out + err).splitlines() if "forwarding" in ln]
        assert said == [(f"anon-pi: forwarding http://127.0.0.1:{port} -> {machine} / site, "
                         "jail port 3001 (Ctrl-C to stop)")], out + err
        assert pair.tool_id not in out + err
        assert ["forward", pair.tool_id, f"{port}:3001"] in cli.calls()
