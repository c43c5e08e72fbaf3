"""Snapshots on real podman: `image snapshot` of a container podman started in the test store
with exactly anon-pi's launch labels, `image list` (one podman query of the store;
re-snapshotted -> `<none>`; no `localhost/`), the `netcage images` fallback without podman,
`machine create --image` carrying the home over from the labels podman stored, and doctor's
image check. netcage only passes these calls through to podman: they run through the
stand-in over real podman always, and through each real netcage generation where one is named
(real_tools_on_path.podman_netcage)."""

import json
import re
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from real_podman_pairs import image_id, image_labels, jail_pair, launch_argv, made_images
from real_support import BASE_IMAGE, STORE, llm_listener, need, podman, podman_missing, socks_proxy
from real_tools_on_path import hide_podman, podman_netcage
from tree_digest import tree_digest

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
STORE_QUERY = f"--root {STORE} images --format json"


def _fresh_calls(cli) -> tuple[list[list[str]], list[str]]:
    """(netcage calls minus --version, podman calls) since the last look; logs cleared."""
    calls, podman_calls = cli.run_calls(), cli.podman_calls()
    cli.log.write_text("")
    (cli.tmp / "podman.log").write_text("")
    return calls, podman_calls


def _source_home(cli, machine: str):
    home = cli.ws / "machines" / machine / "home"
    sessions = home / ".pi" / "agent" / "sessions" / "--projects-alpha--"
    sessions.mkdir(parents=True)
    (sessions / "s.jsonl").write_text('{"type":"session","id":"s1","cwd":"/projects/alpha"}\n')
    (home / ".pi" / "agent" / "settings.json").write_text('{"theme": "dark"}\n')
    (home / ".pi" / "agent" / ".anon-pi-seed").write_text("1\n")
    (home / ".profile").write_text("export EDITOR=vi\n")
    return home


def _snapshot(cli, name: str, machine: str, made: list[str]) -> tuple[str, str]:
    """`anon-pi image snapshot`; returns (its stderr, where its result line goes with the
    other notes; stdout stays empty), the new image id)."""
    res = cli.run("image", "snapshot", name, "-m", machine)
    tag = f"anon-pi/{name}:latest"
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    new = image_id(tag)
    made.append(new)
    return res.stderr, new


def _listing(cli, *extra: str) -> list[str]:
    res = cli.run("image", "list", *extra)
    assert res.returncode == 0, res.stderr
    return res.stdout.splitlines()


def test_snapshot_list_fallback_create_and_doctor(cli, podman_netcage, socks_proxy, made_images):
    run_id = uuid.uuid4().hex[:8]
    src, name = f"src-{run_id}", f"itest-{run_id}"
    tag = f"anon-pi/{name}:latest"
    cli.configure(proxy=socks_proxy, image=BASE_IMAGE, machine=src)
    _source_home(cli, src)
    argv = launch_argv(cli, "-m", src, "alpha", "-p", "hi")

    with jail_pair(argv) as pair:
        # 1. snapshot: the labels podman really stored, the argv netcage really got
        before = datetime.now(UTC)
        out, first_id = _snapshot(cli, name, src, made_images)
        after = datetime.now(UTC)
        assert out.endswith(f'anon-pi: snapshotted {pair.tool} into image {tag} '
                            f'(from machine "{src}").\n')
        stored = image_labels(tag)
        at = stored["anon-pi.snapshot-at"]
        assert ISO_MS.match(at)
        stamp = datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        assert before - timedelta(milliseconds=1) < stamp <= after
        # the run's own labels are blank; netcage.managed stays (netcage inspect needs it)
        assert stored == {"anon-pi.source-machine": src, "anon-pi.source-image": BASE_IMAGE,
                          "anon-pi.snapshot-at": at, "anon-pi.key": "",
                          "anon-pi.container": "", "anon-pi.container-token": "",
                          "netcage.managed": "true", "netcage.role": "",
                          "netcage.run-id": "none"}
        calls, _ = _fresh_calls(cli)
        assert calls == [
            ["ps", "--filter", "label=netcage.managed", "--format", "json"],
            ["inspect", pair.tool_id, "--format", "{{.ImageName}}"],
            ["commit", "-c", f"LABEL anon-pi.source-machine={src}",
             "-c", f"LABEL anon-pi.source-image={BASE_IMAGE}",
             "-c", f"LABEL anon-pi.snapshot-at={at}", "-c", "LABEL anon-pi.key=",
             "-c", "LABEL anon-pi.container=", "-c", "LABEL anon-pi.container-token=",
             "-c", "LABEL netcage.role=", "-c", "LABEL netcage.run-id=none", pair.tool_id,
             tag]]
        # netcage still inspects the image (managed, three fields) and resolves it to no pair
        netcage_cli = ["netcage", "inspect", tag, "--format", "{{json .Config.Labels}}"]
        assert json.loads(subprocess.run(netcage_cli, env=cli.env(), capture_output=True,
                                          text=True, check=True).stdout) == stored
        # so `netcage rm <snapshot>` reaches no pair: run id "none" names no sidecar, and
        # podman's `rm -f --depend` of no container removes (and prints) nothing, exit 0, as
        # the real netcage recorded it for a snapshot whose pair is gone
        removed = subprocess.run(["netcage", "rm", tag], env=cli.env(), capture_output=True,
                                 text=True, check=False)
        assert removed.stdout == "", removed.stdout
        assert podman("container", "exists", pair.tool_id, check=False).returncode == 0
        _fresh_calls(cli)  # the test's own netcage calls are not anon-pi's

        # 2. list: one podman query of netcage's store, no netcage call, no `localhost/`
        first_line = f"{tag}\t{src}\t{at}\t{first_id[:12]}"
        listed = _listing(cli)
        assert first_line in listed and not any("localhost/" in ln for ln in listed)
        assert _fresh_calls(cli) == ([], [STORE_QUERY])

        # 3. re-snapshot: the old image turns <none> and keeps its labels
        _, second_id = _snapshot(cli, name, src, made_images)
        second_at = image_labels(tag)["anon-pi.snapshot-at"]
        assert second_id != first_id and second_at > at
        _fresh_calls(cli)
        listed = _listing(cli)
        assert f"{tag}\t{src}\t{second_at}\t{second_id[:12]}" in listed
        assert f"<none>\t{src}\t{at}\t{first_id[:12]}" in listed
        assert first_line not in listed
        assert _fresh_calls(cli) == ([], [STORE_QUERY])
        mine = [d for d in json.loads(cli.run("image", "list", "--json").stdout)
                if d["sourceMachine"] == src]
        assert {(d["tag"], d["id"], d["snapshotAt"], d["sourceImage"]) for d in mine} == {
            (tag, second_id, second_at, BASE_IMAGE), (None, first_id, at, BASE_IMAGE)}

    # 4. without podman on PATH: `netcage images` (its table) + one inspect per anon-pi row
    _fresh_calls(cli)
    with_podman = _listing(cli)
    _fresh_calls(cli)
    hide_podman(cli)
    assert _listing(cli) == with_podman
    calls, _ = _fresh_calls(cli)
    assert calls[0] == ["images"]
    inspected = [c[1] for c in calls[1:]]
    assert all(c[0] == "inspect" and c[2:] == ["--format", "{{json .Config.Labels}}"]
               for c in calls[1:])
    assert len(inspected) == len(set(inspected)) and first_id[:12] in inspected
    assert second_id[:12] in inspected


def test_machine_create_from_a_snapshot_carries_the_home_over(
        cli, podman_netcage, socks_proxy, llm_listener, made_images):
    run_id = uuid.uuid4().hex[:8]
    src, name = f"src-{run_id}", f"carry-{run_id}"
    tag = f"anon-pi/{name}:latest"
    cli.configure(proxy=socks_proxy, image=BASE_IMAGE, machine=src)
    src_home = _source_home(cli, src)
    with jail_pair(launch_argv(cli, "-m", src, "alpha", "-p", "hi")):
        _snapshot(cli, name, src, made_images)
    src_before = tree_digest(src_home)
    _fresh_calls(cli)
    made = cli.run("machine", "create", "copy", "--image", tag)
    assert made.returncode == 0, made.stderr
    assert _fresh_calls(cli)[0] == [["inspect", tag, "--format", "{{json .Config.Labels}}"]]
    copy = cli.ws / "machines" / "copy"
    assert json.loads((copy / "machine.json").read_text()) == {"image": tag}
    expected = {k: v for k, v in src_before.items() if not k.startswith(".pi/agent/sessions")}
    assert tree_digest(copy / "home") == expected and ".profile" in expected
    assert "NOT copied" in made.stderr
    assert tree_digest(src_home) == src_before

    # doctor's image check reads the same store: the snapshot is there, a made-up ref is not
    # (doctor also dials the proxy and the model: both are this test's loopback listeners)
    cli.write_json(cli.ws / "config.json", {"proxy": socks_proxy, "llm": llm_listener})
    cli.write_json(cli.ws / "machines" / "default" / "machine.json", {"image": tag})
    doctor = cli.run("doctor").stdout.splitlines()
    assert f"ok   image (default): {tag} is in netcage's image store" in doctor
    cli.write_json(cli.ws / "machines" / "default" / "machine.json",
                   {"image": "anon-pi/not-there:latest"})
    doctor = cli.run("doctor").stdout.splitlines()
    assert ("FAIL image (default): anon-pi/not-there:latest is not in netcage's image store"
            in doctor)


MANY = 20


@pytest.fixture(scope="module")
def many_snapshots():
    """MANY more snapshot-like images in the test store (own ids; the provenance labels and
    the netcage.* ones a real snapshot inherits from its tool container: `netcage inspect`
    refuses an image without a netcage.run-id), shared by the generations; yields their
    expected `image list` lines."""
    need(podman_missing())
    run_id = uuid.uuid4().hex[:8]
    box = podman("create", BASE_IMAGE, "true").stdout.strip()
    made = []
    try:
        for i in range(MANY):
            tag = f"localhost/anon-pi/many-{run_id}-{i:02}:latest"
            podman("commit", "-q", "-c", f"LABEL anon-pi.source-machine=many-{run_id}",
                   "-c", f"LABEL anon-pi.snapshot-at=2026-12-01T00:00:{i:02}.000Z",
                   "-c", "LABEL netcage.managed=true", "-c", "LABEL netcage.role=tool",
                   "-c", f"LABEL netcage.run-id={run_id}", box, tag)
            made.append(tag)
        yield {f"{t.removeprefix('localhost/')}\tmany-{run_id}\t"
               f"2026-12-01T00:00:{i:02}.000Z\t{image_id(t)[:12]}"
               for i, t in enumerate(made)}
    finally:
        podman("rm", "-f", box, check=False)
        if made:
            podman("rmi", "-f", *made, check=False)


def test_image_list_is_one_query_at_any_n_in_the_real_store(cli, podman_netcage,
                                                            many_snapshots):
    """However many images the store holds: one podman query; without podman, the table
    plus one `netcage inspect` per anon-pi image."""
    cli.configure(image=BASE_IMAGE)
    _fresh_calls(cli)
    assert many_snapshots <= set(_listing(cli))
    assert _fresh_calls(cli) == ([], [STORE_QUERY])
    hide_podman(cli)
    assert many_snapshots <= set(_listing(cli))
    calls, _ = _fresh_calls(cli)
    inspected = [c[1] for c in calls[1:] if c[0] == "inspect"]
    assert calls[0] == ["images"] and len(calls) == 1 + len(inspected)
    assert {ln.rsplit("\t", 1)[1] for ln in many_snapshots} <= set(inspected)
    assert len(inspected) == len(set(inspected))
