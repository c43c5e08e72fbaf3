"""The README is a user's first page: its commands must work as written."""

import re
import shlex
import subprocess

from conftest import BIN, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_setup_commands_come_first():
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL).group(1)
    assert [line.split("#")[0].strip() for line in first_block.splitlines()] == [
        "make install", "make test"]


def test_dry_run_example_works_without_netcage(tmp_path):
    block = re.search(r"```sh\n(ANON_PI_PROXY=.*?)```", README, re.DOTALL).group(1)
    words = shlex.split(block.replace("\\\n", " "))
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    env.update(w.split("=", 1) for w in words if re.match(r"[A-Z_]+=", w))
    argv = [w for w in words if not re.match(r"[A-Z_]+=", w)]
    assert argv == ["anon-pi", "--dry-run", "myproject", "-p", "hi"]
    res = subprocess.run([BIN, *argv[1:]], env=env, check=False, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("netcage run --label anon-pi.key=")
    assert "--proxy socks5h://127.0.0.1:9050 --allow 192.168.1.150:8080" in res.stdout
    assert list(tmp_path.iterdir()) == []  # creates nothing


def test_completion_timing_hook_runs(tmp_path):
    block = re.search(r"```sh\n(bash --norc -c .*?)```", README, re.DOTALL).group(1)
    (tmp_path / "ws" / "projects" / "recon").mkdir(parents=True)
    res = subprocess.run(["bash", "-c", block], cwd=ROOT, check=False, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "ANON_PI_HOME": str(tmp_path / "ws")},
                         timeout=30)
    offered, stamps = res.stdout.splitlines()
    assert offered == "recon ."
    start, end = map(float, stamps.split())
    assert end >= start


def test_readme_sections():
    for heading in ("## What goes where", "## Common tasks", "## Shell completion",
                    "## Scripting with `inv`", "## Anonymity", "## The workspace", "## Speed"):
        assert heading in README
    assert "```mermaid" in README and "ANON_PI_HOME=/srv/anon-pi" in README


def test_every_invoke_task_is_in_the_readme():
    import tasks

    for name in tasks.ns.task_names:
        assert f"`inv {name}" in README, name
