"""Rows that fill in while a key is half-typed (the menu's boxes, the pickers' port hints):
the selector keeps waiting for the rest of the escape sequence instead of reading the lone
Esc as a cancel. Real pty, real selector; the late rows come when the test says so."""

import sys

import pexpect
from harness_paths import ROOT

DRIVER = """
import os, sys, time
sys.path.insert(0, {root!r})
from anonpi_helpers.core.errors import Cancelled
from anonpi_helpers.edges import selector
from anonpi_helpers.edges.real_io import real_context

def later():
    while not os.path.exists({gate!r}):
        time.sleep(0.01)
    return ["alpha", "beta", "gamma", "late row"]

try:
    rows = ["alpha", "beta", "gamma"]
    print("CHOSE", selector.run(real_context(), "pick one", rows, "chosen", later))
except Cancelled:
    print("CANCELLED")
"""


def test_rows_filling_in_between_esc_and_the_rest_of_an_arrow_do_not_cancel(tmp_path):
    gate = tmp_path / "go"
    p = pexpect.spawn(sys.executable, ["-c", DRIVER.format(root=str(ROOT), gate=str(gate))],
                      encoding="utf-8", dimensions=(20, 80), timeout=10)
    p.expect_exact("gamma")
    p.send("\x1b")  # the first byte of ↓ ...
    gate.touch()  # ... the late rows arrive ...
    p.expect_exact("late row")
    p.send("[B")  # ... and the rest of ↓, well within the 0.5 s a lone Esc waits
    p.send("\r")
    p.expect(pexpect.EOF)
    assert "CHOSE 1" in p.before and "CANCELLED" not in p.before
