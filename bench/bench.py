"""`make bench`: anon-pi's speed, beside the original (Node.js anon-pi 0.16.0) when it is named.

Whole processes timed by the wall clock, every row's runs interleaved with the others (and
anon-pi's with the original's, alternating which goes first) so a busy machine slows both
sides alike; medians. Both sides see the same temporary workspace and the same stand-in
netcage (and podman) that answer at once. Menu rows time a real pseudo-terminal until the
first project row is drawn.

The stand-in netcage is what a user has installed: an ELF executable named `netcage` (a tiny
C program, built here with the system's C compiler, that execs the shell stand-in), with its
version remembered in anon-pi's cache as `anon-pi init` (or `doctor`) leaves it. anon-pi
trusts that cache only for a real executable, so a script in its place would make every
launch ask netcage its version, which no installed anon-pi does. Without a C compiler the
script stands in and the bench says so.

The original is not part of this project: `ANON_PI_BENCH_REF=<path to its dist/cli.js>` names a
build of it (run with node), and then each row shows the ratio anon-pi / original against its
goal. Without it, anon-pi's figures are printed beside the floors measured in the same run
(`python -I -S -c pass`, the `import json, pathlib` every verb pays, `node -e 0`), and the
goals stay unjudged. Standard library only.

Usage: `[ANON_PI_BENCH_REF=.../dist/cli.js] .venv/bin/python bench/bench.py [--runs N]`
(default 25; the slowest rows use N/5).
"""

import importlib.machinery
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from measure import first_draw, median, tab_median, timed

PY = ROOT / ".venv" / "bin" / "python"
REF = "ANON_PI_BENCH_REF"
BASH_COMPLETION = ROOT / "completions" / "anon-pi.bash"
CARRY_OVER_BENCH = HERE / "carry_over_bench.py"  # the hardening work's copier row, if present
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


def rows(s: Setup) -> list[dict]:
    """Every row: (label, args, environment, how to time it, goal, original's args)."""
    main = s.env("main", ["recon"])
    img1000 = s.env("img1000", [], images=1000)
    out = []

    def row(label, args, env, goal=None, kind="wall", marker=None, heavy=False, orig=None):
        out.append({"label": label, "args": args, "env": env, "goal": goal, "kind": kind,
                    "marker": marker, "heavy": heavy,
                    "orig": args if orig is None else orig})

    row("launch `recon -p x` (netcage exits at once)", ["recon", "-p", "x"], main, 0.7)
    row("`--version`", ["--version"], main, 0.4)
    row("`--help`", ["--help"], main, 0.4)
    row("`machine list`", ["machine", "list"], main, 0.7)
    row("`image list`, 0 images", ["image", "list"], main, 0.8)
    row("`image list`, 1,000 images", ["image", "list"], img1000, 0.6, heavy=True)
    row("`--dry-run recon -p x` (original: its launch)", ["--dry-run", "recon", "-p", "x"],
        main, 0.7, orig=["recon", "-p", "x"])
    for n, goal in ((10, 1.0), (100, 1.0), (5000, 0.2)):
        names = [f"p{i:04d}" for i in range(n)]
        row(f"menu first draw, {n:,} projects", [], s.env(f"menu{n}", names), goal,
            kind="draw", marker=b"p0000  (", heavy=n >= 1000)
    return out


def measure(s: Setup, row: dict, side: str) -> float:
    argv = (s.ours if side == "ours" else s.original) + row["args" if side == "ours" else "orig"]
    if row["kind"] == "draw":
        return first_draw(argv, row["env"], row["marker"])
    return timed(argv, row["env"])


def fmt(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.1f} ms"


def verdict(ratio: float | None, goal: float | None) -> str:
    if goal is None:
        return ""
    if ratio is None:
        return f"<= {goal}x the original: not judged"
    return f"<= {goal}x: {'met' if ratio <= goal else 'MISSED'}"


def run_table(s: Setup, runs: int) -> list[tuple]:
    table = rows(s)
    sides = ["ours"] + (["orig"] if s.original else [])
    samples = {(i, side): [] for i in range(len(table)) for side in sides}
    base = {"python -I -S -c pass": [str(PY), "-I", "-S", "-c", "pass"],
            # the floor of every verb: reading JSON and paths costs these before any anon-pi code
            "python -I -S -c 'import json, pathlib'": [str(PY), "-I", "-S", "-c",
                                                      "import json, pathlib"]}
    if s.node:
        base["node -e 0"] = [s.node, "-e", "0"]
    base_samples = {k: [] for k in base}
    for i, row in enumerate(table):  # warm-up: page cache, .pyc files
        for side in sides:
            measure(s, row, side)
    for r in range(runs):
        for k, argv in base.items():
            base_samples[k].append(timed(argv, table[0]["env"]))
        for i, row in enumerate(table):
            if row["heavy"] and r % 5:
                continue
            for side in (sides if r % 2 == 0 else sides[::-1]):
                samples[(i, side)].append(measure(s, row, side))
    lines = []
    for i, row in enumerate(table):
        ours = median(samples[(i, "ours")])
        orig = median(samples[(i, "orig")]) if s.original else None
        ratio = ours / orig if orig else None
        lines.append((row["label"], fmt(ours), fmt(orig),
                      "–" if ratio is None else f"{ratio:.2f}x", verdict(ratio, row["goal"])))
    for k, values in base_samples.items():
        if not s.original:  # the floors go in the one figures column
            lines.append((f"`{k}` (same run, a floor)", fmt(median(values)), "–", "–", ""))
            continue
        lines.append((f"`{k}` (same run)", fmt(median(values)) if "python" in k else "–",
                      fmt(median(values)) if "node" in k else "–", "–", ""))
    return lines


def tab_rows(s: Setup, runs: int) -> list[tuple]:
    names = [f"{chr(97 + i % 26)}{i:03d}" for i in range(1000)]
    env = s.env("tab", names)
    out = []
    for label, word, goal in (("one bash TAB, 1,000 projects, prefix `a`", "a", 0.005),
                              ("one bash TAB, 1,000 projects, no prefix", "", 0.030)):
        t = tab_median(BASH_COMPLETION, word, env, max(runs, 20))
        ok = "–" if t is None else ("met" if t <= goal else "MISSED")
        out.append((label, fmt(t), "–", "–", f"<= {goal * 1000:.0f} ms: {ok}"))
    return out


RELAY_COST = """
import json, sys, time
sys.path.insert(0, sys.argv[3])
from anonpi_helpers.launch import verb  # what every launch imports anyway
import socket  # ... and its check of who serves a loopback proxy (edges/proxy_owner.py)
from anonpi_helpers.core.web_policy import DEFAULT
from anonpi_helpers.edges.real_io import real_context  # as cli.entry builds for every run
io = real_context()
start, cpu = time.perf_counter(), time.process_time()
from anonpi_helpers.edges import egress_session
up = egress_session.upstream_for(DEFAULT, sys.argv[1])
egress_session.check_upstream(up, sys.argv[1])
with egress_session.EgressSession(io, sys.argv[2], "default", "recon", DEFAULT, up, sys.argv[1]):
    pass
print(json.dumps([time.perf_counter() - start, time.process_time() - cpu]))
"""


def relay_rows(s: Setup, runs: int) -> list[tuple]:
    """The egress relay's own share of a launch, in a fresh process each run: importing it,
    the check that the proxy answers, starting the relay and its log, stopping both."""
    samples = []
    for i in range(max(runs, 10)):
        res = subprocess.run([str(PY), "-I", "-S", "-c", RELAY_COST, s.proxy,
                              str(s.tmp / f"relay-ws-{i}"), str(ROOT)], capture_output=True,
                             text=True, check=True, env={"PATH": s.path})
        samples.append(json.loads(res.stdout))
    t, cpu = median([w for w, _ in samples]), median([c for _, c in samples])
    label = ("egress relay: import, proxy check, start and stop (fresh process; its CPU time "
             f"{fmt(cpu)})")
    return [(label, fmt(t), "–", "–", f"<= 10 ms: {'met' if t <= 0.010 else 'MISSED'}")]


NO_CARRY_OVER = ("carry-over: not measured here yet (bench/carry_over_bench.py, the copier's "
                 "own row, is not in this checkout)")


def carry_over_rows(runs: int) -> list[str]:
    """The hook for the copier's bench: `bench/carry_over_bench.py --runs N` prints its rows."""
    if not CARRY_OVER_BENCH.exists():
        return [NO_CARRY_OVER]
    res = subprocess.run([str(PY), str(CARRY_OVER_BENCH), "--runs", str(max(3, runs // 5))],
                         capture_output=True, text=True, check=False)
    return res.stdout.splitlines() or [f"carry-over bench failed: {res.stderr.strip()}"]


def original_build() -> Path | None:
    """The original's dist/cli.js named by ANON_PI_BENCH_REF; None when unset."""
    named = os.environ.get(REF, "")
    if not named:
        return None
    if not Path(named).is_file() or not shutil.which("node"):
        sys.exit(f"bench: {REF}={named} must be the original's dist/cli.js, run with node "
                 f"({'no such file' if not Path(named).is_file() else 'node is not on PATH'})")
    return Path(named)


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 25
    original = original_build()
    with tempfile.TemporaryDirectory() as tmp:
        s = Setup(Path(tmp), original)
        where = (f"beside the original 0.16.0 ({REF}={original}, node)" if original else
                 f"anon-pi beside the floors (name the original with {REF}=<its dist/cli.js> "
                 "to judge the goals)")
        print(f"anon-pi bench on {os.cpu_count()} CPUs, python {sys.version.split()[0]}, "
              f"{runs} interleaved runs, medians; {where}")
        print("netcage: an ELF stand-in, its version cached as init leaves it\n" if s.elf else
              "netcage: a script (no C compiler here), so every launch asks its version\n")
        keep = (0, 1, 2, 3, 4) if original else (0, 1, 4)  # columns: no original, no ratio
        header = ("what", "anon-pi", "original 0.16", "ratio", "goal")
        print("| " + " | ".join(header[i] for i in keep) + " |")
        print("|" + "---|" * len(keep))
        for line in run_table(s, runs) + tab_rows(s, runs) + relay_rows(s, runs):
            print("| " + " | ".join(line[i] for i in keep) + " |")
        print()
        for line in carry_over_rows(runs):
            print(line)


if __name__ == "__main__":
    main()
