"""carry-over against `cp -a` on the same tree (the goal: <= 1.2x on 1 GiB in 20,000 files).

Standalone, so `make bench` can call it: `python bench/carry_over_bench.py [--mib 1024]
[--files 20000] [--runs 5] [--dir /dev/shm]`, or `carry_over_row()` from Python. Builds one
machine home, then times `cp -a home copy` and anon-pi's carry-over of that home into a new
machine (the fd walker of edges/safe_tree.py), interleaved (who goes first alternates, dirty
pages are flushed before each), medians of `--runs`; prints `carry-over <ms> / cp -a <ms> =
<ratio>x`. A tmpfs `--dir` measures the walk itself; a disk folder adds writeback noise.
Everything it writes is removed afterwards.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_home(home: Path, total_mib: int, files: int) -> None:
    """`files` files of equal size in folders of 100 (plus a few links), `total_mib` in all."""
    size = total_mib * (1 << 20) // files
    block = os.urandom(size)
    for i in range(files):
        folder = home / f"pkg{i // 1000:02d}" / f"mod{i // 100 % 10}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "link").symlink_to("../README")
        (folder / f"f{i:05d}.js").write_bytes(block)
    (home / ".pi/agent/sessions/--projects-p--").mkdir(parents=True)


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def carry_over_row(total_mib: int = 1024, files: int = 20000, runs: int = 5,
                   where: str | None = None) -> tuple[float, float]:
    """(carry-over ms, cp -a ms), medians of `runs` interleaved pairs."""
    from anonpi_helpers.core.io_context import IO
    from anonpi_helpers.edges.carry_over import carry_over
    from anonpi_helpers.edges.workspace import Workspace

    base = Path(tempfile.mkdtemp(prefix="anon-pi-bench-", dir=where))
    try:
        ws = Workspace(base / "ws")
        build_home(ws.home("src"), total_mib, files)
        ours, theirs = [], []
        devnull = open(os.devnull, "w")  # noqa: SIM115  carry-over's notes, for every run
        io = IO(stdin=None, stdout=devnull, stderr=devnull, env={"HOME": str(base)},
                cwd=str(base), tty=False, now=time.time)

        def anon_pi() -> None:
            ws.home("dst").mkdir(parents=True)
            ours.append(_time(lambda: carry_over(io, ws, "src", "dst")))
            shutil.rmtree(ws.machine_dir("dst"))

        def cp_a() -> None:
            theirs.append(_time(lambda: subprocess.run(
                ["cp", "-a", str(ws.home("src")), str(base / "cp")], check=True)))
            shutil.rmtree(base / "cp")

        for i in range(runs):  # alternate who goes first; flush dirty pages before each
            for step in ((anon_pi, cp_a) if i % 2 == 0 else (cp_a, anon_pi)):
                os.sync()
                step()
        devnull.close()
        return statistics.median(ours), statistics.median(theirs)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=1024)
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default=None, help="where to build the tree (default: $TMPDIR)")
    args = ap.parse_args()
    ours, cp = carry_over_row(args.mib, args.files, args.runs, args.dir)
    print(f"carry-over {ours:.0f} ms / cp -a {cp:.0f} ms = {ours / cp:.2f}x "
          f"({args.mib} MiB in {args.files} files, median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
