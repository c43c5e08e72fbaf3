"""`uv tool install .` and `pipx install .`, as the README writes them: each gives a working
`anon-pi` whose init finds the shipped Dockerfiles, the README's upgrade command installs a
changed checkout, and its uninstall command removes the command again.

uv and pipx come from a package index (or the wheel folder ANON_PI_WHEELS names) into a
virtual environment of the test's own; everything they install goes under a temporary folder.
"""

import errno
import os
import re
import shlex
import shutil
import socket
import subprocess

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCKERFILES = ("images/pi/Dockerfile.pi", "images/pi-webveil/Dockerfile.pi-webveil")
PROBE = ("from anonpi_helpers.init.image_step import SHIPPED; "
         "print('\\n'.join(str(path) for _tag, path in SHIPPED.values()))")


def _no_network() -> bool:
    """No route off this machine (a UDP connect sends nothing; it only picks a route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed nowhere real
        except OSError as exc:
            return exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL)
    return False


def _index_env() -> dict[str, str]:
    """Where pip and uv find packages: the wheel folder when one is named, else the index they
    are configured with, reached as this user reaches it (its certificates, proxies and pip
    settings pass through); skip with one line when there is neither."""
    folder = os.environ.get("ANON_PI_WHEELS", "")
    if folder:
        return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": folder, "PIP_CONFIG_FILE": os.devnull,
                "UV_NO_INDEX": "1", "UV_FIND_LINKS": folder}
    if _no_network():
        pytest.skip("no package index to install uv and pipx from (no network, and no "
                    "ANON_PI_WHEELS wheel folder)")
    return {k: v for k, v in os.environ.items()
            if k.startswith(("PIP_", "UV_INDEX", "UV_EXTRA_INDEX"))
            or k.upper() in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
                             "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")}


def _run(argv, env, cwd=None, timeout=600) -> subprocess.CompletedProcess:
    res = subprocess.run(argv, cwd=cwd, env=env, check=False, capture_output=True, text=True,
                         timeout=timeout)
    assert res.returncode == 0, f"{argv}: {res.stdout}{res.stderr}"
    return res


@pytest.fixture(scope="module")
def tools(tmp_path_factory):
    """A venv holding uv and pipx; yields its bin folder and the index settings."""
    index = _index_env()
    base = tmp_path_factory.mktemp("tools")
    _run([str(ROOT / ".venv/bin/python"), "-m", "venv", str(base / "venv")], None)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(base), **index}
    _run([str(base / "venv/bin/python"), "-m", "pip", "install", "-q", "uv", "pipx"], env)
    return base / "venv/bin", index


def _checkout(tmp_path):
    """What a clone holds for the build (no venv, no build leftovers)."""
    src = tmp_path / "anon-pi"
    shutil.copytree(ROOT / "anonpi_helpers", src / "anonpi_helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    return src


def _documented(tool: str) -> tuple[str, str, str]:
    """(install, upgrade, uninstall) as the README writes them for `tool`."""
    install = f"{tool} tool install ." if tool == "uv" else "pipx install ."
    assert f"`{install}`" in README, install
    [upgrade] = re.findall(rf"^git pull && ({tool} .*)$", README, re.MULTILINE)
    uninstall = f"{tool} tool uninstall anon-pi" if tool == "uv" else "pipx uninstall anon-pi"
    assert f"`{uninstall}`" in README, uninstall
    return install, upgrade, uninstall


@pytest.mark.parametrize("tool", ["uv", "pipx"])
def test_the_readme_install_upgrade_and_uninstall_work_as_written(tools, tmp_path, tool):
    bindir, index = tools
    src = _checkout(tmp_path)
    installed = tmp_path / "bin"
    env = {"PATH": f"{bindir}:{installed}:/usr/bin:/bin", "HOME": str(tmp_path / "home"),
           "LANG": "C.UTF-8", **index,
           # uv: its tools, its cache and the interpreter it picks stay in the temp folder
           "UV_TOOL_DIR": str(tmp_path / "uv-tools"), "UV_TOOL_BIN_DIR": str(installed),
           "UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never",
           "UV_PYTHON": str(ROOT / ".venv/bin/python"),
           "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(installed),
           "PIPX_MAN_DIR": str(tmp_path / "man"),
           "PIPX_DEFAULT_PYTHON": str(ROOT / ".venv/bin/python")}
    install, upgrade, uninstall = _documented(tool)
    _run(shlex.split(install), env, cwd=src)
    command = installed / "anon-pi"
    res = _run([str(command), "--version"], env, cwd=tmp_path)
    assert res.stdout == "anon-pi 0.17.0\n"
    real = command.resolve()  # the console script inside the tool's own environment
    python = real.parent / "python"
    shipped = _run([str(python), "-I", "-c", PROBE], env, cwd=tmp_path).stdout.split()
    assert len(shipped) == len(DOCKERFILES)
    for path, name in zip(shipped, DOCKERFILES, strict=True):
        assert path.endswith(f"/site-packages/anonpi_helpers/{name}")
        with open(path, "rb") as fh:
            assert fh.read() == (ROOT / "anonpi_helpers" / name).read_bytes()
    res = _run([str(command), "completions", "bash"], env, cwd=tmp_path)
    assert res.stdout == (ROOT / "completions/anon-pi.bash").read_text(encoding="utf-8")
    res = _run([str(command), "--dry-run", "recon", "-p", "hi"],
               {**env, "ANON_PI_HOME": str(tmp_path / "ws"),
                "ANON_PI_PROXY": "socks5h://127.0.0.1:9050", "ANON_PI_LLM": "192.168.1.150:8080",
                "ANON_PI_IMAGE": "localhost/anon-pi/pi:latest"}, cwd=tmp_path)
    assert res.stdout.startswith("netcage run --label anon-pi.key=")

    init = src / "anonpi_helpers/__init__.py"  # a change the upgrade must bring in
    init.write_text(init.read_text().replace('"0.17.0"', '"0.17.0.post1"'))
    _run(shlex.split(upgrade), env, cwd=src)
    assert _run([str(command), "--version"], env, cwd=tmp_path).stdout == "anon-pi 0.17.0.post1\n"

    _run(shlex.split(uninstall), env, cwd=src)
    assert not os.path.lexists(command)
