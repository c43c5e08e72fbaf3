"""`uv tool install .` and `pipx install .`, as the README writes them: each gives a working
`anon-pi` whose init finds the shipped Dockerfiles, the README's upgrade command installs a
changed checkout, and its uninstall command removes the command again.

uv and pipx come from the wheel folder ANON_PI_WHEELS names (CI fills it before the network
goes) or else a package index (network_support.pip_env) into a virtual environment of the
test's own; everything they install goes under a temporary folder.
"""

import os
import re
import shlex
import shutil
import subprocess

import pytest
from harness_paths import ROOT
from network_support import pip_env

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCKERFILES = ("images/pi/Dockerfile.pi", "images/pi-webveil/Dockerfile.pi-webveil")
PROBE = ("from anonpi_helpers.init.image_step import SHIPPED; "
         "print('\\n'.join(str(path) for _tag, path in SHIPPED.values()))")


def _run(argv, env, cwd=None, timeout=600) -> subprocess.CompletedProcess:
    res = subprocess.run(argv, cwd=cwd, env=env, check=False, capture_output=True, text=True,
                         timeout=timeout)
    assert res.returncode == 0, f"{argv}: {res.stdout}{res.stderr}"
    return res


@pytest.fixture(scope="module")
def tools(tmp_path_factory):
    """A venv holding uv and pipx; yields its bin folder and the index settings."""
    index = pip_env()
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
