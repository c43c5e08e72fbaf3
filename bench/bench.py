"""`make bench`: anon-pi's speed, beside the original (Node.js anon-pi 0.16.0) when it is named.

Whole processes timed by the wall clock, every row's runs interleaved with the others (and
anon-pi's with the original's, alternating which goes first) so a busy machine slows both
sides alike; medians. Both sides see the same temporary workspace and the same stand-in
netcage (and podman) that answer at once (bench/standins.py). Menu rows time a real
pseudo-terminal until the first project row is drawn.

The stand-in netcage is what a user has installed: an ELF executable named `netcage` (a tiny
C program, built here with the system's C compiler, that execs the shell stand-in), with its
version remembered in anon-pi's cache as `anon-pi init` (or `doctor`) leaves it. anon-pi
trusts that cache only for a real executable, so a script in its place would make every
launch ask netcage its version, which no installed anon-pi does. Without a C compiler the
script stands in and the bench says so.

The original is not part of this project: `ANON_PI_BENCH_REF=<path to its dist/cli.js>` names a
build of it (run with node), and then each row shows the ratio anon-pi / original against its
goal (the launch row's goal is 0.7x plus the 10 ms the egress relay may add to a launch: the
relay runs in anon-pi's own process, and the original has nothing like it). Without it,
anon-pi's figures are printed beside the floors measured in the same run (`python -I -S -c
pass`, the `import json, pathlib` every verb pays, the standard library a launch imports,
`node -e 0`), and the goals stay unjudged. With the original, the launch's
floor is also set against the original's launch: what is left of the 0.7x goal once the
standard library is imported is all anon-pi's own modules, its work and the spawn may take.
Standard library only.

Usage: `[ANON_PI_BENCH_REF=.../dist/cli.js] .venv/bin/python bench/bench.py [--runs N]`
(default 25; the slowest rows use N/5).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import first_draw, median, tab_median, timed
from standins import PY, ROOT, Setup

REF = "ANON_PI_BENCH_REF"
BASH_COMPLETION = ROOT / "completions" / "anon-pi.bash"
CARRY_OVER_BENCH = HERE / "carry_over_bench.py"  # the hardening work's copier row, if present
# A launch runs the egress relay in anon-pi's own process (its listener, threads and log, and
# netcage spawned and waited for instead of exec'd): the relay may cost a launch up to 10 ms
# on top of the launch's own goal.
RELAY_ALLOWANCE = 0.010
# The standard library every launch imports before netcage starts: reading the workspace's
# JSON and paths, then the egress relay's sockets and threads and the child's signals. Timed
# as a bare interpreter importing just these, it is the floor under the launch row.
LAUNCH_MODULES = "import json, pathlib, socket, threading, signal"
LAUNCH_FLOOR = f"python -I -S -c '{LAUNCH_MODULES}'"


def rows(s: Setup) -> list[dict]:
    """Every row: (label, args, environment, how to time it, goal, original's args)."""
    main = s.env("main", ["recon"])
    img1000 = s.env("img1000", [], images=1000)
    out = []

    def row(label, args, env, goal=None, kind="wall", marker=None, heavy=False, orig=None,
            allowance=0.0):
        out.append({"label": label, "args": args, "env": env, "goal": goal, "kind": kind,
                    "marker": marker, "heavy": heavy, "allowance": allowance,
                    "orig": args if orig is None else orig})

    row("launch `recon -p x` (netcage exits at once)", ["recon", "-p", "x"], main, 0.7,
        allowance=RELAY_ALLOWANCE)
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


def verdict(ours: float, orig: float | None, goal: float | None, allowance: float) -> str:
    """`goal` times the original's time, plus `allowance` seconds where a row has one."""
    if goal is None:
        return ""
    extra = f" + {fmt(allowance)} (the relay)" if allowance else ""
    if orig is None:
        return f"<= {goal}x the original{extra}: not judged"
    allowed = goal * orig + allowance
    met = "met" if ours <= allowed else "MISSED"
    return f"<= {goal}x{extra}: {met}" + (f" ({fmt(allowed)} allowed)" if allowance else "")


def run_table(s: Setup, runs: int) -> list[tuple]:
    table = rows(s)
    sides = ["ours"] + (["orig"] if s.original else [])
    samples = {(i, side): [] for i in range(len(table)) for side in sides}
    base = {"python -I -S -c pass": [str(PY), "-I", "-S", "-c", "pass"],
            # the floor of every verb: reading JSON and paths costs these before any anon-pi code
            "python -I -S -c 'import json, pathlib'": [str(PY), "-I", "-S", "-c",
                                                      "import json, pathlib"],
            LAUNCH_FLOOR: [str(PY), "-I", "-S", "-c", LAUNCH_MODULES]}
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
                      "–" if ratio is None else f"{ratio:.2f}x",
                      verdict(ours, orig, row["goal"], row["allowance"])))
    for k, values in base_samples.items():
        if not s.original:  # the floors go in the one figures column
            lines.append((f"`{k}` (same run, a floor)", fmt(median(values)), "–", "–", ""))
            continue
        if k == LAUNCH_FLOOR:  # what the launch row's goal leaves for anon-pi's own code
            at = next(i for i, row in enumerate(table) if row["allowance"])
            goal, allowance = table[at]["goal"], table[at]["allowance"]
            orig_launch = median(samples[(at, "orig")])
            floor = median(values)
            left = (f"the launch's goal leaves {fmt(goal * orig_launch - floor)} (with the "
                    f"relay's allowance {fmt(goal * orig_launch + allowance - floor)}) for "
                    "anon-pi's own modules, its work and the netcage spawn")
            lines.append((f"`{k}` (same run)", fmt(floor), fmt(orig_launch),
                          f"{floor / orig_launch:.2f}x", left))
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
