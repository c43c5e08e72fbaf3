"""`make bench`: the quality.md speed figures, measured side by side in one run.

Plain wall-clock timing of whole processes, runs interleaved (so a busy machine slows every
row alike), medians, each shown as a ratio to the bare interpreter. Then the number of
netcage calls the data verbs make as the number of images/containers grows (a logging
stand-in counts them). Usage: `.venv/bin/python bench/bench.py [--runs N]`.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
BIN = ROOT / "bin" / "anon-pi"
FAKE = ROOT / "tests" / "fakes" / "netcage"
BASH_COMPLETION = ROOT / "completions" / "anon-pi.bash"
sys.path.insert(0, str(ROOT))

from anonpi_helpers.core.identity import Identity, encode

TARGETS = {"launch": 3.5, "--version": 2.0, "--help": 2.0}


def workspace(tmp: Path) -> dict:
    """A configured workspace and an environment whose netcage exits at once (/bin/true)."""
    ws, home, bindir = tmp / "ws", tmp / "home", tmp / "bin"
    for d in (ws / "machines" / "default", home, bindir, ws / "projects" / "bench"):
        d.mkdir(parents=True, exist_ok=True)
    (ws / "config.json").write_text(json.dumps(
        {"proxy": "socks5h://127.0.0.1:9050", "llm": "192.168.1.50:8080"}))
    (ws / "machines" / "default" / "machine.json").write_text(
        json.dumps({"image": "localhost/anon-pi/pi:latest"}))
    (bindir / "netcage").symlink_to("/bin/true")
    return {"HOME": str(home), "ANON_PI_HOME": str(ws), "PATH": f"{bindir}:/usr/bin:/bin",
            "LANG": "C.UTF-8"}


def timed(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


COMPLETION_LOOP = r"""
source "$1"
fn=$(complete -p anon-pi | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
for i in $(seq "$2"); do
  COMP_WORDS=(anon-pi ""); COMP_CWORD=1; COMP_LINE="anon-pi "; COMP_POINT=8
  t0=$EPOCHREALTIME; "$fn" anon-pi "" anon-pi; t1=$EPOCHREALTIME
  echo "$t0 $t1"
done
"""


def completion_median(env: dict, runs: int) -> float | None:
    """One completion request inside an already-running bash (what a TAB press costs)."""
    if not BASH_COMPLETION.exists():
        return None
    out = subprocess.run(["bash", "-c", COMPLETION_LOOP, "bench", str(BASH_COMPLETION),
                          str(runs)], env=env, capture_output=True, text=True, check=False)
    times = [float(b) - float(a) for a, b in (ln.split() for ln in out.stdout.splitlines())]
    return statistics.median(times) if times else None


def timing_rows(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = workspace(Path(tmp))
        cases = {
            "python -c pass": [str(PY), "-c", "pass"],
            "--version": [str(BIN), "--version"],
            "--help": [str(BIN), "--help"],
            "launch": [str(BIN), "bench", "-p", "x"],
        }
        for argv in cases.values():  # warm the page cache and the .pyc files
            timed(argv, env)
        samples: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(runs):
            for name, argv in cases.items():
                samples[name].append(timed(argv, env))
        base = statistics.median(samples["python -c pass"])
        print(f"wall time, median of {runs} interleaved runs (ratio to bare python):")
        for name, values in samples.items():
            med = statistics.median(values)
            target = TARGETS.get(name)
            goal = f"  (goal <= {target}x: {'met' if med / base <= target else 'MISSED'})" \
                if target else ""
            label = "anon-pi bench -p x" if name == "launch" else (
                name if name.startswith("python") else f"anon-pi {name}")
            print(f"  {label:<28} {med * 1000:7.1f} ms  {med / base:5.2f}x{goal}")
        comp = completion_median(env, max(runs, 20))
        if comp is None:
            print("  bash completion request      skipped: completions/anon-pi.bash missing")
        else:
            verdict = "met" if comp < 0.030 else "MISSED"
            print(f"  bash completion request      {comp * 1000:7.1f} ms  "
                  f"(goal < 30 ms: {verdict})")


def images_json(n: int, _ws: Path) -> str:
    return json.dumps([{
        "Id": f"{i:064x}", "Names": [f"localhost/anon-pi/snap{i}:latest"],
        "Labels": {"anon-pi.source-machine": "default",
                   "anon-pi.snapshot-at": "2026-11-26T00:00:00.000Z"},
        "Created": 1795720992 + i} for i in range(n)])


def ps_json(n: int, ws: Path) -> str:
    """n running jails of machine `default`, on projects p0..p<n-1>."""
    root = str(ws / "projects")
    return json.dumps([{
        "Id": f"{i:064x}", "Names": [f"jail_{i}"], "State": "running",
        "Labels": {"netcage.managed": "true", "anon-pi.key": encode(
            Identity("default", root, "", f"/projects/p{i}"))}} for i in range(n)])


def count_calls(args: list[str], stem: str, answer) -> tuple[list[str], int]:
    """Run anon-pi with the logging stand-in; (netcage verbs called, anon-pi's exit status)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = workspace(Path(tmp))
        bindir, log, canned = Path(tmp) / "bin", Path(tmp) / "calls.log", Path(tmp) / "canned"
        (bindir / "netcage").unlink()
        (bindir / "netcage").symlink_to(FAKE)
        canned.mkdir()
        (canned / f"{stem}.out").write_text(answer(Path(env["ANON_PI_HOME"])))
        (canned / "ports.out").write_text("[]")
        env.update(FAKE_NETCAGE_LOG=str(log), FAKE_NETCAGE_DIR=str(canned))
        res = subprocess.run([str(BIN), *args], env=env, stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, check=False)
        calls = [json.loads(c)[0] for c in log.read_text().splitlines()] if log.exists() else []
        return calls, res.returncode


def call_rows() -> None:
    print("netcage calls per invocation (logging stand-in; a `--version` probe counts too):")
    for n in (1, 10, 200):
        calls, code = count_calls(["image", "list"], "images",
                                  lambda ws, n=n: images_json(n, ws))
        print(f"  image list, {n:>3} images           {len(calls)} calls: {', '.join(calls)}"
              f"  (exit {code})")
    for verb, extra in (("ports", []), ("forward", ["--port", "3000"])):
        for n in (1, 20):
            calls, code = count_calls([verb, "p0", *extra], "ps",
                                      lambda ws, n=n: ps_json(n, ws))
            print(f"  {verb + ' p0,':<12} {n:>2} containers  {len(calls)} calls: "
                  f"{', '.join(calls)}  (exit {code})")


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 25
    print(f"anon-pi bench on {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
    timing_rows(runs)
    call_rows()


if __name__ == "__main__":
    main()
