"""pi stays silent in the jail (nothing but the model), traced for real.

Real pi 1.6.0, seeded and started from anon-pi's own `--dry-run` line (see
test_real_pi_sessions.py for the replay), every `connect()`/`sendto()` recorded by
`strace -f`: name lookups show up as the resolver's connect to a DNS server. Under the
default (`PI_OFFLINE=1 PI_TELEMETRY=0`, `enableInstallTelemetry: false`) a headless `-p` and
an interactive start reach nothing but the model, and the model still answers; with the
documented opt-out (`"piNetwork": true`) the same trace shows pi's own traffic, so the
tracer does see it.
"""

import json
import re

import pytest
from real_pi_jail import run_in_jail, seed_workspace
from real_support import free_port

INET = re.compile(r'sin6?_port=htons\((\d+)\).*?inet_(?:addr|pton)\((?:AF_INET6, )?"([^"]+)"')
UI = r"qwen3-coder-30b"  # the footer names the seeded default model once the UI is up


def attempts(trace) -> list[str]:
    """Every connect/sendto of an strace -f log that leaves the process for an address:
    `host:port` for inet, `nscd` for the name-service cache socket (a name lookup too)."""
    found = []
    for line in trace.read_text().splitlines():
        if "connect(" not in line and "sendto(" not in line:
            continue
        m = INET.search(line)
        if m and "AF_INET" in line:
            found.append(f"{m.group(2)}:{m.group(1)}")
        elif "nscd" in line:
            found.append("nscd")
    return found


def _run(cli, tmp_path, interactive: bool, pi_network: bool):
    port = free_port()
    seed_workspace(cli, port)
    if pi_network:
        cfg = json.loads((cli.ws / "config.json").read_text())
        cli.write_json(cli.ws / "config.json", {**cfg, "piNetwork": True})
    res = cli.run("--dry-run", "recon", *([] if interactive else ["-p", "hi"]))
    assert res.returncode == 0, res.stderr
    trace = tmp_path / f"trace-{interactive}-{pi_network}.txt"
    out = run_in_jail(tmp_path, res.stdout.strip(), port, strace=trace,
                      pty=[(UI, "")] if interactive else None, linger=3, timeout=60)
    model = f"169.254.1.1:{port}"
    seen = attempts(trace)
    others = [a for a in seen if a != model]
    print(f"interactive={interactive} piNetwork={pi_network}: {len(seen)} inet attempts, "
          f"{len(seen) - len(others)} to the model, {len(others)} elsewhere: "
          f"{sorted(set(others))}")
    return out, seen, others, model


@pytest.mark.parametrize("interactive", [False, True], ids=["headless", "interactive"])
def test_silent_by_default(cli, tmp_path, interactive):
    out, seen, others, model = _run(cli, tmp_path, interactive, pi_network=False)
    assert others == [], others
    if interactive:
        assert out["ui"], out["stdout"][-2000:]
    else:
        assert out["rc"] == 0, out
        assert "FAKE-LLM-ANSWER-42" in out["stdout"]  # PI_OFFLINE=1 keeps the model working
        assert model in seen
        assert [r["path"] for r in out["requests"] if r["method"] == "POST"] == [
            "/v1/chat/completions"]


@pytest.mark.parametrize("interactive", [False, True], ids=["headless", "interactive"])
def test_the_opt_out_lets_pi_reach_out_and_the_trace_sees_it(cli, tmp_path, interactive):
    out, seen, others, model = _run(cli, tmp_path, interactive, pi_network=True)
    if interactive:
        assert out["ui"], out["stdout"][-2000:]
        assert others, seen  # pi's own start-up traffic: the tracer does see it
    else:
        assert out["rc"] == 0 and model in seen, out
