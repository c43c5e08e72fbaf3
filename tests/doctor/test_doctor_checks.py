"""The pure doctor verdicts (rulings 24, 27): exact line shapes and edge cases."""

import pytest

from anonpi_helpers.doctor.checks import (
    Check,
    exit_code,
    image_check,
    image_names,
    netcage_check,
    privacy_check,
    render,
)


def test_render_shapes():
    assert render(Check("ok", "podman", "/usr/bin/podman", "never shown")) == (
        "ok   podman: /usr/bin/podman\n")
    assert render(Check("FAIL", "podman", "not found on PATH", "install podman")) == (
        "FAIL podman: not found on PATH\n  fix: install podman\n")
    assert render(Check("warn", "host identity", "x", "move it")) == (
        "warn host identity: x\n  fix: move it\n")


def test_only_fail_fails():
    assert exit_code([Check("ok", "a", ""), Check("warn", "b", "")]) == 0
    assert exit_code([Check("ok", "a", ""), Check("FAIL", "b", "")]) == 1


@pytest.mark.parametrize("version, status", [
    ("netcage 0.10.0", "ok"), ("netcage v0.9.9", "FAIL"), ("0.12.3-rc1", "ok"),
    ("", "ok"), ("netcage dev", "ok"),
])
def test_netcage_version_floor(version, status):
    assert netcage_check("/bin/netcage", version).status == status


def test_image_names_accepts_podman_shapes():
    names = image_names('[{"Names": ["localhost/a/b:1"]}, {"Dangling": true},'
                        ' {"RepoTags": ["c"]}, "junk", {"Names": null}]')
    assert names == {"a/b:1", "c:latest"}
    assert image_names("{}") is None and image_names("junk") is None


def test_image_check_by_tagless_ref():
    assert image_check("m", "localhost/a/b", '[{"Names": ["a/b:latest"]}]', None).status == "ok"


def test_privacy_lists_every_leaking_path():
    check = privacy_check(["/home/zed/.anon-pi/machines/default/home", "/srv/projects",
                           "/data/zed/seed.json"], "zed", "/home/zed")
    assert check.status == "warn"
    assert check.detail.endswith(": /home/zed/.anon-pi/machines/default/home, "
                                 "/data/zed/seed.json")
    assert privacy_check(["/srv/anon-pi/home"], "zed", "/home/zed").status == "ok"
