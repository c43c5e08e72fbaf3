"""`pip install .`: the wheel it builds."""

import os
import shutil
import subprocess
import zipfile

from harness_paths import ROOT
from network_support import pip_env


def test_pip_install_gives_the_same_command_and_ships_the_completions(tmp_path):
    """The wheel `pip install .` builds: the console script, every module, the shipped
    Dockerfile and the three completion scripts (bash, zsh, fish) as the checkout has them.
    Built from the wheel folder CI prepared when there is one (network_support.pip_env)."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "anonpi_helpers", src / "anonpi_helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", src)
    res = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "pip", "wheel", "-q", "--no-deps",
                          "-w", str(tmp_path / "dist"), str(src)],
                         env={**os.environ, **pip_env()}, check=False, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    [wheel] = (tmp_path / "dist").glob("anon_pi-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        [ep] = [n for n in names if n.endswith("entry_points.txt")]
        assert "anon-pi = anonpi_helpers.cli:entry" in zf.read(ep).decode()
        modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "anonpi_helpers").rglob("*.py")
                   if "__pycache__" not in p.parts}
        assert modules <= set(names), sorted(modules - set(names))
        assert "anonpi_helpers/images/pi/Dockerfile.pi" in names
        shipped = sorted(n.removeprefix("anonpi_helpers/completions/") for n in names
                         if n.startswith("anonpi_helpers/completions/"))
        assert shipped == ["_anon-pi", "anon-pi.bash", "anon-pi.fish"]
        for name in shipped:
            assert zf.read(f"anonpi_helpers/completions/{name}") == (
                ROOT / "completions" / name).read_bytes()

