"""Run inside a network namespace that has only `lo` (the test starts it with `unshare -n`):
init's image build for real — podman 4.3.1 in a store of its own, a Dockerfile whose base
image comes from a registry stand-in and whose RUN step downloads a file — with a loopback
SOCKS5 upstream as the user's proxy. The upstream serves the "internet" itself: the file, and
(by name) the registry stand-in on another loopback port. Nothing else exists in here, so
whatever the build got, it got through the bridge and the upstream.

netcage is a three-line stand-in with the real one's build/pull contract (netcage passes
`--root <store>` and the arguments to podman, its own environment included): `netcage build`
of netcage 0.11-0.13 is exactly that.

Usage: setup_proxy_run.py <spec.json>; writes spec["out"] (JSON). With spec["pull"] (refs) it
runs init's pre-pull of those refs instead; the upstream answers docker.io's registry with
"host unreachable", so nothing is pulled and the test sees what was asked, and how.
"""

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SHIM = """#!/bin/sh
case "$1 $2" in "build --help"|"pull --help") exit 0;; esac
exec podman --root "$NETCAGE_GRAPHROOT" "$@"
"""
REGISTRIES = '[[registry]]\nlocation = "registry.example:5000"\ninsecure = true\n'


def registry(layout: Path, asked: list[str]) -> ThreadingHTTPServer:
    """A read-only registry (HTTP, no TLS) serving one OCI layout as test/busybox:latest."""
    index = json.loads((layout / "index.json").read_text())
    manifest = index["manifests"][0]["digest"]

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, with_body: bool):
            asked.append(f"{self.command} {self.path}")
            prefix = "/v2/test/busybox/"
            if self.path == "/v2/":
                body, kind, digest = b"{}", "application/json", None
            elif self.path in (f"{prefix}manifests/latest", f"{prefix}manifests/{manifest}"):
                digest, kind = manifest, "application/vnd.oci.image.manifest.v1+json"
                body = (layout / "blobs/sha256" / manifest.split(":")[1]).read_bytes()
            elif self.path.startswith(f"{prefix}blobs/sha256:"):
                digest, kind = self.path.rsplit("/", 1)[1], "application/octet-stream"
                blob = layout / "blobs/sha256" / digest.split(":")[1]
                if not blob.is_file():
                    self.send_error(404)
                    return
                body = blob.read_bytes()
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if digest:
                self.send_header("Docker-Content-Digest", digest)
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_GET(self):
            self._answer(True)

        def do_HEAD(self):
            self._answer(False)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def holders_left() -> list[str]:
    """Namespace holders still running anywhere (the build's must be gone)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"netns_holder.py" in cmdline:
            found.append(cmdline.replace(b"\0", b" ").decode("utf-8", "replace"))
    return found


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    sys.path[:0] = [spec["root"], spec["tests"]]
    from setup_proxy_support import SocksUpstream

    from anonpi_helpers.edges.netns_holder import loopback_up

    loopback_up()
    scratch = Path(spec["scratch"])
    asked: list[str] = []
    reg = registry(Path(spec["layout"]), asked)
    upstream = SocksUpstream(pages={("downloads.example", "/file.txt"): spec["page"].encode()},
                             routes={"registry.example": reg.server_address[1]},
                             refuse={"registry-1.docker.io": 4})
    bindir = scratch / "bin"
    bindir.mkdir()
    (bindir / "netcage").write_text(SHIM)
    (bindir / "netcage").chmod(0o755)
    (scratch / "registries.conf").write_text(REGISTRIES)
    context = scratch / "ctx"
    context.mkdir()
    dockerfile = context / "Dockerfile.test"
    dockerfile.write_text(
        "FROM registry.example:5000/test/busybox:latest\n"
        "RUN wget -q -O /fetched http://downloads.example/file.txt && echo \"$http_proxy\" "
        "> /proxy.txt\n"
        # a step that ignores the proxy tries the upstream's own port directly
        f"RUN (nc -w 3 127.0.0.1 {upstream.port} </dev/null 2>&1 || true) > /direct.txt\n")
    env = {"PATH": f"{bindir}:/usr/sbin:/usr/bin:/sbin:/bin", "NETCAGE_GRAPHROOT": spec["store"],
           "CONTAINERS_REGISTRIES_CONF": str(scratch / "registries.conf")}
    os.environ.update(env)
    from plumbum import local

    from anonpi_helpers.edges.real_io import real_context
    from anonpi_helpers.init import image_step

    io = real_context()  # this program's environment, with `env` in it
    if spec.get("pull"):  # init's pre-pull of netcage's own images, from the real refs
        from anonpi_helpers.init import setup_pulls

        with local.env(**env):
            failed = setup_pulls.pull(io, spec["pull"], upstream.url)
        Path(spec["out"]).write_text(json.dumps({
            "failed": failed, "seen": [list(s) for s in upstream.seen],
            "holders_left": holders_left()}))
        return
    with local.env(**env):
        failure = image_step.build(io, spec["tag"], dockerfile, upstream.url)
    files = {}
    if failure is None:
        for name in ("fetched", "direct.txt", "proxy.txt"):
            files[name] = subprocess.run(
                ["podman", "--root", spec["store"], "run", "--rm", "--network=none",
                 spec["tag"], "cat", f"/{name}"], capture_output=True, text=True,
                check=False).stdout
    bridge = files.get("proxy.txt", "").strip().rpartition(":")[2]
    Path(spec["out"]).write_text(json.dumps({
        "failure": failure, "seen": [list(s) for s in upstream.seen], "registry": asked,
        "upstream_port": upstream.port, "files": files,
        "bridge_open_after": bridge.isdigit() and reachable(int(bridge)),
        "holders_left": holders_left()}))


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


if __name__ == "__main__":
    main(sys.argv[1])
