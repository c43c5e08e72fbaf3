"""The Invoke tasks for machines and the data verbs do what bin/anon-pi does."""

import subprocess

from data_verbs_support import make_machine
from harness_paths import ROOT

INV = ROOT / ".venv" / "bin" / "inv"


def _inv(cli, *args):
    return subprocess.run([str(INV), "-r", str(ROOT), *args], env=cli.env(), cwd=cli.tmp,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          check=False)


def test_machine_tasks_round_trip(cli):
    assert _inv(cli, "machine-create", "box", "--image", "a:1").returncode == 0
    assert (cli.ws / "machines/box/machine.json").read_bytes() == b'{\n\t"image": "a:1"\n}\n'
    assert _inv(cli, "machine-list").stdout == "box\ta:1\n"
    res = _inv(cli, "machine-set-image", "box", "b:2")
    assert res.returncode == 0 and "a:1 -> b:2" in res.stderr
    res = _inv(cli, "machine-rm", "box")
    assert res.returncode == 1 and "without a TTY" in res.stderr
    assert _inv(cli, "machine-rm", "box", "--yes").returncode == 0
    assert not (cli.ws / "machines/box").exists()


def test_delete_tasks(cli):
    make_machine(cli.ws, "box", slugs=("--projects-p--",))
    (cli.ws / "projects/p").mkdir(parents=True)
    assert _inv(cli, "delete-home", "--machine", "box").returncode == 1
    assert (cli.ws / "machines/box/home").exists()
    assert _inv(cli, "delete-project", "p", "--yes").returncode == 0
    assert not (cli.ws / "projects/p").exists()
    assert _inv(cli, "delete-home", "--machine", "box", "--yes").returncode == 0
    assert not (cli.ws / "machines/box/home").exists()
    assert (cli.ws / "machines/box/machine.json").exists()
