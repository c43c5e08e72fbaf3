"""Only what a path needs is imported (start-up time): each verb's import set, pinned.

Every probe runs the real entry point in a fresh `python -I -S` (how the launcher starts it)
with the checkout and the venv's site-packages on sys.path, and reports the modules that were
loaded plus the exit status. A plain launch is probed up to the spawn of netcage (its egress
relay, threads of anon-pi's own, running). Verbs import what only they need inside
functions, with plain imports.
"""

import ast
import json
import subprocess
import sys
import sysconfig

import pytest
from harness_paths import ROOT

# (importlib: verbs are reached by plain imports, nothing imports by name)
EVERYWHERE = {"invoke", "questionary", "prompt_toolkit", "urllib.request", "http.client",
              "email.parser", "ssl", "importlib"}
# what a listing, help text or a warm launch never needs (inspect: a dataclass without a
# docstring makes dataclasses compute one with inspect.signature)
RUNNER = {"plumbum", "subprocess", "threading", "logging", "typing", "concurrent.futures",
          "inspect"}
# what a headless launch never needs: OpenSSL (only a long isolation name is hashed), the
# text-stream renderer, the IDNA codec (its proxy's ASCII name is resolved as bytes); nor its
# --dry-run the signal handlers of waiting on netcage
HANDED_OVER = {"hashlib", "_hashlib", "anonpi_helpers.launch.text_stream", "encodings.idna"}
# the relay's threads and what they need start once netcage is spawned (its listener and log
# are open before): neither a launch up to its spawn nor its --dry-run loads them
RELAY = {"threading", "anonpi_helpers.edges.egress_relay", "anonpi_helpers.edges.tracked_server",
         "anonpi_helpers.core.dns_wire"}
# nor does it (or its --dry-run) list or start kept boxes, watch netcage's output live, walk
# a jail-writable tree by fd, or prompt for a password (getpass, its termios and contextlib)
NOT_ASKED = {"anonpi_helpers.edges.box_access", "anonpi_helpers.core.boxes",
             "anonpi_helpers.edges.netcage_live", "anonpi_helpers.edges.safe_tree",
             "getpass", "termios", "contextlib"}
# the records of the start-up paths are namedtuples: a frozen dataclass costs ~1.5 ms to build
NO_DATACLASSES = {"dataclasses"}
COPIER_AND_PICKER = {"anonpi_helpers.edges.carry_over", "anonpi_helpers.edges.selector",
                     "anonpi_helpers.edges.selector_screen"}

PROBE = """
import json, os, sys
sys.path[:0] = {path!r}
sys.argv[1:] = {argv!r}

def report(code):
    sys.stdout.flush()
    mods = sorted(sys.modules)
    sys.stderr.write("\\n" + json.dumps({{"code": code, "mods": mods}}) + "\\n")
    sys.stderr.flush()

def execve(path, argv, env, **_spawn_options):
    report("exec " + os.path.basename(path))
    os._exit(0)

os.execve = os.posix_spawn = execve
from anonpi_helpers.cli import run
from anonpi_helpers.edges.real_io import real_context
report(run(sys.argv[1:], real_context()))
"""


def probe(argv: list[str], env: dict | None = None) -> tuple[object, set[str]]:
    path = [str(ROOT), sysconfig.get_path("purelib")]
    res = subprocess.run([sys.executable, "-I", "-S", "-c", PROBE.format(path=path, argv=argv)],
                         check=False, capture_output=True, text=True, env=env, timeout=60)
    found = json.loads(res.stderr.splitlines()[-1])
    return found["code"], set(found["mods"])


def loaded(argv: list[str], env: dict | None = None, code: object = 0) -> set[str]:
    got, mods = probe(argv, env)
    assert got == code, (argv, got)
    return mods


def test_version_and_help_load_no_library():
    for argv in (["--version"], ["--help"], ["version"], ["help"], ["help", "machine"],
                 ["machine", "create", "--help"], ["machnie", "list"]):
        mods = loaded(argv, code=2 if argv[0] == "machnie" else 0)  # the typo is refused
        assert not (EVERYWHERE | RUNNER | COPIER_AND_PICKER) & mods, argv
        if len(argv) == 1:  # anon-pi's own help and version load no edge but the one that
            # reads the run's context from the process
            assert not {m for m in mods if m.startswith("anonpi_helpers.edges.")} - {
                "anonpi_helpers.edges.real_io"}, argv


LISTINGS = [
    (["machine", "list"], 0),
    (["machine", "--help"], 0),
    (["image", "--help"], 0),
    (["forward", "--help"], 0),
    (["ports", "--help"], 0),
    (["init", "--help"], 0),
    (["doctor", "--help"], 0),
    (["--delete-project", "--help"], 0),
    (["completions", "bash"], 0),
    (["machine", "frobnicate"], 2),
]


@pytest.mark.parametrize("argv, code", LISTINGS, ids=[" ".join(a) for a, _ in LISTINGS])
def test_listings_and_help_load_no_runner_copier_or_picker(cli, argv, code):
    cli.configure()
    mods = loaded(argv, cli.env(), code)
    assert not (EVERYWHERE | RUNNER | COPIER_AND_PICKER) & mods


def test_a_warm_launch_becomes_netcage_without_plumbum(cli):
    """Warm: a real netcage binary whose `--version` answer doctor kept."""
    cli.configure()
    cli.elf_netcage()
    env = cli.env()
    cold = loaded(["recon", "-p", "x"], env, "exec netcage")
    assert "plumbum" in cold  # the first launch asks `netcage --version` through plumbum
    assert cli.run("doctor").stdout  # asks again, and keeps the answer
    for argv in (["recon", "-p", "x"], ["--dry-run", "recon", "-p", "x"]):
        warm = loaded(argv, env, "exec netcage" if argv[0] == "recon" else 0)
        assert not (EVERYWHERE | RUNNER | RELAY | COPIER_AND_PICKER | HANDED_OVER
                    | NO_DATACLASSES | NOT_ASKED) & warm
        if argv[0] == "recon":  # only a refusal or the dry-run's printout quotes
            assert "shlex" not in warm
            assert "anonpi_helpers.edges.egress_session" in warm  # its log and listener
        else:
            assert "signal" not in warm
    assert [c[0] for c in cli.calls()].count("--version") == 2  # launch, doctor; then kept


def test_image_list_reads_podman_without_plumbum_copier_or_picker(cli):
    """podman's store read is podman's command line, not netcage's: plain subprocess."""
    cli.configure()
    mods = loaded(["image", "list"], cli.env())
    assert cli.podman_calls() == [f"--root {cli.store} images --format json"]
    assert "subprocess" in mods
    assert not (EVERYWHERE | COPIER_AND_PICKER | NO_DATACLASSES | {"plumbum", "logging",
                                                                   "typing"}) & mods


def test_machine_list_builds_no_dataclass_and_loads_no_changing_verb(cli):
    """Listing reads the workspace only: not the create/rm module, the fd walker or the
    netcage runner's module."""
    cli.configure()
    for argv in (["machine", "list"], ["machine", "list", "--json"]):
        assert not (NO_DATACLASSES | {"anonpi_helpers.machines.changes",
                                      "anonpi_helpers.edges.safe_tree",
                                      "anonpi_helpers.edges.netcage"}) & loaded(argv, cli.env())


def test_every_dataclass_has_a_docstring():
    """Without one, dataclasses imports inspect to write a signature as the docstring."""
    missing = []
    for path in sorted((ROOT / "anonpi_helpers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ClassDef) and ast.get_docstring(node) is None
                    and any("dataclass" in ast.unparse(d) for d in node.decorator_list)):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == []


HANG = """
import sys, time
sys.path.insert(0, {root!r})
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.edges.image_store import podman_query
from anonpi_helpers.edges.real_io import real_context
print(podman_query(real_context(), "/bin/echo", ["ok"], "echo ok").out.strip())
start = time.monotonic()
try:
    podman_query(real_context(), "/bin/sleep", ["30"], "podman images", timeout=1)
except AnonPiError as exc:
    print(exc.message, time.monotonic() - start < 10)
"""


def test_a_store_read_that_hangs_is_ended():
    """podman_query's own deadline: a podman that hangs is killed, one error names it."""
    res = subprocess.run([sys.executable, "-I", "-S", "-c", HANG.format(root=str(ROOT))],
                         check=False, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["ok", "`podman images` did not answer within 1 s. True"]
