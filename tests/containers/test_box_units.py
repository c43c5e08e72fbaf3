"""Durable boxes, pure parts: the container command lines, which ps entries are boxes, the list
rows, the `netcage start` argv and the box-aware picker rows."""

import json

import pytest
from command_line_support import parsed
from containers_support import box_entry, box_token, key, ps_entry, ps_json, sidecar_entry

from anonpi_helpers.containers.box_rows import list_json, list_lines
from anonpi_helpers.containers.ps_parse import parse_ps, row_label
from anonpi_helpers.core.boxes import (
    LIST_ARGS,
    Stray,
    config_changed,
    parse_listing,
    start_args,
    stop_args,
    strays_note,
)
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.run_plan import RunPlan, run_argv


@pytest.mark.parametrize("argv, want", [
    (["create", "dev"], {"sub": "create", "name": "dev", "project": None, "shell": False}),
    (["create", "dev", "."], {"name": "dev", "project": "."}),
    (["create", "-m", "m1", "dev", "recon", "-i", "img:1", "--mount", "/src"],
     {"name": "dev", "machine": "m1", "image": "img:1", "mount": "/src", "project": "recon"}),
    (["create", "dev", "--shell"], {"name": "dev", "shell": True}),
    (["create", "dev", "--dry-run"], {"name": "dev", "dry_run": True}),
    (["enter", "dev"], {"sub": "enter", "name": "dev", "dry_run": False}),
    (["list"], {"sub": "list", "json": False}),
    (["list", "--json"], {"sub": "list", "json": True}),
    (["rm", "dev"], {"sub": "rm", "name": "dev", "yes": False}),
    (["rm", "-y", "dev"], {"name": "dev", "yes": True}),
    (["rm", "dev", "--yes", "--dry-run"], {"name": "dev", "yes": True, "dry_run": True}),
])
def test_grammar(argv, want):
    line = parsed("container", *argv)
    assert {k: getattr(line, k) for k in want} == want


@pytest.mark.parametrize("argv, words", [
    ([], "container needs a sub-verb: create | enter | list | rm"),
    (["start", "x"], "unknown container sub-verb: start"),
    (["create"], "container create needs <name>"),
    (["create", "dev", "a", "b"], "got extra: b"),
    (["create", "dev", "--name", "x"], "unknown option for container create: --name"),
    (["create", "dev", "--rm"], "unknown option for container create: --rm"),
    (["create", "../x"], 'invalid box name "../x"'),
    (["create", "."], 'invalid box name "."'),
    (["create", "dev", "a b"], 'invalid project name "a b"'),  # `a/b`: a folder's path
    (["create", "dev", "-m"], "-m needs a machine name"),
    (["create", "dev", "-i", "--shell"], "-i needs an image ref"),
    (["enter"], "container enter needs <box>"),
    (["enter", "dev", "recon"], "got extra: recon"),
    (["enter", "dev", "."], "got extra: ."),
    (["enter", "dev", "-i", "img"], "unknown option for container enter: -i"),
    (["enter", "dev", "-m", "m"], "unknown option for container enter: -m"),
    (["enter", "dev", "--shell"], "unknown option for container enter: --shell"),
    (["enter", "dev", "--mount", "/x"], "unknown option for container enter: --mount"),
    (["rm", "dev", "-f"], "unknown option for container rm: -f"),
    (["rm", "a", "b"], "got extra: b"),
    (["list", "x"], "container list takes no arguments, got extra: x"),
])
def test_grammar_refusals(argv, words):
    with pytest.raises(AnonPiError) as exc:
        parsed("container", *argv)
    assert words in exc.value.message
    assert exc.value.code == (1 if "invalid" in words else 2)


def test_enter_refusals_hint_at_the_two_ways_out():
    for argv in (["dev", "--image", "x"], ["dev", "recon"]):
        with pytest.raises(AnonPiError) as exc:
            parsed("container", "enter", *argv)
        assert "container create" in exc.value.hint and "image snapshot" in exc.value.hint


def test_box_run_argv_is_kept_and_labelled_never_named():
    plan = RunPlan(key="K", proxy="socks5h://127.0.0.1:9050", hole_flag="--allow",
                   llm="192.168.1.50:8080", interactive=True, home="/h", projects_root="/p",
                   mount_parent=None, models_seed=None, settings_seed=None, cwd="/projects",
                   image="img", mode="pi", box="dev", box_token="0" * 32)
    argv = run_argv(plan)
    assert argv[:12] == ["netcage", "run", "--label", "anon-pi.key=K", "--label",
                         "anon-pi.container=dev", "--label",
                         "anon-pi.container-token=" + "0" * 32, "--proxy",
                         "socks5h://127.0.0.1:9050", "--allow", "192.168.1.50:8080"]
    before_image = argv[:argv.index("img")]
    assert "--rm" not in before_image and "--name" not in before_image and "-it" in before_image


RECORDS = {n: box_token(n) for n in ("zed", "alpha", "orphan", "dev", "web")}


def parse_boxes(text, records):
    found = parse_listing(text, records)
    return None if found is None else found.boxes


def test_parse_boxes_keeps_only_recorded_valid_names_sorted():
    orphan = {"Id": "e", "Labels": {"anon-pi.container": "orphan",
                                    "anon-pi.container-token": box_token("orphan")}}
    text = ps_json(box_entry("b" * 64, "zed", state="running"),
                   box_entry("a" * 64, "alpha", cwd="/projects/alpha"),
                   ps_entry("c" * 64), box_entry("d" * 64, "../bad"), orphan, "junk", {"Id": 5})
    found = parse_boxes(text, RECORDS)
    assert [(b.name, b.state) for b in found] == [("alpha", "stopped"), ("orphan", "stopped"),
                                                  ("zed", "running")]
    assert found[0].machine == "default" and found[0].cwd == "/projects/alpha"
    assert found[1].ident is None and found[1].machine == ""
    assert parse_boxes("", RECORDS) == [] and parse_boxes("nope", RECORDS) is None
    assert parse_boxes("{}", RECORDS) is None


@pytest.mark.parametrize("labels", [
    {"anon-pi.container": "dev"},  # a label inherited from an image: no token at all
    {"anon-pi.container": "dev", "anon-pi.container-token": box_token("web")},  # another's
    {"anon-pi.container": "dev", "anon-pi.container-token": ""},  # blanked by a snapshot
    {"anon-pi.container": "dev", "anon-pi.container-token": box_token("dev").upper()},
])
def test_a_box_label_without_the_recorded_token_is_no_box(labels):
    entry = ps_entry("a" * 64, state="running")
    entry["Labels"].update(labels)
    assert parse_boxes(ps_json(entry), RECORDS) == []
    assert parse_boxes(ps_json(box_entry("a" * 64, "dev")), {}) == []  # never recorded here
    [c] = parse_ps(ps_json(entry), RECORDS)
    assert c.box is None and row_label(c) == "default / alpha [name_aaaa]"


def test_the_pair_state_comes_from_the_sidecar_with_the_same_run_id():
    text = ps_json(box_entry("a" * 64, "dev", run_id="11"), sidecar_entry("s" * 64, "11"),
                   box_entry("b" * 64, "web", run_id="22"),
                   sidecar_entry("t" * 64, "22", state="exited"),
                   box_entry("c" * 64, "zed", state="running", run_id="33"),
                   sidecar_entry("u" * 64, "33"), box_entry("d" * 64, "alpha"))
    found = {b.name: b for b in parse_boxes(text, RECORDS)}
    assert found["dev"].state == "stopped (sidecar still running)"
    assert found["dev"].jail_left_up and stop_args(found["dev"]) == ["stop", "s" * 64]
    assert found["web"].state == "stopped" and not found["web"].jail_left_up
    assert found["zed"].state == "running" and not found["zed"].jail_left_up
    assert found["alpha"].state == "stopped" and found["alpha"].sidecar_state is None
    rows = json.loads(list_json(parse_boxes(text, RECORDS)))  # sorted by name
    assert [(r["name"], r["state"], r["sidecar"]) for r in rows] == [
        ("alpha", "stopped", None), ("dev", "stopped", "running"), ("web", "stopped", "stopped"),
        ("zed", "running", "running")]
    assert list_lines([found["dev"]], aligned=False)[0].endswith(
        "\tstopped (sidecar still running)")


def test_listing_args_and_start_args():
    assert LIST_ARGS == ["ps", "-a", "--format", "json"]  # sidecars too: the pair's state
    assert start_args("socks5h://h:1", "--allow-direct", "10.0.0.2:80", "ID") == [
        "start", "--proxy", "socks5h://h:1", "--allow-direct", "10.0.0.2:80", "-it", "ID"]


def test_config_changed_reads_netcages_refusal():
    said = [("netcage: start: this container was jailed with a different proxy/allowlist "
             "(proxy differs); remove it and run again\n")]
    assert config_changed(said) and not config_changed(["netcage: start: other\n"])


def test_list_rows():
    found = parse_boxes(ps_json(box_entry("a" * 64, "dev", cwd="/projects/alpha"),
                                box_entry("b" * 64, "web", state="running", machine="m2",
                                          cwd="/work/site", image=None)), RECORDS)
    assert list_lines(found, aligned=False) == [
        "dev\tdefault\t/projects/alpha\tanon-pi/pi:latest\tstopped",
        "web\tm2\t/work/site\t?\trunning"]
    assert list_lines(found, aligned=True) == [
        "NAME  MACHINE  CWD              IMAGE              STATE",
        "dev   default  /projects/alpha  anon-pi/pi:latest  stopped",
        "web   m2       /work/site       ?                  running"]
    assert json.loads(list_json(found)) == [
        {"name": "dev", "machine": "default", "cwd": "/projects/alpha",
         "image": "anon-pi/pi:latest", "state": "stopped", "sidecar": None,
         "id": "a" * 64},
        {"name": "web", "machine": "m2", "cwd": "/work/site", "image": None,
         "state": "running", "sidecar": None, "id": "b" * 64}]


def test_an_odd_key_cell_is_quoted():
    entry = box_entry("a" * 64, "dev")
    entry["Labels"]["anon-pi.key"] = key(machine="m\tx")
    [line] = list_lines(parse_boxes(ps_json(entry), RECORDS), aligned=False)
    assert line.split("\t")[1] == '"m\\tx"'


def test_picker_rows_name_the_box():
    plain = ps_entry("a" * 64, name="elegant_saha")
    boxed = box_entry("b" * 64, "dev", state="running", cwd="/projects/alpha")
    rows = [row_label(c) for c in parse_ps(ps_json(plain, boxed), RECORDS)]
    assert rows == ["default / alpha [elegant_saha]", "default / alpha [box dev]"]


def test_a_kept_labelled_container_without_a_record_is_a_stray_never_a_box():
    """An older anon-pi's box (no record, no token) is named, not listed: a label can come
    from an image or a jail, only a record proves a box."""
    old = box_entry("a" * 64, "old")
    del old["Labels"]["anon-pi.container-token"]
    forged = box_entry("b" * 64, "dev", token=box_token("web"))  # a record for dev, not this
    plain = box_entry("c" * 64, "web", state="running")
    plain["AutoRemove"] = True  # a plain launch (`--rm`) of an image carrying the labels
    sidecar = sidecar_entry("d" * 64, "1")
    sidecar["Labels"]["anon-pi.container"] = "side"
    odd = box_entry("e" * 64, "../x", token=box_token("x"))
    text = ps_json(old, forged, plain, sidecar, odd, box_entry("f" * 64, "zed"))
    listing = parse_listing(text, {"dev": box_token("dev"), "zed": box_token("zed")})
    assert [b.name for b in listing.boxes] == ["zed"]
    assert listing.strays == [Stray("old", "a" * 64), Stray("dev", "b" * 64)]
    assert strays_note(listing.strays) == (
        '2 containers are labelled as a box but not recorded in this workspace (made by an older '
        'anon-pi, or labelled by its image): "old" (aaaaaaaaaaaa), "dev" (bbbbbbbbbbbb); '
        "anon-pi never lists, enters or removes them as boxes; remove one with `netcage rm <id>`")
    assert strays_note(listing.strays[:1]).startswith("a container is labelled as a box but ")
