"""Pure: image records (real podman 4.3.1 fixtures and odd shapes), snapshot tag/labels/argv,
and the snapshot grammar."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from command_line_support import parsed
from containers_support import fixture

from anonpi_helpers.containers.image_records import (
    as_json,
    image_line,
    listed,
    table,
)
from anonpi_helpers.containers.snapshot_labels import (
    commit_argv,
    image_ref,
    iso_millis,
    snapshot_tag,
    source_machine,
)
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.image_store import (
    StoreImage,
    holds,
    needs_labels,
    parse_images_table,
    parse_podman_images,
    store_root,
)


def _lines(text):
    return [image_line(e) for e in listed(parse_podman_images(text))]


def test_real_snapshot_fixture_localhost_names_inline_labels():
    assert _lines(fixture("images-after-snapshot.json")) == [
        "anon-pi/toolbox:latest\tdefault\t2026-11-26T00:00:00.000Z\t263e703e1806"]


def test_real_dangling_fixture_without_names():
    assert _lines(fixture("images-with-dangling.json")) == [
        "anon-pi/toolbox:latest\tdefault\t2026-11-27T00:00:00.000Z\tae98b0656fa0",
        "<none>\tdefault\t2026-11-26T00:00:00.000Z\t263e703e1806",
    ]


def _one(**fields):
    return json.dumps([fields])


@pytest.mark.parametrize("entry,tag", [
    ({"Id": "a" * 64, "Names": ["localhost/anon-pi/x:latest"]}, "anon-pi/x:latest"),
    ({"ID": "a" * 64, "RepoTags": ["anon-pi/x:latest"]}, "anon-pi/x:latest"),
    ({"id": "a" * 64, "Tags": ["<none>:<none>", "anon-pi/x:v1"]}, "anon-pi/x:v1"),
    ({"Id": "a" * 64, "Repository": "localhost/anon-pi/x", "Tag": "latest"}, "anon-pi/x:latest"),
    ({"Id": " ", "ID": "a" * 64, "Names": ["anon-pi/x:latest"]}, "anon-pi/x:latest"),
])
def test_field_shapes(entry, tag):
    entry["Labels"] = {"anon-pi.source-machine": "box", "anon-pi.snapshot-at": "T"}
    assert _lines(json.dumps([entry])) == [f"{tag}\tbox\tT\taaaaaaaaaaaa"]


def test_others_images_and_odd_entries_skipped():
    text = json.dumps([
        None, 5, "x", {"Names": ["anon-pi/noid:latest"]},
        {"Id": "b1", "Names": ["docker.io/library/alpine:3"],
         "Labels": {"anon-pi.source-machine": "box"}},
        {"Id": "b2", "Repository": "<none>", "Tag": "<none>", "Labels": {}},
        {"Id": "b3", "Tags": ["<none>:<none>"], "Labels": {"anon-pi.source-machine": "  "}},
        {"Id": "b4", "Names": ["anon-pi/ok:latest"], "Labels": None},
        {"Id": "b4", "Names": ["anon-pi/dup:latest"], "Labels": None},
        {"Id": "b5", "Names": ["myanon-pi/x:latest"], "Labels": None},
    ])
    assert _lines(text) == ["anon-pi/ok:latest\t<unknown>\t<unknown>\tb4"]


def test_untagged_needs_label_and_blank_counts_as_unknown():
    text = json.dumps([
        {"Id": "sha256:" + "c" * 64, "Dangling": True,
         "Labels": {"anon-pi.source-machine": "box", "anon-pi.snapshot-at": " "}},
        {"Id": "d1", "Names": ["anon-pi/x:latest"],
         "Labels": {"anon-pi.source-machine": "", "anon-pi.snapshot-at": "2026"}},
    ])
    assert _lines(text) == ["<none>\tbox\t<unknown>\tcccccccccccc",
                            "anon-pi/x:latest\t<unknown>\t2026\td1"]


def test_odd_label_values_are_quoted_not_printed_raw():
    text = _one(Id="e1", Names=["anon-pi/x:latest"],
                Labels={"anon-pi.source-machine": "a b\x1b[2J", "anon-pi.snapshot-at": "t\x07"})
    [line] = _lines(text)
    assert "\x1b" not in line and "\x07" not in line
    assert line.startswith('anon-pi/x:latest\t"a b')


@pytest.mark.parametrize("text", ["nope", "{}", "null"])
def test_unreadable_images_output(text):
    assert parse_podman_images(text) is None


TABLE = """\
REPOSITORY                 TAG         IMAGE ID      CREATED         SIZE
localhost/anon-pi/toolbox  latest      ae98b0656fa0  2 minutes ago   2.02 MB
<none>                     <none>      263e703e1806  5 minutes ago   2.02 MB
localhost/test/busybox     latest      1257042e47e7  18 minutes ago  2.13 MB
localhost/anon-pi/toolbox  v2          ae98b0656fa0  2 minutes ago   2.02 MB
"""


def test_netcage_images_table_rows_and_which_need_an_inspect():
    """Real `netcage images` prints podman's table whatever it is asked (netcage README)."""
    rows = parse_images_table(TABLE)
    assert rows == [
        StoreImage("ae98b0656fa0", ("localhost/anon-pi/toolbox:latest",
                                    "localhost/anon-pi/toolbox:v2"), None),
        StoreImage("263e703e1806", (), None),
        StoreImage("1257042e47e7", ("localhost/test/busybox:latest",), None)]
    assert [needs_labels(r) for r in rows] == [True, True, False]
    assert parse_images_table("") == []
    assert parse_images_table("REPOSITORY  TAG  IMAGE ID  CREATED  SIZE\n") == []
    assert parse_images_table('[{"Id": "x"}]') is None


def test_store_root_is_exactly_what_netcage_passes():
    assert store_root({}, 1000) == "/var/tmp/netcage-storage-1000"
    assert store_root({"NETCAGE_GRAPHROOT": ""}, 0) == "/var/tmp/netcage-storage-0"
    assert store_root({"NETCAGE_GRAPHROOT": "/srv/s"}, 0) == "/srv/s"


def test_holds_matches_every_spelling_of_a_local_ref():
    images = [StoreImage("x", ("localhost/anon-pi/pi:latest",), {})]
    assert holds(images, "anon-pi/pi") and holds(images, "localhost/anon-pi/pi:latest")
    assert not holds(images, "anon-pi/pi:v2") and not holds([], "anon-pi/pi")


def test_terminal_table_is_aligned_with_a_header_and_json_keeps_raw_values():
    entries = listed(parse_podman_images(fixture("images-with-dangling.json")))
    assert table(entries) == [
        "IMAGE                   SOURCE MACHINE  SNAPSHOT AT               ID",
        "anon-pi/toolbox:latest  default         2026-11-27T00:00:00.000Z  ae98b0656fa0",
        "<none>                  default         2026-11-26T00:00:00.000Z  263e703e1806"]
    assert as_json(entries)[1] == {
        "tag": None, "id": "263e703e1806766c1c7825f7746bc503a12b61603933cde588cd4ece13ffdcd7",
        "sourceMachine": "default", "sourceImage": "localhost/testbed/busybox:latest",
        "snapshotAt": "2026-11-26T00:00:00.000Z"}


def test_snapshot_tag_and_time():
    assert snapshot_tag("toolbox") == "anon-pi/toolbox:latest"
    moment = datetime(2026, 7, 5, 11, 5, 7, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert iso_millis(moment) == "2026-07-05T09:05:07.123Z"
    now = iso_millis(datetime.now(UTC))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", now)


def test_source_machine_validated():
    assert source_machine("box") == "box"
    for bad in ("", "../..", "a/b", "pi", ".x", "-x", "a b"):
        assert source_machine(bad) is None


@pytest.mark.parametrize("text,want", [
    ("localhost/anon-pi/pi:latest\n", "localhost/anon-pi/pi:latest"),
    ("  img@sha256:abc ", "img@sha256:abc"), ("<no value>\n", None), ("", None), (None, None),
    ("a b", None), ("x$HOME", None), ('x"y', None)])
def test_image_ref(text, want):
    assert image_ref(text) == want


BLANKED = ["-c", "LABEL anon-pi.key=", "-c", "LABEL anon-pi.container=",
           "-c", "LABEL anon-pi.container-token=", "-c", "LABEL netcage.role=",
           "-c", "LABEL netcage.run-id=none"]


def test_commit_argv_exact_and_run_labels_blanked():
    """Whatever says which run a container is is not handed on to the image: the host paths of
    the key, a box's name and token (a plain launch of the image is no box), netcage's role and
    run id (`netcage rm <image>` would remove the pair of the run it came from). netcage.managed
    is not touched and the run id is `none`, not blank: `netcage inspect` refuses an image
    whose managed/role/run-id line, trailing blanks trimmed, has fewer than three fields."""
    assert commit_argv("cid", "anon-pi/t:latest", machine="box", image="img:1",
                       at="2026-07-05T09:05:07.000Z") == [
        "commit", "-c", "LABEL anon-pi.source-machine=box",
        "-c", "LABEL anon-pi.source-image=img:1",
        "-c", "LABEL anon-pi.snapshot-at=2026-07-05T09:05:07.000Z",
        *BLANKED, "cid", "anon-pi/t:latest"]
    assert commit_argv("cid", "t", machine=None, image=None, at="T") == [
        "commit", "-c", "LABEL anon-pi.snapshot-at=T", *BLANKED, "cid", "t"]
    assert not any("netcage.managed" in a for a in commit_argv("c", "t", machine=None,
                                                                  image=None, at="T"))


def test_snapshot_grammar():
    line = parsed("image", "snapshot", "tb")
    assert (line.name, line.machine, line.create_machine, line.dry_run) == ("tb", None, None,
                                                                             False)
    line = parsed("image", "snapshot", "-m", "a", "tb", "--machine", "b", "--create-machine=d")
    assert (line.name, line.machine, line.create_machine) == ("tb", "b", "d")


@pytest.mark.parametrize("argv,words", [
    ([], "needs <name>"), (["a", "b"], "got extra: b"),
    (["MyTool"], "invalid image name"), (["pi"], "invalid image name"),
    (["a@b"], "invalid image name"), (["x" * 129], "invalid image name"),
    (["pi-webveil"], "invalid image name"), (["-m"], "-m needs a machine name"),
    (["t", "--create-machine"], "--create-machine needs a machine name"),
    (["t", "--create-machine", "../x"], "invalid machine name"),
    (["t", "-m", "pi"], "invalid machine name"),
    (["t", "--image", "x"], "unknown option for image snapshot"),
])
def test_snapshot_grammar_errors(argv, words):
    with pytest.raises(AnonPiError) as exc:
        parsed("image", "snapshot", *argv)
    assert words in exc.value.message
