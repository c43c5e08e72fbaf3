"""The picker's port hints are asked in parallel: every `netcage ports` call starts before
the first one ends (a concurrency check, not a timing threshold)."""

import os
import stat

import pytest

from anonpi_helpers.edges import netcage
from anonpi_helpers.edges.real_io import real_context

# A call ends only once as many calls as `<log>.expect` says have started (or after 10 s):
# called one after another, the first ends alone and the order shows it; however loaded the
# machine, no race.
SLOW_NETCAGE = """#!/bin/sh
echo "start $2" >> "{log}"
want=$(cat "{log}.expect" 2>/dev/null || echo 1)
i=0
while [ "$(grep -c '^start' "{log}")" -lt "$want" ] && [ $i -lt 200 ]; do
  sleep 0.05; i=$((i+1))
done
echo "end $2" >> "{log}"
echo '[{"address": "0.0.0.0", "port": 3001, "loopbackOnly": false}]'
"""


@pytest.fixture
def slow_netcage(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "log"
    fake = bindir / "netcage"
    fake.write_text(SLOW_NETCAGE.replace("{log}", str(log)))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")
    return log


def test_query_many_overlaps_and_keeps_order(slow_netcage):
    refs = ["r1", "r2", "r3", "r4"]
    slow_netcage.with_name("log.expect").write_text(str(len(refs)))
    results = netcage.query_many(real_context(), [["ports", r, "--json"] for r in refs])
    assert [r.code for r in results] == [0, 0, 0, 0]
    assert all('"port": 3001' in r.out for r in results)
    events = slow_netcage.read_text().split("\n")
    first_end = next(i for i, e in enumerate(events) if e.startswith("end"))
    assert sorted(e for e in events[:first_end]) == [f"start {r}" for r in refs]


def test_query_many_single_and_empty(slow_netcage):
    assert netcage.query_many(real_context(), []) == []
    [res] = netcage.query_many(real_context(), [["ports", "only", "--json"]])
    assert res.code == 0
