"""The package layout's house rules, read from the imports themselves.

A feature folder imports only `core/` and `edges/` (launch may also run init's first-run
onboarding); `core/` imports only `core/`; `edges/` import only `core/`; the package root holds
nothing but `cli.py`, `__init__.py` and the folders; and no pure module imports an edge.
"""

import ast
from pathlib import Path

from harness_paths import ROOT

PKG = ROOT / "anonpi_helpers"
FEATURES = {"launch", "machines", "containers", "init", "doctor", "shell", "settings", "egress"}
DATA_FOLDERS = {"images", "completions", "__pycache__"}
# The modules that do I/O themselves (files, processes, sockets, the terminal) though they live
# in a feature folder: each is its folder's imperative shell. Everything else is pure.
SHELLS = {
    "launch/verb.py", "launch/guesses.py", "launch/menu.py", "launch/resume.py",
    "launch/here_sessions.py",
    "machines/verb.py", "egress/verb.py",
    "machines/delete.py", "machines/changes.py",
    "containers/image_verb.py", "containers/snapshot_verb.py", "containers/forward_verb.py",
    "containers/running.py", "containers/box_verb.py",
    "init/verb.py", "init/image_step.py", "init/model_step.py", "init/projects_step.py",
    "init/proxy_step.py", "init/prompt.py", "init/write.py", "init/move_step.py",
    "init/limits_step.py", "init/setup_pulls.py",
    "doctor/verb.py", "doctor/host_rows.py", "doctor/jail_rows.py", "shell/verb.py",
    "shell/generate.py", "settings/verb.py",
}


def _modules():
    for path in sorted(PKG.rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield path


def _imported_folders(path: Path) -> list[tuple[int, str]]:
    """(line, top folder or module of ours) for every import of the package in this file."""
    rel = path.relative_to(PKG)
    here = rel.parts[0] if len(rel.parts) > 1 else ""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if (node.module or "").startswith("anonpi_helpers"):
                    parts = node.module.split(".")
                    found.append((node.lineno, parts[1] if len(parts) > 1 else ""))
                continue
            base = [here] if (node.level == 1 and here) else []
            mod = (node.module or "").split(".") if node.module else []
            target = (base + mod)[:1]
            if target:
                found.append((node.lineno, target[0]))
            else:  # `from .. import x` / `from . import x` at the root: x is a folder or module
                found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("anonpi_helpers."):
                    found.append((node.lineno, alias.name.split(".")[1]))
    return found


def _allowed(here: str, target: str) -> bool:
    if target in ("", "__version__") or target == here:
        return True
    if here == "core":
        return False
    if here == "edges":
        return target == "core"
    if here in FEATURES:
        return target in ("core", "edges") or (here == "launch" and target == "init")
    return True  # cli.py dispatches into every folder


def test_package_root_holds_only_cli_init_and_folders():
    loose = sorted(p.name for p in PKG.iterdir()
                   if p.is_file() and p.name not in ("cli.py", "__init__.py"))
    assert loose == []
    folders = {p.name for p in PKG.iterdir() if p.is_dir()} - DATA_FOLDERS
    assert folders == FEATURES | {"core", "edges"}


def test_every_import_follows_the_folder_rules():
    broken = []
    for path in _modules():
        rel = path.relative_to(PKG)
        here = rel.parts[0] if len(rel.parts) > 1 else ""
        for line, target in _imported_folders(path):
            if not _allowed(here, target):
                broken.append(f"{rel}:{line}: {here or 'root'} imports {target}")
    assert broken == []


def test_pure_modules_import_no_edge():
    """Core and every feature module that is not its folder's shell import no edge
    (docs/design.md, rule 49)."""
    broken = []
    for path in _modules():
        rel = path.relative_to(PKG)
        if len(rel.parts) < 2 or rel.parts[0] == "edges" or rel.as_posix() in SHELLS:
            continue
        for line, target in _imported_folders(path):
            if target == "edges":
                broken.append(f"{rel}:{line}")
    assert broken == []


def test_the_rule_reader_sees_a_violation(tmp_path, monkeypatch):
    """The checker itself can fail: a core module importing a feature is reported."""
    bad = tmp_path / "core" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("from ..launch.verb import main\nfrom .names import x\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PKG", tmp_path)
    found = _imported_folders(bad)
    assert found == [(1, "launch"), (2, "core")]
    assert not _allowed("core", "launch") and _allowed("core", "core")
