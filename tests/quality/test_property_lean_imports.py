"""Only what a path needs is imported (quality.md speed): checked in fresh interpreters."""

import json
import subprocess
import sys

from conftest import ROOT

HEAVY = ("plumbum", "invoke", "questionary", "prompt_toolkit", "urllib.request", "http.client")

PROBE = """
import json, sys
sys.path.insert(0, {root!r})
sys.argv[1:] = {argv!r}
from anonpi_helpers.cli import main
try:
    main(sys.argv[1:])
finally:
    sys.stdout.flush()
    sys.stderr.write(json.dumps(sorted(m for m in sys.modules)) + "\\n")
"""


def loaded(argv: list[str], env: dict | None = None) -> set[str]:
    res = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT), argv=argv)],
                         check=False, capture_output=True, text=True, env=env,
                         timeout=60)
    return set(json.loads(res.stderr.splitlines()[-1]))


def test_version_and_help_load_no_library():
    for argv in (["--version"], ["--help"], ["version"], ["help"], ["help", "machine"],
                 ["machine", "create", "--help"], ["machnie", "list"]):
        mods = loaded(argv)
        assert not [m for m in HEAVY if m in mods], argv


def test_launch_loads_plumbum_but_not_what_it_never_uses(cli):
    cli.configure()
    mods = loaded(["--dry-run", "p", "-p", "x"], cli.env())
    assert "plumbum" in mods  # the `netcage --version` probe runs through plumbum
    assert not {"invoke", "questionary", "prompt_toolkit", "http.client", "email.parser",
                "ssl"} & mods


LEAN = """
import platform, sys
sys.path.insert(0, {root!r})
from anonpi_helpers.core.lean_imports import deferred_stdlib
with deferred_stdlib():
    import plumbum
assert "http.client" not in sys.modules
assert "processor" not in vars(platform.uname())
from plumbum import local
print(local["echo"]["ok"]().strip())
import urllib.request
print(urllib.request.pathname2url("/a b"))
from urllib.request import quote
print(quote("c d"), "http.client" in sys.modules)
print(plumbum.local.path("/x y").as_uri())
"""


def test_deferred_modules_still_work_when_used():
    res = subprocess.run([sys.executable, "-c", LEAN.format(root=str(ROOT))],
                         check=False, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["ok", "/a%20b", "c%20d True", "file:///x%20y"]
