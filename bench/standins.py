"""bench.py's stand-ins: the netcage and podman a user has installed, answering at once, the
workspaces every row runs in, the launcher `make install` writes and a proxy that answers.

Kept apart from the timing and the table so what a row runs against can be read in one place:
both sides (anon-pi and the original) see these same stand-ins, so a difference in a row is
the program's own. Standard library only.
"""

import importlib.machinery
import importlib.util
import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout being benched
PY = ROOT / ".venv" / "bin" / "python"
LABELS = {"anon-pi.source-machine": "default", "anon-pi.snapshot-at": "2026-11-26T00:00:00.000Z"}

STANDIN = f"""#!/bin/sh
# a netcage/podman that answers at once: the version, canned images, labels, no containers;
# else exit 0
for a in "$@"; do case $a in
  --version) echo "netcage 0.12.0"; exit 0 ;;
  images) cat "$BENCH_IMAGES"; exit 0 ;;
  ps) echo '[]'; exit 0 ;;
  inspect) echo '{json.dumps(LABELS)}'; exit 0 ;;
esac; done
exit 0
"""


ELF_WRAPPER = """#include <unistd.h>
int main(int argc, char **argv) {{ execv("{script}", argv); return 127; }}
"""


def elf_netcage(bindir: Path) -> bool:
    """`bindir/netcage` as an ELF executable that execs the shell stand-in beside it; False
    (the script stays) when no C compiler is installed."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        return False
    script = bindir / "netcage.sh"
    (bindir / "netcage").rename(script)
    source = bindir.parent / "netcage.c"
    source.write_text(ELF_WRAPPER.format(script=script))
    subprocess.run([compiler, "-O2", "-o", str(bindir / "netcage"), str(source)], check=True)
    return True


def remember_version(netcage: Path, env: dict) -> None:
    """The version cache as `anon-pi init` or `doctor` leaves it for this netcage (anon-pi's
    own writer, run with the row's environment)."""
    code = ("import os, sys\nfrom anonpi_helpers.edges import version_cache as v\n"
            "v.store(v.binary_key(sys.argv[1]), 'netcage 0.12.0', os.environ)")
    subprocess.run([str(PY), "-c", code, str(netcage)], env={**env, "PYTHONPATH": str(ROOT)},
                   check=True)


def images_json(n: int) -> str:
    """n snapshots both sides list (the original skips `localhost/`-prefixed names, and it
    asks `inspect` for each image's labels: the stand-in answers that too)."""
    return json.dumps([{"Id": f"{i:064x}", "Names": [f"anon-pi/snap{i}:latest"],
                        "Labels": LABELS, "Created": 1795720992 + i} for i in range(n)])


def workspace(base: Path, projects: list[str], proxy: str) -> Path:
    ws = base / "ws"
    for d in [ws / "machines" / "default", *(ws / "projects" / p for p in projects)]:
        d.mkdir(parents=True, exist_ok=True)
    (ws / "config.json").write_text(json.dumps({"proxy": proxy, "llm": "192.168.1.50:8080"}))
    (ws / "machines" / "default" / "machine.json").write_text(
        json.dumps({"image": "localhost/anon-pi/pi:latest"}))
    return ws


def launcher(tmp: Path) -> Path:
    """The command `make install` writes (bin/write-launcher), pointing at this checkout."""
    loader = importlib.machinery.SourceFileLoader("write_launcher",
                                                  str(ROOT / "bin" / "write-launcher"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    dest = tmp / "anon-pi-bin" / "anon-pi"
    dest.parent.mkdir()
    module.main(str(dest))
    return dest


def loopback_proxy() -> str:
    """A listener on 127.0.0.1 that takes connections and closes them: what a launch checks
    its proxy with (it must answer before the jail's relay starts)."""
    sock = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"socks5h://127.0.0.1:{sock.getsockname()[1]}"


class Setup:
    """Stand-ins, workspaces and the environments every row runs in."""

    def __init__(self, tmp: Path, original: Path | None):
        self.tmp = tmp
        self.proxy = loopback_proxy()
        bindir = tmp / "bin"
        bindir.mkdir()
        for tool in ("netcage", "podman"):
            (bindir / tool).write_text(STANDIN)
            (bindir / tool).chmod(0o755)
        self.netcage = bindir / "netcage"
        self.elf = elf_netcage(bindir)
        for n in (0, 1000):
            (tmp / f"images-{n}.json").write_text(images_json(n))
        self.ours = [str(launcher(tmp))]
        node = shutil.which("node")
        self.original = [node, str(original)] if original else None
        self.node = node
        self.path = f"{bindir}:/usr/bin:/bin"

    def env(self, name: str, projects: list[str], images: int = 0) -> dict:
        base = self.tmp / name
        home = base / "home"
        home.mkdir(parents=True, exist_ok=True)
        ws = workspace(base, projects, self.proxy)
        env = {"HOME": str(home), "ANON_PI_HOME": str(ws), "PATH": self.path, "TERM": "xterm",
               "LANG": "C.UTF-8", "BENCH_IMAGES": str(self.tmp / f"images-{images}.json")}
        if self.elf:
            remember_version(self.netcage, env)
        return env
