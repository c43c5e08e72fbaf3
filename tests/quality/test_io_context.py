"""Verbs are functions of their run's context (core/io_context.py): nothing below `cli.run`
reads the process's streams, environment, folder, terminal or clock on its own. Two runs in
one process (the in-process tests do thousands) must never see each other's, and what a run
prints, reads and decides must come from the context a test hands it.

The process's own facts are read in exactly one place, edges/real_io.py, plus the process
boundary itself: cli.py's `entry` (it flushes and exits the process) and the two modules run
as programs of their own (the namespace holder and the generator `make` runs).
"""

import ast

from harness_paths import ROOT

PKG = ROOT / "anonpi_helpers"
BOUNDARY = {"edges/real_io.py", "edges/netns_holder.py", "shell/generate.py"}
CLI_ENTRY = {"entry", "write_in_the_terminals_encoding"}
ATTRIBUTES = {("sys", "stdout"), ("sys", "stderr"), ("sys", "stdin"), ("os", "environ"),
              ("os", "getenv"), ("os", "getcwd"), ("os", "isatty"), ("time", "time"),
              ("datetime", "now"), ("Path", "cwd"), ("os", "getcwdb")}
CALLS = {"print", "input"}


def _reads(tree: ast.AST, skip: set[str]) -> list[tuple[int, str]]:
    found = []
    skipped = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
               and f.name in skip for n in ast.walk(f)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
                node.value.id, node.attr) in ATTRIBUTES:
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in CALLS:
            found.append((node.lineno, f"{node.func.id}()"))
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "sys", "time") and any(
                (node.module, a.name) in ATTRIBUTES for a in node.names):
            found.append((node.lineno, f"from {node.module} import ..."))
    return found


def test_nothing_below_the_entry_reads_the_process_directly():
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        rel = str(path.relative_to(PKG))
        if rel in BOUNDARY or "__pycache__" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = CLI_ENTRY if rel == "cli.py" else set()
        bad += [f"{rel}:{line}: {what}" for line, what in _reads(tree, skip)]
    assert bad == [], "read these from the run's context (io) instead:\n" + "\n".join(bad)


def test_the_rule_sees_each_way_of_reaching_the_process():
    """The scan itself: every form it forbids is found, and the entry's own is allowed."""
    source = ("import os, sys, time\nfrom datetime import datetime\n"
              "def f():\n    sys.stdout.write('x')\n    os.environ.get('A')\n"
              "    print(1)\n    time.time()\n    datetime.now()\n    os.getcwd()\n"
              "def entry():\n    sys.stdout.flush()\n")
    found = [what for _line, what in _reads(ast.parse(source), {"entry"})]
    assert sorted(found) == ["datetime.now", "os.environ", "os.getcwd", "print()",
                             "sys.stdout", "time.time"]
