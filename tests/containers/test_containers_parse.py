"""Pure: which `netcage ps` entries are anon-pi jails, key decoding, filters and picker rows."""

import base64
import json

import pytest
from containers_support import fixture, key, ps_entry, ps_json

from anonpi_helpers.containers.ps_parse import (
    matching,
    other_machines,
    parse_ps,
    row_label,
    scope_text,
)
from anonpi_helpers.core.identity import decode, key_project


def test_real_fixture_placeholder_keys_are_skipped_not_fatal():
    # the fixture keys are not identity records: they match nothing, crash nothing
    assert parse_ps(fixture("ps-one-running.json")) == []
    assert parse_ps(fixture("ps-none.json")) == []


def test_real_fixture_key_without_cwd_still_counts():
    # the second container's key is base64("machine=other"): tolerant decode, missing fields ""
    [c] = parse_ps(fixture("ps-two-running.json"))
    assert c.ref.startswith("e591641ec1f5")
    assert (c.machine, c.project) == ("other", "")
    assert row_label(c).startswith("other / (shell) [")


def test_running_only_label_required_id_required():
    text = ps_json(
        ps_entry("aaa111", name="good"),
        ps_entry("bbb222", state="exited"),
        ps_entry("ccc333", state="Running"),  # case-sensitive
        ps_entry("", name="noid"),
        ps_entry("ddd444", labels={"netcage.managed": "true"}),  # the sidecar
        ps_entry("eee555", labels={"anon-pi.key": "!!not base64!!"}),
        ps_entry("fff666", labels={"anon-pi.key": ""}),
        {"Id": "ggg777", "State": "running", "Labels": None},
        "junk", 5, None,
    )
    found = parse_ps(text)
    assert [c.ref for c in found] == ["aaa111"]
    assert found[0].name == "good"


def test_names_fallback_to_id_and_order_kept():
    e1 = ps_entry("zzz999")
    e1["Names"] = None
    e2 = ps_entry("aaa111")
    e2["Names"] = [7]
    found = parse_ps(ps_json(e1, e2))
    assert [(c.ref, c.name) for c in found] == [("zzz999", "zzz999"), ("aaa111", "aaa111")]


@pytest.mark.parametrize("text", ["not json", "{}", '{"a": 1}', "null", "42"])
def test_non_list_output_is_unreadable(text):
    assert parse_ps(text) is None


def test_blank_output_is_no_container():
    assert parse_ps("") == [] and parse_ps(" \n") == []


def test_key_decode_roundtrip_and_tolerance():
    ident = decode(key("box", "/work/recon", mount="/src"))
    assert (ident.machine, ident.cwd, ident.mount_parent) == ("box", "/work/recon", "/src")
    assert decode("%%%") is None
    assert decode(base64.b64encode(b"\xff\xfe").decode()) is None
    assert decode(base64.b64encode(b"hello").decode()) is None
    odd = decode(base64.b64encode(b"cwd=/projects/a\nextra=1\nmachine=m=x").decode())
    assert (odd.machine, odd.cwd, odd.projects_root) == ("m=x", "/projects/a", "")


@pytest.mark.parametrize("cwd,project", [
    ("/projects", "."), ("/work", "."), ("/root", ""), ("/projects/x", "x"),
    ("/work/x", "x"), ("", "")])
def test_key_project(cwd, project):
    assert key_project(cwd) == project


def _containers():
    return parse_ps(ps_json(
        ps_entry("a1", "default", "/projects/alpha"),
        ps_entry("b2", "box", "/projects/alpha"),
        ps_entry("c3", "box", "/projects"),
        ps_entry("d4", "default", "/work/beta"),
    ))


def test_matching_every_machine_without_m():
    cs = _containers()
    assert [c.ref for c in matching(cs, None, None)] == ["a1", "b2", "c3", "d4"]
    assert [c.ref for c in matching(cs, None, "alpha")] == ["a1", "b2"]
    assert [c.ref for c in matching(cs, "box", None)] == ["b2", "c3"]
    assert [c.ref for c in matching(cs, "box", ".")] == ["c3"]
    assert [c.ref for c in matching(cs, "default", "beta")] == ["d4"]
    assert matching(cs, "nope", None) == []


def test_other_machines_named_when_m_hides_every_match():
    cs = _containers()
    assert other_machines(cs, "default", ".") == ["box"]
    assert other_machines(cs, None, ".") == []
    assert other_machines(cs, "zzz", "alpha") == ["box", "default"]


def test_row_labels_show_machine_project_and_name():
    cs = parse_ps(ps_json(
        ps_entry("a1", "box", "/projects/alpha", name="elegant_saha"),
        ps_entry("b2", "", "/projects", name="n2"),
        ps_entry("c3", "../..", "/root", name="n3"),
    ))
    assert [row_label(c) for c in cs] == [
        "box / alpha [elegant_saha]", "? / . [n2]", '"../.." / (shell) [n3]']


def test_scope_text():
    assert scope_text(None, None) == ""
    assert scope_text("box", None) == ' on machine "box"'
    assert scope_text("box", "alpha") == ' for project "alpha" on machine "box"'
    assert scope_text(None, ".") == ' for project "."'


def test_ps_entries_are_json_fixtures_shape():
    # the builder mirrors podman's shape closely enough that the real fixture parses alike
    real = json.loads(fixture("ps-one-running.json"))[0]
    assert set(ps_entry("x")) <= set(real)


def test_mount_rows_say_which_folder():
    cs = parse_ps(ps_json(
        ps_entry("a1", labels={"anon-pi.key": key("box", "/work/recon", root="/src",
                                                   mount="/src")}, name="n1"),
        ps_entry("b2", "box", "/projects/recon", name="n2"),
    ))
    assert [c.project for c in cs] == ["recon", "recon"]
    assert [row_label(c) for c in cs] == ["box / recon (--mount /src) [n1]", "box / recon [n2]"]


def test_a_folder_worked_on_alone_says_its_own_path():
    """`anon-pi --here` in /src/recon: no projects root, mountParent is the folder itself."""
    cs = parse_ps(ps_json(
        ps_entry("a1", labels={"anon-pi.key": key("box", "/work/recon", root="",
                                                   mount="/src/recon")}, name="n1"),
    ))
    assert [c.project for c in cs] == ["recon"]
    assert [row_label(c) for c in cs] == ["box / recon (folder /src/recon) [n1]"]
