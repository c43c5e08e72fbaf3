"""The stand-in netcage (tests/fakes/netcage) must not contradict the real one: the same
queries go to both, per generation, and what anon-pi depends on is compared (exit status,
output format, the fields anon-pi reads). The fake runs uncanned (its defaults) unless a
query needs state only the real store has; then the fixture the suite cans is compared
with the real answer's shape."""

import json
import re
import subprocess
import uuid

import pytest
from conftest import FAKES, FIXTURES
from real_support import (
    BASE_IMAGE,
    GENERATIONS,
    STORE,
    image_labels,
    jail_pair,
    made_images,
    need,
    netcage_dir,
    podman,
    podman_missing,
)

from anonpi_helpers.containers.ports_parse import parse_listeners
from anonpi_helpers.containers.ps_parse import parse_ps
from anonpi_helpers.core.identity import Identity, encode
from anonpi_helpers.core.image_store import TABLE_HEADER, parse_images_table
from anonpi_helpers.core.netcage_version import parse_version

ID_LINE = re.compile(r"^[0-9a-f]{64}$")
UNMANAGED = "is not a netcage-managed container"
LABELS = "{{json .Config.Labels}}"


class Pair:
    """Run the same netcage argv against the fake and one real generation."""

    def __init__(self, folder, canned):
        self.real_bin, self.canned = str(folder / "netcage"), canned

    def _run(self, exe, args):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NETCAGE_GRAPHROOT": str(STORE),
               "FAKE_NETCAGE_DIR": str(self.canned), "HOME": str(self.canned)}
        return subprocess.run([exe, *args], env=env, capture_output=True, text=True,
                              timeout=120, check=False)

    def fake(self, *args):
        return self._run(str(FAKES / "netcage"), args)

    def real(self, *args):
        return self._run(self.real_bin, args)

    def both(self, *args):
        return self.fake(*args), self.real(*args)


@pytest.fixture(params=GENERATIONS)
def pair(request, tmp_path):
    folder = netcage_dir(request.param)
    need(podman_missing())
    canned = tmp_path / "canned"
    canned.mkdir()
    return Pair(folder, canned)


def test_version_and_the_build_and_load_probes(pair):
    fake, real = pair.both("--version")
    assert re.fullmatch(r"netcage \d+\.\d+\.\d+\n", fake.stdout)
    assert re.fullmatch(r"netcage \d+\.\d+\.\d+\n", real.stdout)
    assert parse_version(real.stdout) is not None and parse_version(fake.stdout) is not None
    for probe in (("build", "--help"), ("load", "--help")):
        fake, real = pair.both(*probe)
        assert fake.returncode == real.returncode == 0, real.stderr


def test_images_is_the_table_whatever_it_is_asked(pair):
    for args in (("images",), ("images", "--format", "json")):
        fake, real = pair.both(*args)
        assert fake.returncode == real.returncode == 0
        assert tuple(real.stdout.split()[:3]) == tuple(fake.stdout.split()[:3]) == TABLE_HEADER
        assert parse_images_table(real.stdout) is not None
        assert parse_images_table(fake.stdout) == []
    # the real table holds the test image; the labelled query is podman's own
    rows = parse_images_table(pair.real("images", "--format", "json").stdout)
    assert any(BASE_IMAGE in r.names for r in rows)


def test_inspect_takes_one_name_and_refuses_an_unmanaged_image(pair):
    for args in (("inspect", BASE_IMAGE, "--format", LABELS), ("inspect", "a", "b"),
                 ("inspect",)):
        fake, real = pair.both(*args)
        assert fake.returncode == real.returncode == 1, (args, real.stderr)
        assert fake.stderr.splitlines()[-1] == real.stderr.splitlines()[-1]
    fake, real = pair.both("inspect", BASE_IMAGE)
    assert UNMANAGED in fake.stderr and UNMANAGED in real.stderr


def test_rm_reads_its_first_argument_as_the_name(pair):
    fake, real = pair.both("rm", "-f", "nosuch")
    assert fake.returncode == real.returncode == 1
    assert '"-f" ' + UNMANAGED in fake.stderr and '"-f" ' + UNMANAGED in real.stderr


def _fixture_types(name: str) -> dict:
    [entry] = json.loads((FIXTURES / name).read_text())
    return {k: type(entry[k]) for k in ("Id", "Names", "State", "Labels")}


def test_a_pair_through_ps_inspect_ports_commit_and_rm(pair, made_images):
    machine = f"c-{uuid.uuid4().hex[:8]}"
    key = encode(Identity(machine, "/srv/projects", "", "/projects/alpha"))
    tag = f"localhost/anon-pi/contract-{uuid.uuid4().hex[:8]}:latest"
    made_images.append(tag)
    with jail_pair(["--label", f"anon-pi.key={key}", "-w", "/"]) as box:
        # ps: the fields anon-pi reads have the canned fixture's types; an empty match is []
        real = pair.real("ps", "--filter", f"label=anon-pi.key={key}", "--format", "json")
        [entry] = json.loads(real.stdout)
        assert {k: type(entry[k]) for k in ("Id", "Names", "State", "Labels")} == \
            _fixture_types("ps-one-running.json")
        [found] = parse_ps(real.stdout)
        assert (found.ref, found.name, found.machine) == (box.tool_id, box.tool, machine)
        fake, real = pair.both("ps", "--filter", "label=anon-pi.key=nothing", "--format", "json")
        assert json.loads(fake.stdout) == json.loads(real.stdout) == []

        # inspect of a container: one plain line, as the canned answers give it
        real = pair.real("inspect", box.tool_id, "--format", "{{.ImageName}}")
        assert real.returncode == 0 and real.stdout == f"{BASE_IMAGE}\n"

        # ports --json: nothing listens -> [] from both
        fake, real = pair.both("ports", box.tool_id, "--json")
        assert fake.returncode == real.returncode == 0
        assert parse_listeners(fake.stdout) == parse_listeners(real.stdout) == []

        # commit: status 0 and podman's new id as the last line of stdout, from both
        argv = ("commit", "-c", f"LABEL anon-pi.source-machine={machine}", "-c",
                "LABEL anon-pi.key=", box.tool_id, tag)
        fake, real = pair.both(*argv)
        assert fake.returncode == real.returncode == 0, real.stderr
        assert ID_LINE.match(fake.stdout.splitlines()[-1])
        assert ID_LINE.match(real.stdout.splitlines()[-1])

        # inspect of the snapshot: labels as JSON, the shape of the canned fixture
        real = pair.real("inspect", tag, "--format", LABELS)
        canned = json.loads((FIXTURES / "inspect-image-labels.json").read_text())
        labels = json.loads(real.stdout)
        assert real.returncode == 0 and labels == image_labels(tag)
        assert labels["anon-pi.source-machine"] == machine and labels["anon-pi.key"] == ""
        assert {k for k in canned if k.startswith("anon-pi.")} <= set(labels) | {
            "anon-pi.source-image", "anon-pi.snapshot-at"}

        # rm <tool>: the whole pair goes, as the fake's plain exit 0 says
        fake, real = pair.both("rm", box.tool)
        assert fake.returncode == real.returncode == 0, real.stderr
        gone = podman("ps", "-a", "-q", "--filter", f"label=netcage.run-id={box.run_id}")
        assert gone.stdout.strip() == ""
