"""The walkthrough of working where you are, as a user types it in a shell: `cd` into a git
repository of your own, start pi on it with one short command (its `--dry-run` shows exactly
that folder at /work/<name>, its web through the relay), then `anon-pi machine list | cat`
with no machine (nothing on stdout, the note on stderr) and with one (its ref without
`localhost/`).
Every step through a real `sh`, the real bin/anon-pi and the fake netcage."""

import shlex
import subprocess

from harness_paths import BIN
from launch_support import RELAY, relay_note

IMAGE = "localhost/anon-pi/pi:latest"


def _sh(cli, line: str, cwd) -> subprocess.CompletedProcess:
    """One line typed into sh, with `anon-pi` on PATH as the installed launcher."""
    env = cli.env(ANON_PI_IMAGE=IMAGE, LOGNAME="pat", USER="pat")
    env["PATH"] = f"{BIN.parent}:{env['PATH']}"
    return subprocess.run(["sh", "-c", line], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=60, check=False)


def test_work_here_walkthrough(cli):
    cli.configure(image=None)  # proxy and model set; no machine yet
    repo = cli.tmp / "scratch" / "notes-app"
    repo.mkdir(parents=True)
    (cli.tmp / "scratch" / "secrets").mkdir()  # a sibling the jail must not see
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=60)
    (repo / "README.md").write_text("# notes\n")

    shown = _sh(cli, "anon-pi --here --dry-run", repo)
    assert shown.returncode == 0, shown.stderr
    argv = shlex.split(shown.stdout)
    assert shown.stdout.count("\n") == 1 and argv[:2] == ["netcage", "run"]
    mounts = [argv[i + 1] for i, a in enumerate(argv) if a == "-v"]
    assert mounts == [f"{cli.ws}/machines/default/home:/root", f"{repo}:/work/notes-app"]
    assert argv[argv.index("-w") + 1] == "/work/notes-app" and "-it" in argv
    assert argv[argv.index("--proxy") + 1] == RELAY  # its web leaves through the relay
    assert shown.stderr == (f"anon-pi: the jail sees {repo} at /work/notes-app, only that "
                            "folder (no conversations yet)\n" + relay_note(cli.proxy))
    assert not (cli.ws / "machines").exists()  # a dry run creates nothing

    empty = _sh(cli, "anon-pi machine list | cat", repo)
    # nothing on stdout (a pipe gets no row), the note on stderr
    assert (empty.returncode, empty.stdout) == (0, "")
    assert empty.stderr.startswith("anon-pi: no machines yet"), empty.stderr

    made = _sh(cli, f"anon-pi machine create box --image {IMAGE} --force", repo)
    assert made.returncode == 0, made.stderr
    listed = _sh(cli, "anon-pi machine list | cat", repo)
    assert (listed.returncode, listed.stdout) == (0, f"box\t{IMAGE.removeprefix('localhost/')}\n")

    for step in (shown, empty, made, listed):  # shown by `pytest -s`: the closing note's text
        print(f"$ {step.args[2]}\n{step.stdout}{step.stderr}", end="")
