"""A newcomer's first hour, scripted: a fresh clone with nothing beside it, `make install` into
a temporary PREFIX (its pip installs from the wheel folder CI prepared when there is one:
network_support.pip_env), then the README's commands as written, from a folder that is not the
checkout, with the installed links first on PATH. What doctor dials (the proxy, the model) are
loopback listeners of the test's own."""

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from doctor_support import Responder
from harness_paths import ROOT
from network_support import pip_env

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _sh(argv, cwd, env, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env, check=False, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory):
    """Clone -> make install; yields (clone, env for the user's shell, install output)."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout (nothing to clone)")
    base = tmp_path_factory.mktemp("newcomer")
    clone, prefix, home, work = (base / n for n in ("anon-pi", "prefix", "home", "work"))
    for d in (home, work):
        d.mkdir()
    assert not (base / "shared").exists()  # nothing beside the clone
    res = _sh(["git", "clone", "-q", str(ROOT), str(clone)], base, None)
    assert res.returncode == 0, res.stderr
    env = {"PATH": f"{prefix}/bin:/usr/local/bin:/usr/bin:/bin", "HOME": str(home),
           "LANG": "C.UTF-8", "ANON_PI_HOME": str(home / "ws")}
    res = _sh(["make", "install", f"PREFIX={prefix}"], clone, {**env, **pip_env()}, timeout=900)
    assert res.returncode == 0, res.stdout + res.stderr
    yield clone, env, work, res.stdout
    _sh(["make", "uninstall", f"PREFIX={prefix}"], clone, env)


def test_make_install_says_what_it_does_before_pip(newcomer):
    *_, out = newcomer
    lines = out.splitlines()
    pip = next(i for i, line in enumerate(lines) if "pip install" in line)
    announced = [i for i, line in enumerate(lines) if line.startswith("anon-pi: [")]
    assert announced[:2] == [pip - 2, pip - 1] and "[3/3] linking" in lines[announced[2]]
    assert "is on your PATH; try: anon-pi --help" in out


def test_readme_dry_run_block_works_verbatim(newcomer):
    _, env, work, _ = newcomer
    block = re.search(r"```sh\n(ANON_PI_PROXY=.*?)```", README, re.DOTALL).group(1)
    res = _sh(["bash", "-e", "-c", block], work, env)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("netcage run --label anon-pi.key=")
    assert not Path(env["ANON_PI_HOME"]).exists()


def test_readme_inv_block_works_verbatim_from_any_folder(newcomer):
    _, env, work, _ = newcomer
    block = re.search(r"```sh\n(anon-pi-inv --list.*?)```", README, re.DOTALL).group(1)
    res = _sh(["bash", "-e", "-c", block], work, env)
    assert res.returncode == 0, res.stderr
    assert "  snapshot " in res.stdout and "  machine.create " in res.stdout


@pytest.fixture(scope="module")
def peers():
    """{"proxy", "llm"}: a SOCKS5 greeter and a model on loopback, for the config doctor reads."""
    proxy, model = Responder(b"\x05\x00"), Responder(None)
    yield {"proxy": f"socks5h://127.0.0.1:{proxy.port}", "llm": f"127.0.0.1:{model.port}"}
    proxy.close()
    model.close()


def _configured(clone, env, work, peers) -> dict:
    """A workspace a launch accepts, with the clone's fake netcage standing in on PATH."""
    ws = Path(env["ANON_PI_HOME"])
    (ws / "projects" / "recon").mkdir(parents=True, exist_ok=True)
    (ws / "config.json").write_text(json.dumps(peers))
    (ws / "machines" / "default").mkdir(parents=True, exist_ok=True)
    (ws / "machines" / "default" / "machine.json").write_text(
        json.dumps({"image": "localhost/anon-pi/pi:latest"}))
    fake_bin = work / "fake-bin"
    fake_bin.mkdir(exist_ok=True)
    (work / "store").mkdir(exist_ok=True)  # a store that exists: the fake podman is asked
    for tool in ("netcage", "podman"):  # the fake podman's store holds what a pin names
        if not (fake_bin / tool).exists():
            (fake_bin / tool).symlink_to(clone / "tests" / "fakes" / tool)
    return {**env, "PATH": f"{fake_bin}:{env['PATH']}", "FAKE_NETCAGE_DIR": str(work),
            "FAKE_NETCAGE_LOG": str(work / "netcage.log"),
            "NETCAGE_GRAPHROOT": str(work / "store")}  # a real podman never touches the user's


REF = "localhost/anon-pi/pi:latest"
# README commands as written there (placeholders filled in), in the order a newcomer meets them.
README_COMMANDS = [
    ("anon-pi machine --help", []), ("anon-pi doctor", []),
    ("anon-pi machine create box --image <ref>", ["anon-pi", "machine", "create", "box",
                                                 "--image", REF]),
    ("anon-pi machine list", []),
    ("machine set-image box <ref>", ["anon-pi", "machine", "set-image", "box", REF]),
    ("anon-pi --dry-run recon -p hi", []), ("anon-pi image list", []),
    ("anon-pi completions fish", []), ("anon-pi-inv machine-list", []),
    ("anon-pi-inv image.list", []), ("anon-pi-inv doctor", []),
]


def test_readme_commands_work_after_install(newcomer, peers):
    clone, env, work, _ = newcomer
    run_env = _configured(clone, env, work, peers)
    run_env["FAKE_NETCAGE_VERSION"] = "netcage 0.13.0"
    for written, argv in README_COMMANDS:
        assert f"`{written}" in README, written
        res = _sh(argv or shlex.split(written), work, run_env)
        assert "Traceback" not in res.stderr, res.stderr
        if "doctor" in written:  # its verdict depends on this host (root, pasta, /dev/net/tun)
            assert res.returncode in (0, 1), res.stdout + res.stderr
            assert "ok   proxy greeting: SOCKS5 answered" in res.stdout  # the test's own peers
            assert f"ok   llm reachable: {peers['llm']} accepts TCP connections" in res.stdout
        else:
            assert res.returncode == 0, f"{written}: {res.stderr}"
    listing = _sh(["anon-pi", "machine", "list"], work, run_env).stdout
    assert f"box\t{REF.removeprefix('localhost/')}" in listing  # shown without localhost/


@pytest.mark.parametrize("typo, word", [
    (["machine", "lst"], "`list`"), (["machnie", "list"], "`machine`"), (["doctr"], "`doctor`"),
    (["imgae", "list"], "`image`"), (["forwad"], "`forward`"), (["prots"], "`ports`"),
    (["intt"], "`init`"), (["--dryrun", "recon"], "`--dry-run`"),
])
def test_typos_are_refused_with_one_line(newcomer, peers, typo, word):
    """A typo of a verb, sub-verb or flag launches nothing and says what was meant."""
    clone, env, work, _ = newcomer
    run_env = _configured(clone, env, work, peers)
    res = _sh(["anon-pi", *typo], work, run_env)
    assert res.returncode == 2 and res.stdout == ""  # a usage error
    first = res.stderr.splitlines()[0]
    assert first.startswith("anon-pi: ") and f"did you mean {word}?" in first, res.stderr
    assert not (Path(env["ANON_PI_HOME"]) / "projects" / typo[0]).exists()
    log = work / "netcage.log"
    assert not log.exists() or '["run"' not in log.read_text()  # nothing was launched


@pytest.mark.parametrize("name", ["api", "web", "cli"])
def test_short_project_names_still_launch(newcomer, peers, name):
    clone, env, work, _ = newcomer
    res = _sh(["anon-pi", "--dry-run", name, "-p", "hi"], work,
              _configured(clone, env, work, peers))
    assert res.returncode == 0, res.stderr
    assert f" -w /projects/{name} " in res.stdout


@pytest.mark.parametrize("argv", [["machine", "list", "--json"], ["image", "list", "--json"],
                                  ["doctor", "--json"]])
def test_json_output_is_one_document(newcomer, peers, argv):
    clone, env, work, _ = newcomer
    res = _sh(["anon-pi", *argv], work, _configured(clone, env, work, peers))
    assert res.returncode in (0, 1), res.stderr  # doctor's verdict: the store lacks the image
    json.loads(res.stdout)  # exactly one JSON document, nothing else on stdout
