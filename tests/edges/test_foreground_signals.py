"""Ctrl-C around the remaining foreground netcage calls (commit, forward, build): handlers are
in place before netcage is spawned, and a Ctrl-C typed on the terminal reaches netcage once,
even when stdin is redirected (decided by the controlling terminal's foreground group)."""

import signal
import sys
import textwrap

import pexpect
from harness_paths import NETCAGE, ROOT

from anonpi_helpers.edges import netcage_child
from anonpi_helpers.edges.real_io import real_context


def test_handlers_are_installed_before_netcage_is_spawned(nc):
    seen = []
    nc.register([NETCAGE, "commit", "c1", "t"],
                callback=lambda _proc: seen.append(signal.getsignal(signal.SIGINT)))
    before = signal.getsignal(signal.SIGINT)
    assert netcage_child.run_foreground(real_context(), ["commit", "c1", "t"]) == 0
    assert seen and seen[0] is not before and callable(seen[0])
    assert signal.getsignal(signal.SIGINT) is before


COUNTER = """\
#!{python}
import signal, sys, time
got = []
signal.signal(signal.SIGINT, lambda *_: got.append(1))
print("ready", flush=True)
end = time.time() + 20
while time.time() < end and not got:
    time.sleep(0.01)
time.sleep(0.5)  # a second (forwarded) SIGINT would land here
open(sys.argv[-1], "w").write(str(len(got)))
"""

DRIVER = """\
import sys
sys.path.insert(0, {root!r})
from anonpi_helpers.edges import netcage_child
from anonpi_helpers.edges.real_io import real_context
print("code", netcage_child.run_foreground(real_context(), ["commit", "c1", {out!r}]), flush=True)
"""


def test_ctrl_c_reaches_netcage_once_with_stdin_redirected(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "netcage"
    fake.write_text(COUNTER.format(python=sys.executable))
    fake.chmod(0o755)
    out = tmp_path / "count"
    driver = tmp_path / "driver.py"
    driver.write_text(textwrap.dedent(DRIVER.format(root=str(ROOT), out=str(out))))
    p = pexpect.spawn("/bin/sh", ["-c", f"exec {sys.executable} {driver} </dev/null"],
                      env={"PATH": f"{bindir}:/usr/bin:/bin"}, encoding="utf-8", timeout=20)
    p.expect_exact("ready")
    p.sendintr()
    p.expect(r"code (\d+)")
    p.expect(pexpect.EOF)
    assert out.read_text() == "1"
