"""anon-pi against REAL podman: launch, `image snapshot`, `image list`, `machine create --image`.

The real bin/anon-pi runs with tests/integration/netcage as `netcage` (podman with the jail's
network left out), so podman receives the very labels, mounts, -w and image anon-pi builds
and stores the labels the later verbs read back. Needs podman plus the busybox image made by
tests/integration/setup-podman.sh; without them it skips, except under CI, where it fails.
"""

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import tree_digest

from anonpi_helpers.core.identity import Identity, encode

BASE_IMAGE = "localhost/test/busybox:latest"
STAND_IN = Path(__file__).resolve().parent.parent / "integration" / "netcage"
SETUP = "tests/integration/setup-podman.sh"
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def podman(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run(["podman", *args], check=False, capture_output=True, text=True, timeout=60)
    if check:
        assert res.returncode == 0, f"podman {' '.join(args)}: {res.stderr}"
    return res


def _podman_missing() -> str | None:
    """Why real podman cannot run the test here, or None when it can."""
    if not shutil.which("podman"):
        return "podman is not on PATH"
    if podman("image", "exists", BASE_IMAGE, check=False).returncode != 0:
        return f"podman has no {BASE_IMAGE}"
    return None


@pytest.fixture
def real_podman():
    """Skip without podman on a developer machine; under CI a missing podman is a failure."""
    missing = _podman_missing()
    if missing and os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"CI must run the real-podman test, but {missing}; run {SETUP}",
                    pytrace=False)
    if missing:
        pytest.skip(f"{missing} (run {SETUP})")


@pytest.fixture
def podman_leftovers():
    """Containers and images the test made; removed afterwards even when it fails."""
    made = {"containers": [], "images": []}
    yield made
    for cid in made["containers"]:
        podman("rm", "-f", "-t", "0", cid, check=False)
    if made["images"]:
        podman("rmi", "-f", *made["images"], check=False)


def labels(ref: str) -> dict:
    return json.loads(podman("inspect", ref, "--format", "{{json .Config.Labels}}").stdout)


def image_id(ref: str) -> str:
    return podman("image", "inspect", ref, "--format", "{{.Id}}").stdout.strip()


def wait_for(path: Path, seconds: float = 10) -> str:
    """The file's text once the container has written it (`run -d` returns at start)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists() and path.read_text():
            break
        time.sleep(0.05)
    return path.read_text()


def standin_calls(log: Path) -> list[list[str]]:
    """Every netcage argv anon-pi ran since the log was last cleared, minus `--version`."""
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    log.write_text("")
    return [c for c in calls if c[:1] != ["--version"]]


def snapshot(cli, name: str, machine: str, log: Path, made: dict):
    """`anon-pi image snapshot <name> -m <machine>` (-m: concurrent runs stay apart);
    returns (result, commit argv, new image id)."""
    res = cli.run("image", "snapshot", name, "-m", machine, NETCAGE_STANDIN_LOG=log)
    tag = f"anon-pi/{name}:latest"
    if podman("image", "exists", tag, check=False).returncode == 0:
        made["images"].append(image_id(tag))
    assert res.returncode == 0, res.stderr
    commits = [c for c in standin_calls(log) if c[:1] == ["commit"]]
    assert len(commits) == 1, commits
    return res, commits[0], made["images"][-1]


def test_snapshot_list_and_create_from_a_real_podman_container(
        cli, real_podman, podman_leftovers):
    log = cli.tmp / "netcage-calls.log"
    (cli.bindir / "netcage").unlink()
    (cli.bindir / "netcage").symlink_to(STAND_IN)
    run_id = uuid.uuid4().hex[:10]
    src, name = f"src-{run_id}", f"itest-{run_id}"
    tag = f"anon-pi/{name}:latest"
    cli.configure(image=BASE_IMAGE, machine=src)
    src_home = cli.ws / "machines" / src / "home"
    (src_home / ".pi" / "agent" / "sessions" / "--projects-alpha--").mkdir(parents=True)
    (src_home / ".pi" / "agent" / "sessions" / "--projects-alpha--" / "s.jsonl").write_text(
        '{"type":"session","id":"s1","cwd":"/projects/alpha"}\n')
    (src_home / ".pi" / "agent" / "settings.json").write_text('{"theme": "dark"}\n')
    (src_home / ".profile").write_text("export EDITOR=vi\n")

    # 1. launch as a user would; the stand-in leaves the container running
    launched = cli.run("-m", src, "alpha", "-p", "hello", NETCAGE_STANDIN_LOG=log)
    key = encode(Identity(src, str(cli.ws / "projects"), "", "/projects/alpha"))
    podman_leftovers["containers"] += podman(
        "ps", "-a", "-q", "--no-trunc", "--filter", f"label=anon-pi.key={key}").stdout.split()
    assert launched.returncode == 0, launched.stderr
    [run] = standin_calls(log)
    assert run[:3] == ["run", "--label", f"anon-pi.key={key}"]
    [cid] = podman_leftovers["containers"]
    box = json.loads(podman("inspect", cid).stdout)[0]
    assert box["State"]["Status"] == "running"
    assert box["Config"]["Labels"] == {"anon-pi.key": key, "netcage.managed": "true"}
    assert box["Config"]["WorkingDir"] == "/projects/alpha"
    assert box["ImageName"] == BASE_IMAGE
    mounts = {m["Destination"]: m["Source"] for m in box["Mounts"]}
    assert mounts["/root"] == str(src_home)
    assert mounts["/projects"] == str(cli.ws / "projects")
    # anon-pi's seed-if-fresh script really ran in the container (busybox sh)
    assert wait_for(src_home / ".pi" / "agent" / ".anon-pi-seed") == "1\n"
    display = box["Name"]

    # 2. snapshot it: the labels podman really stored
    before = datetime.now(UTC)
    res, commit, first_id = snapshot(cli, name, src, log, podman_leftovers)
    after = datetime.now(UTC)
    # podman's own commit output (the new id) streams first; anon-pi's line ends stdout
    assert res.stdout.endswith(f'\nanon-pi: snapshotted {display} into image {tag} '
                               f'(from machine "{src}").\n')
    stored = labels(tag)
    at = stored["anon-pi.snapshot-at"]
    assert ISO_MS.match(at), at
    stamp = datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert before - timedelta(milliseconds=1) < stamp <= after  # anon-pi keeps milliseconds
    assert stored == {"anon-pi.source-machine": src, "anon-pi.source-image": BASE_IMAGE,
                      "anon-pi.snapshot-at": at, "anon-pi.key": "",
                      "netcage.managed": "true"}
    assert commit == ["commit", "-c", f"LABEL anon-pi.source-machine={src}",
                      "-c", f"LABEL anon-pi.source-image={BASE_IMAGE}",
                      "-c", f"LABEL anon-pi.snapshot-at={at}", "-c", "LABEL anon-pi.key=",
                      box["Id"], tag]

    # 3. list it: podman names it localhost/anon-pi/…, anon-pi shows anon-pi/…
    listed = cli.run("image", "list", NETCAGE_STANDIN_LOG=log)
    assert listed.returncode == 0, listed.stderr
    assert standin_calls(log) == [["images", "--format", "json"]]
    first_line = f"{tag}  from machine {src}  {at}  id:{first_id[:12]}"
    assert first_line in listed.stdout.splitlines()
    assert "localhost/" not in listed.stdout

    # 4. re-snapshot the same name: the old image turns dangling and keeps its labels
    _, _, second_id = snapshot(cli, name, src, log, podman_leftovers)
    assert second_id != first_id
    second_at = labels(tag)["anon-pi.snapshot-at"]
    assert second_at > at
    assert labels(first_id)["anon-pi.snapshot-at"] == at
    listed = cli.run("image", "list", NETCAGE_STANDIN_LOG=log).stdout.splitlines()
    assert standin_calls(log) == [["images", "--format", "json"]]
    assert f"{tag}  from machine {src}  {second_at}  id:{second_id[:12]}" in listed
    assert f"<none>  from machine {src}  {at}  id:{first_id[:12]}" in listed
    assert first_line not in listed

    # 5. a machine from the snapshot: provenance finds src's home; no TTY -> home minus sessions
    src_before = tree_digest(src_home)
    made = cli.run("machine", "create", "copy", "--image", tag, NETCAGE_STANDIN_LOG=log)
    assert made.returncode == 0, made.stderr
    assert standin_calls(log) == [["inspect", tag, "--format", "{{json .Config.Labels}}"]]
    copy = cli.ws / "machines" / "copy"
    assert json.loads((copy / "machine.json").read_text()) == {"image": tag}
    expected = {k: v for k, v in src_before.items() if not k.startswith(".pi/agent/sessions")}
    assert tree_digest(copy / "home") == expected
    assert ".pi/agent/.anon-pi-seed" in expected and ".profile" in expected
    assert "NOT copied" in made.stderr
    assert tree_digest(src_home) == src_before
