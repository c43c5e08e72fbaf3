"""SIGTERM at the worst moment of the menu's start: as the thread listing the boxes starts.

The whole program runs in a pty, as bare `anon-pi`, with one seam: the interpreter's thread
starter is wrapped so that, once anon-pi handles SIGTERM itself (the menu is up), the
signal is raised as a thread's start returns, after that thread has asked `netcage ps`.
A `kill` from outside lands there about once in a few hundred runs; this lands it there every
time (the wrapper waits for the stand-in's call log, never a fixed pause).
"""

import sys

import pexpect
from harness_paths import ROOT
from menu_support import CURSOR_SHOWN, finish, layout

PROGRAM = """
import json, os, signal, sys, threading
sys.path[:0] = [{root!r}, {tests!r}]
from waiting import until

STARTER = next(n for n in ("_start_new_thread", "_start_joinable_thread") if hasattr(threading, n))
start_thread = getattr(threading, STARTER)

def asked_ps():
    log = os.environ["FAKE_NETCAGE_LOG"]
    return os.path.exists(log) and any(json.loads(line)[:1] == ["ps"] for line in open(log))

def landing(*args, **kwargs):
    started = start_thread(*args, **kwargs)
    if callable(signal.getsignal(signal.SIGTERM)) and not os.path.exists({landed!r}):
        until(asked_ps, "the box listing's `netcage ps`")
        open({landed!r}, "w").close()
        signal.raise_signal(signal.SIGTERM)
    return started

setattr(threading, STARTER, landing)
from anonpi_helpers.cli import entry
entry()
"""


def test_sigterm_as_the_box_listing_starts_is_a_termination_not_an_unexpected_error(cli):
    layout(cli)
    landed = cli.tmp / "sigterm-landed"
    program = PROGRAM.format(root=str(ROOT), tests=str(ROOT / "tests"), landed=str(landed))
    p = pexpect.spawn(sys.executable, ["-c", program], env=cli.env(), encoding="utf-8",
                      dimensions=(40, 120), timeout=10, cwd=str(cli.tmp))
    out, code = finish(p)
    assert landed.exists(), out  # the signal did land inside the listing thread's start
    assert "unexpected error" not in out
    assert out.rstrip().endswith("anon-pi: terminated; nothing launched")
    assert CURSOR_SHOWN in out and code == 143 and cli.run_calls() == []
