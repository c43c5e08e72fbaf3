"""`make install` step 1, bin/make-venv: the venv is made on the first Python >= 3.11 that can
make one, the distribution's /usr/bin/python3 before the `python3` on PATH (its optimised
build starts anon-pi about 20% faster); `PYTHON=` names the only one to try."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from harness_paths import ROOT
from waiting import appeared

MAKE_VENV = ROOT / "bin" / "make-venv"


def _run(*args, path="/usr/bin:/bin") -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(MAKE_VENV), *map(str, args)], capture_output=True,
                          text=True, timeout=300, check=False, env={"PATH": path})


ENSUREPIP_FAILED = ("Error: Command '[..., '-m', 'ensurepip', '--upgrade', '--default-pip']' "
                    "returned non-zero exit status 1.")
VENV_OUTCOME = {"works": "exit 0", "fails": f'echo "{ENSUREPIP_FAILED}" >&2; exit 1',
                "hangs": "exec sleep 30"}


def _fake_python(tmp_path: Path, version: str, venv: str = "works") -> Path:
    """A python that reports `version` and makes the venv folder, then works, fails halfway
    (as Debian's does without python3-venv) or hangs."""
    ok = "(3, 11)" if version >= "3.11" else "(3, 10)"
    fake = tmp_path / f"python{version}"
    fake.write_text(f"""#!/bin/sh
case "$*" in
  *version_info*) [ "{ok}" = "(3, 11)" ]; exit $? ;;
  *python_version*) echo {version}; exit 0 ;;
  "-m venv "*) mkdir -p "$3/bin"; {VENV_OUTCOME[venv]} ;;
esac
exit 2
""")
    fake.chmod(0o755)
    return fake


def test_a_named_python_that_cannot_make_a_venv_leaves_nothing(tmp_path):
    fake = _fake_python(tmp_path, "3.11.9", venv="fails")
    res = _run(tmp_path / "venv", fake)
    assert res.returncode == 1
    assert f"creating the virtual environment {tmp_path / 'venv'} with {fake}" in res.stdout
    assert res.stderr.splitlines() == [
        f"anon-pi: {fake} cannot make a virtual environment: {ENSUREPIP_FAILED}",
        f"anon-pi: no Python 3.11 or newer that can make a virtual environment (tried: {fake}).",
        ("  hint: install one (Debian: apt install python3 python3-venv), or name it: "
        "make install PYTHON=/path/to/python3.11")]
    assert not (tmp_path / "venv").exists()


def test_a_named_python_older_than_3_11_is_refused(tmp_path):
    fake = _fake_python(tmp_path, "3.10.4")
    res = _run(tmp_path / "venv", fake)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.startswith("anon-pi: no Python 3.11 or newer that can make a virtual "
                                 f"environment (tried: {fake}).\n")
    assert not (tmp_path / "venv").exists()


def test_a_named_python_is_the_only_one_tried(tmp_path):
    fake = _fake_python(tmp_path, "3.12.1")
    res = _run(tmp_path / "venv", fake)
    assert (res.returncode, res.stderr) == (0, "")
    assert res.stdout == (f"anon-pi: [1/3] creating the virtual environment {tmp_path / 'venv'} "
                          f"with {fake} (Python 3.12.1)\n")


def test_a_half_made_venv_it_did_not_create_is_kept(tmp_path):
    """A venv a Ctrl-C left without pip (so make runs this again) is completed in place, and
    kept if that fails: the script removes only what it made."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    res = _run(venv, _fake_python(tmp_path, "3.11.9", venv="fails"))
    assert res.returncode == 1
    assert (venv / "bin" / "python").exists()


def test_an_interrupted_creation_leaves_nothing(tmp_path):
    venv = tmp_path / "venv"
    proc = subprocess.Popen(["sh", str(MAKE_VENV), str(venv),
                             str(_fake_python(tmp_path, "3.11.9", venv="hangs"))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={"PATH": "/usr/bin:/bin"})
    assert "creating the virtual environment" in proc.stdout.readline()
    try:  # the fake python made the folder and now hangs: the moment a Ctrl-C is about
        appeared(venv / "bin", "the venv folder the (hanging) python makes")
    except AssertionError:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
    assert proc.wait(timeout=30) == 130
    assert not venv.exists()


@pytest.mark.skipif(shutil.which("python3", path="/usr/bin") is None, reason="no /usr/bin/python3")
def test_unnamed_the_distribution_python_comes_first(tmp_path):
    """On this machine (Debian) a real venv is made on /usr/bin/python3, whatever python3 the
    caller's PATH finds first."""
    probe = subprocess.run(["/usr/bin/python3", "-c", ("import sys, venv, ensurepip; "
                            "sys.exit(sys.version_info < (3, 11))")], check=False)
    if probe.returncode:
        pytest.skip("/usr/bin/python3 is older than 3.11 or has no venv module")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "python3").symlink_to(sys.executable)  # the suite's own python, first on PATH
    res = _run(tmp_path / "venv", path=f"{bindir}:/usr/bin:/bin")
    assert (res.returncode, res.stderr) == (0, ""), res.stderr
    assert f"{tmp_path / 'venv'} with /usr/bin/python3 (Python 3." in res.stdout
    cfg = (tmp_path / "venv" / "pyvenv.cfg").read_text()
    assert "home = /usr/bin" in cfg
