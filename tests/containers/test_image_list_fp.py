"""image list in-process, every netcage call faked (pytest-subprocess): one store query at
0, 1 and 200 images, the listing without podman, and the image verb's usage errors."""

import json

import pytest
from containers_support import fixture
from harness_paths import NETCAGE, PODMAN
from in_process import program

from anonpi_helpers.containers.image_records import JSON_KEYS

LABELS_FMT = "{{json .Config.Labels}}"


def _images(n: int) -> str:
    """What `podman --root <store> images --format json` prints: labels inline."""
    out = [{"Id": f"{i:064x}", "Names": [f"localhost/anon-pi/s{i}:latest"],
            "Labels": {"anon-pi.source-machine": "box",
                       "anon-pi.snapshot-at": "2026-07-05T09:05:07.000Z"}} for i in range(n)]
    out.append({"Id": "f" * 64, "Names": ["docker.io/library/alpine:3"], "Labels": None})
    return json.dumps(out)


@pytest.fixture
def store_images(nc, monkeypatch, tmp_path) -> list[str]:
    """netcage's store, a folder of the test's own, and the one podman query that lists it."""
    (tmp_path / "store").mkdir()
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(tmp_path / "store"))
    return [PODMAN, "--root", str(tmp_path / "store"), "images", "--format", "json"]


@pytest.mark.parametrize("n", [0, 1, 200])
def test_image_list_is_one_store_query_at_any_n(nc, capsys, store_images, n):
    nc.register(store_images, stdout=_images(n))
    assert program(["image", "list"]) == 0
    assert [list(c) for c in nc.calls] == [store_images]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == n  # none: nothing on stdout (a note on stderr)
    if n:
        assert lines[0] == ("anon-pi/s0:latest\tbox\t2026-07-05T09:05:07.000Z\t"
                            "000000000000")


def test_image_list_store_is_netcage_graphroot(nc, capsys, monkeypatch, tmp_path):
    (tmp_path / "nc store").mkdir()
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(tmp_path / "nc store"))
    nc.register([PODMAN, "--root", str(tmp_path / "nc store"), "images", "--format", "json"],
                stdout="[]")
    assert program(["image", "list"]) == 0


def test_a_store_that_does_not_exist_is_listed_empty_without_asking_podman(nc, capsys,
                                                                          monkeypatch, tmp_path):
    """podman creates the store any `--root` call names: listing must not leave one behind
    (nothing is registered with the fake, so any podman call fails the test)."""
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(tmp_path / "absent"))
    assert program(["image", "list"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("anon-pi: no anon-pi images yet")
    assert not (tmp_path / "absent").exists() and list(nc.calls) == []


def test_image_list_real_fixture(nc, capsys, store_images):
    nc.register(store_images, stdout=fixture("images-with-dangling.json"))
    assert program(["image", "list"]) == 0
    assert capsys.readouterr().out == (
        "anon-pi/toolbox:latest\tdefault\t2026-11-27T00:00:00.000Z\tae98b0656fa0\n"
        "<none>\tdefault\t2026-11-26T00:00:00.000Z\t263e703e1806\n")


def test_image_list_json_is_one_document(nc, capsys, store_images):
    nc.register(store_images, stdout=fixture("images-with-dangling.json"))
    assert program(["image", "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [sorted(d) for d in doc] == [sorted(JSON_KEYS)] * 2
    assert [d["tag"] for d in doc] == ["anon-pi/toolbox:latest", None]
    nc.register(store_images, stdout="[]")
    assert program(["image", "list", "--json"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_image_list_failure_is_one_line_quoting_the_last_stderr_line(nc, capsys, store_images):
    nc.register(store_images, returncode=125, stderr="WARN[0000] noise\nError: boom\n")
    assert program(["image", "list"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (f"anon-pi: `{' '.join(['podman', *store_images[1:]])}` "
                                   "failed (exit 125): Error: boom.")
    assert "no anon-pi images" not in err


def test_image_list_junk_is_an_error(nc, capsys, store_images):
    nc.register(store_images, stdout="{oops")
    assert program(["image", "list"]) == 1
    assert "not a JSON list" in capsys.readouterr().err


TABLE = """\
REPOSITORY                 TAG         IMAGE ID      CREATED         SIZE
localhost/anon-pi/toolbox  latest      ae98b0656fa0  2 minutes ago   2.02 MB
<none>                     <none>      263e703e1806  5 minutes ago   2.02 MB
<none>                     <none>      99aa99aa99aa  5 minutes ago   2.02 MB
localhost/test/busybox     latest      1257042e47e7  18 minutes ago  2.13 MB
"""
UNMANAGED = ('netcage: inspect: "99aa99aa99aa" is not a netcage-managed container (missing '
             "the netcage.managed label); refusing to manage it\n")


@pytest.fixture
def no_podman(nc, monkeypatch, tmp_path):
    """netcage on PATH, podman not: the slower fallback (table + one inspect per row)."""
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "netcage").symlink_to(NETCAGE)
    monkeypatch.setenv("PATH", str(tools))
    nc.register([str(tools / "netcage"), "--version"], stdout="netcage 0.13.0\n")
    return str(tools / "netcage")


def test_without_podman_the_table_and_one_inspect_per_anon_pi_row(nc, no_podman, capsys):
    nc.register([no_podman, "images"], stdout=TABLE)
    for ref in ("ae98b0656fa0", "263e703e1806"):
        nc.register([no_podman, "inspect", ref, "--format", LABELS_FMT],
                    stdout=json.dumps({"anon-pi.source-machine": "box", "netcage.managed": "true",
                                       "anon-pi.snapshot-at": f"at-{ref[:2]}"}) + "\n")
    nc.register([no_podman, "inspect", "99aa99aa99aa", "--format", LABELS_FMT],
                returncode=1, stderr=UNMANAGED)
    assert program(["image", "list"]) == 0
    assert [c[1:] for c in nc.calls] == [
        ["images"], *[["inspect", r, "--format", LABELS_FMT]
                      for r in ("ae98b0656fa0", "263e703e1806", "99aa99aa99aa")]]
    assert capsys.readouterr().out.splitlines() == [
        "anon-pi/toolbox:latest\tbox\tat-ae\tae98b0656fa0",
        "<none>\tbox\tat-26\t263e703e1806"]


def test_without_podman_a_failed_inspect_is_an_error(nc, no_podman, capsys):
    nc.register([no_podman, "images"], stdout=TABLE)
    nc.register([no_podman, "inspect", "ae98b0656fa0", "--format", LABELS_FMT], returncode=125,
                stderr='netcage: inspect: "ae98b0656fa0" is not a netcage-managed container '
                       "(inspect failed): exit status 125\n")
    assert program(["image", "list"]) == 1
    assert capsys.readouterr().err.startswith(
        "anon-pi: `netcage inspect ae98b0656fa0` failed (exit 125): netcage: inspect:")


@pytest.mark.parametrize("out,rc,words", [
    ("", 1, "`netcage images` failed (exit 1)"),
    ('[{"Id": "x"}]', 0, "`netcage images` printed no image table")])
def test_without_podman_a_failed_or_odd_table_is_an_error(nc, no_podman, capsys, out, rc, words):
    nc.register([no_podman, "images"], stdout=out, returncode=rc)
    assert program(["image", "list"]) == 1
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("argv,words,code", [
    (["image"], "image needs a sub-verb: snapshot | list", 2),
    (["image", "nope"], "unknown image sub-verb: nope", 2),
    (["image", "list", "x"], "image list takes no arguments, got extra: x", 2),
    (["image", "snapshot", "MyTool"], "invalid image name", 1),
])
def test_image_usage_errors(nc, capsys, argv, words, code):
    assert program(argv) == code
    assert words in capsys.readouterr().err
    assert list(nc.calls) == []


def test_image_help(nc, capsys):
    assert program(["image", "snapshot", "BAD", "--help"]) == 0
    assert "anon-pi image snapshot <name>" in capsys.readouterr().out
    assert list(nc.calls) == []
