"""anon-pi-inv reads a short flag as anon-pi does: only the table's short forms exist (Invoke
would invent `-p` for --project, so `anon-pi-inv launch -p hi` named a project where
`anon-pi -p hi` sends a prompt), and a reader that leaves early ends it without a traceback."""

import os
import subprocess

from harness_paths import ROOT

import tasks
from anonpi_helpers.core.command_table import COMMANDS, PI_AFTER, PI_TARGETS

INV = ROOT / "bin" / "anon-pi-inv"
TABLE_SHORTS = {n[1:] for c in COMMANDS for f in (*c.flags, *PI_TARGETS, *PI_AFTER)
                for n in f.names if not n.startswith("--")}


def _all_tasks(collection):
    yield from collection.tasks.values()
    for sub in collection.collections.values():
        yield from _all_tasks(sub)


def test_every_short_flag_of_every_task_is_one_of_the_tables():
    found = {}
    for task in _all_tasks(tasks.ns):
        for arg in task.get_arguments():
            for short in (n for n in arg.names if len(n) == 1):
                found.setdefault(short, set()).add(arg.name)
    assert set(found) <= TABLE_SHORTS, found
    launch = {a.name: a.names for a in tasks.ns.tasks["launch"].get_arguments()}
    assert launch["project"] == ("project",) and launch["dry_run"] == ("dry-run",)
    assert launch["machine"] == ("machine", "m")


def test_a_reader_that_left_ends_anon_pi_inv_without_a_traceback():
    for args in (["--help"], ["--list"]):
        read_end, write_end = os.pipe()
        os.close(read_end)
        proc = subprocess.Popen([str(INV), *args], stdout=write_end, stderr=subprocess.PIPE)
        os.close(write_end)
        err = proc.stderr.read()
        assert (proc.wait(timeout=60), err) == (1, b""), args
