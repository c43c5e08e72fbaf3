"""Which netcage and podman the cli harness runs: a real netcage generation or the stand-in
over real podman, each behind a shim that logs its calls like the fakes do (real_support.py
says when each runs, skips or fails)."""

import json
import shutil
import sys
from pathlib import Path

import pytest
from harness_paths import FAKES
from real_support import (
    GENERATIONS,
    REAL_PODMAN,
    REAL_PODMAN_MODE,
    STORE,
    need,
    netcage_dir,
    podman_missing,
)

# What the cli harness puts first on PATH for a real tool: append the call to each log, then
# exec the real one. The harness's logs keep the fakes' formats (netcage: one JSON argv a line,
# `cli.calls()`; podman: the argv joined by spaces, `cli.podman_calls()`); podman's calls go
# to a JSON log too (`podman_log`), where netcage's own calls keep their argument boundaries.
SHIM = """#!{python}
import json, os, sys
argv = sys.argv[1:]
for log, as_json in {logs!r}:
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write((json.dumps(argv) if as_json else " ".join(argv)) + "\\n")
if os.environ.get("REAL_SHIM_PATH"):
    os.environ["PATH"] = os.environ["REAL_SHIM_PATH"]
os.execv({target!r}, [{target!r}, *argv])
"""
# Just enough for bin/anon-pi without podman on PATH (the `netcage images` fallback).
BASICS = ("bash", "readlink", "dirname", "uname", "env")


def _shim(path: Path, target: str, logs: list[tuple[str, bool]]) -> None:
    """SHIM at `path` for `target`, logging to each (file, as JSON) of `logs`. The harness
    linked its fake here: unlink first, never write through the link into tests/fakes/."""
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_text(SHIM.format(python=sys.executable, logs=logs, target=target),
                    encoding="utf-8")
    path.chmod(0o755)


def _argv_log(cli) -> Path:
    """podman_log's file: not FAKE_PODMAN_LOG's, whose text lines lose argument boundaries."""
    return cli.tmp / "podman-argv.log"


def _shim_podman(cli) -> None:
    """The real podman, logged both ways: the harness's text log and podman_log's JSON one."""
    _shim(cli.bindir / "podman", REAL_PODMAN,
          [(cli.vars.get("FAKE_PODMAN_LOG", ""), False), (str(_argv_log(cli)), True)])


def use_netcage(cli, which: str) -> None:
    """Make the cli harness run `which` netcage, a real generation or "stand-in" (the harness's
    own tests/fakes/netcage in its real-podman mode), and the real podman, in the test store;
    both are logged like the fakes' calls (`cli.calls()`, `cli.podman_calls()`)."""
    folder = None if which == "stand-in" else netcage_dir(which)
    need(podman_missing())
    if folder is None:  # the stand-in logs its calls itself: a shim only for hide_podman's PATH
        cli.vars.update(REAL_PODMAN_MODE)
        _shim(cli.bindir / "netcage", str(FAKES / "netcage"), [])
    else:
        _shim(cli.bindir / "netcage", str(folder / "netcage"),
              [(cli.vars.get("FAKE_NETCAGE_LOG", ""), True)])
        link = cli.bindir / "netcage-dns"
        if not link.exists():
            link.symlink_to(folder / "netcage-dns")
    _shim_podman(cli)
    cli.vars["NETCAGE_GRAPHROOT"] = str(STORE)


def hide_podman(cli) -> None:
    """anon-pi finds no podman on PATH (netcage, run by its shim, still does)."""
    (cli.bindir / "podman").unlink()
    tools = cli.tmp / "basics"
    tools.mkdir(exist_ok=True)
    for name in BASICS:
        (tools / name).symlink_to(shutil.which(name))
    cli.vars["REAL_SHIM_PATH"] = cli.vars["PATH"]
    cli.vars["PATH"] = f"{cli.bindir}:{tools}"


@pytest.fixture(params=GENERATIONS)
def real_netcage(request, cli):
    """The cli harness with one real netcage generation first on PATH; yields the version."""
    use_netcage(cli, request.param)
    return request.param


@pytest.fixture
def newest_netcage(cli):
    """The cli harness on the newest real generation only."""
    use_netcage(cli, GENERATIONS[-1])
    return GENERATIONS[-1]


@pytest.fixture(params=("stand-in", *GENERATIONS))
def podman_netcage(request, cli):
    """For tests where netcage only passes calls through to podman: the stand-in netcage over
    real podman always (mandatory under CI), and each real generation where one is named."""
    use_netcage(cli, request.param)
    return request.param


@pytest.fixture
def podman_log(cli):
    """The real podman first on the cli harness PATH (its shim logs each call as a JSON argv
    too): netcage's own podman calls become readable. Yields a function returning the calls."""
    need(None if REAL_PODMAN else "podman is not on PATH")
    log = _argv_log(cli)
    _shim_podman(cli)  # the one use_netcage put in, again: the order of fixtures does not matter

    def calls() -> list[list[str]]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]

    return calls
