"""Set-up traffic through the proxy, for real: init's image build with real podman, in a
network namespace this test makes whose only network is loopback. The proxy is a loopback
SOCKS5 upstream the test runs (setup_proxy_support), which serves the one download and,
by name, a registry stand-in holding the build's base image. The base image pull (podman's
own traffic) and the RUN step's download arrive through the set-up bridge with their host
NAMES; the RUN step reaches nothing but the bridge; the bridge and its namespace are gone
once the build is. Also: the namespace edge by itself (what is in it, that it ends)."""

import json
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from harness_paths import ROOT
from real_support import BASE_IMAGE, need, podman, podman_missing

from anonpi_helpers.core.setup_traffic import LAUNCH_IMAGES
from anonpi_helpers.edges import build_netns
from anonpi_helpers.edges.real_io import real_context
from anonpi_helpers.edges.setup_bridge import Bridge

RUNNER = Path(__file__).with_name("setup_proxy_run.py")
PAGE = "downloaded through the proxy\n"
TAG = "localhost/anon-pi/setup-proxy-test:latest"


def need_namespaces() -> None:
    need(None if shutil.which("unshare") and shutil.which("nsenter") else
         "unshare/nsenter (util-linux) are not on PATH")
    need(None if subprocess.run(["unshare", "-n", "true"], check=False).returncode == 0 else
         "`unshare -n` is not permitted here (needs root)")


@pytest.fixture
def fresh_store():
    """A netcage store of this test's own under /var/tmp, removed afterwards."""
    store = Path(f"/var/tmp/anon-pi-setup-proxy-{uuid.uuid4().hex[:12]}")
    yield store
    if store.exists():
        subprocess.run(["podman", "--root", str(store), "rmi", "-a", "-f"], check=False,
                       capture_output=True, timeout=120)
        shutil.rmtree(store, ignore_errors=True)


def run_isolated(tmp_path: Path, store: Path, **extra) -> tuple[dict, str]:
    """setup_proxy_run.py in a new network namespace holding only `lo`: (its result, stdout)."""
    need_namespaces()
    need(podman_missing())
    layout = tmp_path / "layout"
    podman("save", "--format", "oci-dir", "-o", str(layout), BASE_IMAGE)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    spec = {"root": str(ROOT), "tests": str(ROOT / "tests"), "layout": str(layout),
            "scratch": str(scratch), "store": str(store), "tag": TAG, "page": PAGE,
            "out": str(tmp_path / "out.json"), **extra}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    res = subprocess.run(["unshare", "-n", "--", sys.executable, str(RUNNER),
                          str(tmp_path / "spec.json")], capture_output=True, text=True,
                         timeout=600, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads((tmp_path / "out.json").read_text()), res.stdout


def test_a_build_gets_its_base_image_and_downloads_only_through_the_proxy(tmp_path, fresh_store):
    out, stdout = run_isolated(tmp_path, fresh_store)
    assert out["failure"] is None, stdout[-3000:]
    seen = {tuple(s[:3]) for s in out["seen"]}
    # every connection the build made reached the upstream by NAME (none resolved here)
    assert seen == {("name", "registry.example", 5000), ("name", "downloads.example", 80)}
    assert any(r.startswith("GET /v2/test/busybox/blobs/sha256:") for r in out["registry"])
    assert out["files"]["fetched"] == PAGE
    # the step told to ignore the proxy found nothing listening but the bridge
    assert out["files"]["direct.txt"] == ("nc: can't connect to remote host (127.0.0.1): "
                                          "Connection refused\n")
    assert out["files"]["proxy.txt"].startswith("http://127.0.0.1:")
    assert out["bridge_open_after"] is False and out["holders_left"] == []
    assert "Set-up traffic through your proxy: registry.example:5000" in stdout
    assert "downloads.example:80" in stdout


def test_init_pulls_netcages_own_images_from_the_registry_by_name_through_the_proxy(
        tmp_path, fresh_store):
    out, stdout = run_isolated(tmp_path, fresh_store, pull=list(LAUNCH_IMAGES))
    # the real refs, the real podman: each pull asked the proxy for docker.io's registry by
    # name (which this upstream cannot reach), and nothing else was tried
    assert {tuple(s[:3]) for s in out["seen"]} == {("name", "registry-1.docker.io", 443)}
    assert out["failed"] == list(LAUNCH_IMAGES) and out["holders_left"] == []
    assert "into netcage's store through your proxy..." in stdout


def _inside(path: str, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(["nsenter", f"--net={path}", "--", sys.executable, "-c", code],
                          capture_output=True, text=True, timeout=30, check=False)


def test_the_namespace_holds_only_loopback_and_the_bridge_and_ends_with_it():
    need_namespaces()
    with _bridge() as bridge:
        netns, listeners, why = build_netns.make(real_context(), bridge.port)
        assert netns is not None, why
        for listener in listeners:
            bridge.listen(listener)
        try:
            links = _inside(netns.path, "import socket; print(sorted(n for _, n in "
                                        "socket.if_nameindex()))")
            assert links.stdout.strip() == "['lo']"
            got = _inside(netns.path, f"""
import socket
s = socket.create_connection(("127.0.0.1", {bridge.port}), timeout=5)
s.sendall(b"GET /not-absolute HTTP/1.1\\r\\n\\r\\n")
print(s.recv(100).split(b"\\r\\n")[0].decode())
""")
            assert got.stdout.strip() == "HTTP/1.1 400 Bad Request"  # the bridge answered
            holder = netns.holder
        finally:
            netns.close()
    assert holder.poll() is not None
    assert not Path(netns.path).exists() and not Path(netns.folder).exists()


def _bridge() -> Bridge:
    from anonpi_helpers.core.socks5 import Upstream

    with socket.socket() as s:  # an upstream address nothing here will ever dial
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return Bridge(Upstream("127.0.0.1", port, None, None))
