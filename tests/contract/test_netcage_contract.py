"""The stand-in netcage agrees with every recorded call of the real netcage 0.11.1, 0.12.0, 0.13.0.

tests/fixtures/netcage-transcripts/ holds 1,714 calls of the real binaries (argv, the setup they
met, exit status, stdout, stderr, the podman calls they made). replay.py rebuilds each setup with
real podman in a network namespace of its own, replays the call against tests/fakes/netcage in
its real-podman mode and holds everything to the record; it also replays every help, `run` and
`start` record in the podman-free mode the cli harness uses. The three generations replay side
by side (separate namespaces and stores); the figures per generation and area are printed at
the end of the pytest run.

Needs, as the recording did: podman (root, runc), socat, busybox-static, iproute2 and the right
to `unshare -n` (root). On a machine without them it skips with one line; under CI (CI or
ANON_PI_REAL set) that is a failure: tests/integration/setup-real.sh installs them.
"""
import collections
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import report_line
from harness_paths import ROOT

sys.path.insert(0, str(ROOT / "tests" / "real"))
from real_support import need

HERE = Path(__file__).resolve().parent
GENERATIONS = ("0.11.1", "0.12.0", "0.13.0")
DEADLINE = 1800  # seconds for all three replays together, on a busy two-core machine


def _missing() -> str | None:
    for tool in ("podman", "socat", "ip", "unshare"):
        if not shutil.which(tool):
            return f"{tool} is not on PATH"
    if not Path("/bin/busybox").is_file():
        return "/bin/busybox (busybox-static) is missing"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        return "`unshare -n` is not permitted here (the replay needs its own network namespace)"
    return None


@pytest.fixture(scope="module")
def replays(tmp_path_factory):
    """All three replays, started together; each test waits for its own generation."""
    need(_missing())
    folder = tmp_path_factory.mktemp("contract")
    running = {}
    for gen in GENERATIONS:
        with open(folder / f"{gen}.log", "w") as log:
            proc = subprocess.Popen(
                ["unshare", "-n", sys.executable, str(HERE / "replay.py"), gen,
                 str(folder / f"{gen}.json")], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        running[gen] = (proc, folder / f"{gen}.json", folder / f"{gen}.log")
    yield running
    for proc, _, _ in running.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _wait(replays, gen: str) -> dict:
    proc, results, log = replays[gen]
    try:
        proc.wait(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the replay of {gen} did not finish in {DEADLINE} s", pytrace=False)
    assert proc.returncode == 0 and results.exists(), \
        f"the replay of {gen} failed:\n{log.read_text()[-3000:]}"
    return json.loads(results.read_text())


def _figures(rows: list[dict]) -> tuple[int, int, str]:
    total, bad = collections.Counter(), collections.Counter()
    for row in rows:
        total[row["area"]] += 1
        bad[row["area"]] += bool(row["problems"])
    per_area = ", ".join(f"{a} {total[a] - bad[a]}/{total[a]}" for a in total)
    return len(rows) - sum(bad.values()), len(rows), per_area


@pytest.mark.parametrize("gen", GENERATIONS)
def test_every_recorded_call_agrees(replays, gen, pytestconfig):
    report = _wait(replays, gen)
    agree, total, per_area = _figures(report["records"])
    run_help = [r for r in report["records"] if r["area"] in ("help", "run")]
    rh_agree, rh_total, _ = _figures(run_help)
    free_agree, free_total, _ = _figures(report["podman_free"])
    report_line(pytestconfig, f"netcage {gen}: {agree}/{total} recorded calls agree ({per_area}); "
                   f"run/help {rh_agree}/{rh_total}; podman-free mode (help, run, start) "
                   f"{free_agree}/{free_total}; {report['seconds']:.0f} s")
    failures = [f"{r['id']}:\n  " + "\n  ".join(r["problems"])
                for r in report["records"] + report["podman_free"] if r["problems"]]
    assert not failures, f"{len(failures)} recorded calls disagree:\n" + "\n".join(failures[:15])


def test_the_contract_covers_every_record():
    """Nothing is left out: the replay takes every record of the three transcripts, in order."""
    from transcripts import load

    counts = {gen: len(load(gen)) for gen in GENERATIONS}
    assert counts == {"0.11.1": 570, "0.12.0": 572, "0.13.0": 572}
    assert sum(counts.values()) == 1714
